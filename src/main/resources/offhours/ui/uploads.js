// Uploads: each file dropped or chosen is checked with the server, then sent, its progress and answer in its row.

import { showStatus } from './endpoint.js';
import { render, thumbImage } from './results.js';
import { $, api, el, keyLine, shown, state, token } from './shared.js';

function waitingCard(key) {
  const card = el('article', 'card waiting');
  card.dataset.key = key;
  card.dataset.status = 'WAITING';
  const thumb = el('div', 'thumb');
  thumb.append(thumbImage(key, thumb), el('span', 'badge', 'WAITING'));
  const body = el('div', 'body');
  const name = keyLine(key);
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

export function wireUploads() {
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
