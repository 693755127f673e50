// This node's leaf set (a table) and routing table (a 40 x 16 grid coloured by measured RTT).

import { el, svg, clear, shortKey, rtt, rttColour } from './format.js';
import { paintDots } from './details.js';

export function drawLeafSet(tbody, node, colours, onSelect) {
  clear(tbody);
  if (!node.leafSet.length) {
    tbody.appendChild(el('tr', {}, el('td', { colspan: 4, class: 'note', text: 'empty: this node knows no other node yet' })));
    return;
  }
  for (const l of node.leafSet) {
    tbody.appendChild(el('tr', { dataset: { key: l.key }, onclick: () => onSelect(l.key) },
      el('td', { class: 'key', title: l.key, text: l.key }),
      el('td', {}, el('span', { class: 'dot region-dot', dataset: { region: l.region } }), l.region),
      el('td', { class: 'mono', text: l.url }),
      el('td', { class: 'num', text: rtt(l.rttMs) })));
  }
  paintDots(tbody, colours);
}

const CELL = 11;
const LEFT = 24;

export function drawRoutingTable(root, summary, node) {
  clear(root);
  const width = LEFT + 16 * CELL;
  const height = 12 + 40 * CELL;
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  root.setAttribute('width', width);
  root.setAttribute('height', height);
  const entries = new Map();
  for (const t of node.routingTable) {
    const k = `${t.row},${t.col}`;
    if (!entries.has(k)) entries.set(k, []);
    entries.get(k).push(t);
  }
  for (let c = 0; c < 16; c++) {
    root.appendChild(svg('text', { x: LEFT + c * CELL + 3, y: 9, text: c.toString(16) }));
  }
  let rows = 0;
  for (let r = 0; r < 40; r++) {
    if (r % 5 === 0) root.appendChild(svg('text', { x: 0, y: 12 + r * CELL + 10, text: String(r) }));
    const own = parseInt(node.key[r], 16);
    for (let c = 0; c < 16; c++) {
      const here = entries.get(`${r},${c}`);
      const x = LEFT + c * CELL;
      const y = 12 + r * CELL;
      if (here) {
        rows = Math.max(rows, r + 1);
        const best = here.reduce((a, b) => (b.rttMs !== null && (a.rttMs === null || b.rttMs < a.rttMs) ? b : a));
        const rect = svg('rect', { class: 'cell filled' + (best.rttMs === null ? ' unmeasured' : ''), x, y, width: CELL, height: CELL,
          dataset: { key: best.key } },
        svg('title', { text: here.map(t => `row ${r}, column ${c.toString(16)}: ${t.key}\n${t.url} · ${rtt(t.rttMs)}`).join('\n') }));
        if (best.rttMs !== null) rect.style.fill = rttColour(best.rttMs); // the CSSOM beats the stylesheet's cell colour
        root.appendChild(rect);
      } else {
        root.appendChild(svg('rect', { class: 'cell' + (c === own ? ' own' : ''), x, y, width: CELL, height: CELL },
          svg('title', { text: c === own ? `row ${r}: this node's own digit` : `row ${r}, column ${c.toString(16)}: empty` })));
      }
    }
  }
  const cells = entries.size;
  const n = node.routingTable.length;
  summary.textContent = `${n} entr${n === 1 ? 'y' : 'ies'} in ${cells} of 640 cells, ${rows} row${rows === 1 ? '' : 's'} in use; `
    + `this node is ${shortKey(node.key)} (${node.region}), ${node.joined ? 'joined' : 'not joined yet'}`;
}

export function routingLegend(root) {
  clear(root);
  for (const [label, colour] of [['1 ms', rttColour(1)], ['20 ms', rttColour(20)], ['100 ms', rttColour(100)], ['300 ms', rttColour(300)],
    ['not measured', rttColour(null)]]) {
    const dot = el('span', { class: 'dot' });
    dot.style.background = colour;
    root.appendChild(el('li', {}, dot, label));
  }
  const own = el('span', { class: 'dot' });
  own.style.background = '#d0d5dd';
  root.appendChild(el('li', {}, own, "this node's own digit"));
}
