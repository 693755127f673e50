// The cluster's largest swarms (GET /admin/api/swarms) and the per-swarm view of one
// (GET /admin/api/swarm?info_hash=...), with every error in words.

import { getJson } from './api.js';
import { el, clear, shortKey, count, clock } from './format.js';
import { paintDots } from './details.js';

export function drawSwarms(tbody, data, colours, onPick) {
  clear(tbody);
  if (!data.swarms.length) {
    tbody.appendChild(el('tr', {}, el('td', { colspan: 6, class: 'note',
      text: 'no swarm is held yet (swarms appear once peers announce; the partial trackers keep their full lists at the roots)' })));
    return;
  }
  for (const s of data.swarms) {
    const replicas = s.holders.filter(h => h.role === 'replica').length;
    tbody.appendChild(el('tr', { dataset: { hash: s.infoHash }, onclick: () => onPick(s.infoHash) },
      el('td', { class: 'hash', title: s.infoHash, text: s.infoHash }),
      el('td', { class: 'num', text: count(s.seeders) }),
      el('td', { class: 'num', text: count(s.leechers) }),
      el('td', { class: 'num', text: count(s.downloaded) }),
      el('td', {}, s.root
        ? [el('span', { class: 'dot region-dot', dataset: { region: s.root.region || '' } }), `${shortKey(s.root.key)} (${s.root.region || '?'})`]
        : 'no root answered'),
      el('td', { text: `${s.root ? 'root' : 'no root'} + ${replicas} replica${replicas === 1 ? '' : 's'}` })));
  }
  paintDots(tbody, colours);
}

/** Looks one swarm up and shows its holders (root, replicas, path, local) or says why not. */
export async function searchSwarm(input, result, colours) {
  const hash = input.value.trim().toLowerCase();
  clear(result);
  if (!/^[0-9a-f]{40}$/.test(hash)) {
    result.appendChild(el('p', { class: 'error', text: `an info_hash is 40 hex digits; "${input.value.trim().slice(0, 60)}" is not one` }));
    return;
  }
  result.appendChild(el('p', { class: 'note', text: `asking the cluster about ${hash}…` }));
  const r = await getJson(`/admin/api/swarm?info_hash=${hash}`, 15000);
  clear(result);
  if (!r.ok) {
    result.appendChild(el('p', { class: 'error', text: `swarm ${hash}: ${r.message}` }));
    return;
  }
  const s = r.data;
  const rows = s.holders.map(h => el('tr', {},
    el('td', { text: h.role }),
    el('td', { class: 'key', title: h.key, text: shortKey(h.key) }),
    el('td', {}, el('span', { class: 'dot region-dot', dataset: { region: h.region || '' } }), h.region || '?'),
    el('td', { class: 'mono', text: h.url }),
    el('td', { class: 'num', text: count(h.seeders) }),
    el('td', { class: 'num', text: count(h.leechers) })));
  const card = el('div', { class: 'card', dataset: { hash: s.infoHash } },
    el('p', {}, el('strong', { class: 'hash', text: s.infoHash }),
      ` — ${count(s.seeders)} seeders, ${count(s.leechers)} leechers, ${count(s.downloaded)} downloaded; root ${shortKey(s.root.key)} (${s.root.url}); asked at ${clock(new Date().toISOString())}, search again for a newer view`),
    el('table', { class: 'data' },
      el('thead', {}, el('tr', {}, ...['role', 'node', 'region', 'URL', 'seeders', 'leechers'].map(t => el('th', { text: t })))),
      el('tbody', {}, rows)));
  result.appendChild(card);
  paintDots(card, colours);
}
