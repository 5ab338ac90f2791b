#!/usr/bin/env node
// Browser test of the dashboard (api/dashboard/): a real careledger server on generated data,
// driven through Debian's Chromium with playwright-core. Signs in through the form, compares
// what each page shows with what the API answers, records an assessment and sees the list grow,
// runs axe-core (WCAG 2.0/2.1/2.2 A and AA) on every page, uses every page by keyboard alone,
// downloads a CSV, checks what each role's navigation offers, signs out, and takes a full-page
// screenshot of each page.
//
//   node tests/browser/dashboard.mjs PATH_TO_CARELEDGER_BINARY OUTPUT_DIR
//
// Needs the pinned Node packages (npm ci in the repository root) and Chromium at
// /usr/bin/chromium (Debian's package `chromium`; no browser is downloaded). Prints one line per
// check; exits 0 only when every check passed. The server and the temporary directory are
// removed whatever happens.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const CHROMIUM = '/usr/bin/chromium';
const STEP_MS = 60_000; // a sanitizer build may be slow

const [binary, outDir] = process.argv.slice(2);
if (!binary || !outDir || process.argv.length > 4) {
  console.error('usage: node tests/browser/dashboard.mjs PATH_TO_CARELEDGER_BINARY OUTPUT_DIR');
  process.exit(2);
}

let chromium;
let axeSource;
try {
  ({ chromium } = await import('playwright-core'));
  axeSource = await readFile(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
} catch (e) {
  console.error(`dashboard.mjs: ${e.message}\nInstall the pinned packages first: npm ci (in the repository root).`);
  process.exit(2);
}

const execFileAsync = promisify(execFile);

// ------------------------------------------------------------------ checks

let failures = 0;
let passes = 0;

class Fatal extends Error {}

// Runs one check: prints `ok - NAME` or `FAIL - NAME: why`. A failed check marks the run failed;
// with fatal, the run stops there (later checks need what it set up).
async function check(name, fn, { fatal = false } = {}) {
  try {
    const note = await fn();
    passes++;
    console.log(`ok - ${name}${note ? ` (${note})` : ''}`);
  } catch (e) {
    failures++;
    console.log(`FAIL - ${name}: ${e instanceof Error ? e.message.split('\n').slice(0, 6).join('\n    ') : e}`);
    if (fatal) throw new Fatal(name);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

function equal(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: shown ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
}

// ------------------------------------------------------------------ dates

function ukToday() {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date());
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

function yearBefore(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  const day = m === 2 && d === 29 ? 28 : d;
  return `${y - 1}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

// ------------------------------------------------------------------ the server

let tmp = null;
let server = null;
let serverErr = '';
let browser = null;

async function careledger(...args) {
  const { stdout } = await execFileAsync(binary, args, { maxBuffer: 64 << 20, timeout: STEP_MS });
  return stdout;
}

async function addUser(db, name, role, teams = []) {
  const out = await careledger('users', 'add', '--db', db, '--name', name, '--role', role, ...teams.flatMap((t) => ['--team', t]));
  const lines = out.trim().split('\n');
  assert(lines.length > 0 && lines.at(-1).trim(), `users add ${name} printed no token`);
  return lines.at(-1).trim();
}

// Starts serve on a free port; resolves with its base URL once it prints `listening on ADDR:PORT`.
function startServer(db) {
  return new Promise((resolve, reject) => {
    server = spawn(binary, ['serve', '--db', db, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    server.stderr.on('data', (d) => {
      serverErr = (serverErr + d).slice(-20000);
    });
    const timer = setTimeout(() => reject(new Error(`serve did not print "listening on" within ${STEP_MS} ms`)), STEP_MS);
    const onExit = (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${signal ?? code}) before listening:\n${serverErr}`));
    };
    server.once('exit', onExit);
    createInterface({ input: server.stdout }).on('line', (line) => {
      const m = /^listening on (\S+):(\d+)$/.exec(line.trim());
      if (!m) return;
      clearTimeout(timer);
      server.off('exit', onExit);
      resolve(`http://${m[1]}:${m[2]}`);
    });
  });
}

