// Browser flow against a running Adboard in sandbox mode (APP_URL): sign in with the sandbox as
// Alice, land on the app signed in, open the profile, create a team (with markup in its name),
// invite someone, edit the team's settings, sign out. Exits non-zero on any failure.
// With SCREENSHOT_DIR set, saves a full-page PNG of each page it checks there.
// With DASHBOARD_TEAM set (a connected team of Alice's, e.g. seeded by bench/dashboard/seed.rs),
// it runs only sign-in + the dashboard step (`dashboardStep`, exported for the full flow).
import { readFileSync } from 'node:fs';
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

const launchOptions = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
};
const screenshotDir = process.env.SCREENSHOT_DIR;
async function shot(page, name) {
  if (screenshotDir) await page.screenshot({ path: `${screenshotDir}/${name}.png`, fullPage: true });
}
if (process.env.DASHBOARD_TEAM) process.exit(await dashboardOnly(process.env.DASHBOARD_TEAM));

const browser = await chromium.launch(launchOptions);
let failed = false;
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
