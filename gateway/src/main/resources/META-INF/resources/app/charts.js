// Charts with Apache ECharts (the webjar the gateway serves): parity with error bars, uncertainty
// calibration, best-so-far, Pareto front, Top% against random selection.
import { h } from './dom.js';
import { chemicalFormula } from './chemistry.js';

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
        data: points.map((p) => ({ value: [p.observed, p.mean], name: chemicalFormula(p.reducedFormula) })) },
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

const HEIGHT = Math.sqrt(3) / 2;

/**
 * A point of the composition triangle: fractions (a, b, c) of the three corner elements, a + b + c = 1,
 * as x, y with the first element at the bottom left, the second at the bottom right, the third on top.
 */
export function ternaryPoint(a, b, c) {
  const total = a + b + c || 1;
  return [(b + c / 2) / total, (c * HEIGHT) / total];
}

function triangleLines(step) {
  const lines = [];
  for (let f = step; f < 1 - 1e-9; f += step) {
    // constant fraction f of each element: a line parallel to the edge opposite its corner
    lines.push([ternaryPoint(f, 1 - f, 0), ternaryPoint(f, 0, 1 - f)]);
    lines.push([ternaryPoint(1 - f, f, 0), ternaryPoint(0, f, 1 - f)]);
    lines.push([ternaryPoint(1 - f, 0, f), ternaryPoint(0, 1 - f, f)]);
  }
  return lines;
}

/**
 * A ternary composition plot drawn on a hidden Cartesian grid: the triangle of {@code elements} (three
 * symbols) with 10 % grid lines, then each series' points (items {fractions: {El: x}, name, value?}).
 * {@code colourBy} {name, unit, min, max} colours the points of series marked {coloured: true} by
 * their value.
 */
export function ternaryPlot(id, elements, series, colourBy) {
  const [first, second, third] = elements;
  const frame = { type: 'lines', coordinateSystem: 'cartesian2d', silent: true, z: 0, tooltip: { show: false } };
  const a = ternaryPoint(1, 0, 0);
  const b = ternaryPoint(0, 1, 0);
  const c = ternaryPoint(0, 0, 1);
  const edges = [[a, b], [b, c], [c, a]].map((coords) => ({ coords }));
  const grid = triangleLines(0.1).map((coords) => ({ coords }));
  const corners = [[first, ternaryPoint(1, 0, 0), 'bottom'], [second, ternaryPoint(0, 1, 0), 'bottom'],
    [third, ternaryPoint(0, 0, 1), 'top']];
  const coloured = series.findIndex((s) => s.coloured);
  const box = chart(id, {
    grid: { left: 30, right: colourBy ? 110 : 30, top: 40, bottom: 40 },
    legend: { top: 0, data: series.map((s) => s.name) },
    tooltip: { trigger: 'item', formatter: (item) => (item.data && item.data.tip) || '' },
    xAxis: { type: 'value', min: -0.05, max: 1.05, show: false },
    yAxis: { type: 'value', min: -0.05, max: HEIGHT + 0.05, show: false },
    visualMap: colourBy && coloured >= 0 && colourBy.min !== undefined ? {
      type: 'continuous', min: colourBy.min, max: colourBy.max === colourBy.min ? colourBy.min + 1 : colourBy.max,
      dimension: 2, seriesIndex: coloured + 3, right: 0, top: 'middle', calculable: false,
      text: [`${Number(colourBy.max.toPrecision(4))} ${colourBy.unit || ''}`, `${Number(colourBy.min.toPrecision(4))}`],
      inRange: { color: ['#3b4cc0', '#f7f7f7', '#b40426'] },
    } : undefined,
    series: [
      { ...frame, name: 'grid', data: grid, lineStyle: { color: '#e3e7ee', width: 1 } },
      { ...frame, name: 'frame', data: edges, lineStyle: { color: '#5d6677', width: 1.5 } },
      { type: 'scatter', silent: true, symbolSize: 0, z: 0, tooltip: { show: false },
        data: corners.map(([symbol, point, position]) => ({ value: point, label: { show: true, formatter: symbol,
          position, fontSize: 14, fontWeight: 'bold', color: '#1d2330' } })) },
      ...series.map((s) => ({ type: 'scatter', name: s.name, symbolSize: s.symbolSize || 9, z: 2,
        itemStyle: s.itemStyle, symbol: s.symbol,
        data: s.points.map((p) => {
          const [x, y] = ternaryPoint(p.fractions[first] || 0, p.fractions[second] || 0, p.fractions[third] || 0);
          return { value: s.coloured ? [x, y, p.value] : [x, y], tip: p.name
            + (p.value !== undefined ? ` · ${Number(p.value.toPrecision(4))} ${(colourBy && colourBy.unit) || ''}` : '') };
        }) })),
    ],
  });
  box.classList.add('ternary');
  box.dataset.points = String(series.reduce((n, s) => n + s.points.length, 0));
  return box;
}

/**
 * Horizontal bars, the first item on top: items [{name, value, std?}]; a bar's whisker is ±std. For
 * importances: the name is the feature's plain name, the value its mean increase of the error.
 */
