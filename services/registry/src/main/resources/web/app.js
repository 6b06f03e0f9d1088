// The registry page: loads the lineage list, one lineage's graph and scatter, the side panels,
// then follows the server-sent events. The root gets data-ready="true" (and data-ready-ms, the
// time since navigation) once the first lineage is laid out, for tests and the benchmark.
import { KIND_COLOURS } from './format.js';
import { LineageGraph } from './lineage-graph.js';
import { Scatter } from './scatter.js';
import { renderAliases, renderDeadLetters, renderJobs, renderLineages } from './side-panels.js';
import { renderCompare, renderVersion } from './version-panel.js';

const $ = (id) => document.getElementById(id);
const root = $('app');
const page = {
  lineages: [], lineage: null, graph: null, frontier: [], dataset: null, x: 'macs',
  selected: null, pinned: null, aliases: [], jobs: new Map(), versions: 0, dead: { total: 0, stages: [], recent: [] },
};

async function api(path) {
  const r = await fetch(path);
  const body = await r.json();
  if (!r.ok) throw new Error(`${path}: ${r.status} ${body.error}`);
  return body;
}

function debounce(fn, ms) {
  let timer = null;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

function hashState() {
  return new URLSearchParams(location.hash.replace(/^#/, ''));
}

function saveHash() {
  const h = new URLSearchParams();
  if (page.lineage) h.set('lineage', page.lineage);
  if (page.selected) h.set('version', page.selected);
  if (page.pinned) h.set('compare', page.pinned);
  h.set('x', page.x);
  history.replaceState(null, '', '#' + h.toString());
}

const graph = new LineageGraph($('graph-svg'), (id) => select(id));
const scatter = new Scatter($('scatter'), (id) => select(id));

function aliasesById() {
  const m = new Map();
  for (const a of page.aliases) {
    if (!m.has(a.versionId)) m.set(a.versionId, []);
    m.get(a.versionId).push(a.name);
  }
  return m;
}

/** The data set most of the lineage's measured versions share: accuracy is only comparable within one. */
function mainDataset(versions) {
  const counts = new Map();
  for (const v of versions) {
    if (v.dataset && v.metrics.accuracy !== undefined) counts.set(v.dataset, (counts.get(v.dataset) || 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

function drawLineage() {
  const g = page.graph;
  const front = page.frontier;
  const nodes = graph.draw(g, new Set(front.map((v) => v.id)), page.selected, aliasesById());
  const points = scatter.draw(g.versions, front, page.x, page.dataset, page.selected);
  const datasets = new Set(g.versions.map((v) => v.dataset).filter(Boolean));
  $('dataset').textContent = page.dataset ? `on ${page.dataset}${datasets.size > 1 ? ` (${datasets.size - 1} other data set(s) not shown)` : ''} · ${points} measured` : 'nothing measured yet';
  $('lineage-title').textContent = g.lineage;
  root.dataset.nodes = String(nodes);
}

async function loadLineage(lineage) {
  const [g, f] = await Promise.all([
    api(`api/lineage/${encodeURIComponent(lineage)}`),
    api(`api/frontier?x=${page.x}&lineage=${encodeURIComponent(lineage)}`),
  ]);
  page.lineage = g.lineage;
  page.graph = g;
  page.dataset = mainDataset(g.versions);
  page.frontier = (f.frontiers.find((x) => x.dataset === page.dataset) || { versions: [] }).versions;
  drawLineage();
  renderLineages($('lineages'), page.lineages, page.lineage);
}

async function select(id) {
  const v = await api(`api/versions/${encodeURIComponent(id)}`);
  if (v.lineage !== page.lineage) await loadLineage(v.lineage);
  const parent = v.parents.length ? await api(`api/versions/${encodeURIComponent(v.parents[0])}`).catch(() => null) : null;
  page.selected = v.id;
  renderVersion($('version'), v, parent, page.pinned);
  $('pin').addEventListener('click', () => {
    page.pinned = page.pinned === v.id ? null : v.id;
    $('pin').textContent = page.pinned === v.id ? 'pinned for comparison' : 'compare with…';
    if (!page.pinned) $('compare-panel').classList.add('hidden');
    saveHash();
  });
  if (page.pinned && page.pinned !== v.id) {
    const pinned = await api(`api/versions/${encodeURIComponent(page.pinned)}`);
    renderCompare($('compare'), pinned, v);
    $('compare-panel').classList.remove('hidden');
  }
  drawLineage();
  saveHash();
}

async function refreshSide() {
  const [lineages, dead, aliases] = await Promise.all([api('api/lineages'), api('api/deadletters'), api('api/aliases')]);
  page.lineages = lineages.lineages;
  page.dead = dead;
  page.aliases = aliases.aliases;
  renderLineages($('lineages'), page.lineages, page.lineage);
  renderDeadLetters($('deadletters'), page.dead);
  renderAliases($('aliases'), page.aliases);
  counters();
}

function counters() {
  $('count-versions').textContent = page.versions.toLocaleString('en');
  $('count-lineages').textContent = page.lineages.length.toLocaleString('en');
  $('count-dead').textContent = page.dead.total.toLocaleString('en');
  $('count-jobs').textContent = String(page.jobs.size);
}

function renderLegend() {
  $('legend').innerHTML = Object.entries(KIND_COLOURS)
    .map(([k, c]) => `<span><i style="background:${c}"></i>${k.toLowerCase()}</span>`).join('')
    + '<span><i style="background:#fff;border:2px solid #111827"></i>on the frontier</span>';
}

const refreshLineage = debounce(() => page.lineage && loadLineage(page.lineage).catch(report), 200);
const refreshSideSoon = debounce(() => refreshSide().catch(report), 300);

function follow() {
  const events = new EventSource('api/events');
  events.onopen = () => $('live').className = 'live on';
  events.onerror = () => $('live').className = 'live off';
  events.addEventListener('version', (e) => {
    const v = JSON.parse(e.data);
    page.versions++;
    counters();
    if (!page.lineage || v.lineage === page.lineage) {
      if (!page.lineage) page.lineage = v.lineage;
      refreshLineage();
    }
    refreshSideSoon();
  });
  events.addEventListener('deadletter', refreshSideSoon);
  events.addEventListener('alias', () => {
    refreshSideSoon();
    refreshLineage();
  });
  events.addEventListener('progress', (e) => {
    const p = JSON.parse(e.data);
    if (p.state === 'RUNNING') page.jobs.set(p.jobId, p);
    else page.jobs.delete(p.jobId);
    renderJobs($('jobs'), [...page.jobs.values()]);
    counters();
  });
}

function report(error) {
  // shown on the page; the console is kept for what the page did not expect
  $('version').innerHTML = `<p class="reason">${String(error.message || error)}</p>`;
}

function wire() {
  $('lineages').addEventListener('click', (e) => {
    const li = e.target.closest('li[data-lineage]');
    if (li) {
      page.selected = null;
      loadLineage(li.dataset.lineage).then(saveHash).catch(report);
    }
  });
  document.body.addEventListener('click', (e) => {
    const a = e.target.closest('a.goto');
    if (a) select(a.dataset.id).catch(report);
  });
  $('x-metric').addEventListener('change', (e) => {
    page.x = e.target.value;
    saveHash();
    loadLineage(page.lineage).catch(report);
  });
  $('fit').addEventListener('click', () => graph.fit());
  $('compare-close').addEventListener('click', () => {
    page.pinned = null;
    $('compare-panel').classList.add('hidden');
    saveHash();
  });
}

async function start() {
  renderLegend();
  wire();
  const h = hashState();
  page.x = h.get('x') || 'macs';
  $('x-metric').value = page.x;
  page.pinned = h.get('compare');
  // a lineage named in the address loads beside the lists; otherwise the newest, once they are in
  const named = h.get('lineage');
  const [health, progress] = await Promise.all([api('api/health'), api('api/progress'), refreshSide(),
    named ? loadLineage(named) : null]);
  page.versions = health.versions;
  for (const p of progress.jobs) page.jobs.set(p.jobId, p);
  renderJobs($('jobs'), [...page.jobs.values()]);
  counters();
  if (!named && page.lineages[0]) await loadLineage(page.lineages[0].lineage);
  if (h.get('version')) await select(h.get('version'));
  follow();
  root.dataset.readyMs = performance.now().toFixed(0);
  root.dataset.ready = 'true';
}

start().catch((e) => {
  report(e);
  root.dataset.ready = 'error';
});
