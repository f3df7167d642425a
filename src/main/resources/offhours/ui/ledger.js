// The savings chart: endpoint-hours per day against always-on, and the sums, from GET /api/ledger. Each day's numbers
// are a bar's title for the mouse and a row of a table only assistive technology is given (#chart-days, the chart's
// description), which a screen reader reads as a table: it reads no title inside role=img.

import { $, api, el, shown } from './shared.js';

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = String(text);
  return e;
}

function percent(p) {
  // 99.96% reads 99.9%, not 100%: the endpoint did run.
  return (p >= 99 && p < 100 ? (Math.floor(p * 10) / 10).toFixed(1) : String(Math.round(p))) + '%';
}

function shortDate(isoDate) {
  return new Date(isoDate + 'T12:00:00').toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
}

function money(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  return x < 0.01 && x > 0 ? '$' + x.toFixed(4) : '$' + x.toFixed(2);
}

/** The chart's days (a week at least) and the sums from the day the stack came to exist. */
function recent(ledger) {
  const all = ledger.days || [];
  const since = ledger.since || (all.length ? all[0].date : null);
  let first = all.findIndex((d) => d.date >= since);
  if (first < 0) first = all.length - 1;
  const days = all.slice(Math.min(first, Math.max(0, all.length - 7)));
  const counted = all.slice(first);
  const sum = (f) => counted.reduce((a, d) => a + f(d), 0);
  const hours = sum((d) => d.endpointHours);
  const always = sum((d) => d.alwaysOnHours);
  const cost = sum((d) => d.costUsd);
  const alwaysCost = sum((d) => d.alwaysOnCostUsd);
  const serverless = sum((d) => d.serverlessCostUsd || 0);
  const gbSeconds = sum((d) => d.serverlessGbSeconds || 0);
  const images = sum((d) => d.images);
  // As the CLI's cost report (LedgerPrices.savedPercent): by hours while only endpoint time was billed, by dollars
  // once serverless invocations were.
  const saved = !always ? 0 : serverless ? (alwaysCost ? 100 * (1 - cost / alwaysCost) : 0) : 100 * (1 - hours / always);
  return {
    days,
    since,
    total: {
      endpointHours: hours, alwaysOnHours: always, images, costUsd: cost, gbSeconds,
      costPerImageUsd: images ? cost / images : NaN, savedUsd: alwaysCost - cost,
      savedPercent: saved,
    },
  };
}

/** What the chart says of day {@code d}: the table's cells, in its columns' order, and the bar's title. */
function dayFacts(d) {
  // Always-on is 24 h on a whole day (23 or 25 at DST), a fraction on the stack's first day and today.
  const always = Number.isInteger(d.alwaysOnHours) ? d.alwaysOnHours : d.alwaysOnHours.toFixed(2);
  return {
    cells: [d.date, d.endpointHours.toFixed(2) + ' h', always + ' h', String(d.images), money(d.costUsd),
      money(d.costPerImageUsd), percent(d.savedPercent)],
    title: d.date + ': endpoint on ' + d.endpointHours.toFixed(2) + ' h of ' + always + ' h, ' + d.images
      + ' images, ' + money(d.costUsd) + ', per image ' + money(d.costPerImageUsd) + ', saved ' + percent(d.savedPercent),
  };
}

let shownLedger = null;
/** The chart's width, in whole CSS pixels, when it was last drawn. */
let drawnWidth = 0;

