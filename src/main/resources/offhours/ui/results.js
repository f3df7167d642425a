// The results: their cards (thumbnails, labels, scores, settings), the filters, uploads waiting for theirs, paging.

import { ledgerSoon } from './ledger.js';
import { $, ago, api, clock, el, keyLine, shown, state, toast, token } from './shared.js';

const PAGE = 60;

/** Thumbnails load as they come into view, fetched with the token in a header and shown from a blob: URL. */
const thumbs = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    if (entry.isIntersecting) {
      thumbs.unobserve(entry.target);
      loadThumb(entry.target);
    }
  }
}, { rootMargin: '300px' });

export function thumbImage(key, thumb) {
  const img = el('img');
  img.alt = '';
  img.dataset.thumbKey = key;
  img.addEventListener('error', () => thumb.classList.add('missing'));
  thumbs.observe(img);
  return img;
}

async function loadThumb(img) {
  try {
    const response = await fetch('/api/thumb?key=' + encodeURIComponent(img.dataset.thumbKey), {
      headers: { 'X-Offhours-Token': token },
      credentials: 'omit',
      cache: 'no-store',
    });
    if (!response.ok) throw new Error(String(response.status));
    const url = URL.createObjectURL(await response.blob());
    const done = () => URL.revokeObjectURL(url);
    img.addEventListener('load', done, { once: true });
    img.addEventListener('error', done, { once: true });
    img.src = url;
  } catch (e) {
    img.parentElement?.classList.add('missing');
  }
}

function hue(text) {
  let h = 0;
  for (const c of text) h = (h * 31 + c.codePointAt(0)) % 360;
  return h;
}

function cardOf(item) {
  const card = el('article', 'card' + (item.status === 'REJECTED' ? ' rejected' : ''));
  card.dataset.key = item.key || item.id;
  card.dataset.status = item.status;
  const thumb = el('div', 'thumb');
  if (item.key) {
    thumb.append(thumbImage(item.key, thumb));
  } else {
    thumb.classList.add('missing');
  }
  thumb.append(el('span', 'badge', item.status === 'REJECTED' ? 'REJECTED' : item.topLabel || item.status));
  const body = el('div', 'body');
  body.append(keyLine(item.key || item.id));
  if (item.status === 'REJECTED') {
    body.append(el('p', 'reason-text', item.reason));
    if (item.hint) body.append(hintOf(item.hint));
  } else {
    const labels = el('div', 'labels');
    const scores = scoresOf(item);
    (item.labels || []).forEach((l, i) => {
      const row = el('div', 'label' + (i === 0 ? ' first' : ''));
      row.append(el('span', 'name', l.label));
      const bar = el('span', 'bar');
      const fill = el('i');
      fill.style.width = Math.round(l.score * 100) + '%';
      fill.style.background = 'hsl(' + hue(l.label) + ' 65% 52%)';
      bar.append(fill);
      const score = el('span', 'score', (l.score * 100).toFixed(1) + '%');
      score.title = shown(l.score.toFixed(2) + ' (' + scores.words + ')');
      row.append(bar, score);
      labels.append(row);
    });
    body.append(labels, scoresNote(scores));
  }
  const meta = el('div', 'meta');
  const when = el('time', null, ago(item.classifiedAt));
  when.dateTime = item.classifiedAt || '';
  when.title = item.classifiedAt ? clock(item.classifiedAt) : '';
  meta.append(when, el('span', null, item.attempts > 1 ? item.attempts + ' attempts' : ''));
  const mark = settingsMark(item);
  if (mark) meta.append(mark);
  body.append(meta);
  card.append(thumb, body);
  return card;
}

/**
 * What to do about a rejected upload, in the words `offhours results` says it for its kind of reason (the server sends
 * them: results.RejectionHint), as text: "What to do (too large): shrink it ...". A reason of no known kind has none.
 */
function hintOf(hint) {
  const line = el('p', 'hint-text');
  line.append(el('strong', null, 'What to do'), el('span', null, ' (' + hint.kind + '): ' + hint.todo));
  return line;
}

// ---------------------------------------------------------------- scores

