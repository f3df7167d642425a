// The offhours page. Every string from the stack (object keys, labels, reasons) goes into the document with
// textContent or as a property value, never as markup, so a key like <img src=x onerror=alert(1)>.png stays text,
// and with its control characters shown as escapes (see shown), so it reads as it is stored.
'use strict';

(() => {
  // The printed address carries the token once: it moves to this tab's sessionStorage (a reload keeps working) and
  // the address bar, history and session restore keep only '/'. Requests send it in a header, never in a URL.
  const token = (() => {
    const given = new URLSearchParams(location.search).get('token');
    if (given) {
      try { sessionStorage.setItem('offhours-token', given); } catch (ignored) { /* storage off: memory only */ }
      history.replaceState(null, '', '/');
      return given;
    }
    try { return sessionStorage.getItem('offhours-token') || ''; } catch (ignored) { return ''; }
  })();
  const $ = (id) => document.getElementById(id);
  const PAGE = 60;
  const state = {
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

  // ---------------------------------------------------------------- plumbing

  async function api(path, options = {}) {
    const response = await fetch(path, {
      ...options,
      headers: { 'X-Offhours-Token': token, ...(options.headers || {}) },
      credentials: 'omit',
      cache: 'no-store',
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(body.message || response.status + ' ' + response.statusText);
    }
    return body;
  }

  // Control characters in a key, a label or a reason, shown as the CLI's tables show them (cli.Terminal.printable):
  // C0, DEL and C1 controls as \xHH, and the invisible controls that reorder text or break lines (overrides,
  // embeddings, isolates and marks: the set of CVE-2021-42574, "Trojan Source"; U+2028, U+2029) as \uHHHH. Obeyed, a
  // key 'cat' + U+202E + 'gnp.exe' would read 'catexe.png'; shown, it reads as S3 holds it.
  const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
  function shown(text) {
    return String(text).replace(CONTROLS, (c) => {
      const code = c.charCodeAt(0);
      return code < 0x100 ? '\\x' + code.toString(16).padStart(2, '0') : '\\u' + code.toString(16).padStart(4, '0');
    });
  }

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = shown(text);
    return e;
  }

  let toastTimer;
  function toast(message, bad) {
    const t = $('toast');
    t.textContent = shown(message);
    t.classList.toggle('bad', !!bad);
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.hidden = true; }, bad ? 8000 : 4000);
  }

  /** Thumbnails load as they come into view, fetched with the token in a header and shown from a blob: URL. */
  const thumbs = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) {
        thumbs.unobserve(entry.target);
        loadThumb(entry.target);
      }
    }
  }, { rootMargin: '300px' });

  function thumbImage(key, thumb) {
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

  function ago(iso) {
    if (!iso) return '';
    const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (s < 60) return s + ' s ago';
    if (s < 3600) return Math.round(s / 60) + ' min ago';
    if (s < 86400) return Math.round(s / 3600) + ' h ago';
    return new Date(iso).toLocaleDateString();
  }

  /**
   * An instant as the controller's reasons and the CLI say times (units.Times): "2026-12-04 23:00 Etc/UTC", in the
   * stack's TimeZone (GET /status's ledger names it), else in this browser's zone, named. The browser's own
   * "11:00:00 PM" beside a reason's "23:00 Etc/UTC" left a reader to guess the zone and convert.
   */
  function clock(iso) {
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
  function localInstants(text) {
    return String(text).replace(/\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z/g, clock);
  }

  // ---------------------------------------------------------------- the endpoint

  // The endpoint's state word (GET /status) in the page's words and tone; a word not here shows as itself. Looked up
  // with Object.hasOwn: a word like "constructor" would otherwise find what every object has, not an entry.
  const STATES = {
    IN_SERVICE: ['Serving', 'on'], CREATING: ['Starting', 'busy'], UPDATING: ['Updating', 'busy'],
    DELETING: ['Stopping', 'busy'], FAILED: ['Failed', 'failed'], ABSENT: ['Off', ''], UNKNOWN: ['Unknown', ''],
  };

  function showStatus(s) {
    state.lastStatus = s;
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
    $('override').textContent = overrideWords(s.override);
    $('observed').textContent = (ep.observedAt ? 'Controller saw this ' + ago(ep.observedAt) : 'The controller has not run yet')
      + '; queue read ' + ago(s.observedAt);
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

  async function refreshStatus() {
    try {
      showStatus(await api('/api/status'));
    } catch (e) {
      $('state').textContent = 'Unreachable';
      $('reason').textContent = shown(e.message);
    }
  }

  async function control(action) {
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

  // ---------------------------------------------------------------- results

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
    const key = el('div', 'key', item.key || item.id);
    key.title = shown(item.key || item.id);
    body.append(key);
    if (item.status === 'REJECTED') {
      body.append(el('p', 'reason-text', item.reason));
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
    when.title = item.classifiedAt || '';
    meta.append(when, el('span', null, item.attempts > 1 ? item.attempts + ' attempts' : ''));
    const mark = settingsMark(item);
    if (mark) meta.append(mark);
    body.append(meta);
    card.append(thumb, body);
    return card;
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

  function render() {
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
  async function checkPending() {
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
  async function refreshResults(reset) {
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

  // ---------------------------------------------------------------- uploads

  function waitingCard(key) {
    const card = el('article', 'card waiting');
    card.dataset.key = key;
    card.dataset.status = 'WAITING';
    const thumb = el('div', 'thumb');
    thumb.append(thumbImage(key, thumb), el('span', 'badge', 'WAITING'));
    const body = el('div', 'body');
    const name = el('div', 'key', key);
    name.title = shown(key);
    const reason = el('p', 'reason-text', 'Uploaded; waiting for its result');
    body.append(name, reason);
    card.append(thumb, body);
    // A result written from this upload on (a few seconds of clock skew allowed) replaces the card.
    return { element: card, reason, since: Date.now() - 5000 };
  }

  /** A row of the upload list for {@code file}: its name and a state word, newest first. */
  function uploadRow(file, words) {
    const row = el('li');
    const status = el('span', 'state', words);
    row.append(el('span', 'file', file.name), status);
    $('uploads').prepend(row);
    return { row, status };
  }

  /**
   * Sends {@code file}, unless its server would refuse it: then its row says why at once, in the server's words, and
   * nothing is sent. A 50 MB photo or a .gif would otherwise cross the loopback whole, under a progress bar, only to be
   * refused. The page holds no rule of its own: it asks GET /api/upload/check (the file's name and size, one loopback
   * GET) of every file, once GET /api/status has said the server has that route (its upload.maxBytes). A page that
   * could not learn it, or whose check fails, sends the file, and the server refuses it with the same words.
   */
  async function upload(file) {
    const { row, status } = uploadRow(file, state.upload ? 'checking' : 'uploading');
    const refusal = state.upload ? await refusalOf(file) : null;
    if (refusal) {
      row.classList.add('failed', 'refused');
      status.textContent = shown(refusal);
      return;
    }
    status.textContent = 'uploading';
    send(file, { row, status });
  }

  /** What the server's POST would answer {@code file} before storing it, or null: nothing, or it did not say. */
  async function refusalOf(file) {
    try {
      const query = new URLSearchParams({ key: file.name, bytes: String(file.size) });
      return (await api('/api/upload/check?' + query.toString())).refusal || null;
    } catch (ignored) {
      return null; // the server's own answer to the upload says why
    }
  }

  /** Sends {@code file}, its progress and then the server's answer shown in its row. */
  function send(file, { row, status }) {
    const progress = el('span', 'progress');
    const fill = el('i');
    progress.append(fill);
    row.append(progress);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/upload?key=' + encodeURIComponent(file.name));
    xhr.setRequestHeader('X-Offhours-Token', token);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) fill.style.width = Math.round((100 * e.loaded) / e.total) + '%';
    });
    xhr.addEventListener('load', () => {
      if (xhr.status === 201) {
        fill.style.width = '100%';
        row.classList.add('done');
        status.textContent = 'uploaded';
        if (!state.pending.has(file.name)) state.pending.set(file.name, waitingCard(file.name));
        if (state.lastStatus) showStatus(state.lastStatus);
        render();
      } else {
        let message = xhr.status + ' ' + xhr.statusText;
        try { message = JSON.parse(xhr.responseText).message || message; } catch (ignored) { /* not JSON */ }
        row.classList.add('failed');
        status.textContent = shown(message);
      }
    });
    xhr.addEventListener('error', () => {
      row.classList.add('failed');
      status.textContent = 'the page could not reach offhours ui';
    });
    xhr.send(file);
  }

  function wireUploads() {
    const drop = $('drop');
    ['dragenter', 'dragover'].forEach((type) => drop.addEventListener(type, (e) => {
      e.preventDefault();
      drop.classList.add('over');
    }));
    ['dragleave', 'drop'].forEach((type) => drop.addEventListener(type, () => drop.classList.remove('over')));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      [...e.dataTransfer.files].forEach(upload);
    });
    $('files').addEventListener('change', (e) => {
      [...e.target.files].forEach(upload);
      e.target.value = '';
    });
  }

  // ---------------------------------------------------------------- the savings chart

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

  function showLedger(ledger) {
    const chart = $('chart');
    chart.replaceChildren();
    const { days, since, total } = recent(ledger);
    const W = 560, H = 170, top = 16, bottom = 26, left = 26;
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
      // Always-on is 24 h on a whole day (23 or 25 at DST), a fraction on the stack's first day and today.
      const always = Number.isInteger(d.alwaysOnHours) ? d.alwaysOnHours : d.alwaysOnHours.toFixed(2);
      group.append(svg('title', {}, d.date + ': endpoint on ' + d.endpointHours.toFixed(2) + ' h of '
        + always + ' h, ' + d.images + ' images, ' + money(d.costUsd) + ', per image '
        + money(d.costPerImageUsd) + ', saved ' + percent(d.savedPercent)));
      group.append(svg('rect', { x, y: top + height - hAlways, width: bar, height: hAlways, rx: 4, class: 'always' }));
      group.append(svg('rect', { x, y: top + height - hOn, width: bar, height: hOn, rx: 4, class: 'on' }));
      if (d.images > 0) {
        group.append(svg('text', { x: x + bar / 2, y: top + height - hOn - 4, 'text-anchor': 'middle', class: 'images' },
          d.images));
      }
      const label = shortDate(d.date);
      if (days.length <= 14 || i % 2 === 0) {
        group.append(svg('text', { x: x + bar / 2, y: H - 8, 'text-anchor': 'middle', class: 'tick' }, label));
      }
      chart.append(group);
    });
    const serverless = ledger.hosting === 'serverless';
    // When always-on starts, to the minute, in the stack's zone (as 'offhours cost' says it).
    const from = shortDate(since) + (ledger.sinceTime ? ' ' + ledger.sinceTime : '')
      + (ledger.timeZone ? ' ' + ledger.timeZone : '');
    $('saved').textContent = total.endpointHours > 0 || total.costUsd > 0
      ? percent(total.savedPercent) + ' saved vs always-on since ' + from + ' · ' + money(total.savedUsd)
      : serverless ? 'no invocation billed yet' : 'the endpoint has been off';
    const hours = total.endpointHours || 0;
    // A serverless endpoint bills GB-seconds of invocation, not endpoint-hours.
    const billed = serverless
      ? total.gbSeconds.toFixed(1) + ' GB-s of invocations'
      : hours.toFixed(hours < 10 ? 2 : 1) + ' endpoint-hours';
    $('per-image').textContent = (total.images || 0) + ' images · ' + billed + ' · '
      + money(total.costPerImageUsd) + ' per image';
  }

  let ledgerTimer;
  /** New results change today's images: the chart follows within a few seconds. */
  function ledgerSoon() {
    clearTimeout(ledgerTimer);
    ledgerTimer = setTimeout(refreshLedger, 3000);
  }

  async function refreshLedger() {
    try {
      showLedger(await api('/api/ledger?days=14'));
    } catch (e) {
      $('per-image').textContent = shown(e.message);
    }
  }

  // ---------------------------------------------------------------- start

  function wireFilters() {
    let typing;
    $('search').addEventListener('input', (e) => {
      clearTimeout(typing);
      typing = setTimeout(() => { state.filter.key = e.target.value.trim(); refreshResults(true); }, 250);
    });
    $('label').addEventListener('change', (e) => { state.filter.label = e.target.value; refreshResults(true); });
    $('status').addEventListener('change', (e) => { state.filter.status = e.target.value; refreshResults(true); });
    $('more').addEventListener('click', loadMore);
  }

  document.addEventListener('DOMContentLoaded', () => {
    ['start', 'stop', 'auto'].forEach((a) => $(a).addEventListener('click', () => control(a)));
    wireUploads();
    wireFilters();
    refreshStatus();
    refreshResults(true);
    refreshLedger();
    setInterval(refreshStatus, 2500);
    setInterval(() => { refreshResults(false); checkPending(); }, 2500);
    setInterval(refreshLedger, 30000);
  });
})();
