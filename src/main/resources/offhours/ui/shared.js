// What every part of the page shares: the token, api(), the text and time helpers, toast() and the page's state.
// The offhours page: every string from the stack (object keys, labels, reasons) goes into the document with
// textContent or as a property value, never as markup, so a key like <img src=x onerror=alert(1)>.png stays text, and
// with its control characters shown as escapes (see shown), so it reads as it is stored.

// The printed address carries the token once: it moves to this tab's sessionStorage (a reload keeps working) and
// the address bar, history and session restore keep only '/'. Requests send it in a header, never in a URL.
export const token = (() => {
  const given = new URLSearchParams(location.search).get('token');
  if (given) {
    try { sessionStorage.setItem('offhours-token', given); } catch (ignored) { /* storage off: memory only */ }
    history.replaceState(null, '', '/');
    return given;
  }
  try { return sessionStorage.getItem('offhours-token') || ''; } catch (ignored) { return ''; }
})();
export const $ = (id) => document.getElementById(id);
export const state = {
  filter: { label: '', status: '', key: '' },
  cards: new Map(),     // result id + version -> { item, element }
  order: [],            // ids in page order, newest first
  next: null,
  labels: new Set(),
  pending: new Map(),   // uploaded keys waiting for a result -> { element }
  lastStatus: null,
  zone: null,           // the stack's TimeZone, in which clock() says times
  settings: null,       // what results' settings are compared with: { known, exact, basis }
  upload: null,         // GET /api/status's upload ({ maxBytes, assumption }): set, the server checks files unsent
};

// What a request that got no answer at all says (fetch's own "Failed to fetch" names neither part): the page's server,
// scripts/offhours ui, is not there. Its address and token were that run's, so a new run needs its printed address.
export const UNREACHABLE = 'the page could not reach offhours ui: is scripts/offhours ui still running? Run it again'
  + ' and open the address it prints';

export async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(path, {
      ...options,
      headers: { 'X-Offhours-Token': token, ...(options.headers || {}) },
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (e) {
    throw failure(UNREACHABLE, false);
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw failure(body.message || response.status + ' ' + response.statusText, body.answered !== false,
      body.asked !== false);
  }
  return body;
}

// A request that failed: its words, whether anyone answered it (false: the page's server did not, or it says the
// stack did not), so the page tells an outage from an error answered, and whether the stack was asked at all (false:
// this machine's setup, no credentials say, stopped the read before it was sent).
function failure(message, answered, asked = true) {
  const e = new Error(message);
  e.answered = answered;
  e.asked = asked;
  return e;
}

// Control characters in a key, a label or a reason, shown as the CLI's tables show them (cli.Terminal.printable):
// C0, DEL and C1 controls as \xHH, and the invisible controls that reorder text or break lines (overrides,
// embeddings, isolates and marks: the set of CVE-2021-42574, "Trojan Source"; U+2028, U+2029) as \uHHHH. Obeyed, a
// key 'cat' + U+202E + 'gnp.exe' would read 'catexe.png'; shown, it reads as S3 holds it.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
export function shown(text) {
  return String(text).replace(CONTROLS, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? '\\x' + code.toString(16).padStart(2, '0') : '\\u' + code.toString(16).padStart(4, '0');
  });
}

export function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined && text !== null) e.textContent = shown(text);
  return e;
}

/**
 * A card's key: as text, whole in its title, and whole on the card after a click or a tap (three lines before), or,
 * from the keyboard, Enter or Space on it: it is a tab stop, a button that says whether it shows the key whole.
 */
export function keyLine(key) {
  const line = el('div', 'key', key);
  line.title = shown(key);
  line.tabIndex = 0;
  line.setAttribute('role', 'button');
  line.setAttribute('aria-expanded', 'false');
  const toggle = () => line.setAttribute('aria-expanded', String(line.classList.toggle('whole')));
  line.addEventListener('click', toggle);
  line.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault(); // Space would scroll the page too
    toggle();
  });
  return line;
}

let toastTimer;
export function toast(message, bad) {
  const t = $('toast');
  t.textContent = shown(message);
  t.classList.toggle('bad', !!bad);
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, bad ? 8000 : 4000);
}

/**
 * How long ago {@code iso} was, in a unit: "5 s ago" ... "3 d ago". The browser's own date ("11/25/2026") read as
 * 25 November or 11 May by where the reader is from, in no named zone, and "Controller saw this 11/25/2026 ago"; where
 * the exact time matters, {@link clock} says it.
 */
export function ago(iso) {
  if (!iso) return '';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return s + ' s ago';
  if (s < 3600) return Math.round(s / 60) + ' min ago';
  if (s < 86400) return Math.round(s / 3600) + ' h ago';
  return Math.round(s / 86400) + ' d ago';
}

/**
 * An instant as the controller's reasons and the CLI say times (units.Times): "2026-12-04 23:00 Etc/UTC", in the
 * stack's TimeZone (GET /status's ledger names it), else in this browser's zone, named. The browser's own
 * "11:00:00 PM" beside a reason's "23:00 Etc/UTC" left a reader to guess the zone and convert.
 */
export function clock(iso) {
  let zone = state.zone || Intl.DateTimeFormat().resolvedOptions().timeZone;
  let format;
  try {
    format = dateTime(zone);
  } catch (e) { // a zone this browser does not know: its own, named
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    format = dateTime(zone);
  }
  const p = {};
  for (const part of format.formatToParts(new Date(iso))) p[part.type] = part.value;
  return p.year + '-' + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute + ' ' + zone;
}

/** Date and time of day in {@code zone}, in parts, 00-23 h. */
function dateTime(zone) {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  });
}

/** The ISO-8601 instants in the controller's words ("timer for 2026-11-25T09:42:10Z") as {@link clock} shows them. */
export function localInstants(text) {
  return String(text).replace(/\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z/g, clock);
}
