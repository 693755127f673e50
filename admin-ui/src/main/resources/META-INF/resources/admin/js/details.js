// The details of one node of the cluster view: key, URL, region, state, leaf set and routing fill.

import { el, svg, clear, shortKey, clock, ago, count } from './format.js';

/** A 40 x 16 grid of which routing-table cells hold a node (bit c of routingRows[r]). */
export function fillGrid(rows, key, cell = 5) {
  const g = svg('svg', { class: 'fill-grid', width: 16 * cell, height: 40 * cell, viewBox: `0 0 ${16 * cell} ${40 * cell}` });
  for (let r = 0; r < 40; r++) {
    const mask = rows[r] || 0;
    const own = key ? parseInt(key[r], 16) : -1;
    for (let c = 0; c < 16; c++) {
      const filled = (mask >> c) & 1;
      g.appendChild(svg('rect', {
        class: 'cell' + (filled ? ' filled' : c === own ? ' own' : ''),
        x: c * cell, y: r * cell, width: cell - 1, height: cell - 1,
      }));
    }
  }
  return g;
}

export function drawDetails(root, node, cluster, colours) {
  clear(root);
  if (!node) {
    root.appendChild(el('p', { class: 'hint', text: 'Hover over or click a node of the ring or of the table below.' }));
    return;
  }
  const self = node.key === cluster.self;
  const state = node.reachable
    ? el('span', { text: 'answering' })
    : el('span', { class: 'bad', text: `unreachable since ${clock(node.unreachableSince)} (${ago(node.unreachableSince)})` });
  const dl = el('dl', {},
    el('dt', { text: 'key' }), el('dd', { class: 'mono', text: node.key }),
    el('dt', { text: 'URL' }), el('dd', { class: 'mono', text: node.url }),
    el('dt', { text: 'region' }), el('dd', {}, el('span', { class: 'dot region-dot', dataset: { region: node.region || '' } }),
      node.region || 'unknown (never answered)'),
    el('dt', { text: 'state' }), el('dd', {}, state),
    el('dt', { text: 'last seen' }), el('dd', { text: node.lastSeen ? `${clock(node.lastSeen)} (${ago(node.lastSeen)})` : 'never' }),
    el('dt', { text: 'joined' }), el('dd', { text: node.joined === null ? 'unknown' : node.joined ? 'yes' : 'not yet' }),
    el('dt', { text: 'swarms / peers' }), el('dd', { text: `${count(node.swarms)} / ${count(node.peers)}` }),
    el('dt', { text: 'routing entries' }), el('dd', { text: count(node.routingEntries) }));
  root.appendChild(el('h3', { text: self ? `${shortKey(node.key)} — this node` : shortKey(node.key) }));
  root.appendChild(dl);
  paintDots(root, colours);
  const byKey = new Map(cluster.nodes.map(n => [n.key, n]));
  const leaves = el('ul', { class: 'keys' });
  for (const k of node.leafSet || []) {
    const other = byKey.get(k);
    leaves.appendChild(el('li', { class: 'mono' },
      el('span', { class: 'dot region-dot', dataset: { region: other ? other.region || '' : '' } }), shortKey(k),
      other && !other.reachable ? ' (unreachable)' : ''));
  }
  paintDots(leaves, colours);
  const routing = el('div', {}, el('p', { class: 'note', text: 'routing-table fill (40 × 16)' }), fillGrid(node.routingRows || [], node.key));
  root.appendChild(el('div', { class: 'ring-layout' },
    el('div', {}, el('p', { class: 'note', text: `leaf set (${count(node.leafSetSize)})` }), leaves), routing));
}

/** Region dots get their colour through the CSSOM (no inline style attributes: the page's CSP forbids them). */
export function paintDots(root, colours) {
  for (const d of root.querySelectorAll('.region-dot')) {
    d.style.background = colours.of(d.dataset.region);
  }
}
