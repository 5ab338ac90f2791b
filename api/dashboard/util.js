// Small helpers of the dashboard: building elements, formatting, CSV and dates in the UK.

// An element with attributes and children. Children may be strings, nodes, arrays of either, or
// null/undefined/false (left out). Attributes set with setAttribute; never `style` (the page's
// Content-Security-Policy allows no inline style): use classes.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

// 2026-02-13 -> 13 Feb 2026
export function formatDate(iso) {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  return dateFormat.format(new Date(Date.UTC(y, m - 1, d)));
}

const integer = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const money = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });

export function formatNumber(n) {
  if (n === null || n === undefined) return '';
  return Number.isInteger(n) ? integer.format(n) : oneDecimal.format(n);
}

// A measure's value in its unit (docs/API.md: people, count, days, percent, pence, per_100000).
export function formatValue(v, unit) {
  if (v === null || v === undefined) return '';
  switch (unit) {
    case 'percent':
      return `${v.toFixed(1)}%`;
    case 'pence':
      return money.format(v / 100);
    case 'days':
    case 'per_100000':
      return oneDecimal.format(v);
    default:
      return formatNumber(v);
  }
}

// One CSV line as careledger writes them: quoted when needed, and text a spreadsheet would read
// as a formula written after an apostrophe.
export function csvLine(values) {
  return values
    .map((v) => {
      if (v === null || v === undefined) return '';
      let s = String(v);
      if (typeof v === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`;
      return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
    })
    .join(',');
}

// Offers a Blob as a download named `filename`.
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// Today's date in the UK, YYYY-MM-DD.
export function ukToday() {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date());
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

function fyLabel(start) {
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

// The financial years a report may be asked for: the current one (to date) and six before it,
// newest first; and the latest that has ended (the reports' default).
export function financialYears() {
  const [y, m] = ukToday().split('-').map(Number);
  const current = m >= 4 ? y : y - 1;
  const list = [];
  for (let start = current; start > current - 7 && start >= 2000; start--) list.push(fyLabel(start));
  return { current: fyLabel(current), latestEnded: fyLabel(current - 1), list };
}
