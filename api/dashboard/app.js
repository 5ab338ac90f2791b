// careledger dashboard: a single-page app over the HTTP API (docs/API.md).
// Plain modern JavaScript, no framework, no build step. The page is served with a strict
// Content-Security-Policy: no inline script or style, nothing from elsewhere, no eval; every
// element is built with the DOM (never innerHTML with data), styles are classes in app.css.
// Signing in exchanges the token for an HttpOnly session cookie (POST /v1/session) and then
// forgets it; every later request is a same-origin GET carrying that cookie.

import { h, clear, formatDate, formatNumber, formatValue, csvLine, saveBlob, ukToday, financialYears } from './util.js';
import { lineChart } from './chart.js';

const PAGES = {
  'waiting-list': 'Waiting list',
  'reviews-overdue': 'Reviews overdue',
  safeguarding: 'Open safeguarding',
  'deferred-payments': 'Deferred payments needing attention',
  performance: 'Performance',
};
const LIST_PAGES = ['waiting-list', 'reviews-overdue', 'safeguarding', 'deferred-payments'];
const ROLE_PAGES = {
  admin: [...LIST_PAGES, 'performance'],
  team_leader: [...LIST_PAGES, 'performance'],
  practitioner: LIST_PAGES,
  analyst: ['performance'],
};
const ROLE_NAMES = { admin: 'Admin', team_leader: 'Team leader', practitioner: 'Practitioner', analyst: 'Analyst' };
const PAGE_SIZE = 1000;
const LONG_WAIT_DAYS = 90;

const state = {
  session: null, // {user, role, teams, expires_at}
  teams: [], // [{name, label}] the team picker offers
  view: null, // the page shown: {key, el, update(params), stop()}
  navigated: false, // focus moves to the heading on every page shown after the first
};

const main = document.getElementById('main');

// ------------------------------------------------------------------ requests

class Problem extends Error {
  constructor(status, body) {
    const detail = body?.detail || body?.title || `The server answered ${status}.`;
    const fields = Array.isArray(body?.errors) ? body.errors.map((e) => `${e.field}: ${e.message}`) : [];
    super(fields.length ? `${detail} (${fields.join('; ')})` : detail);
    this.status = status;
  }
}

async function api(path, { signal, accept = 'application/json', method = 'GET', headers = {}, body } = {}) {
  const res = await fetch(path, {
    method,
    signal,
    body,
    credentials: 'same-origin',
    cache: 'no-store',
    headers: { Accept: accept, ...headers },
  });
  if (!res.ok) {
    let problem = null;
    try {
      problem = await res.json();
    } catch {
      // not problem+json: the status says it
    }
    if (res.status === 401 && state.session && method === 'GET') sessionEnded();
    throw new Problem(res.status, problem);
  }
  return res;
}

async function getJson(path, signal) {
  return (await api(path, { signal })).json();
}

