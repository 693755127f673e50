// The operator's page: polls this node's admin API and redraws the panels, without reloading.

import { getJson, every } from './api.js';
import { el, clear, shortKey, clock, ago, count, RegionColours } from './format.js';
import { drawRing } from './ring.js';
import { drawDetails, paintDots } from './details.js';
import { drawLeafSet, drawRoutingTable, routingLegend } from './routing.js';
import { Heatmap } from './heatmap.js';
import { Rates, SAMPLE_MS } from './rates.js';
import { drawSwarms, searchSwarm } from './swarms.js';
import { drawLocality } from './locality.js';

const $ = id => document.getElementById(id);

const state = { cluster: null, node: null, selected: null, hovered: null, errors: new Map() };
const colours = new RegionColours();
const heatmap = new Heatmap($('heatmap'), $('heatmap-caption'), $('heatmap-legend'));
const rates = new Rates($('rates'), $('cpu'));

function showError(id, message) {
  const p = $(id);
  if (message) {
    p.textContent = message;
    p.hidden = false;
  } else {
    p.hidden = true;
    p.textContent = '';
  }
  if (message) state.errors.set(id, message); else state.errors.delete(id);
  const status = $('status');
  if (state.errors.size) {
    status.textContent = `${state.errors.size} part${state.errors.size === 1 ? '' : 's'} of this page could not be refreshed (see below)`;
    status.classList.add('bad');
  } else {
    status.textContent = `updated ${clock(new Date().toISOString())}`;
    status.classList.remove('bad');
  }
}

// ------------------------------------------------------------------ this node

async function refreshNode() {
  const r = await getJson('/admin/api/node');
  if (!r.ok) {
    showError('node-error', `this node's overlay state: ${r.message}`);
    return;
  }
  state.node = r.data;
  showError('node-error', null);
  drawLeafSet($('leafset').tBodies[0], r.data, colours, select);
  drawRoutingTable($('routing'), $('routing-summary'), r.data);
  drawSummary();
}

// ------------------------------------------------------------------ the cluster

async function refreshCluster() {
  const r = await getJson('/admin/api/cluster', 15000);
  if (!r.ok) {
    const since = state.cluster ? ` (showing the view gathered at ${clock(state.cluster.gatheredAt)})` : '';
    showError('cluster-error', `the cluster view: ${r.message}${since}`);
    return;
  }
  state.cluster = r.data;
  showError('cluster-error', null);
  const note = $('cluster-note');
  note.hidden = r.data.complete;
  note.textContent = r.data.complete ? ''
    : 'partial view: a bound of the gathering (nodes, bytes or time; ctracker.admin.cluster.*) cut it short';
  if (!state.selected) state.selected = r.data.self;
  drawCluster();
}

function drawCluster() {
  const c = state.cluster;
  if (!c) return;
  colours.update(c.nodes.map(n => n.region).concat(state.node ? state.node.leafSet.map(l => l.region) : []));
  const focus = state.hovered || state.selected;
  drawRing($('ring'), c, colours, { focus, selected: state.selected, onHover: hover, onSelect: select });
  drawLegend();
  drawNodes();
  drawDetails($('node-details'), c.nodes.find(n => n.key === focus), c, colours);
  heatmap.draw(c, colours);
  drawSummary();
  paintDots(document.body, colours); // panels drawn before the regions were known get their colours too
}

function drawLegend() {
  const ul = clear($('ring-legend'));
  const nodes = state.cluster.nodes;
  for (const [region, colour] of colours.entries()) {
    const n = nodes.filter(x => x.region === region).length;
    const dot = el('span', { class: 'dot' });
    dot.style.background = colour;
    ul.appendChild(el('li', {}, dot, `${region} (${n})`));
  }
  const hollow = el('span', { class: 'dot' });
  hollow.style.border = '2px dashed #b42318';
  ul.appendChild(el('li', {}, hollow, 'unreachable'));
}

