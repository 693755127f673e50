// Small formatting helpers and the region palette, shared by the panels.

export const SVG = 'http://www.w3.org/2000/svg';

/** An element with attributes and children (strings become text nodes: nothing is parsed as HTML). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  setAttrs(e, attrs);
  append(e, children);
  return e;
}

export function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(SVG, tag);
  setAttrs(e, attrs);
  append(e, children);
  return e;
}

function setAttrs(e, attrs) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.setAttribute('class', v);
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(e, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function clear(e) {
  while (e.firstChild) e.removeChild(e.firstChild);
  return e;
}

export function shortKey(key) {
  return key ? key.slice(0, 8) : '?';
}

/** Position of a 160-bit key on the ring, 0..1 (its first 48 bits are plenty for a drawing). */
export function ringFraction(key) {
  return parseInt(key.slice(0, 12), 16) / 2 ** 48;
}

export function clock(iso) {
  if (!iso) return 'never';
  const d = new Date(iso);
  return d.toLocaleTimeString([], { hour12: false });
}

export function ago(iso, now = Date.now()) {
  if (!iso) return '';
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  return `${(s / 3600).toFixed(1)} h ago`;
}

export function rtt(ms) {
  if (ms === null || ms === undefined) return 'not measured';
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${Math.round(ms)} ms`;
}

export function count(n) {
  return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US');
}

// Eight colours that stay apart for colour-blind readers (Okabe and Ito), then more hues.
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000',
  '#8c564b', '#7f7f7f', '#17becf', '#bcbd22'];

/** A colour per region, assigned in name order so that every node of the page agrees. */
export class RegionColours {
  constructor() {
    this.map = new Map();
  }

  update(regions) {
    const names = [...new Set(regions.filter(r => r))].sort();
    this.map = new Map(names.map((r, i) => [r, PALETTE[i % PALETTE.length]]));
  }

  of(region) {
    return this.map.get(region) || '#98a2b3';
  }

  entries() {
    return [...this.map.entries()];
  }
}

/** Green for near, through yellow, to red for far (log scale, 1 ms .. 300 ms). */
export function rttColour(ms) {
  if (ms === null || ms === undefined) return '#98a2b3';
  const t = Math.min(1, Math.max(0, Math.log10(Math.max(ms, 1)) / Math.log10(300)));
  const hue = 120 * (1 - t);
  return `hsl(${hue.toFixed(0)}, 70%, 45%)`;
}