function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.kill('SIGKILL');
      resolve();
    }, 15_000);
    server.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    server.kill('SIGTERM');
  });
}

// Closes the browser, stops the server and removes the temporary directory; once, however many
// times it is called (the run's end, a signal).
let cleaning = null;
function cleanup() {
  cleaning ??= (async () => {
    try {
      await browser?.close();
    } catch {
      // already gone
    }
    await stopServer();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, async () => {
    console.log(`FAIL - interrupted by ${signal}`);
    await cleanup();
    process.exit(1);
  });
}

// ------------------------------------------------------------------ the run

let base = '';
const tokens = {};

async function apiGet(token, path) {
  const res = await fetch(base + path, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function apiPost(token, path, body) {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function newContext() {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    acceptDownloads: true,
  });
  context.setDefaultTimeout(STEP_MS);
  return context;
}

// Problems the page reported itself: uncaught errors and Content-Security-Policy refusals.
function watch(page, label) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`${label}: uncaught ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content.Security.Policy|Refused to/i.test(m.text())) problems.push(`${label}: ${m.text()}`);
  });
  return problems;
}

async function signIn(page, token, expectName) {
  await page.goto(`${base}/`);
  await page.locator('#token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#user-name', { hasText: expectName }).waitFor();
}

// Waits until the page's results show the answer to a request whose URL contains each of `parts`.
async function ready(page, pageKey, parts = []) {
  const results = page.locator(`#${pageKey}-results`);
  await page.waitForFunction(
    ([id, want]) => {
      const el = document.getElementById(id);
      return el && el.dataset.state === 'ready' && want.every((p) => (el.dataset.query ?? '').includes(p));
    },
    [`${pageKey}-results`, parts],
    { timeout: STEP_MS },
  );
  return results;
}

async function shownWaiting(page) {
  const total = Number(await page.locator('#waiting-list-status [data-total]').getAttribute('data-total'));
  const rowsAttr = Number(await page.locator('#waiting-list-status [data-rows]').getAttribute('data-rows'));
  const rows = await page.locator('#waiting-list-table tbody tr').count();
  assert(rows === rowsAttr, `the status says ${rowsAttr} rows, the table has ${rows}`);
  return { total, rows };
}

function hashParams(url) {
  const hash = new URL(url).hash;
  const at = hash.indexOf('?');
  return Object.fromEntries(new URLSearchParams(at < 0 ? '' : hash.slice(at + 1)));
}

async function axe(page, name) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe
      .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'] }, resultTypes: ['violations'] })
      .then((r) => ({ violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })), passes: r.passes.length })),
  );
  assert(result.passes > 0, `${name}: axe passed no rule at all (did it run?)`);
  const byImpact = { critical: 0, serious: 0, moderate: 0, minor: 0 };
  for (const v of result.violations) byImpact[v.impact ?? 'minor'] += v.nodes.length;
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const counts = Object.entries(byImpact)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  assert(
    bad.length === 0,
    `${name}: ${counts}: ${bad.map((v) => `${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join('; ')}: ${v.help}`).join(' | ')}`,
  );
  const others = result.violations.map((v) => `${v.id}:${v.impact}`).join(' ');
  return `${counts}${others ? `; ${others}` : ''}; ${result.passes} rules passed`;
}

// Presses `key` until the focused element matches `selector` (at most `max` presses).
async function pressUntil(page, key, selector, max = 40) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return;
  }
  const at = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
  throw new Error(`${max} × ${key} did not reach ${selector}; focus is on ${at}`);
}

