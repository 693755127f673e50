// Locality figures (GET /admin/api/locality): {"answers", "sameRegionShare", "medianRttMs":
// {"handed", "random"}}, numbers null until measured. A node without the endpoint answers 404.

import { el, clear, count } from './format.js';

export function drawLocality(root, r) {
  clear(root);
  if (!r.ok && r.status === 404) {
    root.appendChild(el('p', { class: 'note', text: 'locality figures not available on this node' }));
    return;
  }
  if (!r.ok) {
    root.appendChild(el('p', { class: 'error', text: `locality figures: ${r.message}` }));
    return;
  }
  const d = r.data || {};
  const median = d.medianRttMs || {};
  const ms = v => (v === null || v === undefined ? 'not measured yet' : `${Number(v).toFixed(1)} ms`);
  root.appendChild(el('dl', { class: 'figures' },
    el('dt', { text: 'answers measured' }), el('dd', { text: count(d.answers) }),
    el('dt', { text: 'peers handed out from the requester\'s region' }),
    el('dd', { text: d.sameRegionShare === null || d.sameRegionShare === undefined
      ? 'not measured yet' : `${(100 * d.sameRegionShare).toFixed(1)} %` }),
    el('dt', { text: 'median predicted RTT of peers handed out' }), el('dd', { text: ms(median.handed) }),
    el('dt', { text: 'median predicted RTT of a random choice' }), el('dd', { text: ms(median.random) })));
}
