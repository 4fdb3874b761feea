// Charts with Apache ECharts (the webjar the gateway serves): parity with error bars, uncertainty
// calibration, best-so-far, Pareto front, Top% against random selection.
import { h } from './dom.js';

function chart(id, option) {
  const box = h('div', { class: 'chart', id });
  requestAnimationFrame(() => {
    const instance = window.echarts.init(box);
    instance.setOption({ animation: false, grid: { left: 60, right: 20, top: 30, bottom: 50 }, ...option });
    box.dataset.ready = 'true';
  });
  return box;
}

/** Vertical bars from low to high at each x: [x, low, high]. */
function errorBars(name, bars, color) {
  return {
    name, type: 'custom', data: bars, z: 1,
    renderItem: (params, api) => {
      const low = api.coord([api.value(0), api.value(1)]);
      const high = api.coord([api.value(0), api.value(2)]);
      return { type: 'line', shape: { x1: low[0], y1: low[1], x2: high[0], y2: high[1] },
        style: { stroke: color, lineWidth: 1, opacity: 0.5 } };
    },
  };
}

/** Predicted (mean ± std) against measured, with the line of perfect prediction. */
export function parityPlot(points, unit, labels) {
  const values = points.flatMap((p) => [p.observed, p.mean - p.std, p.mean + p.std]);
  const span = Math.max(...values) - Math.min(...values) || 1;
  const step = 10 ** Math.floor(Math.log10(span / 5));
  const low = Math.floor(Math.min(...values) / step) * step;
  const high = Math.ceil(Math.max(...values) / step) * step;
  return chart('parity-plot', {
    tooltip: { trigger: 'item', formatter: (item) => item.data.name || '' },
    xAxis: { name: `${labels.measured} (${unit})`, nameLocation: 'middle', nameGap: 30, min: low, max: high, scale: true },
    yAxis: { name: `${labels.predicted} (${unit})`, nameLocation: 'middle', nameGap: 45, min: low, max: high, scale: true },
    series: [
      errorBars('±1σ', points.map((p) => [p.observed, p.mean - p.std, p.mean + p.std]), '#2458c6'),
      { name: labels.predicted, type: 'scatter', symbolSize: 5, z: 2,
        data: points.map((p) => ({ value: [p.observed, p.mean], name: p.reducedFormula })) },
      { name: 'y = x', type: 'line', data: [[low, low], [high, high]], symbol: 'none',
        lineStyle: { color: '#999', type: 'dashed' } },
    ],
  });
}

/** The inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p) {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q) => (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
    / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** For each nominal coverage p, the share of out-of-fold errors inside the central p interval. */
export function calibration(points) {
  const levels = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.68, 0.7, 0.8, 0.9, 0.95, 0.99];
  return levels.map((p) => {
    const z = normalQuantile((1 + p) / 2);
    const inside = points.filter((x) => Math.abs(x.observed - x.mean) <= z * x.std).length;
    return [p, points.length ? inside / points.length : 0];
  });
}

export function calibrationPlot(points, labels) {
  return chart('calibration-plot', {
    tooltip: { trigger: 'axis' },
    xAxis: { name: labels.expected, nameLocation: 'middle', nameGap: 30, min: 0, max: 1 },
    yAxis: { name: labels.observed, nameLocation: 'middle', nameGap: 45, min: 0, max: 1 },
    series: [
      { name: labels.observed, type: 'line', data: calibration(points), symbolSize: 6 },
      { name: labels.ideal, type: 'line', data: [[0, 0], [1, 1]], symbol: 'none', lineStyle: { color: '#999', type: 'dashed' } },
    ],
  });
}

/** Lines over a shared x axis: series is [{name, data: [y...] or [[x, y]...]}]. */
export function lineChart(id, series, axes) {
  return chart(id, {
    tooltip: { trigger: 'axis' }, legend: { top: 0 },
    xAxis: { type: 'value', name: axes.x, nameLocation: 'middle', nameGap: 30, scale: true, minInterval: 1 },
    yAxis: { type: 'value', name: axes.y, nameLocation: 'middle', nameGap: 45, scale: true },
    series: series.map((s) => ({ type: 'line', symbolSize: 4, ...s,
      data: s.data.map((y, i) => (Array.isArray(y) ? y : [i + 1, y])) })),
  });
}

export function scatterChart(id, series, axes) {
  return chart(id, {
    tooltip: { trigger: 'item' }, legend: { top: 0 },
    xAxis: { type: 'value', name: axes.x, nameLocation: 'middle', nameGap: 30, scale: true },
    yAxis: { type: 'value', name: axes.y, nameLocation: 'middle', nameGap: 45, scale: true },
    series: series.map((s) => ({ type: 'scatter', symbolSize: 7, ...s })),
  });
}