function showLedger(ledger) {
  shownLedger = ledger;
  const chart = $('chart');
  chart.replaceChildren();
  const { days, since, total } = recent(ledger);
  $('chart-rows').replaceChildren(...days.map((d) => {
    const row = el('tr');
    dayFacts(d).cells.forEach((cell, i) => row.append(el(i === 0 ? 'th' : 'td', null, cell)));
    row.firstChild.scope = 'row';
    return row;
  }));
  // Drawn at the width it is shown at, one unit a CSS pixel: a fixed 560 wide drawing shrunk its 10 px ticks and
  // dates to 5 px on a phone. A day's date is shown where it has room, today's always.
  drawnWidth = Math.round(chart.getBoundingClientRect().width);
  const W = Math.max(240, drawnWidth || 560), H = 170, top = 16, bottom = 26;
  const left = 26;
  chart.setAttribute('viewBox', '0 0 ' + W + ' ' + H);
  const height = H - top - bottom;
  const max = Math.max(24, ...days.map((d) => d.alwaysOnHours));
  [0, 12, 24].forEach((h) => {
    const y = top + height - (h / max) * height;
    chart.append(svg('line', { x1: left, x2: W, y1: y, y2: y, class: 'grid-line' }));
    chart.append(svg('text', { x: 0, y: y + 3, class: 'tick' }, h + 'h'));
  });
  const slot = (W - left) / Math.max(1, days.length);
  const bar = Math.min(26, slot * 0.62);
  days.forEach((d, i) => {
    const x = left + i * slot + (slot - bar) / 2;
    // A day before the stack existed has no always-on bar: nothing could have run then.
    const hAlways = d.date >= since ? (d.alwaysOnHours / max) * height : 0;
    const hOn = Math.max(d.endpointHours > 0 ? 1.5 : 0, (d.endpointHours / max) * height);
    const group = svg('g');
    group.append(svg('title', {}, shown(dayFacts(d).title)));
    group.append(svg('rect', { x, y: top + height - hAlways, width: bar, height: hAlways, rx: 4, class: 'always' }));
    group.append(svg('rect', { x, y: top + height - hOn, width: bar, height: hOn, rx: 4, class: 'on' }));
    if (d.images > 0) {
      group.append(svg('text', { x: x + bar / 2, y: top + height - hOn - 4, 'text-anchor': 'middle', class: 'images' },
        d.images));
    }
    const label = shortDate(d.date);
    if ((days.length - 1 - i) % Math.ceil(40 / slot) === 0) {
      group.append(svg('text', { x: x + bar / 2, y: H - 8, 'text-anchor': 'middle', class: 'tick' }, label));
    }
    chart.append(group);
  });
  const serverless = ledger.hosting === 'serverless';
  // When always-on starts, to the minute, in the stack's zone (as 'offhours cost' says it).
  const from = shortDate(since) + (ledger.sinceTime ? ' ' + ledger.sinceTime : '')
    + (ledger.timeZone ? ' ' + ledger.timeZone : '');
  // A stack that started after now by this machine's clock has no hour yet: said as 'cost --compare' says it.
  $('saved').textContent = ledger.nothingYet ? ledger.nothingYet
    : total.endpointHours > 0 || total.costUsd > 0
    ? percent(total.savedPercent) + ' saved vs always-on since ' + from + ' · ' + money(total.savedUsd)
    : serverless ? 'no invocation billed yet' : 'the endpoint has been off';
  const hours = total.endpointHours || 0;
  // A serverless endpoint bills GB-seconds of invocation, not endpoint-hours.
  const billed = serverless
    ? total.gbSeconds.toFixed(1) + ' GB-s of invocations'
    : hours.toFixed(hours < 10 ? 2 : 1) + ' endpoint-hours';
  const images = total.images || 0;
  $('per-image').textContent = images + (images === 1 ? ' image · ' : ' images · ') + billed + ' · '
    + money(total.costPerImageUsd) + ' per image';
}

// A new width draws the chart again at that width: a phone turned, a window resized, and the page's scrollbar come
// or gone as the lines above it filled in (an empty line takes no room), which no resize event tells.
new ResizeObserver(() => {
  if (shownLedger && Math.round($('chart').getBoundingClientRect().width) !== drawnWidth) showLedger(shownLedger);
}).observe($('chart'));

let ledgerTimer;
/** New results change today's images: the chart follows within a few seconds. */
export function ledgerSoon() {
  clearTimeout(ledgerTimer);
  ledgerTimer = setTimeout(refreshLedger, 3000);
}

export async function refreshLedger() {
  try {
    showLedger(await api('/api/ledger?days=14'));
  } catch (e) {
    $('per-image').textContent = shown(e.message);
  }
}
