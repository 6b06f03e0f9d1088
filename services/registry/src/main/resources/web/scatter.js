// Accuracy against a cost, on ECharts: every version of the lineage (coloured by operation), the
// frontier as a line, and each parent -> child move as an arrow, for one data set at a time.
import { KIND_COLOURS, kindOf, shortId, value } from './format.js';

export class Scatter {
  constructor(element, onSelect) {
    /* global echarts */
    this.chart = echarts.init(element, null, { renderer: 'canvas' });
    this.chart.on('click', (p) => {
      if (p.data && p.data.id) onSelect(p.data.id);
    });
    window.addEventListener('resize', () => this.chart.resize());
  }

  /** Draws the versions measured on {@code dataset}; returns how many points it drew. */
  draw(versions, frontier, x, dataset, selectedId) {
    const byId = new Map(versions.map((v) => [v.id, v]));
    const usable = (v) => v.dataset === dataset && v.metrics && v.metrics.accuracy !== undefined && v.metrics[x] > 0;
    const points = versions.filter(usable).map((v) => ({
      id: v.id,
      value: [v.metrics[x], v.metrics.accuracy],
      itemStyle: { color: KIND_COLOURS[kindOf(v)] || KIND_COLOURS.OTHER, borderColor: v.id === selectedId ? '#f59e0b' : '#fff', borderWidth: v.id === selectedId ? 3 : 1 },
      symbolSize: v.id === selectedId ? 14 : 9,
      name: `${kindOf(v).toLowerCase()} ${shortId(v.id)}`,
    }));
    const moves = [];
    for (const v of versions) {
      if (!usable(v)) continue;
      for (const p of v.parents) {
        const parent = byId.get(p);
        if (parent && usable(parent)) {
          moves.push({ coords: [[parent.metrics[x], parent.metrics.accuracy], [v.metrics[x], v.metrics.accuracy]] });
        }
      }
    }
    const line = frontier.filter(usable).map((v) => [v.metrics[x], v.metrics.accuracy]);
    const many = points.length > 300;
    this.chart.setOption({
      animation: false,
      grid: { left: 64, right: 34, top: 18, bottom: 42 },
      tooltip: {
        trigger: 'item',
        formatter: (p) => (p.seriesType === 'scatter'
          ? `${p.data.name}<br>accuracy ${value('accuracy', p.data.value[1])}<br>${x} ${value(x, p.data.value[0])}` : ''),
      },
      xAxis: { type: 'log', name: x, nameLocation: 'middle', nameGap: 26, scale: true, splitLine: { lineStyle: { color: '#f0f1f3' } } },
      yAxis: { type: 'value', name: 'accuracy', nameLocation: 'middle', nameGap: 44, scale: true, splitLine: { lineStyle: { color: '#f0f1f3' } } },
      series: [
        { type: 'lines', coordinateSystem: 'cartesian2d', data: many ? [] : moves, silent: true, z: 1,
          lineStyle: { color: '#cbd5e1', width: 1, opacity: 0.9 }, symbol: ['none', 'arrow'], symbolSize: 6 },
        { type: 'line', data: line, step: false, showSymbol: false, silent: true, z: 2,
          lineStyle: { color: '#111827', width: 1.5, type: 'dashed' } },
        { type: 'scatter', data: points, z: 3 },
      ],
    }, true);
    return points.length;
  }
}