function drawNodes() {
  const c = state.cluster;
  const tbody = clear($('nodes').tBodies[0]);
  const down = c.nodes.filter(n => !n.reachable).length;
  $('nodes-count').textContent = `${c.nodes.length} known, ${down} unreachable; gathered at ${clock(c.gatheredAt)} in ${c.tookMs} ms`;
  for (const n of c.nodes) {
    const self = n.key === c.self;
    const state_ = self ? 'this node' : n.reachable ? 'answering'
      : `unreachable since ${clock(n.unreachableSince)} (${ago(n.unreachableSince)})`
        + (n.lastSeen ? `, last seen ${clock(n.lastSeen)}` : ', never answered');
    const classes = [self ? 'self' : '', n.reachable ? '' : 'unreachable', n.key === state.selected ? 'selected' : ''].join(' ').trim();
    tbody.appendChild(el('tr', { class: classes || null, dataset: { key: n.key, reachable: String(n.reachable) },
      onclick: () => select(n.key), onmouseenter: () => hover(n.key), onmouseleave: () => hover(null) },
    el('td', { class: 'key', text: n.key }),
    el('td', { class: 'region' }, el('span', { class: 'dot region-dot', dataset: { region: n.region || '' } }), n.region || 'unknown'),
    el('td', { class: 'mono', text: n.url }),
    el('td', { class: 'state', text: state_ }),
    el('td', { class: 'num', text: count(n.leafSetSize) }),
    el('td', { class: 'num', text: count(n.routingEntries) }),
    el('td', { class: 'num', text: count(n.swarms) }),
    el('td', { class: 'num', text: count(n.peers) })));
  }
  paintDots(tbody, colours);
}

function drawSummary() {
  const c = state.cluster;
  const me = state.node;
  const parts = [];
  if (c) {
    const regions = new Set(c.nodes.map(n => n.region).filter(r => r)).size;
    parts.push(`overlay of ${c.nodes.length} node${c.nodes.length === 1 ? '' : 's'} in ${regions} region${regions === 1 ? '' : 's'}`);
    const down = c.nodes.filter(n => !n.reachable).length;
    if (down) parts.push(`${down} unreachable`);
  }
  if (me) parts.push(`this node ${shortKey(me.key)} (${me.region}) at ${me.url}${me.joined ? '' : ', not joined yet'}`);
  $('summary').textContent = parts.join(' · ') || 'connecting to this node…';
}

function hover(key) {
  if (state.hovered === key) return;
  state.hovered = key;
  drawCluster();
}

function select(key) {
  state.selected = key;
  drawCluster();
}

// ------------------------------------------------------------------ swarms, rates, locality

async function refreshSwarms() {
  const r = await getJson('/admin/api/swarms?limit=20', 15000);
  if (!r.ok) {
    showError('swarms-error', `the largest swarms: ${r.message}`);
    return;
  }
  showError('swarms-error', null);
  drawSwarms($('swarms').tBodies[0], r.data, colours, hash => {
    $('swarm-hash').value = hash;
    searchSwarm($('swarm-hash'), $('swarm-result'), colours);
  });
}

async function refreshCounters() {
  const r = await getJson('/admin/api/counters');
  if (!r.ok) {
    showError('rates-error', `this node's request counters: ${r.message}`);
    return;
  }
  showError('rates-error', null);
  rates.add(r.data);
  rates.draw();
}

async function refreshLocality() {
  drawLocality($('locality'), await getJson('/admin/api/locality'));
}

$('swarm-search').addEventListener('submit', e => {
  e.preventDefault();
  searchSwarm($('swarm-hash'), $('swarm-result'), colours);
});

routingLegend($('routing-legend'));
every(3000, refreshNode);
every(2000, refreshCluster);
every(5000, refreshSwarms);
every(SAMPLE_MS, refreshCounters);
every(15000, refreshLocality);
