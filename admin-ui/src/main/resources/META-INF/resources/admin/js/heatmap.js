// Node-to-node latency as a heatmap on a canvas: rows measure, columns are measured, both in key
// order; a cell is the smoothed RTT that the row's node keeps for the column's node.

import { el, clear, shortKey, rtt, rttColour } from './format.js';

export class Heatmap {
  constructor(canvas, caption, legend) {
    this.canvas = canvas;
    this.caption = caption;
    this.nodes = [];
    this.rtts = new Map();
    canvas.addEventListener('mousemove', e => this.hover(e));
    canvas.addEventListener('mouseleave', () => { this.caption.textContent = 'hover over a cell'; });
    clear(legend);
    for (const [label, ms] of [['1 ms', 1], ['10 ms', 10], ['50 ms', 50], ['300 ms', 300]]) {
      const dot = el('span', { class: 'dot' });
      dot.style.background = rttColour(ms);
      legend.appendChild(el('li', {}, dot, label));
    }
    const none = el('span', { class: 'dot' });
    none.style.background = '#eef0f4';
    legend.appendChild(el('li', {}, none, 'not neighbours'));
  }

  draw(cluster, colours) {
    this.nodes = cluster.nodes;
    this.rtts = new Map(cluster.latency.map(l => [`${l.from}>${l.to}`, l.rttMs]));
    const n = this.nodes.length;
    const band = 8;
    const cell = Math.max(2, Math.min(60, Math.floor(352 / Math.max(n, 1))));
    this.band = band;
    this.cell = cell;
    const size = band + cell * n;
    this.canvas.width = size;
    this.canvas.height = size;
    const g = this.canvas.getContext('2d');
    g.fillStyle = '#ffffff';
    g.fillRect(0, 0, size, size);
    this.nodes.forEach((row, i) => {
      g.fillStyle = colours.of(row.region);
      g.fillRect(0, band + i * cell, band - 2, cell);
      g.fillRect(band + i * cell, 0, cell, band - 2);
      this.nodes.forEach((col, j) => {
        const ms = this.rtts.get(`${row.key}>${col.key}`);
        g.fillStyle = i === j ? '#475467' : ms === undefined ? '#eef0f4' : rttColour(ms);
        g.fillRect(band + j * cell, band + i * cell, cell - (cell > 4 ? 1 : 0), cell - (cell > 4 ? 1 : 0));
      });
    });
  }

  hover(e) {
    const box = this.canvas.getBoundingClientRect();
    const scale = this.canvas.width / box.width;
    const x = (e.clientX - box.left) * scale - this.band;
    const y = (e.clientY - box.top) * scale - this.band;
    const i = Math.floor(y / this.cell);
    const j = Math.floor(x / this.cell);
    const from = this.nodes[i];
    const to = this.nodes[j];
    if (!from || !to || x < 0 || y < 0) {
      this.caption.textContent = 'hover over a cell';
      return;
    }
    if (from === to) {
      this.caption.textContent = `${shortKey(from.key)} (${from.region || '?'})`;
      return;
    }
    const ms = this.rtts.get(`${from.key}>${to.key}`);
    this.caption.textContent = `${shortKey(from.key)} (${from.region || '?'}) to ${shortKey(to.key)} (${to.region || '?'}): `
      + (ms === undefined ? 'not a neighbour, no measurement' : rtt(ms));
  }
}
