// Locality figures (GET /admin/api/locality): {"answers", "sameRegionShare", "medianRttMs":
// {"handed", "random"}, "ranking", "coordinate", "altoMaps"}, numbers null until measured. A node
// without the endpoint (an older one) answers 404, which is said in words.

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
  const rows = [
    ['answers measured', count(d.answers)],
    ['peers handed out from the requester\'s region', d.sameRegionShare === null || d.sameRegionShare === undefined
      ? 'not measured yet' : `${(100 * d.sameRegionShare).toFixed(1)} %`],
    ['median predicted RTT of peers handed out', ms(median.handed)],
    ['median predicted RTT of a random choice', ms(median.random)],
  ];
  if (typeof d.ranking === 'boolean') rows.push(['ranking by closeness', d.ranking ? 'on' : 'off (random answers)']);
  if ('coordinate' in d) {
    const c = d.coordinate;
    rows.push(['this node\'s network coordinate', c && Array.isArray(c.vector)
      ? `${c.vector.length} dimensions` + (typeof c.error === 'number' ? `, error ${c.error.toFixed(2)}` : '')
      : 'not settled yet']);
  }
  if (typeof d.altoMaps === 'string') rows.push(['ISP maps (ALTO)', d.altoMaps]);
  root.appendChild(el('dl', { class: 'figures' }, rows.map(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })])));
}