// The focused element shows where focus is: an outline or a focus ring (box-shadow).
async function focusVisible(page) {
  const look = await page.evaluate(() => {
    const el = document.activeElement;
    const cs = getComputedStyle(el);
    return { tag: el.tagName, outline: `${cs.outlineStyle} ${cs.outlineWidth}`, width: parseFloat(cs.outlineWidth), style: cs.outlineStyle, shadow: cs.boxShadow };
  });
  assert((look.style !== 'none' && look.width >= 2) || (look.shadow && look.shadow !== 'none'), `focus on ${look.tag} is not visible (outline ${look.outline}, box-shadow ${look.shadow})`);
}

async function focusedHeading(page, text) {
  await page.waitForFunction((t) => document.activeElement?.tagName === 'H1' && document.activeElement.textContent.includes(t), text, { timeout: STEP_MS });
}

const PAGES = [
  ['waiting-list', 'Waiting list'],
  ['reviews-overdue', 'Reviews overdue'],
  ['safeguarding', 'Open safeguarding'],
  ['deferred-payments', 'Deferred payments'],
  ['performance', 'Performance'],
];

async function run() {
  await mkdir(outDir, { recursive: true });
  tmp = await mkdtemp(join(tmpdir(), 'careledger-dashboard-'));
  const db = join(tmp, 'g.db');
  const today = ukToday();

  await check(
    'setup: generate, import, users, serve',
    async () => {
      await careledger('generate', '--scale', '0.05', '--years', '3', '--seed', '1', '--out', join(tmp, 'g.ndjson'));
      await careledger('import', '--db', db, join(tmp, 'g.ndjson'));
      tokens.leader = await addUser(db, 'Nia Jones', 'team_leader', ['north']);
      tokens.practitioner = await addUser(db, 'Priya Shah', 'practitioner', ['north']);
      tokens.analyst = await addUser(db, 'Alan Ward', 'analyst');
      tokens.admin = await addUser(db, 'Ada Admin', 'admin');
      base = await startServer(db);
      return base;
    },
    { fatal: true },
  );

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Signals are ours to handle: cleanup() closes the browser with the server and the files.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });

  // ---------------------------------------------------------------- the team leader
  const axeResults = {};
  const context = await newContext();
  const page = await context.newPage();
  const problems = watch(page, 'team leader');

  await check('sign-in page: labelled password field and a button', async () => {
    await page.goto(`${base}/`);
    const field = page.getByLabel('Access token');
    equal(await field.getAttribute('type'), 'password', 'token field type');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.screenshot({ path: join(outDir, 'sign-in.png'), fullPage: true });
    axeResults['Sign in'] = await axe(page, 'Sign in');
    return `axe ${axeResults['Sign in']}`;
  });

  await check('sign-in: an unknown token is refused in text', async () => {
    await page.locator('#token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('#sign-in-error', { hasText: 'not recognised' }).waitFor();
  });

  await check(
    'sign in as the north team leader: name, role and Sign out shown',
    async () => {
      await signIn(page, tokens.leader, 'Nia Jones');
      equal((await page.locator('#user-role').textContent()).trim(), 'Team leader', 'role');
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
    },
    { fatal: true },
  );

  let sessionCookie = null;
  await check('the session cookie is HttpOnly, Secure, SameSite=Strict; the token is kept nowhere', async () => {
    const cookies = await context.cookies();
    sessionCookie = cookies.find((c) => c.name === '__Host-careledger_session');
    assert(sessionCookie, `no __Host-careledger_session cookie among ${cookies.map((c) => c.name).join(', ') || 'none'}`);
    assert(sessionCookie.httpOnly, 'the cookie is not HttpOnly');
    assert(sessionCookie.secure, 'the cookie is not Secure');
    equal(sessionCookie.sameSite, 'Strict', 'SameSite');
    assert(!cookies.some((c) => c.value.includes(tokens.leader)), 'a cookie holds the token');
    const stored = await page.evaluate(() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie]));
    assert(!stored.includes(tokens.leader), 'the token is in web storage or document.cookie');
    equal(await page.locator('#token').count(), 0, 'token fields left on the page');
  });

  let before = null;
  await check('waiting list: total and row count equal the API (team north, as at today)', async () => {
    await ready(page, 'waiting-list', [`as_at=${today}`]);
    const params = hashParams(page.url());
    equal(params.team, 'north', 'team in the hash');
    equal(params.as_at, today, 'as_at in the hash');
    const api = await apiGet(tokens.leader, `/v1/waiting-list?team=north&as_at=${today}&limit=1000`);
    const shown = await shownWaiting(page);
    equal(shown.total, api.total, 'total');
    equal(shown.rows, api.items.length, 'rows');
    before = shown;
    return `${shown.total} people, ${shown.rows} rows`;
  });

  await check('waiting list: a new assessment request shows after a reload (total and rows +1)', async () => {
    assert(before, 'no first reading');
    const person = await apiPost(tokens.leader, '/v1/people', { given_name: 'Ivy', family_name: 'Newcombe', date_of_birth: '1948-05-17', team: 'north' });
    await apiPost(tokens.leader, '/v1/assessments', { person_id: person.id, kind: 'needs', requested_on: today, priority: 'medium' });
    await page.reload();
    await ready(page, 'waiting-list', [`as_at=${today}`]);
    const shown = await shownWaiting(page);
    equal(shown.total, before.total + 1, 'total');
    equal(shown.rows, before.rows + 1, 'rows');
    await page.locator('#waiting-list-table tbody a', { hasText: 'Ivy Newcombe' }).waitFor();
    return `${before.total} → ${shown.total}`;
  });

  const earlier = yearBefore(today);
  await check(`waiting list: as at ${earlier} shows the API's total for that day, and a reload keeps it`, async () => {
    await page.locator('#waiting-list-as-at').fill(earlier);
    await ready(page, 'waiting-list', [`as_at=${earlier}`]);
    const api = await apiGet(tokens.leader, `/v1/waiting-list?team=north&as_at=${earlier}&limit=1000`);
    let shown = await shownWaiting(page);
    equal(shown.total, api.total, 'total');
    equal(shown.rows, api.items.length, 'rows');
    equal(hashParams(page.url()).as_at, earlier, 'as_at in the hash');
    await page.reload();
    await ready(page, 'waiting-list', [`as_at=${earlier}`]);
    equal(await page.locator('#waiting-list-as-at').inputValue(), earlier, 'as-at field after a reload');
    shown = await shownWaiting(page);
    equal(shown.total, api.total, 'total after a reload');
    return `${api.total} people then, ${before.total + 1} today`;
  });

  await check('waiting list: sorting by a header uses sort= and sets aria-sort', async () => {
    const header = page.locator('#waiting-list-table thead th', { has: page.locator('button[data-col="days_waiting"]') });
    const wait = page.waitForResponse((r) => r.url().includes('/v1/waiting-list') && r.url().includes('sort=days_waiting'));
    await header.locator('button').click();
    await wait;
    await ready(page, 'waiting-list', ['sort=days_waiting']);
    equal(await header.getAttribute('aria-sort'), 'ascending', 'aria-sort');
    const days = (await page.locator('#waiting-list-table tbody tr td:nth-child(5)').allTextContents()).map((t) => Number(t.replace(/[^0-9].*$/, '').replace(/,/g, '')));
    assert(
      days.every((d, i) => i === 0 || days[i - 1] <= d),
      `days not ascending: ${days.slice(0, 10).join(', ')}`,
    );
    await header.locator('button').click();
    await ready(page, 'waiting-list', ['sort=-days_waiting']);
    equal(await header.getAttribute('aria-sort'), 'descending', 'aria-sort after a second click');
  });

  await check('waiting list: long waits are marked with a text badge', async () => {
    await page.locator('#waiting-list-as-at').fill(today);
    await ready(page, 'waiting-list', [`as_at=${today}`]);
    const api = await apiGet(tokens.leader, `/v1/waiting-list?team=north&as_at=${today}&limit=1000`);
    const long = api.items.filter((i) => i.days_waiting > 90).length;
    equal(await page.locator('#waiting-list-table tbody tr.marked .badge', { hasText: 'Over 90 days' }).count(), long, 'rows with the badge');
    return `${long} marked`;
  });

  await check('waiting list: the CSV download is the whole list with its header row', async () => {
    const api = await apiGet(tokens.leader, `/v1/waiting-list?team=north&as_at=${today}&limit=1000`);
    const downloading = page.waitForEvent('download');
    await page.locator('#waiting-list-results').getByRole('button', { name: 'Download CSV' }).click();
    const download = await downloading;
    const name = download.suggestedFilename();
    assert(/^waiting-list-north-\d{4}-\d{2}-\d{2}.*\.csv$/.test(name), `file name ${name}`);
    const text = await readFile(await download.path(), 'utf8');
    const lines = text.split(/\r?\n/).filter(Boolean);
    equal(lines[0], 'assessment_id,person_id,team,priority,requested_on,days_waiting,allocated_to,name,age', 'header row');
    equal(lines.length - 1, api.items.length, 'data lines');
    return name;
  });

  // Every page: what it shows, axe, a screenshot.
  const visit = async (key, label) => {
    await page.getByRole('navigation').getByRole('link', { name: label, exact: true }).click();
    await focusedHeading(page, label === 'Deferred payments' ? 'Deferred payments' : label);
    return ready(page, key);
  };

  await check('reviews overdue: totals and the over-three-years part equal the API', async () => {
    await visit('reviews-overdue', 'Reviews overdue');
    const { as_at: asAt } = hashParams(page.url());
    const api = await apiGet(tokens.leader, `/v1/reviews/overdue?team=north&as_at=${asAt}&limit=1000`);
    equal(Number(await page.locator('#reviews-overdue-status [data-total]').getAttribute('data-total')), api.total, 'total');
    equal(Number(await page.locator('#reviews-overdue-status [data-over-three-years]').getAttribute('data-over-three-years')), api.over_three_years, 'over three years');
    equal(await page.locator('#reviews-overdue-table tbody tr').count(), api.items.length, 'rows');
    equal(await page.locator('#reviews-overdue-table tbody tr.marked .badge', { hasText: 'Over 3 years' }).count(), api.items.filter((i) => i.over_three_years).length, 'marked rows');
    return `${api.total} overdue, ${api.over_three_years} over three years`;
  });

  await check('open safeguarding: the two counts and the rows equal the API', async () => {
    await visit('safeguarding', 'Open safeguarding');
    const { as_at: asAt } = hashParams(page.url());
    const api = await apiGet(tokens.leader, `/v1/safeguarding/open?team=north&as_at=${asAt}&limit=1000`);
    equal(Number(await page.locator('#safeguarding-status [data-total]').getAttribute('data-total')), api.concerns_awaiting_decision, 'concerns awaiting a decision');
    equal(Number(await page.locator('#safeguarding-status [data-enquiries]').getAttribute('data-enquiries')), api.enquiries_open, 'enquiries open');
    equal(await page.locator('#safeguarding-table tbody tr').count(), api.items.length, 'rows');
    return `${api.concerns_awaiting_decision} concerns, ${api.enquiries_open} enquiries`;
  });

  await check('deferred payments: each attention list has the API\'s rows', async () => {
    await visit('deferred-payments', 'Deferred payments');
    const { as_at: asAt } = hashParams(page.url());
    const api = await apiGet(tokens.leader, `/v1/deferred-payments/attention?team=north&as_at=${asAt}`);
    const counts = [];
    for (const key of ['disregard_ending', 'unarranged', 'near_equity_limit']) {
      equal(Number(await page.locator(`#${key}-heading .count`).getAttribute('data-count')), api[key].length, key);
      counts.push(`${key} ${api[key].length}`);
    }
    return counts.join(', ');
  });

  let perfApi = null;
  await check('performance: every row\'s arrow equals the API\'s direction, with at least one ↑ and one ↓', async () => {
    await visit('performance', 'Performance');
    perfApi = await apiGet(tokens.leader, '/v1/reports/performance?team=north');
    const shown = await page.locator('#performance-table tbody tr').evaluateAll((rows) => rows.map((r) => [r.dataset.id, r.querySelector('.direction .arrow')?.textContent, r.querySelector('.direction .visually-hidden')?.textContent]));
    equal(shown.length, perfApi.rows.length, 'rows');
    const want = { '↑': 'better', '↓': 'worse', '↔': 'about the same' };
    perfApi.rows.forEach((row, i) => {
      const [id, arrow, alt] = shown[i];
      equal(id, row.id, `row ${i}`);
      equal(arrow, row.direction ?? '–', `${row.id} arrow`);
      if (row.direction) equal(alt, want[row.direction], `${row.id} text alternative`);
    });
    const up = perfApi.rows.filter((r) => r.direction === '↑').length;
    const down = perfApi.rows.filter((r) => r.direction === '↓').length;
    assert(up > 0 && down > 0, `north ${perfApi.financial_year} has ${up} ↑ and ${down} ↓`);
    assert((await page.locator('#performance-table caption').textContent()).includes(perfApi.financial_year), 'caption does not name the default year');
    return `${perfApi.financial_year} (the default), ${perfApi.rows.length} rows, ${up} ↑, ${down} ↓`;
  });

  await check('performance: four monthly charts as accessible SVG with their figures as text', async () => {
    const charts = page.locator('figure.chart svg[role="img"]');
    equal(await charts.count(), 4, 'charts');
    for (let i = 0; i < 4; i++) {
      const svg = charts.nth(i);
      const title = await svg.locator('title').textContent();
      assert(title && title.length > 5, `chart ${i} has no title`);
      assert(await svg.getAttribute('aria-labelledby'), `chart ${i} is not named`);
    }
    equal(await page.locator('figure.chart details table tbody tr').count(), 48, 'monthly figures (4 × 12)');
  });

  await check('performance: the year picker asks for that year', async () => {
    const years = await page.locator('#performance-year option').evaluateAll((o) => o.map((x) => x.value).filter(Boolean));
    const target = years.find((y) => y !== perfApi.financial_year && y < perfApi.financial_year);
    assert(target, `no earlier year among ${years.join(', ')}`);
    await page.locator('#performance-year').selectOption(target);
    await ready(page, 'performance', [`financial_year=${target}`]);
    assert((await page.locator('#performance-table caption').textContent()).includes(target), 'caption does not name the year');
    equal(hashParams(page.url()).year, target, 'year in the hash');
    await page.locator('#performance-year').selectOption('');
    await ready(page, 'performance');
    return target;
  });

  // axe and screenshots of every page (the team leader sees all five, then a person).
  for (const [key, label] of PAGES) {
    await check(`axe (WCAG 2.0/2.1/2.2 A and AA) on ${label}: no serious or critical violation`, async () => {
      await visit(key, label);
      const counts = await axe(page, label);
      axeResults[label] = counts;
      await page.screenshot({ path: join(outDir, `${key}.png`), fullPage: true });
      return counts;
    });
  }

  await check("a person's page with their history, from a name link (axe too)", async () => {
    await visit('waiting-list', 'Waiting list');
    const link = page.locator('#waiting-list-table tbody a').first();
    const name = (await link.textContent()).trim();
    const href = await link.getAttribute('href');
    const id = decodeURIComponent(href.replace('#/people/', ''));
    await link.click();
    await focusedHeading(page, name);
    await ready(page, 'person');
    const history = await apiGet(tokens.leader, `/v1/people/${encodeURIComponent(id)}/history?limit=100`);
    equal(await page.locator('#history-table tbody tr').count(), history.items.length, 'history rows');
    const counts = await axe(page, 'person');
    axeResults.Person = counts;
    await page.screenshot({ path: join(outDir, 'person.png'), fullPage: true });
    return `${name}: ${history.items.length} events; axe ${counts}`;
  });

  await check("an error is shown in text: the problem's detail (another team's list is 403)", async () => {
    const res = await fetch(`${base}/v1/waiting-list?team=south`, { headers: { Authorization: `Bearer ${tokens.leader}` } });
    equal(res.status, 403, 'the API for another team');
    const problem = await res.json();
    await page.evaluate(() => {
      location.hash = '#/waiting-list?team=south';
    });
    await page.waitForFunction(() => document.getElementById('waiting-list-results')?.dataset.state === 'error');
    const shown = await page.locator('#waiting-list-error').textContent();
    assert(shown.includes(problem.detail), `shown "${shown}", the problem's detail is "${problem.detail}"`);
    equal(await page.locator('#waiting-list-error').getAttribute('role'), 'alert', 'role of the error');
    return shown;
  });

  await check('no uncaught errors or Content-Security-Policy refusals (team leader)', async () => {
    assert(problems.length === 0, problems.join('\n'));
  });

  await check('sign out: the form is back and the old cookie authenticates nothing', async () => {
    const cookie = `__Host-careledger_session=${sessionCookie.value}`;
    const beforeOut = await context.request.get(`${base}/v1/waiting-list?limit=1`, { headers: { cookie } });
    equal(beforeOut.status(), 200, 'GET /v1/waiting-list with the cookie before signing out');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Access token').waitFor();
    assert(await page.locator('#site-nav').isHidden(), 'the navigation is still shown');
    const after = await context.request.get(`${base}/v1/waiting-list?limit=1`, { headers: { cookie } });
    equal(after.status(), 401, 'GET /v1/waiting-list with the old cookie');
    const left = (await context.cookies()).filter((c) => c.name === '__Host-careledger_session');
    equal(left.length, 0, 'session cookies left in the browser');
  });
  await context.close();

  // ---------------------------------------------------------------- roles
  await check('an analyst sees only the performance page', async () => {
    const ctx = await newContext();
    const p = await ctx.newPage();
    await signIn(p, tokens.analyst, 'Alan Ward');
    await ready(p, 'performance');
    const links = await p.locator('#site-nav a:visible').allTextContents();
    equal(links.join('|'), 'Performance', 'navigation');
    await p.evaluate(() => {
      location.hash = '#/waiting-list';
    });
    await p.waitForFunction(() => location.hash.startsWith('#/performance'));
    const teams = await p.locator('#performance-team option').allTextContents();
    assert(teams[0] === 'All teams' && teams.length === 5, `team picker: ${teams.join(', ')}`);
    await ctx.close();
  });

  await check('a practitioner sees the lists but no performance page', async () => {
    const ctx = await newContext();
    const p = await ctx.newPage();
    await signIn(p, tokens.practitioner, 'Priya Shah');
    await ready(p, 'waiting-list');
    const links = await p.locator('#site-nav a:visible').allTextContents();
    equal(links.join('|'), 'Waiting list|Reviews overdue|Open safeguarding|Deferred payments', 'navigation');
    await p.evaluate(() => {
      location.hash = '#/performance';
    });
    await p.waitForFunction(() => location.hash.startsWith('#/waiting-list'));
    await ctx.close();
  });

  // ---------------------------------------------------------------- keyboard alone (an admin, who has a team picker with choices)
  const kctx = await newContext();
  const kp = await kctx.newPage();
  const kproblems = watch(kp, 'keyboard');
  await check('keyboard: sign in with Tab, typing and Enter', async () => {
    await kp.goto(`${base}/`);
    await kp.getByLabel('Access token').waitFor();
    await pressUntil(kp, 'Tab', '#token', 5);
    await focusVisible(kp);
    await kp.keyboard.type(tokens.admin);
    await kp.keyboard.press('Enter');
    await kp.locator('#user-name', { hasText: 'Ada Admin' }).waitFor();
    await focusedHeading(kp, 'Waiting list');
    await ready(kp, 'waiting-list');
  });

  await check('keyboard: from the top, the skip link, then each page by its nav link and Enter', async () => {
    await kp.reload();
    await ready(kp, 'waiting-list');
    await kp.keyboard.press('Tab');
    assert(await kp.evaluate(() => document.activeElement?.id === 'skip-link'), 'the first Tab does not reach the skip link');
    await focusVisible(kp);
    await kp.keyboard.press('Enter');
    await focusedHeading(kp, 'Waiting list');
    await kp.reload();
    await ready(kp, 'waiting-list');
    for (const [key, label] of [...PAGES.slice(1), PAGES[0]]) {
      await pressUntil(kp, key === 'reviews-overdue' ? 'Tab' : 'Shift+Tab', `#site-nav a[href="#/${key}"]`);
      await focusVisible(kp);
      await kp.keyboard.press('Enter');
      await focusedHeading(kp, label);
      await ready(kp, key);
      await focusVisible(kp);
    }
  });

  await check('keyboard: change the team and the as-at date, sort a column, follow a person link', async () => {
    // On the waiting list, focus on its heading.
    await pressUntil(kp, 'Tab', '#waiting-list-team', 5);
    await focusVisible(kp);
    await kp.keyboard.press('ArrowDown');
    await kp.waitForFunction(() => /[?&]team=[a-z]/.test(location.hash));
    const team = hashParams(kp.url()).team;
    await ready(kp, 'waiting-list', [`team=${team}`]);
    await pressUntil(kp, 'Tab', '#waiting-list-as-at', 3);
    await focusVisible(kp);
    const was = hashParams(kp.url()).as_at;
    await kp.keyboard.press('ArrowDown');
    await kp.waitForFunction((w) => !location.hash.includes(`as_at=${w}`), was);
    const asAt = hashParams(kp.url()).as_at;
    assert(asAt && asAt !== was, `as_at ${asAt}`);
    await ready(kp, 'waiting-list', [`team=${team}`, `as_at=${asAt}`]);
    await pressUntil(kp, 'Tab', 'button.sort[data-col="days_waiting"]');
    await focusVisible(kp);
    await kp.keyboard.press('Enter');
    await ready(kp, 'waiting-list', ['sort=days_waiting']);
    equal(await kp.locator('th:has(button[data-col="days_waiting"])').getAttribute('aria-sort'), 'ascending', 'aria-sort');
    assert(await kp.evaluate(() => document.activeElement?.dataset.col === 'days_waiting'), 'focus left the sort button');
    await pressUntil(kp, 'Tab', '#waiting-list-table tbody a');
    await focusVisible(kp);
    const name = (await kp.evaluate(() => document.activeElement.textContent)).trim();
    await kp.keyboard.press('Enter');
    await focusedHeading(kp, name);
    await ready(kp, 'person');
    return `team ${team}, as at ${asAt}, ${name}`;
  });

  await check('no uncaught errors or Content-Security-Policy refusals (keyboard)', async () => {
    assert(kproblems.length === 0, kproblems.join('\n'));
  });
  await kctx.close();

  console.log(`axe-core ${JSON.parse(await readFile(new URL('../../node_modules/axe-core/package.json', import.meta.url), 'utf8')).version} violations by impact (nodes):`);
  for (const [label, counts] of Object.entries(axeResults)) console.log(`  ${label}: ${counts}`);
}

const started = Date.now();
try {
  await run();
} catch (e) {
  if (!(e instanceof Fatal)) {
    failures++;
    console.log(`FAIL - unexpected: ${e.stack ?? e}`);
  }
} finally {
  await cleanup();
}
console.log(`${passes} passed, ${failures} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (failures > 0 && serverErr && process.env.DASHBOARD_VERBOSE) console.log(serverErr);
process.exit(failures === 0 ? 0 : 1);
