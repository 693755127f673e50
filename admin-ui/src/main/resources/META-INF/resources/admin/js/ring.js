// The overlay as a ring: every node at the angle of its key, coloured by region; this node
// highlighted; unreachable nodes hollow and crossed; the hovered or selected node's leaf set drawn.

import { svg, clear, shortKey, ringFraction, clock } from './format.js';

const C = 220;
const R = 170;

function position(key, radius = R) {
  const a = ringFraction(key) * 2 * Math.PI - Math.PI / 2; // key 0 at the top, clockwise
  return [C + radius * Math.cos(a), C + radius * Math.sin(a)];
}

/**
 * Draws `cluster.nodes` into `root` (an <svg>). `focus` is the key whose leaf set is drawn,
 * `selected` the clicked one; `onHover(key|null)` and `onSelect(key)` report the pointer.
 */
export function drawRing(root, cluster, colours, { focus, selected, onHover, onSelect }) {
  clear(root);
  root.appendChild(svg('circle', { class: 'track', cx: C, cy: C, r: R }));
  const nodes = cluster.nodes;
  const byKey = new Map(nodes.map(n => [n.key, n]));
  const focused = byKey.get(focus);
  if (focused) {
    const [x1, y1] = position(focused.key);
    for (const k of focused.leafSet || []) {
      if (!byKey.has(k)) continue;
      const [x2, y2] = position(k);
      // a chord bent towards the centre, so that neighbours next to each other stay visible
      const mx = (x1 + x2) / 2 + (C - (x1 + x2) / 2) * 0.35;
      const my = (y1 + y2) / 2 + (C - (y1 + y2) / 2) * 0.35;
      root.appendChild(svg('path', { class: 'leaf-link', d: `M ${x1} ${y1} Q ${mx} ${my} ${x2} ${y2}` }));
    }
  }
  const labelled = nodes.length <= 32;
  for (const n of nodes) {
    const self = n.key === cluster.self;
    const [x, y] = position(n.key);
    const classes = ['node'];
    if (self) classes.push('self');
    if (!n.reachable) classes.push('unreachable');
    if (n.key === selected) classes.push('selected');
    const title = `${n.key}\n${n.region || 'region unknown'} · ${n.url}` + (self ? '\nthis node' : '')
      + (n.reachable ? '' : `\nunreachable since ${clock(n.unreachableSince)}`);
    const g = svg('g', { class: classes.join(' '), dataset: { key: n.key } },
      svg('title', { text: title }),
      svg('circle', { cx: x, cy: y, r: self ? 10 : 7, fill: colours.of(n.region) }));
    if (!n.reachable) {
      g.appendChild(svg('text', { class: 'cross', x, y: y + 4, 'text-anchor': 'middle', text: '×' }));
    }
    if (labelled) {
      const [lx, ly] = position(n.key, R + 24);
      g.appendChild(svg('text', { x: lx, y: ly + 3, 'text-anchor': lx < C - 5 ? 'end' : lx > C + 5 ? 'start' : 'middle',
        text: shortKey(n.key) + (self ? ' (this node)' : '') }));
    }
    g.addEventListener('mouseenter', () => onHover(n.key));
    g.addEventListener('mouseleave', () => onHover(null));
    g.addEventListener('click', () => onSelect(n.key));
    root.appendChild(g);
  }
  const down = nodes.filter(n => !n.reachable).length;
  root.appendChild(svg('text', { class: 'centre', x: C, y: C - 6, text: `${nodes.length} node${nodes.length === 1 ? '' : 's'}` }));
  root.appendChild(svg('text', { class: 'centre', x: C, y: C + 14, text: down ? `${down} unreachable` : 'all answering' }));
}
