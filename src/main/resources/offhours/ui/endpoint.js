// The endpoint's panel: its state and the queue's counts from GET /api/status, the controller's words, the working
// hours, when an upload made now is expected and the oldest wait, Start/Stop/Auto.

import { $, ago, api, clock, el, localInstants, shown, state, toast } from './shared.js';

// The endpoint's state word (GET /status) in the page's words and tone; a word not here shows as itself. Looked up
// with Object.hasOwn: a word like "constructor" would otherwise find what every object has, not an entry.
const STATES = {
  IN_SERVICE: ['Serving', 'on'], CREATING: ['Starting', 'busy'], UPDATING: ['Updating', 'busy'],
  DELETING: ['Stopping', 'busy'], FAILED: ['Failed', 'failed'], ABSENT: ['Off', ''], UNKNOWN: ['Unknown', ''],
};

// When GET /api/status first failed in the run of failures of one kind (FAILED_READS: no answer, not asked for this
// machine's setup, or an error answered) going on now, and which; null while it answers.
let failingSince = null;
let failingWith = null;

export function showStatus(s) {
  state.lastStatus = s;
  failingSince = null;
  failingWith = null;
  if (s.ledger && s.ledger.timeZone) state.zone = s.ledger.timeZone;
  if (s.upload && Number.isSafeInteger(s.upload.maxBytes)) state.upload = s.upload;
  const ep = s.endpoint || {};
  const trigger = (s.trigger || {}).state;
  let [words, tone] = Object.hasOwn(STATES, ep.state) ? STATES[ep.state] : [ep.state || 'Unknown', ''];
  if (ep.state === 'IN_SERVICE' && trigger !== 'ENABLED') {
    [words, tone] = ep.want === 'OFF' ? ['Stopping', 'busy'] : ['Testing', 'busy'];
  }
  const pill = $('state');
  pill.textContent = shown(words);
  pill.className = 'pill ' + tone;
  pill.dataset.state = ep.state || 'UNKNOWN';
  pill.dataset.trigger = trigger || 'UNKNOWN';
  $('endpoint-name').textContent = shown((ep.name || '') + (trigger ? ' · trigger ' + trigger.toLowerCase() : ''));
  $('reason').textContent = shown(ep.reason || '');
  $('reason').title = shown(ep.reason || '');
  $('stack').textContent = shown(s.stack || '');
  const q = s.queue || {};
  $('q-visible').textContent = q.visible ?? '–';
  $('q-inflight').textContent = q.inFlight ?? '–';
  $('q-delayed').textContent = q.delayed ?? '–';
  const dead = (s.deadLetterQueue || {}).messages;
  $('q-dlq').textContent = dead ?? '–';
  document.querySelector('.counter.dlq').classList.toggle('alert', dead > 0);
  $('dlq-hint').hidden = !(dead > 0);
  showHandedBack(s.handedBack);
  $('why').textContent = shown(ep.why ? 'Controller: ' + ep.why + (ep.outcome && ep.outcome !== 'ok' ? ' (' + ep.outcome + ')' : '') : '');
  showController(s.controller);
  showUploads(s);
  $('override').textContent = overrideWords(s.override);
  $('observed').textContent = (ep.observedAt ? 'Controller saw this ' + ago(ep.observedAt) : 'The controller has not run yet')
    + (s.observedAt ? '; queue read ' + ago(s.observedAt) : '');
  for (const p of state.pending.values()) {
    p.reason.textContent = shown('Waiting for its result: ' + (ep.reason || 'the endpoint is ' + words.toLowerCase()));
  }
}

/**
 * Uploads handed back while the endpoint serves (GET /status's handedBack, in the server's words: what the counts
 * say and when the controller saw the endpoint and the trigger, then, smaller, that it is an inference and where to
 * read why), beside the deferred count it is about; nothing when it does not apply.
 */
function showHandedBack(h) {
  const line = $('handed-back');
  line.replaceChildren(...(h
    ? [el('strong', null, h.says), el('span', 'caveat', '(' + h.caveat + ')'), el('span', 'caveat', 'Why: ' + h.why)]
    : []));
  line.hidden = !h;
  document.querySelector('.counter.delayed').classList.toggle('alert', !!h);
}

/** The manual override in force (Start or Stop from here or the CLI), or nothing while the controller decides. */
function overrideWords(o) {
  if (!o || !o.mode) return '';
  const words = o.mode === 'START' ? 'Manual start' : o.mode === 'STOP' ? 'Manual stop' : 'Manual ' + o.mode;
  return words + (o.until ? ' until ' + clock(o.until) : ' until Auto') + ': the controller follows it, not the schedule';
}

/**
 * As 'endpoint status' says them (GET /status's schedule, nextUpload and oldestWaiting): the working hours, open now
 * or not and until when; when an upload made now is expected, by the controller's own policy; how long the oldest
 * waiting upload had waited at the controller's last run. Where the stack's settings lack what they need (an older
 * template or state file), the server's note says which, in place of a guess; while they cannot be read again, its
 * settingsNote says since when and which read the lines go by.
 */