function query(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

// ------------------------------------------------------------------ the hash: #/page?team=&as_at=&sort=

function readHash() {
  const raw = location.hash.replace(/^#/, '');
  if (!raw.startsWith('/')) return null;
  const at = raw.indexOf('?');
  const path = at < 0 ? raw : raw.slice(0, at);
  const params = Object.fromEntries(new URLSearchParams(at < 0 ? '' : raw.slice(at + 1)));
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'people' && parts[1]) return { page: 'person', id: decodeURIComponent(parts[1]), params };
  return { page: parts[0] ?? '', params };
}

function hashFor(page, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return `#/${page}${s ? `?${s}` : ''}`;
}

function go(page, params) {
  const target = hashFor(page, params);
  if (location.hash === target) route();
  else location.hash = target;
}

function allowed(page) {
  if (!state.session) return false;
  if (page === 'person') return ROLE_PAGES[state.session.role]?.includes('waiting-list');
  return ROLE_PAGES[state.session.role]?.includes(page) ?? false;
}

function defaultTeam() {
  const s = state.session;
  if (s.role === 'admin' || s.role === 'analyst') return '';
  return s.teams.length === 1 ? s.teams[0] : '';
}

// The hash with every setting the page uses spelled out, so a reload keeps them.
function completed(page, params) {
  const out = { ...params };
  if (page === 'person') return out;
  if (!('team' in out)) out.team = defaultTeam();
  if (page === 'performance') {
    delete out.as_at;
  } else if (!out.as_at) {
    out.as_at = ukToday();
  }
  return out;
}

function route() {
  if (!state.session) return;
  const where = readHash();
  const pages = ROLE_PAGES[state.session.role] ?? [];
  if (!where || !(where.page in PAGES || where.page === 'person') || !allowed(where.page)) {
    const first = pages[0];
    history.replaceState(null, '', hashFor(first, completed(first, {})));
    return show(first, null, completed(first, {}));
  }
  const params = completed(where.page, where.params);
  const spelled = where.page === 'person' ? hashFor(`people/${encodeURIComponent(where.id)}`, params) : hashFor(where.page, params);
  if (spelled !== location.hash) history.replaceState(null, '', spelled);
  show(where.page, where.id, params);
}

function show(page, id, params) {
  const key = page === 'person' ? `person:${id}` : page;
  markNav(page);
  if (state.view && state.view.key === key) {
    state.view.update(params);
    return;
  }
  state.view?.stop();
  const view = page === 'person' ? personView(id) : page === 'performance' ? performanceView() : page === 'deferred-payments' ? attentionView() : listView(page);
  view.key = key;
  state.view = view;
  clear(main);
  main.append(view.el);
  document.title = `${view.title()} – careledger`;
  if (state.navigated) view.heading.focus();
  state.navigated = true;
  view.update(params);
}

function markNav(page) {
  for (const li of document.querySelectorAll('#site-nav li')) {
    const a = li.querySelector('a');
    if (li.dataset.page === page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// ------------------------------------------------------------------ signing in and out

function showSignIn(message) {
  state.view?.stop();
  state.view = null;
  state.session = null;
  state.teams = [];
  document.getElementById('account').hidden = true;
  document.getElementById('site-nav').hidden = true;
  document.title = 'Sign in – careledger';
  const heading = h('h1', { tabindex: '-1', id: 'page-heading' }, 'Sign in');
  const error = h('p', { class: 'error', role: 'alert', id: 'sign-in-error' });
  if (message) error.textContent = message;
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'token-hint',
  });
  const button = h('button', { type: 'submit', class: 'button' }, 'Sign in');
  const form = h(
    'form',
    { class: 'sign-in', id: 'sign-in-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'token' }, 'Access token'), h('p', { class: 'hint', id: 'token-hint' }, 'The token your administrator gave you. It is not stored: the browser keeps only a session that ends after 8 hours or when you sign out.'), input),
    button,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) {
      error.textContent = 'Enter your access token.';
      input.focus();
      return;
    }
    button.disabled = true;
    error.textContent = '';
    try {
      const res = await api('/v1/session', {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      input.value = '';
      state.navigated = true;
      await signedIn(await res.json());
    } catch (e) {
      input.value = '';
      error.textContent = e.status === 401 ? 'That token was not recognised. Check it and try again.' : `Could not sign in: ${e.message}`;
      button.disabled = false;
      input.focus();
    }
  });
  clear(main);
  main.append(h('section', { class: 'sign-in-page', 'aria-labelledby': 'page-heading' }, heading, error, form));
  return heading;
}

async function signedIn(session) {
  state.session = session;
  document.getElementById('user-name').textContent = session.user;
  document.getElementById('user-role').textContent = ROLE_NAMES[session.role] ?? session.role;
  document.getElementById('account').hidden = false;
  const pages = ROLE_PAGES[session.role] ?? [];
  for (const li of document.querySelectorAll('#site-nav li')) li.hidden = !pages.includes(li.dataset.page);
  document.getElementById('site-nav').hidden = false;
  try {
    const teams = [];
    let cursor = null;
    do {
      const page = await getJson(query('/v1/teams', { limit: 1000, cursor }));
      teams.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    const mine = session.role === 'admin' || session.role === 'analyst' ? teams : teams.filter((t) => session.teams.includes(t.name));
    state.teams = mine.length ? mine : session.teams.map((name) => ({ name, label: name }));
  } catch {
    state.teams = (session.teams ?? []).map((name) => ({ name, label: name }));
  }
  route();
}

function sessionEnded() {
  const heading = showSignIn('Your session has ended. Sign in again to go on.');
  heading.focus();
}

document.getElementById('sign-out').addEventListener('click', async () => {
  try {
    await api('/v1/session', { method: 'DELETE' });
  } catch {
    // signed out either way: the session is unusable or gone
  }
  state.navigated = true;
  showSignIn().focus();
});

document.getElementById('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  const target = main.querySelector('h1') ?? main;
  target.focus();
});

// ------------------------------------------------------------------ shared page parts

function teamLabel(name) {
  if (!name) return state.session.role === 'admin' || state.session.role === 'analyst' ? 'all teams' : 'all my teams';
  return state.teams.find((t) => t.name === name)?.label ?? name;
}

function teamSelect(id) {
  const select = h('select', { id, name: 'team' });
  const s = state.session;
  if (s.role === 'admin' || s.role === 'analyst') select.append(h('option', { value: '' }, 'All teams'));
  else if (state.teams.length > 1) select.append(h('option', { value: '' }, 'All my teams'));
  for (const t of state.teams) select.append(h('option', { value: t.name }, t.label));
  return select;
}

function validDate(value) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const year = Number(value.slice(0, 4));
  return year >= 1900 && year <= Number(ukToday().slice(0, 4)) + 5;
}

// The page's frame: heading, settings form, live status, error and results.
function frame(page, title, { asAt = true, extra = [] } = {}) {
  const heading = h('h1', { tabindex: '-1', id: 'page-heading' }, title);
  const team = teamSelect(`${page}-team`);
  const fields = [h('div', { class: 'field' }, h('label', { for: team.id }, 'Team'), team)];
  let date = null;
  if (asAt) {
    date = h('input', { type: 'date', id: `${page}-as-at`, name: 'as_at', min: '1900-01-01', required: true });
    fields.push(h('div', { class: 'field' }, h('label', { for: date.id }, 'As at'), date));
  }
  fields.push(...extra.map((x) => x.field));
  const form = h('form', { class: 'controls', 'aria-label': `${title} settings` }, ...fields, h('button', { type: 'submit', class: 'button' }, 'Show'));
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: `${page}-status` });
  const error = h('div', { class: 'error', role: 'alert', id: `${page}-error` });
  const results = h('div', { class: 'results', id: `${page}-results` });
  const el = h('section', { class: 'page', 'aria-labelledby': 'page-heading', 'data-page': page }, heading, form, status, error, results);
  let params = {};
  const apply = () => {
    const next = { ...params, team: team.value };
    if (date) {
      if (!validDate(date.value)) return false;
      next.as_at = date.value;
    }
    for (const x of extra) next[x.param] = x.value();
    go(page, next);
    return true;
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!apply()) {
      error.textContent = 'Enter the “as at” date as a real day from 1900 on.';
      date?.focus();
    }
  });
  team.addEventListener('change', apply);
  date?.addEventListener('change', apply);
  for (const x of extra) x.input.addEventListener('change', apply);
  return {
    el,
    heading,
    status,
    error,
    results,
    set(p) {
      params = p;
      if (team.value !== (p.team ?? '')) team.value = p.team ?? '';
      if (date && date.value !== p.as_at) date.value = p.as_at;
      for (const x of extra) x.set(p[x.param]);
    },
  };
}

