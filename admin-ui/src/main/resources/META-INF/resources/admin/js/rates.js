// Announce, scrape and error rates from a ring of samples of this node's counters
// (GET /admin/api/counters, cumulative since the node started), and CPU time per request.

import { el, svg, clear } from './format.js';

export const SAMPLE_MS = 2000;
const WINDOW_MS = 10 * 60 * 1000;
const CAPACITY = WINDOW_MS / SAMPLE_MS + 1;
const CPU_WINDOW_MS = 30 * 1000;

const SERIES = [
  { key: 'announces', label: 'announces/s', colour: '#0072B2' },
  { key: 'scrapes', label: 'scrapes/s', colour: '#009E73' },
  { key: 'errors', label: 'errors/s', colour: '#D55E00' },
];

export class Rates {
  constructor(root, cpuLine) {
    this.root = root;
    this.cpuLine = cpuLine;
    this.samples = [];
  }

  /** Adds a sample; a counter that went down means the node restarted: start over. */
  add(sample) {
    const last = this.samples[this.samples.length - 1];
    if (last && (sample.announces < last.announces || sample.scrapes < last.scrapes || sample.atMillis <= last.atMillis)) {
      this.samples = [];
    }
    this.samples.push(sample);
    while (this.samples.length > CAPACITY) this.samples.shift();
  }

  /** Per-second rates between consecutive samples: [{t, announces, scrapes, errors}]. */
  rates() {
    const out = [];
    for (let i = 1; i < this.samples.length; i++) {
      const a = this.samples[i - 1];
      const b = this.samples[i];
      const dt = (b.atMillis - a.atMillis) / 1000;
      out.push({ t: b.atMillis, announces: (b.announces - a.announces) / dt, scrapes: (b.scrapes - a.scrapes) / dt,
        errors: (b.errors - a.errors) / dt });
    }
    return out;
  }

  draw() {
    clear(this.root);
    const rates = this.rates();
    const now = this.samples.length ? this.samples[this.samples.length - 1].atMillis : Date.now();
    // the time axis spans what was sampled so far (at least a minute), up to the 10-minute window
    const span = Math.min(WINDOW_MS, Math.max(60 * 1000, this.samples.length ? now - this.samples[0].atMillis : 0));
    for (const s of SERIES) {
      const values = rates.map(r => r[s.key]);
      const current = values.length ? values[values.length - 1] : null;
      const max = Math.max(1, ...values);
      const chart = svg('svg', { viewBox: '0 0 300 50', preserveAspectRatio: 'none', role: 'img', 'aria-label': s.label });
      if (values.length > 1) {
        const pts = rates.map(r => [300 * (1 - (now - r.t) / span), 48 - 44 * (r[s.key] / max)]);
        const line = pts.map(p => p.map(v => v.toFixed(1)).join(',')).join(' ');
        chart.appendChild(svg('polygon', { points: `${pts[0][0].toFixed(1)},48 ${line} ${pts[pts.length - 1][0].toFixed(1)},48`, fill: s.colour }));
        chart.appendChild(svg('polyline', { points: line, stroke: s.colour }));
      }
      this.root.appendChild(el('div', { class: 'chart', dataset: { series: s.key } },
        el('div', { class: 'label' },
          el('span', {}, s.label + ' ', el('strong', { class: 'current', text: current === null ? 'measuring…' : format(current) })),
          el('span', { text: `peak ${format(Math.max(0, ...values))} · last ${axis(span)}` })),
        chart));
    }
    this.cpuLine.textContent = this.cpuText();
  }

  cpuText() {
    const last = this.samples[this.samples.length - 1];
    if (!last) return '';
    if (last.cpuSeconds === null || last.cpuSeconds === undefined) return 'CPU time per request: this JVM does not report process CPU time';
    let first = last;
    for (let i = this.samples.length - 1; i >= 0 && last.atMillis - this.samples[i].atMillis <= CPU_WINDOW_MS; i--) {
      first = this.samples[i];
    }
    const requests = (last.announces + last.scrapes) - (first.announces + first.scrapes);
    if (first === last || requests <= 0) {
      return 'CPU time per request: no requests in the last 30 s';
    }
    const us = ((last.cpuSeconds - first.cpuSeconds) * 1e6) / requests;
    return `CPU time of this node's process per request served, last ${Math.round((last.atMillis - first.atMillis) / 1000)} s: `
      + `${us < 100 ? us.toFixed(1) : Math.round(us)} µs (everything the process did, overlay and GC included, over ${requests} requests)`;
  }
}

function axis(ms) {
  return ms >= 90 * 1000 ? `${Math.round(ms / 60000)} min` : `${Math.round(ms / 1000)} s`;
}

function format(v) {
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}
