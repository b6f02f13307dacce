// Browser flow against a running Adboard in sandbox mode (APP_URL), from an empty store to the
// last step of the home page's onboarding checklist: signed out, sent to sign in, sign in with
// the sandbox as Alice ("Welcome"), profile (a refused name comes back beside the field), create
// a team (refused name, then markup in the name, double click), invite (a repeated invite comes
// back beside the email), edit the settings (a bad ad account id comes back beside the field),
// connect Facebook Ads through the sandbox's dialog and pick the ad account, open the dashboard,
// a missing page, sign out. Every page of ours is checked at 1280 and 390 px: no sideways scroll
// at 390 px, and axe-core reports no serious or critical violation. Then the same pages are opened
// with the CSP enforced and must log no error. Exits non-zero on any failure.
// With SCREENSHOT_DIR set, saves a full-page PNG of each page at both widths there.
// With DASHBOARD_TEAM set (a connected team of Alice's, e.g. seeded by bench/dashboard/seed.rs),
// it runs only sign-in + the dashboard step (`dashboardStep`, also run by the full flow).
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';

const appUrl = (process.env.APP_URL ?? '').replace(/\/$/, '');
if (!appUrl.startsWith('http://127.0.0.1:')) {
  console.error('APP_URL must be a loopback URL, e.g. http://127.0.0.1:8080');
  process.exit(2);
}
const axePath = fileURLToPath(new URL('./node_modules/axe-core/axe.min.js', import.meta.url));

const problems = [];
function check(condition, message) {
  if (!condition) throw new Error(message);
  console.log(`ok - ${message}`);
}
/// Like `check`, but the flow goes on; the run fails at the end.
function expect(condition, message) {
  if (condition) {
    console.log(`ok - ${message}`);
  } else {
    console.error(`not ok - ${message}`);
    problems.push(message);
  }
}

const launchOptions = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
};
const screenshotDir = process.env.SCREENSHOT_DIR;
const audited = new Set();
async function shot(page, name) {
  if (screenshotDir) await page.screenshot({ path: `${screenshotDir}/${name}.png`, fullPage: true });
}
if (process.env.DASHBOARD_TEAM) process.exit(await dashboardOnly(process.env.DASHBOARD_TEAM));

