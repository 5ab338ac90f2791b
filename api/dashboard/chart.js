// A month-by-month line chart as inline SVG: role="img" named by its <title> and described by
// its <desc> (the lowest, highest and latest values); the figures themselves are also given as a
// table beside it. Months without a value yet (not ended) leave a gap.

const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

// A round upper bound for the axis: 1, 2, 2.5 or 5 times a power of ten.
function niceMax(max) {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function lineChart({ id, title, points, unit, format }) {
  const width = 560;
  const height = 240;
  const m = { left: 64, right: 16, top: 16, bottom: 40 };
  const w = width - m.left - m.right;
  const hgt = height - m.top - m.bottom;
  const values = points.map((p) => p.value).filter((v) => v !== null && v !== undefined);
  const top = unit === 'percent' ? 100 : niceMax(Math.max(0, ...values));
  const x = (i) => m.left + (points.length > 1 ? (i * w) / (points.length - 1) : w / 2);
  const y = (v) => m.top + hgt - (v / top) * hgt;

  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`,
    class: 'line-chart',
    role: 'img',
    'aria-labelledby': `${id}-title ${id}-desc`,
    focusable: 'false',
  });
  svg.append(s('title', { id: `${id}-title` }, title));
  let desc;
  if (values.length) {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const lastIndex = points.map((p) => p.value !== null && p.value !== undefined).lastIndexOf(true);
    const at = (v) => points.find((p) => p.value === v).label;
    desc = `${values.length} months with figures. Lowest ${format(lo)} (${at(lo)}), highest ${format(hi)} (${at(hi)}), latest ${format(points[lastIndex].value)} (${points[lastIndex].label}).`;
  } else {
    desc = 'No month of this year has a figure yet.';
  }
  svg.append(s('desc', { id: `${id}-desc` }, desc));

  // Grid and y axis labels.
  for (const frac of [0, 0.25, 0.5, 0.75, 1]) {
    const v = top * frac;
    svg.append(s('line', { x1: m.left, x2: width - m.right, y1: y(v), y2: y(v), class: frac === 0 ? 'axis' : 'grid' }));
    svg.append(s('text', { x: m.left - 8, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' }, format(v)));
  }
  // x axis labels.
  points.forEach((p, i) => {
    const month = Number(p.label.slice(5, 7));
    svg.append(s('text', { x: x(i), y: height - m.bottom + 18, class: 'tick', 'text-anchor': 'middle' }, MONTHS[month - 1] ?? p.label));
  });
  // The line, broken where a month has no value.
  let d = '';
  let pen = false;
  points.forEach((p, i) => {
    if (p.value === null || p.value === undefined) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`;
    pen = true;
  });
  if (d) svg.append(s('path', { d, class: 'series' }));
  points.forEach((p, i) => {
    if (p.value === null || p.value === undefined) return;
    svg.append(s('circle', { cx: x(i), cy: y(p.value), r: 4, class: 'point' }));
  });
  return svg;
}