function failed(f, e) {
  if (e.name === 'AbortError') return;
  f.results.dataset.state = 'error';
  f.status.textContent = 'Could not load this page.';
  f.error.textContent = e.status ? `${e.message} (${e.status})` : `${e.message}`;
}

// The results' state, for scripts driving the page (the browser test): what was asked and
// whether its answer is shown.
function loading(results, url) {
  results.dataset.state = 'loading';
  results.dataset.query = url;
}

function ready(results) {
  results.dataset.state = 'ready';
}

function personLink(item) {
  const name = item.name ?? item.person_id;
  return h('a', { href: `#/people/${encodeURIComponent(item.person_id)}` }, name);
}

function badge(text, kind = 'alert') {
  return h('span', { class: `badge badge-${kind}` }, text);
}

function downloadButton(label, filename, make, f) {
  const button = h('button', { type: 'button', class: 'button secondary download' }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const blob = await make();
      saveBlob(blob, filename());
      f.status.textContent = `Downloaded ${filename()}.`;
    } catch (e) {
      failed(f, e);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

function csvBlob(lines) {
  return new Blob([lines.join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' });
}

async function serverCsv(url) {
  const res = await api(url, { accept: 'text/csv' });
  return new Blob([await res.arrayBuffer()], { type: 'text/csv;charset=utf-8' });
}

function fileSlug(...parts) {
  return parts.filter(Boolean).join('-').replace(/[^A-Za-z0-9_.-]+/g, '-');
}

// ------------------------------------------------------------------ the casework lists

const LISTS = {
  'waiting-list': {
    url: '/v1/waiting-list',
    caption: 'People waiting for an assessment',
    columns: [
      { key: 'name', label: 'Name' },
      { key: 'age', label: 'Age', num: true },
      { key: 'priority', label: 'Priority', show: (i) => i.priority[0].toUpperCase() + i.priority.slice(1) },
      { key: 'requested_on', label: 'Requested', show: (i) => formatDate(i.requested_on) },
      {
        key: 'days_waiting',
        label: 'Days waiting',
        num: true,
        show: (i) => (i.days_waiting > LONG_WAIT_DAYS ? [formatNumber(i.days_waiting), ' ', badge(`Over ${LONG_WAIT_DAYS} days`)] : formatNumber(i.days_waiting)),
      },
      { key: 'allocated_to', label: 'Allocated to', show: (i) => i.allocated_to ?? h('span', { class: 'muted' }, 'Not allocated') },
    ],
    marked: (i) => i.days_waiting > LONG_WAIT_DAYS,
    note: `Waits over ${LONG_WAIT_DAYS} days are marked “Over ${LONG_WAIT_DAYS} days”.`,
    summary: (d) => [h('strong', { 'data-total': String(d.total) }, formatNumber(d.total)), ` ${d.total === 1 ? 'person' : 'people'} waiting`],
    rowNoun: ['assessment', 'assessments'],
  },
  'reviews-overdue': {
    url: '/v1/reviews/overdue',
    caption: 'People in long-term support overdue a review',
    columns: [
      { key: 'name', label: 'Name' },
      { key: 'age', label: 'Age', num: true },
      { key: 'last_reviewed_on', label: 'Last reviewed', show: (i) => (i.last_reviewed_on ? formatDate(i.last_reviewed_on) : h('span', { class: 'muted' }, 'Never')) },
      { key: 'due_on', label: 'Due', show: (i) => formatDate(i.due_on) },
      {
        key: 'days_overdue',
        label: 'Days overdue',
        num: true,
        show: (i) => (i.over_three_years ? [formatNumber(i.days_overdue), ' ', badge('Over 3 years')] : formatNumber(i.days_overdue)),
      },
    ],
    marked: (i) => i.over_three_years,
    note: 'People with no review for over three years are marked “Over 3 years”.',
    summary: (d) => [
      h('strong', { 'data-total': String(d.total) }, formatNumber(d.total)),
      ` ${d.total === 1 ? 'person' : 'people'} overdue a review, `,
      h('strong', { 'data-over-three-years': String(d.over_three_years) }, formatNumber(d.over_three_years)),
      ' of them over three years',
    ],
    rowNoun: ['person', 'people'],
  },
  safeguarding: {
    url: '/v1/safeguarding/open',
    caption: 'Safeguarding concerns awaiting a decision and enquiries open',
    columns: [
      { key: 'name', label: 'Name' },
      { key: 'age', label: 'Age', num: true },
      { key: 'kind', label: 'What', show: (i) => (i.kind === 'concern' ? badge('Concern awaiting decision', 'info') : 'Enquiry open') },
      { key: 'since', label: 'Received or started', show: (i) => formatDate(i.since) },
      { key: 'days_open', label: 'Days open', num: true },
    ],
    marked: (i) => i.kind === 'concern',
    note: 'Concerns still awaiting a decision are marked “Concern awaiting decision”; their days open count from the day the concern was received.',
    summary: (d) => [
      h('strong', { 'data-total': String(d.concerns_awaiting_decision) }, formatNumber(d.concerns_awaiting_decision)),
      ` concern${d.concerns_awaiting_decision === 1 ? '' : 's'} awaiting a decision, `,
      h('strong', { 'data-enquiries': String(d.enquiries_open) }, formatNumber(d.enquiries_open)),
      ` enquir${d.enquiries_open === 1 ? 'y' : 'ies'} open`,
    ],
    rowNoun: ['item', 'items'],
  },
};

// A page's loads: a new one aborts the one still in flight, and so does leaving the page.
function latestOnly() {
  let controller = null;
  return {
    next() {
      controller?.abort();
      controller = new AbortController();
      return controller.signal;
    },
    stop: () => controller?.abort(),
  };
}

function listView(page) {
  const spec = LISTS[page];
  const f = frame(page, PAGES[page]);
  let params = {};
  const loads = latestOnly();
  let focusSort = null;
  let rows = 0;
  let last = null;

  const filename = () => `${fileSlug(page, params.team || 'all-teams', params.as_at, params.sort ? `by-${params.sort.replace(/^-/, '')}${params.sort.startsWith('-') ? '-desc' : ''}` : '')}.csv`;

  function sortHeader(col) {
    const current = params.sort ?? '';
    const dir = current === col.key ? 'ascending' : current === `-${col.key}` ? 'descending' : null;
    const button = h(
      'button',
      { type: 'button', class: 'sort', 'data-col': col.key },
      col.label,
      h('span', { class: 'sort-icon', 'aria-hidden': 'true' }, dir === 'ascending' ? '▲' : dir === 'descending' ? '▼' : '↕'),
    );
    button.addEventListener('click', () => {
      focusSort = col.key;
      go(page, { ...params, sort: dir === 'ascending' ? `-${col.key}` : col.key });
    });
    return h('th', { scope: 'col', class: col.num ? 'num' : null, 'aria-sort': dir ?? 'none' }, button);
  }

  function row(item) {
    const cells = spec.columns.map((col) => {
      if (col.key === 'name') return h('th', { scope: 'row' }, personLink(item));
      const value = col.show ? col.show(item) : item[col.key] === null ? '' : typeof item[col.key] === 'number' ? formatNumber(item[col.key]) : item[col.key];
      return h('td', { class: col.num ? 'num' : null }, ...[value].flat());
    });
    return h('tr', { class: spec.marked(item) ? 'marked' : null }, ...cells);
  }

  function counts(data, more) {
    clear(f.status);
    f.status.append(
      ...spec.summary(data),
      '. ',
      h('span', { 'data-rows': String(rows) }, `${formatNumber(rows)} ${rows === 1 ? spec.rowNoun[0] : spec.rowNoun[1]} shown`),
      more ? ' (more to show).' : '.',
    );
  }

  async function load(p) {
    const signal = loads.next();
    params = p;
    f.set(p);
    f.error.textContent = '';
    f.status.textContent = `Loading ${PAGES[page].toLowerCase()}…`;
    f.results.setAttribute('aria-busy', 'true');
    const url = query(spec.url, { team: p.team, as_at: p.as_at, sort: p.sort, limit: PAGE_SIZE });
    loading(f.results, url);
    try {
      const data = await getJson(url, signal);
      if (signal.aborted) return;
      last = data;
      rows = data.items.length;
      const tbody = h('tbody', {}, ...data.items.map(row));
      const table = h(
        'table',
        { class: 'data', id: `${page}-table` },
        h('caption', {}, `${spec.caption}, ${teamLabel(p.team)}, as at ${formatDate(data.as_at)}`, p.sort ? h('span', { class: 'visually-hidden' }, `, sorted by ${spec.columns.find((c) => c.key === p.sort.replace(/^-/, ''))?.label ?? p.sort}`) : null),
        h('thead', {}, h('tr', {}, ...spec.columns.map(sortHeader))),
        tbody,
      );
      const more = h('button', { type: 'button', class: 'button secondary', id: `${page}-more` }, 'Show more');
      let cursor = data.next_cursor;
      more.hidden = !cursor;
      more.addEventListener('click', async () => {
        more.disabled = true;
        f.status.textContent = 'Loading more…';
        try {
          const next = await getJson(query(spec.url, { team: p.team, as_at: p.as_at, sort: p.sort, limit: PAGE_SIZE, cursor }), signal);
          const added = next.items.map(row);
          tbody.append(...added);
          rows += next.items.length;
          cursor = next.next_cursor;
          counts(next, Boolean(cursor));
          if (!cursor) {
            more.hidden = true;
            added[0]?.querySelector('a')?.focus();
          }
        } catch (e) {
          failed(f, e);
        } finally {
          more.disabled = false;
        }
      });
      const csv = downloadButton('Download CSV', filename, () => serverCsv(query(spec.url, { team: p.team, as_at: p.as_at, sort: p.sort })), f);
      clear(f.results);
      f.results.append(
        h('div', { class: 'table-tools' }, h('p', { class: 'note' }, spec.note), csv),
        data.items.length ? table : h('p', { class: 'empty' }, 'Nobody is on this list.'),
        more,
      );
      counts(data, Boolean(cursor));
      ready(f.results);
      if (focusSort) {
        f.results.querySelector(`button.sort[data-col="${focusSort}"]`)?.focus();
        focusSort = null;
      }
    } catch (e) {
      failed(f, e);
    } finally {
      if (!signal.aborted) f.results.removeAttribute('aria-busy');
    }
  }

  return {
    el: f.el,
    heading: f.heading,
    title: () => PAGES[page],
    update: load,
    stop: loads.stop,
    last: () => last,
  };
}

// ------------------------------------------------------------------ deferred payments needing attention

function attentionView() {
  const page = 'deferred-payments';
  const horizon = h('input', { type: 'number', id: `${page}-horizon`, name: 'horizon_days', min: '0', max: '3660', step: '1', inputmode: 'numeric' });
  const extra = [
    {
      param: 'horizon_days',
      input: horizon,
      field: h('div', { class: 'field' }, h('label', { for: horizon.id }, 'Disregards ending within (days)'), horizon),
      value: () => (horizon.value === '' || horizon.value === '28' ? '' : horizon.value),
      set: (v) => {
        horizon.value = v ?? '28';
      },
    },
  ];
  const f = frame(page, PAGES[page], { extra });
  const loads = latestOnly();
  const pounds = (p) => formatValue(p, 'pence');
  const parts = [
    {
      key: 'disregard_ending',
      title: 'Property disregards ending soon with no arrangement',
      columns: [
        ['name', 'Name'],
        ['age', 'Age', true],
        ['disregard_ends_on', 'Disregard ends', false, (i) => formatDate(i.disregard_ends_on)],
        ['days_until', 'Days until', true, (i) => (i.days_until <= 7 ? [formatNumber(i.days_until), ' ', badge('Within a week')] : formatNumber(i.days_until))],
      ],
      marked: (i) => i.days_until <= 7,
    },
    {
      key: 'unarranged',
      title: 'Disregards ended with no arrangement',
      columns: [
        ['name', 'Name'],
        ['age', 'Age', true],
        ['disregard_ended_on', 'Disregard ended', false, (i) => formatDate(i.disregard_ended_on)],
        ['days_since_disregard_ended', 'Days since', true],
        ['unrecovered_cost_pence', 'Unrecovered cost', true, (i) => pounds(i.unrecovered_cost_pence)],
      ],
      marked: () => false,
    },
    {
      key: 'near_equity_limit',
      title: 'Deferred payment agreements near their equity limit',
      columns: [
        ['name', 'Name'],
        ['age', 'Age', true],
        ['balance_pence', 'Balance', true, (i) => pounds(i.balance_pence)],
        ['equity_limit_pence', 'Equity limit', true, (i) => pounds(i.equity_limit_pence)],
        ['share_of_equity_limit', 'Share of limit', true, (i) => (i.share_of_equity_limit === null ? '' : `${(i.share_of_equity_limit * 100).toFixed(1)}%`)],
        ['flag', 'Flag', false, (i) => (i.flag ? badge(`${i.flag}% reached`) : '')],
      ],
      marked: (i) => i.flag === 90,
    },
  ];

  async function load(p) {
    const signal = loads.next();
    f.set(p);
    f.error.textContent = '';
    f.status.textContent = 'Loading deferred payments needing attention…';
    const url = query('/v1/deferred-payments/attention', { team: p.team, as_at: p.as_at, horizon_days: p.horizon_days });
    loading(f.results, url);
    try {
      const data = await getJson(url, signal);
      if (signal.aborted) return;
      clear(f.results);
      const counts = [];
      for (const part of parts) {
        const items = data[part.key] ?? [];
        counts.push(`${formatNumber(items.length)} ${part.title.toLowerCase()}`);
        const headingId = `${part.key}-heading`;
        const head = part.columns.map(([, label, num]) => h('th', { scope: 'col', class: num ? 'num' : null }, label));
        const body = items.map((item) =>
          h(
            'tr',
            { class: part.marked(item) ? 'marked' : null },
            ...part.columns.map(([key, , num, show]) => {
              if (key === 'name') return h('th', { scope: 'row' }, personLink(item));
              const v = show ? show(item) : item[key] === null ? '' : formatNumber(item[key]);
              return h('td', { class: num ? 'num' : null }, ...[v].flat());
            }),
          ),
        );
        const filename = () => `${fileSlug(part.key.replaceAll('_', '-'), p.team || 'all-teams', data.as_at)}.csv`;
        const csv = downloadButton(`Download CSV`, filename, async () => {
          const keys = Object.keys(items[0] ?? {});
          return csvBlob([csvLine(keys), ...items.map((i) => csvLine(keys.map((k) => i[k])))]);
        }, f);
        csv.setAttribute('aria-label', `Download CSV: ${part.title}`);
        f.results.append(
          h(
            'section',
            { class: 'part', 'aria-labelledby': headingId },
            h('h2', { id: headingId }, part.title, ' ', h('span', { class: 'count', 'data-count': String(items.length) }, `(${formatNumber(items.length)})`)),
            items.length
              ? [h('div', { class: 'table-tools' }, csv), h('table', { class: 'data', id: `${part.key}-table` }, h('caption', {}, `${part.title}, ${teamLabel(p.team)}, as at ${formatDate(data.as_at)}${part.key === 'disregard_ending' ? `, within ${data.horizon_days} days` : ''}`), h('thead', {}, h('tr', {}, ...head)), h('tbody', {}, ...body))]
              : h('p', { class: 'empty' }, 'None.'),
          ),
        );
      }
      f.status.textContent = `As at ${formatDate(data.as_at)}: ${counts.join('; ')}.`;
      ready(f.results);
    } catch (e) {
      failed(f, e);
    }
  }
  return { el: f.el, heading: f.heading, title: () => PAGES[page], update: load, stop: loads.stop };
}

// ------------------------------------------------------------------ performance

const CHARTS = [
  'assessments.waiting_list',
  'assessments.average_days_to_complete',
  'reviews.long_term_12_months_reviewed',
  'safeguarding.conversion_rate',
];
const DIRECTIONS = {
  '↑': ['better', 'better'],
  '↓': ['worse', 'worse'],
  '↔': ['same', 'about the same'],
};

function performanceView() {
  const page = 'performance';
  const year = h('select', { id: `${page}-year`, name: 'financial_year' });
  const years = financialYears();
  year.append(h('option', { value: '' }, `Latest ended year (${years.latestEnded})`));
  for (const y of years.list) year.append(h('option', { value: y }, y === years.current ? `${y} (to date)` : y));
  const extra = [
    {
      param: 'year',
      input: year,
      field: h('div', { class: 'field' }, h('label', { for: year.id }, 'Financial year'), year),
      value: () => year.value,
      set: (v) => {
        year.value = v ?? '';
        if (year.value !== (v ?? '')) year.value = '';
      },
    },
  ];
  const f = frame(page, PAGES[page], { asAt: false, extra });
  const loads = latestOnly();

  async function load(p) {
    const signal = loads.next();
    f.set(p);
    f.error.textContent = '';
    f.status.textContent = 'Loading the performance table…';
    const params = { team: p.team, financial_year: p.year };
    loading(f.results, query('/v1/reports/performance', params));
    try {
      const [perf, monthly] = await Promise.all([getJson(query('/v1/reports/performance', params), signal), getJson(query('/v1/reports/monthly', params), signal)]);
      if (signal.aborted) return;
      const units = new Map();
      for (const row of monthly.rows) for (const m of row.measures) units.set(m.id, m.unit);
      const prevYears = perf.rows[0]?.previous.map((x) => x.financial_year) ?? [];
      const ids = new Set(perf.rows.map((r) => r.id));
      const isPart = (id) => {
        const at = id.lastIndexOf('.');
        return at > 0 && ids.has(id.slice(0, at));
      };
      const cell = (v, unit) => (v === null || v === undefined ? h('td', { class: 'num' }, h('span', { 'aria-hidden': 'true' }, '–'), h('span', { class: 'visually-hidden' }, 'no value')) : h('td', { class: 'num' }, formatValue(v, unit)));
      const body = perf.rows.map((r) => {
        const unit = units.get(r.id);
        const d = DIRECTIONS[r.direction];
        return h(
          'tr',
          { 'data-id': r.id, class: isPart(r.id) ? 'part-row' : null },
          h('th', { scope: 'row' }, r.label),
          h('td', {}, r.better === 'higher' ? 'Higher' : r.better === 'lower' ? 'Lower' : h('span', { class: 'muted' }, 'Neither')),
          ...r.previous.map((x) => cell(x.value, unit)),
          ...r.quarters.map((q) => cell(q, unit)),
          cell(r.final, unit),
          h(
            'td',
            { class: `direction ${d ? d[0] : 'none'}` },
            d ? [h('span', { class: 'arrow', 'aria-hidden': 'true' }, r.direction), h('span', { class: 'visually-hidden' }, d[1])] : [h('span', { class: 'arrow', 'aria-hidden': 'true' }, '–'), h('span', { class: 'visually-hidden' }, 'no comparison')],
          ),
        );
      });
      const head = h(
        'tr',
        {},
        h('th', { scope: 'col' }, 'Measure'),
        h('th', { scope: 'col' }, 'Better when'),
        ...prevYears.map((y) => h('th', { scope: 'col', class: 'num' }, y)),
        ...['Q1', 'Q2', 'Q3', 'Q4'].map((q) => h('th', { scope: 'col', class: 'num' }, q)),
        h('th', { scope: 'col', class: 'num' }, `Final ${perf.financial_year}`),
        h('th', { scope: 'col' }, 'Direction'),
      );
      const who = perf.team ? teamLabel(perf.team) : perf.council_wide ? 'the whole council' : teamLabel('');
      const table = h(
        'table',
        { class: 'data performance', id: 'performance-table' },
        h('caption', {}, `Performance ${perf.financial_year}, ${who}. Direction compares the final value with ${prevYears[1] ?? 'last year'}: ↑ better, ↓ worse, ↔ about the same.`),
        h('thead', {}, head),
        h('tbody', {}, ...body),
      );
      const perfCsv = downloadButton('Download CSV', () => `${fileSlug('performance', perf.financial_year, perf.team || (perf.council_wide ? 'council' : 'my-teams'))}.csv`, () => serverCsv(query('/v1/reports/performance', params)), f);
      const monthlyCsv = downloadButton('Download monthly report (CSV)', () => `${fileSlug('monthly', monthly.financial_year, monthly.team || (monthly.council_wide ? 'council' : 'my-teams'))}.csv`, () => serverCsv(query('/v1/reports/monthly', params)), f);

      const months = monthly.rows.filter((r) => r.from.slice(0, 7) === r.label);
      const charts = CHARTS.map((id, n) => {
        const label = perf.rows.find((r) => r.id === id)?.label ?? id;
        const points = months.map((r) => ({ label: r.label, value: r.measures.find((m) => m.id === id)?.value ?? null }));
        const unit = units.get(id);
        const figureId = `chart-${n}`;
        return h(
          'figure',
          { class: 'chart', 'aria-labelledby': `${figureId}-caption` },
          h('figcaption', { id: `${figureId}-caption` }, `${label}, month by month, ${perf.financial_year}`),
          lineChart({ id: figureId, title: `${label}, month by month, ${perf.financial_year}`, points, unit, format: (v) => formatValue(v, unit) }),
          h(
            'details',
            {},
            h('summary', {}, `Figures: ${label}`),
            h(
              'table',
              { class: 'data compact' },
              h('caption', {}, `${label} by month, ${perf.financial_year}`),
              h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Month'), h('th', { scope: 'col', class: 'num' }, 'Value'))),
              h('tbody', {}, ...points.map((pt) => h('tr', {}, h('th', { scope: 'row' }, formatMonth(pt.label)), cell(pt.value, unit)))),
            ),
          ),
        );
      });
      clear(f.results);
      f.results.append(
        h('div', { class: 'table-tools' }, h('p', { class: 'note' }, 'Quarters are year to date at the quarter’s end; “Final” and “Direction” are blank until the year has ended.'), perfCsv),
        table,
        h('section', { class: 'charts', 'aria-labelledby': 'trends-heading' }, h('h2', { id: 'trends-heading' }, `Monthly trends ${monthly.financial_year}`), h('div', { class: 'table-tools' }, monthlyCsv), h('div', { class: 'chart-grid' }, ...charts)),
      );
      f.status.textContent = `Performance ${perf.financial_year} for ${who}: ${perf.rows.length} measures.`;
      ready(f.results);
    } catch (e) {
      failed(f, e);
    }
  }
  return { el: f.el, heading: f.heading, title: () => PAGES[page], update: load, stop: loads.stop };
}

function formatMonth(label) {
  const [y, m] = label.split('-').map(Number);
  return new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)));
}

// ------------------------------------------------------------------ a person and their history

const EVENT_NAMES = {
  person_registered: 'Registered',
};

function humanType(type) {
  if (EVENT_NAMES[type]) return EVENT_NAMES[type];
  const s = type.replaceAll('_', ' ');
  return s[0].toUpperCase() + s.slice(1);
}

function summariseData(data) {
  if (!data || typeof data !== 'object') return '';
  return Object.entries(data)
    .filter(([k, v]) => v !== null && !k.endsWith('_id') && k !== 'person_id')
    .map(([k, v]) => `${k.replaceAll('_', ' ')}: ${Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : v}`)
    .join('; ');
}

function personView(id) {
  const heading = h('h1', { tabindex: '-1', id: 'page-heading' }, 'Person');
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite', id: 'person-status' });
  const error = h('div', { class: 'error', role: 'alert', id: 'person-error' });
  const details = h('div', { class: 'person-details' });
  const results = h('div', { class: 'results', id: 'person-results' });
  const el = h('section', { class: 'page', 'aria-labelledby': 'page-heading', 'data-page': 'person' }, heading, status, error, details, results);
  const f = { status, error, results };
  const loads = latestOnly();
  const base = `/v1/people/${encodeURIComponent(id)}`;

  function eventRow(e) {
    return h('tr', {}, h('td', { class: 'nowrap' }, formatDate(e.occurred_on)), h('th', { scope: 'row' }, humanType(e.type)), h('td', { class: 'detail' }, summariseData(e.data)), h('td', {}, e.recorded_by), h('td', { class: 'nowrap' }, new Date(e.recorded_at).toLocaleString('en-GB', { timeZone: 'Europe/London' })));
  }

  async function load() {
    const signal = loads.next();
    status.textContent = 'Loading this person’s record…';
    error.textContent = '';
    loading(results, base);
    try {
      const [person, history] = await Promise.all([getJson(base, signal), getJson(query(`${base}/history`, { limit: 100 }), signal)]);
      if (signal.aborted) return;
      const name = `${person.given_name} ${person.family_name}`;
      heading.textContent = name;
      document.title = `${name} – careledger`;
      const field = (label, value) => [h('dt', {}, label), h('dd', {}, value ?? h('span', { class: 'muted' }, 'Not recorded'))];
      clear(details);
      details.append(
        h(
          'dl',
          { class: 'facts' },
          ...field('Date of birth', formatDate(person.date_of_birth)),
          ...field('Team', teamLabel(person.team)),
          ...field('NHS number', person.nhs_number),
          ...field('Client type', person.client_type === 'carer' ? 'Carer' : 'Service user'),
          ...field('Primary support reason', person.primary_support_reason?.replaceAll('_', ' ')),
          ...(person.date_of_death ? field('Date of death', formatDate(person.date_of_death)) : []),
        ),
      );
      let shown = history.items.length;
      let cursor = history.next_cursor;
      const tbody = h('tbody', {}, ...history.items.map(eventRow));
      const more = h('button', { type: 'button', class: 'button secondary', id: 'history-more' }, 'Show more');
      const count = () => {
        status.textContent = `${name}: ${shown} event${shown === 1 ? '' : 's'} shown${cursor ? ' (more to show)' : ''}.`;
      };
      more.hidden = !cursor;
      more.addEventListener('click', async () => {
        more.disabled = true;
        try {
          const next = await getJson(query(`${base}/history`, { limit: 100, cursor }), signal);
          tbody.append(...next.items.map(eventRow));
          shown += next.items.length;
          cursor = next.next_cursor;
          more.hidden = !cursor;
          count();
        } catch (e) {
          failed(f, e);
        } finally {
          more.disabled = false;
        }
      });
      const csv = downloadButton(
        'Download CSV',
        () => `${fileSlug('history', name, person.id)}.csv`,
        async () => {
          const keys = ['event_id', 'type', 'occurred_on', 'recorded_at', 'recorded_by', 'stream', 'version', 'data'];
          const lines = [csvLine(keys)];
          let c = null;
          do {
            const pageOf = await getJson(query(`${base}/history`, { limit: 1000, cursor: c }));
            for (const e of pageOf.items) lines.push(csvLine(keys.map((k) => (k === 'data' ? JSON.stringify(e.data) : e[k]))));
            c = pageOf.next_cursor;
          } while (c);
          return csvBlob(lines);
        },
        f,
      );
      clear(results);
      results.append(
        h('h2', { id: 'history-heading' }, 'History'),
        h('div', { class: 'table-tools' }, h('p', { class: 'note' }, 'Every event recorded about this person, oldest first.'), csv),
        h(
          'table',
          { class: 'data history', id: 'history-table' },
          h('caption', {}, `History of ${name}`),
          h('thead', {}, h('tr', {}, ...['Date', 'Event', 'Details', 'Recorded by', 'Recorded at'].map((t) => h('th', { scope: 'col' }, t)))),
          tbody,
        ),
        more,
      );
      count();
      ready(results);
    } catch (e) {
      failed(f, e);
    }
  }
  return { el, heading, title: () => 'Person', update: load, stop: loads.stop };
}

// ------------------------------------------------------------------ start

window.addEventListener('hashchange', route);

(async function start() {
  try {
    const res = await fetch('/v1/session', { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } });
    if (res.ok) {
      await signedIn(await res.json());
      return;
    }
    showSignIn();
  } catch (e) {
    showSignIn(`Could not reach the server: ${e.message}`);
  }
})();
