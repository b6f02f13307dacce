// Browser flow against a running Adboard in sandbox mode (APP_URL): sign in with the sandbox as
// Alice, land on the app signed in, open the profile, sign out. Exits non-zero on any failure.
import { chromium } from 'playwright-core';

const appUrl = (process.env.APP_URL ?? '').replace(/\/$/, '');
if (!appUrl.startsWith('http://127.0.0.1:')) {
  console.error('APP_URL must be a loopback URL, e.g. http://127.0.0.1:8080');
  process.exit(2);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
  console.log(`ok - ${message}`);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
let failed = false;
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(15000);

  await page.goto(`${appUrl}/`);
  await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/login');
  await page.getByRole('button', { name: 'Sign in with Sandbox' }).click();

  await page.waitForURL((url) => url.pathname.startsWith('/oidc/'));
  check(!page.url().startsWith(appUrl), 'the browser is at the sandbox OpenID provider');
  await page.getByLabel(/Alice Sandbox/).check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.waitForURL((url) => url.href.startsWith(appUrl) && !url.pathname.startsWith('/login'));
  check((await page.getByTestId('user-name').textContent()) === 'Alice Sandbox', 'signed in as Alice Sandbox');

  await page.getByRole('navigation').getByRole('link', { name: 'Profile' }).click();
  await page.waitForURL(`${appUrl}/profile`);
  check((await page.getByRole('heading', { level: 1 }).textContent()) === 'Profile', 'the profile page opens');
  check((await page.getByTestId('email').textContent()) === 'alice@sandbox.adboard.test', 'the profile shows her email');
  check(await page.getByRole('cell', { name: 'Sandbox', exact: true }).isVisible(), 'the sandbox sign-in is listed');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${appUrl}/`);
  check(await page.getByRole('button', { name: 'Sign out' }).count() === 0, 'signed out: no Sign out button');

  await page.goto(`${appUrl}/profile`);
  check(new URL(page.url()).pathname === '/login', 'the profile now asks to sign in');
} catch (error) {
  failed = true;
  console.error(`not ok - ${error.message}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
