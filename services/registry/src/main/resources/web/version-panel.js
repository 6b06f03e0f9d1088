// A version's page (metrics against its parent, operation, per-layer architecture, download) and
// two versions side by side.
import { METRICS, change, escapeHtml, kindOf, KIND_COLOURS, value, when } from './format.js';

function badge(kind) {
  return `<span class="badge" style="background:${KIND_COLOURS[kind] || KIND_COLOURS.OTHER}">${escapeHtml(kind)}</span>`;
}

function links(ids, cls) {
  return ids.length ? ids.map((id) => `<a class="${cls}" data-id="${escapeHtml(id)}"><code>${escapeHtml(id)}</code></a>`).join(' ') : '–';
}

function metricRows(v, parent) {
  const keys = [...METRICS.map((m) => m[0]), ...Object.keys(v.metrics).filter((k) => !METRICS.some((m) => m[0] === k)).sort()];
  return keys.filter((k) => v.metrics[k] !== undefined || (parent && parent.metrics[k] !== undefined)).map((k) => {
    const label = (METRICS.find((m) => m[0] === k) || [k, k])[1];
    const c = parent ? change(k, v.metrics[k], parent.metrics[k]) : { text: '', cls: '' };
    return `<tr><td>${escapeHtml(label)}</td><td class="num">${value(k, v.metrics[k])}</td>`
      + `<td class="num">${parent ? value(k, parent.metrics[k]) : ''}</td><td class="num ${c.cls}">${c.text}</td></tr>`;
  }).join('');
}

function architecture(layers) {
  if (!layers || layers.length === 0) return '<p class="empty">no layer summary</p>';
  return `<table class="arch"><tr><th>layer</th><th>type</th><th>shape</th><th class="num">params</th><th class="num">nonzeros</th><th class="num">density</th></tr>`
    + layers.map((l) => `<tr><td><code>${escapeHtml(l.name)}</code></td><td>${escapeHtml(l.type)}</td><td><code>${escapeHtml(l.shape)}</code></td>`
      + `<td class="num">${l.params.toLocaleString('en')}</td><td class="num">${l.nonzeros.toLocaleString('en')}</td>`
      + `<td class="num">${l.params ? (100 * l.nonzeros / l.params).toFixed(1) + '%' : '–'}</td></tr>`).join('')
    + '</table>';
}

/** Renders one version; parent is the first parent's full record, or null. */
export function renderVersion(el, v, parent, pinnedId) {
  const params = Object.entries(v.operation.params || {});
  el.innerHTML = `
    <div class="vhead" id="version-head" data-id="${escapeHtml(v.id)}">
      <code>${escapeHtml(v.id)}</code> ${badge(kindOf(v))}
      ${v.aliases.map((a) => `<span class="badge alias">${escapeHtml(a)}</span>`).join(' ')}
      <span style="flex:1"></span>
      <button class="small" id="pin">${pinnedId === v.id ? 'pinned for comparison' : 'compare with…'}</button>
      <a class="button" id="download" href="api/versions/${encodeURIComponent(v.id)}/artifact" download>download artifact</a>
    </div>
    <div class="kv">${escapeHtml(v.pipeline || '-')}/${escapeHtml(v.stage)} · ${when(v.createdAt)} · on <code>${escapeHtml(v.topic)}</code>
      · data set <b>${escapeHtml(v.dataset || 'none')}</b> · ${(v.artifact.sizeBytes).toLocaleString('en')} bytes
      <br>parents ${links(v.parents, 'goto')} · children ${links(v.children || [], 'goto')}</div>
    <table id="metrics"><tr><th>metric</th><th class="num">this</th><th class="num">parent</th><th class="num">change</th></tr>${metricRows(v, parent)}</table>
    ${params.length ? `<h3>Operation</h3><table>${params.map(([k, x]) => `<tr><td>${escapeHtml(k)}</td><td><code>${escapeHtml(x)}</code></td></tr>`).join('')}</table>` : ''}
    <h3>Architecture</h3>${architecture(v.architecture)}`;
}

export function renderCompare(el, a, b) {
  const keys = METRICS.map((m) => m[0]).filter((k) => a.metrics[k] !== undefined || b.metrics[k] !== undefined);
  const rows = keys.map((k) => {
    const c = change(k, b.metrics[k], a.metrics[k]);
    return `<tr><td>${escapeHtml((METRICS.find((m) => m[0] === k))[1])}</td><td class="num">${value(k, a.metrics[k])}</td>`
      + `<td class="num">${value(k, b.metrics[k])}</td><td class="num ${c.cls}">${c.text}</td></tr>`;
  }).join('');
  el.innerHTML = `
    <table><tr><th>metric</th><th class="num"><code>${escapeHtml(a.id)}</code> ${badge(kindOf(a))}</th>
      <th class="num"><code>${escapeHtml(b.id)}</code> ${badge(kindOf(b))}</th><th class="num">right vs left</th></tr>${rows}</table>
    <div class="compare-grid"><div><h3>Left</h3>${architecture(a.architecture)}</div><div><h3>Right</h3>${architecture(b.architecture)}</div></div>`;
}