const browser = await chromium.launch(launchOptions);
let failed = false;
try {
  // axe-core is injected with `addScriptTag`, an inline script that the app's CSP
  // (`default-src 'self'`) blocks, as it should: this context bypasses the CSP, and every page
  // audited here is opened again at the end in a context that enforces it.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  const consoleErrors = [];
  page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
  });

  /// Checks the current page at 1280 and 390 px: screenshot, no sideways scroll, axe.
  async function audit(name) {
    audited.add(page.url().replace(/#.*$/, ''));
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 800 });
      const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      if (width === 390) expect(scroll <= inner, `${name}: no sideways scroll at 390 px (${scroll} <= ${inner})`);
      if (screenshotDir) await page.screenshot({ path: `${screenshotDir}/${name}-${width}.png`, fullPage: true });
      if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: axePath });
      const violations = await page.evaluate(async () => {
        const result = await window.axe.run(document, { resultTypes: ['violations'] });
        return result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} [${v.impact}] at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      });
      expect(violations.length === 0, `${name}: axe finds no serious or critical violation at ${width} px${violations.length ? `: ${violations.join('; ')}` : ''}`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  }
  /// The field is marked invalid, its message is beside it and names `text`, and it has focus.
  async function fieldError(id, text, name) {
    const field = page.locator(`#${id}`);
    expect(await field.getAttribute('aria-invalid') === 'true', `${name}: #${id} is marked invalid`);
    const message = page.locator(`#${id}-error`);
    expect((await message.textContent() ?? '').includes(text), `${name}: the message beside #${id} says "${text}"`);
    expect((await field.getAttribute('aria-describedby') ?? '').split(' ').includes(`${id}-error`), `${name}: #${id} is described by its message`);
    expect(await page.evaluate(() => document.activeElement?.id) === id, `${name}: focus is on #${id}`);
  }
  const main = page.getByRole('main');
  const nav = page.getByRole('navigation');

  // Signed out.
  await page.goto(`${appUrl}/`);
  await audit('home-signed-out');
  await main.getByRole('link', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/login');
  check(/Alice Sandbox/.test(await page.getByTestId('sandbox-note').textContent()), 'the sign-in page explains sandbox mode and names the test users');
  await audit('login');

  // Sent to sign in from a page behind it; sign in with the sandbox as Alice.
  await page.goto(`${appUrl}/profile`);
  await page.waitForURL((url) => url.pathname === '/login');
  check(await page.getByText('Please sign in to continue.').isVisible(), 'sent to sign in, the page says so');
  await page.getByRole('button', { name: 'Sign in with Sandbox' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/oidc/'));
  check(!page.url().startsWith(appUrl), 'the browser is at the sandbox OpenID provider');
  await page.getByLabel(/Alice Sandbox/).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(`${appUrl}/profile`);
  check((await page.getByRole('heading', { level: 1 }).textContent()) === 'Profile', 'signed in, back on the profile page');
  check((await page.getByTestId('email').textContent()) === 'alice@sandbox.adboard.test', 'the profile shows her email');
  check(await page.getByRole('cell', { name: 'Sandbox', exact: true }).isVisible(), 'the sandbox sign-in is listed');
  check(await page.getByRole('button', { name: 'Link Facebook' }).isVisible()
    && await page.getByRole('button', { name: 'Link Sandbox' }).count() === 0, 'the profile offers only the provider not linked yet');
  await audit('profile');
  await page.getByLabel('Name').fill('\u200B');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForLoadState();
  await fieldError('name', 'A name is 1 to 100 characters', 'profile');
  await audit('profile-error');

  // The home page: a first sign-in is welcomed, and the checklist starts at step 1.
  await nav.getByRole('link', { name: 'Adboard' }).click();
  await page.waitForURL(`${appUrl}/`);
  check((await page.getByTestId('user-name').textContent()) === 'Alice Sandbox', 'signed in as Alice Sandbox');
  check(/^Welcome, /.test(await page.getByRole('heading', { level: 1 }).textContent()), 'a first sign-in says "Welcome", not "Welcome back"');
  const steps = page.getByTestId('step');
  check(await steps.count() === 4 && await page.locator('[data-testid=step][data-done]').count() === 0, 'the checklist has four steps, none done');
  await audit('home-checklist-0');

  // Step 1: create a team (a refused name first).
  await page.getByRole('link', { name: 'Create or join a team' }).click();
  await page.waitForURL(`${appUrl}/teams/new`);
  await audit('team-new');
  const refusedName = 'Growth\u202Egnp.exe';
  await page.getByLabel('Team name').fill(refusedName);
  await page.getByRole('button', { name: 'Create team' }).click();
  await page.waitForLoadState();
  await fieldError('name', 'A team name is 1 to 100 characters', 'create team');
  check(await page.getByLabel('Team name').inputValue() === refusedName, 'create team: the typed name is kept');
  await audit('team-new-error');
  const teamName = 'Growth <script>alert(1)</script>';
  await page.getByLabel('Team name').fill(teamName);
  // An impatient double click: the page's script sends the form once and marks the button busy.
  await page.getByRole('button', { name: 'Create team' }).dblclick();
  await page.waitForURL((url) => /^\/teams\/[0-9a-f-]{36}$/.test(url.pathname));
  check((await page.getByRole('heading', { level: 1 }).textContent()) === teamName, 'the team page shows the name as text, markup escaped');
  check(await page.getByRole('status').getByText('Team created.').isVisible(), 'a flash says the team was created');
  check((await page.getByTestId('my-role').textContent()) === 'OWNER', 'the creator is the OWNER');
  check((await page.getByTestId('current-team').textContent()).includes(teamName), 'the navbar names the current team');
  const teamPath = new URL(page.url()).pathname;
  await page.goto(`${appUrl}/teams`);
  check(await main.getByRole('link', { name: teamName }).count() === 1, 'the double click created one team');
  await page.goto(`${appUrl}${teamPath}`);

  // Invite, then the same invite again: it comes back beside the email.
  await page.getByRole('link', { name: 'Invite someone' }).click();
  await audit('team-invite');
  await page.getByLabel('Email').fill('bob@example.test');
  await page.getByLabel('Role').selectOption('EDIT');
  await page.getByRole('button', { name: 'Invite' }).click();
  await page.waitForURL(`${appUrl}${teamPath}`);
  check((await page.getByTestId('invitation').textContent()) === 'bob@example.test', 'the invitation is pending on the team page');
  await page.getByRole('link', { name: 'Invite someone' }).click();
  await page.getByLabel('Email').fill('bob@example.test');
  await page.getByLabel('Role').selectOption('ADMIN');
  await page.getByRole('button', { name: 'Invite' }).click();
  await page.waitForLoadState();
  await fieldError('email', 'already pending', 'repeated invite');
  check(await page.getByLabel('Role').inputValue() === 'ADMIN', 'repeated invite: the chosen role is kept');
  await audit('team-invite-error');

  // Settings: a bad ad account id comes back beside the field, then good values are saved.
  await page.goto(`${appUrl}${teamPath}`);
  await page.getByRole('link', { name: 'Edit settings' }).click();
  await audit('team-edit');
  await page.getByLabel('Facebook ad account id').fill('my ad account');
  await page.getByLabel('Conversion event').fill('purchase');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.waitForLoadState();
  await fieldError('ad_account_id', 'An ad account id is digits', 'edit settings');
  check(await page.getByLabel('Facebook ad account id').inputValue() === 'my ad account'
    && await page.getByLabel('Conversion event').inputValue() === 'purchase', 'edit settings: every typed value is kept');
  await audit('team-edit-error');
  await page.getByLabel('Facebook ad account id').fill('act_1234567890');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.waitForURL(`${appUrl}${teamPath}`);
  check(await page.getByText('act_1234567890').isVisible(), 'the ad account id is saved (act_ prefix shown once)');
  check(await page.getByRole('status').getByText('Team settings saved.').isVisible(), 'a flash says the settings were saved');
  await audit('team');

  // Step 2: the checklist sends the owner to connect Facebook Ads.
  await nav.getByRole('link', { name: 'Adboard' }).click();
  check(/^Welcome back, /.test(await page.getByRole('heading', { level: 1 }).textContent()), 'the next visit says "Welcome back"');
  check(await steps.nth(0).getAttribute('data-done') === 'yes' && await steps.nth(1).getAttribute('data-done') === null, 'step 1 is ticked, step 2 is next');
  await audit('home-checklist-1');
  await page.getByRole('link', { name: 'Connect Facebook Ads' }).click();
  await page.waitForURL(`${appUrl}/connectors`);
  const card = page.getByTestId('connector-facebook');
  check((await card.getByTestId('connector-state').textContent()) === 'Not connected', 'Facebook Ads starts not connected');
  await audit('connectors-empty');
  await card.getByRole('button', { name: 'CONNECT' }).click();
  await page.waitForURL((url) => url.pathname.endsWith('/dialog/oauth'));
  check(!page.url().startsWith(appUrl), 'the browser is at the sandbox Facebook dialog');
  const sandboxOrigin = new URL(page.url()).origin;
  if (screenshotDir) await page.screenshot({ path: `${screenshotDir}/facebook-dialog-1280.png`, fullPage: true });
  await page.locator('input[name=user][value=alice]').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  // Facebook appends `#_=_` to its redirect, and browsers keep a fragment across redirects.
  await page.waitForURL((url) => url.href.startsWith(appUrl) && url.pathname === '/connectors/facebook/accounts');
  check(await page.getByRole('status').getByText(/Facebook Ads connected/).isVisible(), 'a flash says Facebook Ads is connected');
  check(await page.getByText('Alice Shoes US').isVisible(), 'the picker lists the ad accounts the token sees');
  await audit('connector-accounts');

  // Step 3: choose the ad account (the conversion event is set already).
  await page.getByLabel('Alice Shoes US').check();
  await page.getByRole('button', { name: 'Use this ad account' }).click();
  await page.waitForURL(`${appUrl}${teamPath}`);
  check(await page.getByText('act_2345678901', { exact: false }).first().isVisible(), 'the team page shows the chosen ad account');
  check(/connected/.test(await page.getByTestId('team-connector-facebook').textContent()), 'the team page shows the connector as connected');
  await page.getByRole('link', { name: 'Manage connectors' }).click();
  await page.waitForURL(`${appUrl}/connectors`);
  check((await card.getByTestId('connector-state').textContent()) === 'Connected', 'the card says Connected');
  check(/Alice Shoes US/.test(await card.getByTestId('connector-account').textContent()), 'the card names the chosen account');
  await audit('connectors');

  // Step 4: three steps ticked; the last one opens the dashboard.
  await nav.getByRole('link', { name: 'Adboard' }).click();
  check(await page.locator('[data-testid=step][data-done]').count() === 3, 'steps 1 to 3 are ticked');
  await audit('home-checklist-3');
  await page.getByRole('link', { name: 'Open the dashboard' }).click();
  await page.waitForURL((url) => url.href.startsWith(`${appUrl}/dashboard`));
  await audit('dashboard');
  await dashboardStep(page);
  await page.setViewportSize({ width: 1280, height: 800 });

  // A phone app: Alice links X from this browser (session + X-CSRF-Token), then the app signs in
  // with X at the JSON API; the profile lists its API token, and revoking it signs the app out.
  const x = await (await fetch(`${sandboxOrigin}/__sandbox/x/token?user=alice`, { method: 'POST' })).json();
  const xBody = { access_token: x.oauth_token, access_token_secret: x.oauth_token_secret };
  await page.goto(`${appUrl}/profile`);
  const csrf = await page.locator('meta[name=csrf-token]').getAttribute('content');
  const linked = await page.request.post(`${appUrl}/api/associate/x`, { headers: { 'x-csrf-token': csrf }, data: xBody });
  check(linked.status() === 200, `the browser session links X through the API (${linked.status()})`);
  const phone = await fetch(`${appUrl}/api/auth/x`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'AdboardPhone/1.0 (iOS)' }, body: JSON.stringify(xBody),
  });
  const apiToken = (await phone.json()).token;
  check(phone.status === 200 && /^adb_/.test(apiToken), 'a phone app signs in with X and gets an API token');
  await page.goto(`${appUrl}/profile`);
  check(await page.getByRole('cell', { name: 'X', exact: true }).isVisible(), 'the profile lists the X sign-in');
  check(await page.getByTestId('api-token').getByText(/AdboardPhone/).isVisible(), 'the profile lists the app signed in with an API token');
  check(!(await page.content()).includes(apiToken), 'the profile never shows the token itself');
  await audit('profile-api-tokens');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByTestId('api-token').getByRole('button', { name: 'Revoke' }).click();
  await page.waitForURL(`${appUrl}/profile`);
  check(await page.getByRole('status').getByText(/API token revoked/).isVisible(), 'a flash says the token was revoked');
  const after = await fetch(`${appUrl}/api/me`, { headers: { authorization: `Bearer ${apiToken}` } });
  check(after.status === 401, 'the revoked token is refused');

  await nav.getByRole('link', { name: 'Teams' }).click();
  check(await page.getByRole('cell', { name: /Growth/ }).getByText('current team').isVisible(), 'the team list marks the current team');
  await audit('teams');

  // A missing page offers the way back, not "Sign in".
  await page.goto(`${appUrl}${teamPath}/no-such-page`);
  check(await main.getByRole('link', { name: 'Your teams' }).isVisible()
    && await main.getByRole('link', { name: 'Sign in' }).count() === 0, 'a missing page offers the teams list, not "Sign in"');
  await audit('not-found');

  // The same pages with the CSP enforced: no violation, no script error.
  const strict = await browser.newContext();
  await strict.addCookies(await context.cookies());
  const strictPage = await strict.newPage();
  const strictErrors = [];
  strictPage.on('pageerror', (error) => strictErrors.push(`${strictPage.url()}: ${error.message}`));
  strictPage.on('console', (message) => {
    if (message.type() === 'error' && !/status of 404/.test(message.text())) strictErrors.push(`${strictPage.url()}: ${message.text()}`);
  });
  for (const url of audited) await strictPage.goto(url);
  await strict.close();
  check(strictErrors.length === 0, `with the CSP enforced, ${audited.size} pages log no error${strictErrors.length ? `: ${strictErrors.join('; ')}` : ''}`);

  await page.goto(`${appUrl}/`);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  check(await page.getByRole('button', { name: 'Sign out' }).count() === 0, 'signed out: no Sign out button');
  check(await page.getByText('You are signed out.').isVisible(), 'the home page says "You are signed out."');
  await audit('signed-out');

  await page.goto(`${appUrl}/profile`);
  check(new URL(page.url()).pathname === '/login', 'the profile now asks to sign in');
  const appErrors = consoleErrors.filter((e) => !/status of 4(04|09|22)/.test(e));
  check(appErrors.length === 0, `no script or console errors on any page${appErrors.length ? `: ${appErrors.join('; ')}` : ''}`);
  check(problems.length === 0, `every page passed its layout and accessibility checks${problems.length ? ` (${problems.length} failed)` : ''}`);
} catch (error) {
  failed = true;
  console.error(`not ok - ${error.message}`);
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);