// How a classification's numbers were read (GET /results' `scores`, as `results --json` says it): the model's own
// probabilities, or logits the model answered, to which offhours applied a softmax: a confidence the model did not
// state itself. The word is one of these or unknown, so nothing the service sends becomes a class name or markup.
const SCORES = {
  probabilities: ['probabilities from the model', 'The model answered probabilities: these scores are its own.'],
  logits: ['softmax of the model\'s logits', 'The model answered logits; offhours applied a softmax to read them as'
    + ' probabilities, which the model itself did not state.'],
};

/** What {@code item}'s scores are: { kind, words, why }, kind 'unknown' for any word not in {@link SCORES}. */
function scoresOf(item) {
  if (Object.hasOwn(SCORES, item.scores)) {
    const [words, why] = SCORES[item.scores];
    return { kind: item.scores, words, why };
  }
  return {
    kind: 'unknown',
    words: 'scores of unknown kind',
    why: item.scores === null || item.scores === undefined
      ? 'This result does not say how its numbers were read.'
      : 'This result says its numbers are "' + item.scores + '", which this page does not know.',
  };
}

/** The small note under a classification's labels saying what its scores are; its title says why it matters. */
function scoresNote(scores) {
  const note = el('p', 'scores ' + scores.kind, scores.words);
  note.dataset.scores = scores.kind;
  note.title = shown(scores.why);
  return note;
}

// ---------------------------------------------------------------- settings

// A classification's settings to those the stack runs with now (GET /results' and the CLI's words): current, changed
// (made under other labels, content type, accept or scores: its labels may mean something else now) or unknown
// (written before results recorded their settings).
const SETTINGS = {
  current: ['current settings', 'Classified under the model settings the stack runs with now.'],
  changed: ['older settings', 'Classified under other model settings (labels, content type, accept or scores) than'
    + ' the stack runs with now: its labels may mean something else. scripts/offhours reprocess --settings stale'
    + ' classifies it again.'],
  unknown: ['settings unknown', 'Classified before offhours recorded the settings each result is made under:'
    + ' whether they are today\'s is not known. scripts/offhours reprocess --settings stale classifies it again.'],
};

/**
 * The mark of a classification's settings, or null where there is nothing to compare: none known, or a verdict,
 * whose settings the server sends as null (results.ResultItem#settingsWord decides it for the API, CLI and page).
 */
function settingsMark(item) {
  const known = state.settings && state.settings.known;
  if (!known || !Object.hasOwn(SETTINGS, item.settings)) return null;
  const [words, why] = SETTINGS[item.settings];
  const mark = el('span', 'settings ' + item.settings, words);
  mark.dataset.settings = item.settings;
  mark.title = shown(why + ' (' + state.settings.basis + ')');
  return mark;
}

/** The line over the results when some of those shown were classified under other settings than the stack's. */
function showSettingsSummary() {
  const line = $('settings-summary');
  const shownItems = state.order.map((id) => state.cards.get(id).item);
  const changed = shownItems.filter((i) => i.settings === 'changed').length;
  const unknown = shownItems.filter((i) => i.settings === 'unknown').length;
  const known = state.settings && state.settings.known;
  line.hidden = !known || changed + unknown === 0;
  line.dataset.changed = String(changed);
  line.dataset.unknown = String(unknown);
  if (line.hidden) return;
  const n = changed + unknown;
  const parts = [];
  if (changed) parts.push(changed + ' changed');
  if (unknown) parts.push(unknown + ' unknown');
  $('settings-count').textContent = shown(n + (n === 1 ? ' result' : ' results') + ' shown under older settings ('
    + parts.join(', ') + ')');
  $('settings-basis').textContent = shown(state.settings.basis.charAt(0).toUpperCase()
    + state.settings.basis.slice(1) + '.');
}

function idOf(item) {
  return item.id + '\n' + item.version;
}

export function render() {
  const grid = $('grid');
  const wanted = [...state.pending.values()].map((p) => p.element)
    .concat(state.order.map((id) => state.cards.get(id).element));
  wanted.forEach((node, i) => {
    if (grid.children[i] !== node) grid.insertBefore(node, grid.children[i] || null);
  });
  while (grid.children.length > wanted.length) grid.lastChild.remove();
  $('empty').hidden = wanted.length > 0;
  $('more').hidden = !state.next;
  $('count').textContent = state.order.length + (state.next ? '+' : '') + ' result' + (state.order.length === 1 ? '' : 's');
  showSettingsSummary();
}

