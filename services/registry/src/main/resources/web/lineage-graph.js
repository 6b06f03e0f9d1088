// The lineage DAG as SVG: one column per generation (parents left of children), each column
// ordered by where the parents sit, so a tree reads as a tree and a merge pulls its parents together.
import { KIND_COLOURS, escapeHtml, kindOf, shortId, value } from './format.js';

const DX = 150;
const DY = 30;
const R = 8;
const LABELS_UP_TO = 250;

export class LineageGraph {
  constructor(svg, onSelect) {
    this.svg = svg;
    this.onSelect = onSelect;
    this.view = null;
    svg.addEventListener('click', (e) => {
      const g = e.target.closest('g.node');
      if (g && !this.dragged) onSelect(g.dataset.id);
    });
    this.enablePanZoom();
  }

  /** Lays out and draws the lineage; returns the number of the lineage's own nodes drawn. */
  draw(lineage, frontIds, selectedId, aliasesById) {
    const nodes = new Map();
    for (const v of lineage.versions) nodes.set(v.id, { v, outside: false });
    for (const o of lineage.outside) if (!nodes.has(o.id)) nodes.set(o.id, { v: o, outside: true });
    const parents = new Map();
    for (const [p, c] of lineage.edges) {
      if (!parents.has(c)) parents.set(c, []);
      parents.get(c).push(p);
    }
    const depth = new Map();
    const depthOf = (id, guard = 0) => {
      if (depth.has(id)) return depth.get(id);
      depth.set(id, 0); // a cycle, were there one, stops here
      const ps = (parents.get(id) || []).filter((p) => nodes.has(p));
      const d = ps.length === 0 || guard > 10000 ? 0 : 1 + Math.max(...ps.map((p) => depthOf(p, guard + 1)));
      depth.set(id, d);
      return d;
    };
    const columns = [];
    for (const id of nodes.keys()) {
      const d = depthOf(id);
      (columns[d] = columns[d] || []).push(id);
    }
    const row = new Map();
    columns.forEach((col, d) => {
      if (d > 0) {
        const centre = (id) => {
          const ps = (parents.get(id) || []).filter((p) => row.has(p));
          return ps.length ? ps.reduce((s, p) => s + row.get(p), 0) / ps.length : 0;
        };
        const keyed = col.map((id, i) => [centre(id), i, id]);
        keyed.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        col.splice(0, col.length, ...keyed.map((k) => k[2]));
      }
      col.forEach((id, i) => row.set(id, i - (col.length - 1) / 2));
    });
    const pos = (id) => [depth.get(id) * DX, row.get(id) * DY];

    const parts = [];
    for (const [p, c] of lineage.edges) {
      if (!nodes.has(p) || !nodes.has(c)) continue;
      const [x1, y1] = pos(p);
      const [x2, y2] = pos(c);
      const mx = (x1 + x2) / 2;
      parts.push(`<path class="edge" d="M${x1 + R},${y1} C${mx},${y1} ${mx},${y2} ${x2 - R},${y2}"/>`);
    }
    const labels = nodes.size <= LABELS_UP_TO;
    for (const [id, { v, outside }] of nodes) {
      const [x, y] = pos(id);
      const kind = outside ? 'OUTSIDE' : kindOf(v);
      const cls = ['node', outside ? 'outside' : '', frontIds.has(id) ? 'front' : '', id === selectedId ? 'selected' : ''].join(' ');
      const acc = v.metrics ? v.metrics.accuracy : undefined;
      const title = outside ? `${id} (another lineage${v.known ? '' : ', not seen yet'})`
        : `${id}\n${v.pipeline}/${v.stage}  ${kind}\naccuracy ${value('accuracy', acc)}`;
      const aliases = (aliasesById.get(id) || []).join(', ');
      parts.push(`<g class="${cls}" data-id="${escapeHtml(id)}" data-kind="${kind}" transform="translate(${x},${y})">`
        + `<title>${escapeHtml(title)}</title>`
        + `<circle r="${R}" fill="${outside ? '#fff' : KIND_COLOURS[kind] || KIND_COLOURS.OTHER}"/>`
        + (labels ? `<text x="${R + 4}" y="-2">${escapeHtml(outside ? shortId(id) : kind.toLowerCase())}</text>`
          + (acc !== undefined ? `<text x="${R + 4}" y="10">${value('accuracy', acc)}</text>` : '') : '')
        + (aliases ? `<text class="alias" x="-${R}" y="-${R + 4}">${escapeHtml(aliases)}</text>` : '')
        + '</g>');
    }
    this.svg.innerHTML = parts.join('');
    const xs = [...nodes.keys()].map((id) => pos(id)[0]);
    const ys = [...nodes.keys()].map((id) => pos(id)[1]);
    this.bounds = nodes.size ? [Math.min(...xs) - 40, Math.min(...ys) - 30, Math.max(...xs) + 110, Math.max(...ys) + 30] : [0, 0, 100, 100];
    // follow the graph as it grows, unless the user has moved it to look at something
    if (!this.view || this.lineageId !== lineage.lineage || !this.userMoved) this.fit();
    else this.apply();
    this.lineageId = lineage.lineage;
    return lineage.versions.length;
  }

  fit() {
    this.userMoved = false;
    const [x0, y0, x1, y1] = this.bounds;
    const w = this.svg.clientWidth || 800;
    const h = this.svg.clientHeight || 360;
    const scale = Math.min(w / (x1 - x0), h / (y1 - y0), 1.6);
    this.view = { x: (x0 + x1) / 2 - w / scale / 2, y: (y0 + y1) / 2 - h / scale / 2, w: w / scale, h: h / scale };
    this.apply();
  }

  apply() {
    const v = this.view;
    this.svg.setAttribute('viewBox', `${v.x} ${v.y} ${v.w} ${v.h}`);
  }

  enablePanZoom() {
    let start = null;
    this.svg.addEventListener('wheel', (e) => {
      if (!this.view) return;
      e.preventDefault();
      const f = e.deltaY > 0 ? 1.15 : 1 / 1.15;
      const r = this.svg.getBoundingClientRect();
      const px = this.view.x + (e.clientX - r.left) / r.width * this.view.w;
      const py = this.view.y + (e.clientY - r.top) / r.height * this.view.h;
      this.view = { x: px - (px - this.view.x) * f, y: py - (py - this.view.y) * f, w: this.view.w * f, h: this.view.h * f };
      this.userMoved = true;
      this.apply();
    }, { passive: false });
    this.svg.addEventListener('mousedown', (e) => {
      start = { x: e.clientX, y: e.clientY, view: { ...this.view } };
      this.dragged = false;
    });
    window.addEventListener('mousemove', (e) => {
      if (!start || !this.view) return;
      const r = this.svg.getBoundingClientRect();
      const dx = (e.clientX - start.x) / r.width * start.view.w;
      const dy = (e.clientY - start.y) / r.height * start.view.h;
      if (Math.abs(e.clientX - start.x) + Math.abs(e.clientY - start.y) > 3) this.dragged = this.userMoved = true;
      this.view = { ...start.view, x: start.view.x - dx, y: start.view.y - dy };
      this.apply();
    });
    window.addEventListener('mouseup', () => {
      start = null;
      setTimeout(() => { this.dragged = false; }, 0);
    });
  }
}
