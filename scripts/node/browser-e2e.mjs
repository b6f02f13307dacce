// Browser flow against a running Adboard in sandbox mode (APP_URL): sign in with the sandbox as
// Alice, land on the app signed in, open the profile, create a team (with markup in its name),
// invite someone, edit the team's settings, connect Facebook Ads through the sandbox's dialog and
// pick the ad account (also at phone width), sign out. Exits non-zero on any failure.
// With SCREENSHOT_DIR set, saves a full-page PNG of each page it checks there.
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
const screenshotDir = process.env.SCREENSHOT_DIR;
async function shot(page, name) {
  if (screenshotDir) await page.screenshot({ path: `${screenshotDir}/${name}.png`, fullPage: true });
}
try {
  const page = await browser.newPage();
  page.setDefaultTimeout(15000);
  // Any script error or console error (a blocked resource, a CSP violation) fails the flow.
  const consoleErrors = [];
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
  });

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
  await shot(page, 'profile');

  // Teams: empty state → create → invite → edit.
  await page.getByRole('navigation').getByRole('link', { name: 'Teams' }).click();
  await page.waitForURL(`${appUrl}/teams`);
  check(await page.getByText('You are not in any team yet').isVisible(), 'the teams page shows its empty state');
  const nav = page.getByRole('navigation');
  check(await nav.getByRole('link', { name: 'Teams' }).getAttribute('aria-current') === 'page'
    && await nav.getByRole('link', { name: 'Profile' }).getAttribute('aria-current') === null,
    'the navbar marks Teams, and only Teams, as the current page');
  await shot(page, 'teams-empty');
  await page.getByRole('link', { name: 'Create a team' }).click();
  const teamName = 'Growth <script>alert(1)</script>';
  await page.getByLabel('Team name').fill(teamName);
  // An impatient double click: the page's script sends the form once and marks the button busy.
  await page.getByRole('button', { name: 'Create team' }).dblclick();
  await page.waitForURL((url) => /^\/teams\/[0-9a-f-]{36}$/.test(url.pathname));
  check((await page.getByRole('heading', { level: 1 }).textContent()) === teamName, 'the team page shows the name as text, markup escaped');
  check(await page.getByRole('status').getByText('Team created.').isVisible(), 'a flash says the team was created');
  check((await page.getByTestId('my-role').textContent()) === 'OWNER', 'the creator is the OWNER');
  const teamPath = new URL(page.url()).pathname;
  await page.goto(`${appUrl}/teams`);
  check(await page.getByRole('link', { name: teamName }).count() === 1, 'the double click created one team');
  await page.goto(`${appUrl}${teamPath}`);

  await page.getByRole('link', { name: 'Invite someone' }).click();
  await page.getByLabel('Email').fill('bob@example.test');
  await page.getByLabel('Role').selectOption('EDIT');
  await shot(page, 'team-invite');
  await page.getByRole('button', { name: 'Invite' }).click();
  await page.waitForURL(`${appUrl}${teamPath}`);
  check((await page.getByTestId('invitation').textContent()) === 'bob@example.test', 'the invitation is pending on the team page');

  await page.getByRole('link', { name: 'Edit settings' }).click();
  await page.getByLabel('Facebook ad account id').fill('act_1234567890');
  await page.getByLabel('Conversion event').fill('purchase');
  await shot(page, 'team-edit');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.waitForURL(`${appUrl}${teamPath}`);
  check(await page.getByText('act_1234567890').isVisible(), 'the ad account id is saved (act_ prefix shown once)');
  check(await page.getByRole('status').getByText('Team settings saved.').isVisible(), 'a flash says the settings were saved');
  await shot(page, 'team');

  // Connectors: the owner connects Facebook Ads through the sandbox's dialog and picks the account.
  await page.getByRole('navigation').getByRole('link', { name: 'Connectors' }).click();
  await page.waitForURL(`${appUrl}/connectors`);
  const card = page.getByTestId('connector-facebook');
  check((await card.getByTestId('connector-state').textContent()) === 'Not connected', 'Facebook Ads starts not connected');
  await shot(page, 'connectors-empty');
  await card.getByRole('button', { name: 'CONNECT' }).click();
  await page.waitForURL((url) => url.pathname.endsWith('/dialog/oauth'));
  check(!page.url().startsWith(appUrl), 'the browser is at the sandbox Facebook dialog');
  await shot(page, 'facebook-dialog');
  await page.locator('input[name=user][value=alice]').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  // Facebook appends `#_=_` to its redirect, and browsers keep a fragment across redirects.
  await page.waitForURL((url) => url.href.startsWith(appUrl) && url.pathname === '/connectors/facebook/accounts');
  check(await page.getByRole('status').getByText(/Facebook Ads connected/).isVisible(), 'a flash says Facebook Ads is connected');
  check(await page.getByText('Alice Shoes US').isVisible(), 'the picker lists the ad accounts the token sees');
  await shot(page, 'connector-accounts');
  await page.getByLabel('Alice Shoes US').check();
  await page.getByRole('button', { name: 'Use this ad account' }).click();
  await page.waitForURL(`${appUrl}${teamPath}`);
  check(await page.getByText('act_2345678901', { exact: false }).first().isVisible(), 'the team page shows the chosen ad account');
  check(/connected/.test(await page.getByTestId('team-connector-facebook').textContent()), 'the team page shows the connector as connected');
  await page.getByRole('link', { name: 'Manage connectors' }).click();
  await page.waitForURL(`${appUrl}/connectors`);
  check((await card.getByTestId('connector-state').textContent()) === 'Connected', 'the card says Connected');
  check(/Alice Shoes US/.test(await card.getByTestId('connector-account').textContent()), 'the card names the chosen account');
  await shot(page, 'connectors');
  await page.setViewportSize({ width: 390, height: 844 });
  for (const path of ['/connectors', '/connectors/facebook/accounts', teamPath]) {
    await page.goto(`${appUrl}${path}`);
    const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    check(scroll <= inner, `${path} does not scroll sideways at 390 px (${scroll} <= ${inner})`);
  }
  await page.goto(`${appUrl}/connectors`);
  await shot(page, 'connectors-phone');
  await page.setViewportSize({ width: 1280, height: 800 });

  await page.getByRole('navigation').getByRole('link', { name: 'Teams' }).click();
  check(await page.getByRole('cell', { name: /Growth/ }).getByText('(selected)').isVisible(), 'the team list marks the selected team');
  await shot(page, 'teams');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${appUrl}/`);
  check(await page.getByRole('button', { name: 'Sign out' }).count() === 0, 'signed out: no Sign out button');

  await page.goto(`${appUrl}/profile`);
  check(new URL(page.url()).pathname === '/login', 'the profile now asks to sign in');
  check(consoleErrors.length === 0, `no script or console errors on any page${consoleErrors.length ? `: ${consoleErrors.join('; ')}` : ''}`);
} catch (error) {
  failed = true;
  console.error(`not ok - ${error.message}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