function showUploads(s) {
  // The stack's settings are read again once a minute; while that fails, what is shown is the last good read's.
  const note = $('settings-note');
  note.textContent = shown(s.settingsNote || '');
  note.hidden = !s.settingsNote;
  const hours = $('hours');
  const h = s.schedule;
  hours.dataset.open = h ? String(!!h.open) : '';
  hours.textContent = shown(h
    ? 'Working hours: ' + h.workingHours + ': ' + (h.open ? 'open now' : 'closed now')
      + (h.nextChange ? ' until ' + clock(h.nextChange) : ', no change ahead')
    : s.scheduleNote ? 'Working hours: unknown: ' + s.scheduleNote : '');
  const next = $('next-upload');
  const n = s.nextUpload;
  next.dataset.expectedAt = (n && n.expectedAt) || '';
  let words = '';
  if (n && n.expectedAt) {
    const starts = n.startsAt && Date.parse(n.startsAt) > Date.now()
      ? 'the endpoint starts by ' + clock(n.startsAt) + ', '
      : '';
    words = 'An upload made now: ' + starts + 'result expected by ' + clock(n.expectedAt) + ' (' + n.reason + ')';
  } else if (n) {
    words = 'An upload made now: nothing will start the endpoint (' + n.reason + ')';
  } else if (s.nextUploadNote) {
    words = 'An upload made now: unknown: ' + s.nextUploadNote;
  }
  next.textContent = shown(words);
  const o = s.oldestWaiting;
  $('oldest').textContent = shown(o ? 'Oldest waiting upload: ' + o.says : '');
}

/** When the controller looks next and why, what started its last run, its timer and the wake it expects. */
function showController(c) {
  const next = $('next');
  const started = $('started');
  next.dataset.nextRunAt = (c && c.nextRunAt) || '';
  if (!c) {
    next.textContent = '';
    started.textContent = '';
    return;
  }
  next.textContent = shown('Next look: ' + (c.nextRunAt
    ? clock(c.nextRunAt) + (Date.parse(c.nextRunAt) <= Date.now() ? ', due' : '') + ' (' + c.nextRun + ')'
    : c.nextRun));
  const parts = [];
  if (c.startedBy) parts.push('Started by: ' + localInstants(c.startedBy));
  if (c.timerAt) parts.push('timer armed for ' + clock(c.timerAt));
  if (c.expectedWake) parts.push('a wake takes ' + c.expectedWake.words);
  if (c.expectedStop) parts.push('a stop takes ' + c.expectedStop.words);
  started.textContent = shown(parts.join(' · '));
}

export async function refreshStatus() {
  try {
    showStatus(await api('/api/status'));
  } catch (e) {
    showFailedRead(e.message, failedReadKind(e));
  }
}

// The pill's words of a failed read, by its kind: nobody answered, this machine's setup stopped it before the stack
// was asked, or one answered with an error.
const FAILED_READS = {
  UNREACHABLE: ['Unreachable', 'No answer since '],
  SETUP: ['Setup error', 'Not asked, for this machine\'s setup, since '],
  ERROR: ['Error', 'Answered with an error since '],
};

/** The kind of a failed read (FAILED_READS) from what the page's server said of it (shared.js's api). */
function failedReadKind(e) {
  if (e.answered !== false) return 'ERROR';
  return e.asked === false ? 'SETUP' : 'UNREACHABLE';
}

/**
 * A status read that failed: the pill says so in words, "Unreachable" when nobody answered (the stack, or the page's
 * own server), "Setup error" when this machine's setup stopped the read before the stack was asked (no credentials,
 * say), and "Error" when one answered with an error, the reason under it saying which, and loses the last state's
 * colour (a green dot beside it read as serving); the line under the counters says since when and that what is shown
 * is the last good read's, instead of keeping its "queue read 0 s ago" from then. The next read that succeeds shows
 * all anew.
 */
function showFailedRead(message, kind) {
  const [words, since] = FAILED_READS[kind];
  const pill = $('state');
  pill.textContent = words;
  pill.className = 'pill failed';
  pill.dataset.state = kind;
  $('reason').textContent = shown(message);
  $('reason').title = shown(message);
  const last = state.lastStatus;
  if (failingWith !== kind) {
    failingSince = new Date().toISOString();
    failingWith = kind;
  }
  $('observed').textContent = since + clock(failingSince)
    + ': ' + (last && last.observedAt
      ? 'the counts and lines above are from the last read, at ' + clock(last.observedAt)
      : 'nothing has been read yet')
    + '; the page keeps asking every few seconds';
}

export async function control(action) {
  const buttons = document.querySelectorAll('.controls button');
  buttons.forEach((b) => { b.disabled = true; });
  try {
    const answer = await api('/api/endpoint/' + action, { method: 'POST' });
    toast('Controller (' + action + '): ' + (answer.why || answer.action || 'done'));
    await refreshStatus();
  } catch (e) {
    toast(e.message, true);
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
}
