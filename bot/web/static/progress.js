// Progress: the last four weeks as a calendar, streaks, completion, the pain trend drawn as an
// inline SVG from the JSON, current levels and the next progression check.

import { api, el, shortDate, t } from './ui.js';

const SVG = 'http://www.w3.org/2000/svg';
const PERCENT = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 });

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}

function weekday(day) {
  return (new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
}

function calendar(days) {
  const cells = [];
  for (let d = 0; d < 7; d += 1) cells.push(el('span', { class: 'head' }, t(`day_${d}`)));
  if (days.length) for (let pad = weekday(days[0].day); pad > 0; pad -= 1) cells.push(el('span', {}));
  for (const { day, status } of days) {
    cells.push(el('span', {
      class: `day ${status}`, title: `${shortDate(day)}: ${t(`status_${status}`)}`,
      'data-day': day, 'data-status': status,
    }, String(Number(day.slice(8)))));
  }
  const used = [...new Set(days.map((d) => d.status))];
  const legend = el('div', { class: 'legend' }, used.map((status) => el('span', {},
    el('i', { class: `dot ${status}` }), t(`status_${status}`))));
  return el('section', { class: 'card' }, el('h3', {}, t('calendar')),
    el('div', { class: 'calendar', id: 'calendar' }, cells), legend);
}

function stat(id, value, labelKey) {
  return el('div', { class: 'stat' }, el('b', { id }, value), el('span', { class: 'muted' }, t(labelKey)));
}

/** Before and after as two lines over the days, 0 at the bottom and 10 at the top. */
function painChart(points) {
  const rated = points.filter((p) => p.before !== null || p.after !== null);
  const box = el('section', { class: 'card' }, el('h3', {}, t('pain_trend')));
  if (!rated.length) {
    box.append(el('p', { class: 'muted', id: 'no-pain' }, t('no_pain')));
    return box;
  }
  const width = 320;
  const height = 150;
  const left = 22;
  const bottom = 20;
  const x = (i) => left + (points.length < 2 ? (width - left) / 2 : (i * (width - left - 8)) / (points.length - 1));
  const y = (v) => 8 + ((10 - v) * (height - bottom - 8)) / 10;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', id: 'pain-chart', role: 'img', 'aria-label': t('pain_trend') });
  for (const level of [0, 5, 10]) {
    chart.append(svg('line', { x1: left, x2: width, y1: y(level), y2: y(level), class: 'grid' }));
    const label = svg('text', { x: 2, y: y(level) + 4, class: 'axis' });
    label.textContent = String(level);
    chart.append(label);
  }
  for (const key of ['before', 'after']) {
    const coords = [];
    points.forEach((p, i) => { if (p[key] !== null) coords.push([x(i), y(p[key])]); });
    if (coords.length > 1) chart.append(svg('polyline', { points: coords.map((c) => c.join(',')).join(' '), class: `line ${key}` }));
    for (const [cx, cy] of coords) chart.append(svg('circle', { cx, cy, r: 3.5, class: `point ${key}` }));
  }
  const first = svg('text', { x: left, y: height - 4, class: 'axis' });
  first.textContent = shortDate(points[0].day);
  const last = svg('text', { x: width, y: height - 4, class: 'axis end' });
  last.textContent = shortDate(points[points.length - 1].day);
  chart.append(first, last);
  box.append(chart, el('div', { class: 'legend' },
    el('span', {}, el('i', { class: 'dot before' }), t('before')),
    el('span', {}, el('i', { class: 'dot after' }), t('after'))));
  return box;
}

function levels(list) {
  return el('section', { class: 'card' }, el('h3', {}, t('levels')),
    el('ul', { class: 'levels', id: 'levels' }, list.map((item) => el('li', {},
      el('span', {}, item.name),
      el('span', { class: 'muted' }, t('level_of', { level: item.level, max: item.max_level })),
      el('progress', { max: String(item.max_level), value: String(item.level) })))));
}

export async function renderProgress(view) {
  const data = await api('/api/progress');
  view.replaceChildren(
    el('div', { class: 'stats' },
      stat('streak', String(data.streak), 'streak'),
      stat('best-streak', String(data.best_streak), 'best_streak'),
      stat('completion', PERCENT.format(data.completion_rate), 'completion'),
      stat('this-week', String(data.done_this_week), 'this_week')),
    calendar(data.calendar),
    painChart(data.pain),
    levels(data.levels),
    el('p', { class: 'muted', id: 'next-check' },
      data.next_check ? t('next_check', { date: shortDate(data.next_check) }) : t('no_check')));
}