// ---------------------------------------------------------------------------------------------
// The dashboard (issue 10). `dashboardStep(page, { teamId })` runs on a signed-in page whose team
// is connected, has an ad account and a conversion event; without `teamId` it uses the selected
// team. The caller watches console errors (as the main flow does).

/** The dashboard: cards equal the function's JSON, charts drawn, a preset change, CSV = table. */
export async function dashboardStep(page, { teamId } = {}) {
  const team = teamId ? `team=${encodeURIComponent(teamId)}&` : '';
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${appUrl}/dashboard?${team}preset=last_30d`);
  check((await page.getByRole('heading', { level: 1 }).textContent()) === 'Dashboard', 'the dashboard opens');
  check(await page.getByTestId('dashboard-error').count() === 0 && await page.getByTestId('dashboard-blocked').count() === 0,
    'the dashboard shows data (no error, nothing missing)');

  // The cards against the function's own answer for the same range (data.json carries it as received).
  const csvHref = await page.getByTestId('csv').getAttribute('href');
  const range = new URL(csvHref, appUrl).searchParams;
  const json = await (await page.request.get(`${appUrl}/dashboard/data.json?team=${range.get('team')}&since=${range.get('since')}&until=${range.get('until')}`)).json();
  const totals = json.series.totals;
  for (const key of ['spend', 'impressions', 'clicks', 'conversions', 'conversion_value']) {
    const shown = Number(await page.getByTestId(`card-${key}`).getAttribute('data-value'));
    check(shown === Number(totals[key]), `the ${key} card (${shown}) equals the function's total (${totals[key]})`);
  }
  const cpa = Number(await page.getByTestId('card-cpa').getAttribute('data-value'));
  check(Math.abs(cpa - Number(totals.spend) / Number(totals.conversions)) < 0.0001, 'CPA = spend / conversions');
  check(json.rows.length === 30, 'the last 30 days are 30 rows');

  // Charts: Chart.js drew each canvas with non-empty datasets.
  await page.waitForFunction(() => window.adboardCharts && Object.keys(window.adboardCharts).length === 3);
  const charts = await page.evaluate(() => Object.fromEntries(Object.entries(window.adboardCharts).map(
    ([name, chart]) => [name, { width: chart.canvas.width, points: chart.data.datasets.map((d) => d.data.filter((v) => v !== null).length) }])));
  for (const [name, chart] of Object.entries(charts)) {
    check(chart.width > 0 && chart.points.length > 0 && chart.points.every((n) => n > 0), `the ${name} chart is drawn with data (${chart.points})`);
  }
  await shot(page, 'dashboard-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(200);
  const wide = await page.evaluate(() => [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.table-scroll'))
    .slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${e.className}`));
  check(wide.length === 0, `no sideways scrolling at 390 px${wide.length ? ` (too wide: ${wide.join(', ')})` : ''}`);
  await shot(page, 'dashboard-390');
  await page.setViewportSize({ width: 1280, height: 900 });

  // A preset change: the loading indicator shows, the range and table follow the URL.
  await page.locator('a[data-preset="last_7d"]').click();
  await page.waitForURL((url) => url.searchParams.get('preset') === 'last_7d');
  check(await page.locator('a[data-preset="last_7d"]').getAttribute('aria-current') === 'true', 'the preset is marked current');
  check(await page.getByTestId('daily-table').locator('tbody tr').count() === 7, 'last 7 days: 7 rows in the table');

  // The CSV download equals the table, cell by cell.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv').click()]);
  check(/^adboard-.+-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/.test(download.suggestedFilename()), `the CSV is named after the team and range (${download.suggestedFilename()})`);
  const csv = readFileSync(await download.path(), 'utf8').trim().split('\n');
  check(csv[0] === 'date,spend,impressions,clicks,conversions,cpa,conversion_value', 'the CSV has its header row');
  const table = await page.getByTestId('daily-table').locator('tbody tr').evaluateAll(
    (rows) => rows.map((row) => [...row.cells].map((cell) => cell.dataset.value).join(',')));
  check(JSON.stringify(csv.slice(1)) === JSON.stringify(table), 'the CSV rows equal the table rows');
  await shot(page, 'dashboard-last-7d');
}

/** Signs in as Alice through the sandbox and runs the dashboard step for `teamId`; returns the exit code. */
async function dashboardOnly(teamId) {
  const browser = await chromium.launch(launchOptions);
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(15000);
    const consoleErrors = [];
    page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
    await page.goto(`${appUrl}/login`);
    await page.getByRole('button', { name: 'Sign in with Sandbox' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/oidc/'));
    await page.getByLabel(/Alice Sandbox/).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.href.startsWith(appUrl) && !url.pathname.startsWith('/login'));
    await dashboardStep(page, { teamId });
    check(consoleErrors.length === 0, `no script or console errors${consoleErrors.length ? `: ${consoleErrors.join('; ')}` : ''}`);
    return 0;
  } catch (error) {
    console.error(`not ok - ${error.message}`);
    return 1;
  } finally {
    await browser.close();
  }
}
