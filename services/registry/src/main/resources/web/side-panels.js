// The lists around the graph: lineages to pick from, running jobs, aliases, dead letters.
import { escapeHtml, shortId, value, when } from './format.js';

export function renderLineages(el, lineages, selected) {
  if (lineages.length === 0) {
    el.innerHTML = '<li class="empty">No versions yet. Publish one: <code>topiary new mlp --to models.new</code></li>';
    return;
  }
  el.innerHTML = lineages.map((l) => {
    const root = l.root;
    const title = root ? `${root.pipeline || '-'} · ${root.operation.kind.toLowerCase()}` : 'root not seen';
    return `<li data-lineage="${escapeHtml(l.lineage)}" class="${l.lineage === selected ? 'selected' : ''}">`
      + `<code>${escapeHtml(shortId(l.lineage))}</code> <span class="meta">${escapeHtml(title)}</span><br>`
      + `<span class="meta">${l.versions} versions · best ${value('accuracy', l.bestAccuracy ?? undefined)}</span></li>`;
  }).join('');
}

function fraction(p) {
  if (p.epochs <= 0) return 0;
  const within = p.batches > 0 ? p.batch / p.batches : 0;
  return Math.min(1, (Math.max(0, p.epoch - 1) + within) / p.epochs);
}

export function renderJobs(el, jobs) {
  if (jobs.length === 0) {
    el.innerHTML = '<p class="empty">none</p>';
    return;
  }
  el.innerHTML = jobs.map((p) => {
    const f = fraction(p);
    const details = [p.epochs > 0 ? `epoch ${p.epoch}/${p.epochs}` : '', p.loss != null ? `loss ${p.loss.toFixed(4)}` : '',
      p.etaSeconds != null ? `eta ${Math.round(p.etaSeconds)} s` : '', p.message || ''].filter(Boolean).join(' · ');
    return `<div class="job" data-job="${escapeHtml(p.jobId)}"><b>${escapeHtml(p.pipeline)}/${escapeHtml(p.stage)}</b> `
      + `<code>${escapeHtml(shortId(p.jobId))}</code> ${(100 * f).toFixed(0)}%`
      + `<div class="bar"><div style="width:${(100 * f).toFixed(1)}%"></div></div><span class="muted">${escapeHtml(details)}</span></div>`;
  }).join('');
}

export function renderAliases(el, aliases) {
  el.innerHTML = aliases.length === 0 ? '<li class="empty">none</li>'
    : aliases.map((a) => `<li><span class="badge alias">${escapeHtml(a.name)}</span> → `
      + `<a class="goto" data-id="${escapeHtml(a.versionId)}"><code>${escapeHtml(shortId(a.versionId))}</code></a></li>`).join('');
}

export function renderDeadLetters(el, dead) {
  if (dead.total === 0) {
    el.innerHTML = '<p class="empty">none: every input so far was taken</p>';
    return;
  }
  const stages = dead.stages.map((s) => `<tr><td><b>${escapeHtml(s.stage)}</b></td><td class="num">${s.count}</td>`
    + `<td class="reason">${escapeHtml(s.latest.error)}</td><td>${when(s.latest.at)}</td></tr>`).join('');
  const recent = dead.recent.slice(0, 50).map((d) => `<tr><td>${when(d.at)}</td><td>${escapeHtml(d.stage)}</td>`
    + `<td><code>${escapeHtml(d.sourceTopic)}/${d.sourcePartition}@${d.sourceOffset}</code></td>`
    + `<td>${d.versionId ? `<code>${escapeHtml(shortId(d.versionId))}</code>` : `<span class="muted">${d.valueBytes} bytes, not a version</span>`}</td>`
    + `<td class="reason">${escapeHtml(d.error)}</td></tr>`).join('');
  el.innerHTML = `<table id="deadletter-stages"><tr><th>stage</th><th class="num">count</th><th>latest reason</th><th>at</th></tr>${stages}</table>`
    + `<h3>Newest</h3><table id="deadletter-list"><tr><th>at</th><th>stage</th><th>source</th><th>input</th><th>reason</th></tr>${recent}</table>`;
}
