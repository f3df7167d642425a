// The page's entry (index.html loads it as a module): wires each part, one module per role, and polls the server.

import { control, refreshStatus } from './endpoint.js';
import { refreshLedger } from './ledger.js';
import { checkPending, refreshResults, wireFilters } from './results.js';
import { $ } from './shared.js';
import { wireUploads } from './uploads.js';

document.addEventListener('DOMContentLoaded', () => {
  ['start', 'stop', 'auto'].forEach((a) => $(a).addEventListener('click', () => control(a)));
  wireUploads();
  wireFilters();
  // The results after the first status, which names the zone their times are said in.
  refreshStatus().then(() => refreshResults(true));
  refreshLedger();
  setInterval(refreshStatus, 2500);
  setInterval(() => { refreshResults(false); checkPending(); }, 2500);
  setInterval(refreshLedger, 30000);
});