export function importanceChart(id, items, axis) {
  const names = items.map((item) => item.name);
  return chart(id, {
    grid: { left: 230, right: 30, top: 10, bottom: 40 },
    tooltip: { trigger: 'item', formatter: (item) => {
      const it = items[item.dataIndex];
      return it ? `${it.name}: ${Number(it.value.toPrecision(4))}${it.std !== undefined ? ` ± ${Number(it.std.toPrecision(3))}` : ''}` : '';
    } },
    xAxis: { type: 'value', name: axis, nameLocation: 'middle', nameGap: 28, scale: false },
    yAxis: { type: 'category', data: names, inverse: true, axisLabel: { width: 220, overflow: 'truncate' } },
    series: [
      { name: axis, type: 'bar', data: items.map((item) => item.value), itemStyle: { color: '#2458c6' } },
      { name: '±', type: 'custom', z: 3, data: items.map((item, i) => [i, item.value - (item.std || 0), item.value + (item.std || 0)]),
        renderItem: (params, api) => {
          const low = api.coord([api.value(1), api.value(0)]);
          const high = api.coord([api.value(2), api.value(0)]);
          return { type: 'line', shape: { x1: low[0], y1: low[1], x2: high[0], y2: high[1] },
            style: { stroke: '#1d2330', lineWidth: 1 } };
        } },
    ],
  });
}

/**
 * A waterfall from the model's expected value to its prediction, one row per step, top to bottom:
 * steps [{name, value}] (contributions, target unit), each drawn from the running total to the
 * total plus its value, red when it raises the prediction, blue when it lowers it.
 */
export function waterfallChart(id, expected, steps, labels) {
  const rows = [];
  let total = expected;
  rows.push({ name: labels.expected, from: 0, to: expected, kind: 'total' });
  steps.forEach((step) => {
    rows.push({ name: step.name, from: total, to: total + step.value, kind: step.value >= 0 ? 'up' : 'down', value: step.value });
    total += step.value;
  });
  rows.push({ name: labels.prediction, from: 0, to: total, kind: 'total' });
  const colours = { up: '#b40426', down: '#3b4cc0', total: '#5d6677' };
  const box = chart(id, {
    grid: { left: 230, right: 40, top: 10, bottom: 40 },
    tooltip: { trigger: 'item', formatter: (item) => {
      const row = rows[item.dataIndex];
      return row ? `${row.name}: ${row.kind === 'total' ? Number(row.to.toPrecision(4))
        : (row.value >= 0 ? '+' : '') + Number(row.value.toPrecision(4))}` : '';
    } },
    xAxis: { type: 'value', name: labels.unit, nameLocation: 'middle', nameGap: 28, scale: true,
      min: (range) => Math.min(range.min, 0), max: (range) => Math.max(range.max, 0) },
    yAxis: { type: 'category', data: rows.map((row) => row.name), inverse: true,
      axisLabel: { width: 220, overflow: 'truncate' } },
    series: [{ type: 'custom', name: 'waterfall',
      encode: { x: [1, 2], y: 0 },
      data: rows.map((row, i) => [i, Math.min(row.from, row.to), Math.max(row.from, row.to)]),
      renderItem: (params, api) => {
        const start = api.coord([api.value(1), api.value(0)]);
        const end = api.coord([api.value(2), api.value(0)]);
        const height = api.size([0, 1])[1] * 0.6;
        return { type: 'rect', shape: { x: start[0], y: start[1] - height / 2, width: Math.max(1, end[0] - start[0]), height },
          style: { fill: colours[rows[params.dataIndex].kind] } };
      } }],
  });
  box.dataset.steps = String(steps.length);
  return box;
}

/**
 * A classifier's reliability curve: for each bin of predicted probability, the observed share
 * against the mean predicted probability (bins without predictions are left out), with the diagonal
 * a calibrated classifier lies on; the point size follows the bin's count.
 */
export function reliabilityPlot(bins, labels) {
  const filled = bins.filter((bin) => bin.count > 0);
  const largest = Math.max(1, ...filled.map((bin) => bin.count));
  return chart('reliability-plot', {
    tooltip: { trigger: 'item', formatter: (item) => {
      const bin = filled[item.dataIndex];
      return bin && item.seriesIndex === 0 ? `${bin.lower.toFixed(1)}–${bin.upper.toFixed(1)}: ${bin.count} · `
        + `${labels.observed} ${bin.observedFraction.toFixed(3)}` : '';
    } },
    xAxis: { name: labels.predicted, nameLocation: 'middle', nameGap: 30, min: 0, max: 1 },
    yAxis: { name: labels.observed, nameLocation: 'middle', nameGap: 45, min: 0, max: 1 },
    series: [
      { name: labels.observed, type: 'line', data: filled.map((bin) => [bin.meanPredicted, bin.observedFraction]),
        symbolSize: (value, params) => 4 + 10 * Math.sqrt(filled[params.dataIndex].count / largest) },
      { name: labels.ideal, type: 'line', data: [[0, 0], [1, 1]], symbol: 'none', lineStyle: { color: '#999', type: 'dashed' } },
    ],
  });
}
