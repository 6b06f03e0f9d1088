// Numbers and names as the page shows them; one place for what each metric means.

export const KIND_COLOURS = {
  NEW: '#9ca3af', IMPORT: '#64748b', TRAIN: '#2563eb', FINETUNE: '#0891b2', PRUNE: '#16a34a',
  CUT: '#ea580c', MERGE: '#9333ea', GROW: '#dc2626', OTHER: '#a16207',
};

export const METRICS = [
  ['accuracy', 'accuracy'], ['loss', 'loss'], ['params', 'parameters'], ['nonzeroParams', 'nonzero parameters'],
  ['macs', 'MACs per sample'], ['artifactBytes', 'artifact bytes'], ['latencyMs', 'latency ms / 1,000 rows'],
];

/** Lower is better for every metric but accuracy. */
export const higherIsBetter = (metric) => metric === 'accuracy';

export function escapeHtml(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

export function kindOf(v) {
  return v.operation ? v.operation.kind : 'OTHER';
}

export function shortId(id) {
  return id && id.length > 14 ? id.slice(0, 12) + '…' : (id ?? '');
}

export function value(metric, x) {
  if (x === undefined || x === null || Number.isNaN(x)) return '–';
  if (metric === 'accuracy') return x.toFixed(4);
  if (metric === 'loss' || metric === 'latencyMs') return x.toFixed(2);
  return Math.round(x).toLocaleString('en');
}

/** A change against the parent: accuracy in points, sizes and times as ratios. */
export function change(metric, now, parent) {
  if (now === undefined || parent === undefined || now === null || parent === null) return { text: '', cls: '' };
  if (metric === 'accuracy' || metric === 'loss') {
    const d = now - parent;
    const text = metric === 'accuracy' ? `${d >= 0 ? '+' : ''}${(d * 100).toFixed(2)} pt` : `${d >= 0 ? '+' : ''}${d.toFixed(3)}`;
    const better = metric === 'accuracy' ? d > 0 : d < 0;
    return { text, cls: Math.abs(d) < 1e-9 ? '' : (better ? 'better' : 'worse') };
  }
  if (now <= 0 || parent <= 0) return { text: '', cls: '' };
  const r = parent / now;
  if (Math.abs(r - 1) < 0.01) return { text: 'same', cls: '' };
  return r > 1 ? { text: `${r.toFixed(2)}× less`, cls: 'better' } : { text: `${(1 / r).toFixed(2)}× more`, cls: 'worse' };
}

export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toISOString().replace('T', ' ').slice(0, 19);
}