/** Takes what results are compared with from the first page of results; whether it changed. */
function rememberSettings(page) {
  const next = page.settings || null;
  const before = JSON.stringify(state.settings);
  state.settings = next;
  return before !== JSON.stringify(next);
}

/** A card for {@code item}, made again when its settings' word changed since. */
function keep(item) {
  const id = idOf(item);
  const known = state.cards.get(id);
  if (known && known.item.settings === item.settings) return false;
  state.cards.set(id, { item, element: cardOf(item) });
  return !known;
}

function remember(items) {
  for (const item of items) {
    if (item.topLabel && !state.labels.has(item.topLabel)) {
      state.labels.add(item.topLabel);
      const select = $('label');
      const option = el('option', null, item.topLabel);
      option.value = item.topLabel;
      const after = [...select.options].slice(1).find((o) => o.value.localeCompare(item.topLabel) > 0);
      select.insertBefore(option, after || null);
    }
    const pending = item.key && state.pending.get(item.key);
    if (pending && Date.parse(item.classifiedAt) >= pending.since) state.pending.delete(item.key);
  }
}

function query(next) {
  const p = new URLSearchParams({ limit: String(PAGE) });
  for (const [k, v] of Object.entries(state.filter)) if (v) p.set(k, v);
  if (next) p.set('next', next);
  return '/api/results?' + p.toString();
}

let generation = 0;

/**
 * Whether each waiting upload has its result yet, looked up by its own key: the filters may leave it out of the
 * results shown, and its card would otherwise wait forever.
 */
export async function checkPending() {
  const waiting = [...state.pending.entries()];
  if (!waiting.length) return;
  const answered = await Promise.all(waiting.map(async ([key, pending]) => {
    try {
      const page = await api('/api/results?' + new URLSearchParams({ key, limit: String(PAGE) }).toString());
      return page.results.some((r) => r.key === key && Date.parse(r.classifiedAt) >= pending.since) ? key : null;
    } catch (e) {
      return null; // the next round asks again
    }
  }));
  let changed = false;
  for (const key of answered) {
    if (key !== null && state.pending.delete(key)) changed = true;
  }
  if (changed) render();
}

/** The first page again: new results join at the top, a changed filter starts over. */
export async function refreshResults(reset) {
  const mine = ++generation;
  try {
    const page = await api(query(null));
    if (mine !== generation) return;
    remember(page.results);
    // Other settings to compare with (the newest classification's changed) make every card's mark anew: the page
    // starts over, as after a new filter.
    const fresh = rememberSettings(page) || reset;
    const paged = !fresh && state.order.length > PAGE; // "load more" was used: keep what it loaded
    if (fresh) state.cards.clear();
    if (!paged) state.next = page.next;
    const firstIds = [];
    let arrived = false;
    for (const item of page.results) {
      firstIds.push(idOf(item));
      if (keep(item)) arrived = true;
    }
    if (arrived && !reset) ledgerSoon();
    const rest = paged ? state.order.filter((id) => !firstIds.includes(id)) : [];
    state.order = firstIds.concat(rest);
    render();
  } catch (e) {
    toast(e.message, true);
  }
}

async function loadMore() {
  if (!state.next) return;
  const mine = generation;
  try {
    const page = await api(query(state.next));
    if (mine !== generation) return;
    remember(page.results);
    for (const item of page.results) {
      const id = idOf(item);
      if (!state.order.includes(id)) state.order.push(id);
      keep(item);
    }
    state.next = page.next;
    render();
  } catch (e) {
    toast(e.message, true);
  }
}

export function wireFilters() {
  let typing;
  $('search').addEventListener('input', (e) => {
    clearTimeout(typing);
    typing = setTimeout(() => { state.filter.key = e.target.value.trim(); refreshResults(true); }, 250);
  });
  $('label').addEventListener('change', (e) => { state.filter.label = e.target.value; refreshResults(true); });
  $('status').addEventListener('change', (e) => { state.filter.status = e.target.value; refreshResults(true); });
  $('more').addEventListener('click', loadMore);
}
