// Campaigns: the list, a new campaign (objectives, composition space, a process parameter, a
// constraint, cost, batch size), a campaign's page (propose a batch, report results or failures,
// best so far, Pareto front), and simulations against a recorded dataset with Top% against random
// selection.
import { get, post, query } from './api.js';
import { h, fill, table, num, field } from './dom.js';
import { t } from './i18n.js';
import { hasRole } from './session.js';
import { problem } from './catalog.js';
import { lineChart, scatterChart, ternaryPlot } from './charts.js';
import { chemicalFormula } from './chemistry.js';

// enums as the API writes them: lower case, without their type's prefix
const MAXIMISE = 'maximise';
const MINIMISE = 'minimise';

/** "Fe:0-1, Ni:0-1, Cu:0-0.5" as composition elements with fraction bounds. */
export function parseElements(text) {
  return text.split(',').map((part) => part.trim()).filter(Boolean).map((part) => {
    const match = part.match(/^([A-Z][a-z]?)\s*(?::\s*([\d.]+)\s*-\s*([\d.]+))?$/);
    if (!match) {
      throw new Error(t('campaigns.bad_element', { part }));
    }
    return { element: match[1], minFraction: match[2] ? Number(match[2]) : 0, maxFraction: match[3] ? Number(match[3]) : 1 };
  });
}

function objective(form, suffix) {
  return { property: field(form, 'property' + suffix), direction: field(form, 'direction' + suffix),
    unit: field(form, 'unit' + suffix) };
}

function directions(name) {
  return h('select', { name }, h('option', { value: MAXIMISE }, t('campaigns.maximise')),
    h('option', { value: MINIMISE }, t('campaigns.minimise')));
}

export async function campaignsPage(view) {
  const [page, properties, datasets, models] = await Promise.all([get('/api/v1/campaigns' + query({ limit: 100 })),
    get('/api/v1/properties'), get('/api/v1/datasets' + query({ limit: 200 })),
    get('/api/v1/models' + query({ limit: 200, status: 'ready' }))]);
  const propertySelect = (name, optional) => h('select', { name }, optional ? h('option', { value: '' }, '—') : null,
    properties.map((p) => h('option', { value: p.name }, `${p.displayName} (${p.canonicalUnit})`)));
  const message = h('div', {});
  const preview = h('div', { id: 'space-preview' });
  // three elements: the design space's compositions on the triangle, as they are typed
  const showSpace = () => {
    let elements = [];
    try {
      elements = parseElements(field(form, 'elements'));
    } catch (e) {
      elements = [];
    }
    const grid = elements.length === 3 ? compositionGrid(elements, Math.max(Number(field(form, 'step')) || 0.05, 0.02)) : [];
    fill(preview, elements.length === 3 ? [h('p', { class: 'muted' }, t('campaigns.space_preview', { count: grid.length })),
      ternaryPlot('space-ternary', elements.map((e) => e.element), [{ name: t('campaigns.design_space'), points: grid,
        symbolSize: 5, itemStyle: { color: '#7fa6e8' } }])] : null);
  };
  const form = h('form', { class: 'card', id: 'new-campaign', oninput: (event) => {
    if (event.target.name === 'elements' || event.target.name === 'step') showSpace();
  }, onsubmit: async (event) => {
    event.preventDefault();
    try {
      const objectives = [objective(form, '')];
      if (field(form, 'property2')) objectives.push(objective(form, '2'));
      const spec = {
        name: field(form, 'name'), objectives,
        designSpace: { composition: { elements: parseElements(field(form, 'elements')),
          ...(field(form, 'step') ? { step: Number(field(form, 'step')) } : {}),
          ...(field(form, 'maxElements') ? { maxElements: Number(field(form, 'maxElements')) } : {}) } },
        acquisition: { batchSize: Number(field(form, 'batch')) },
        budget: { maxExperiments: Number(field(form, 'budget')) },
        seed: Number(field(form, 'seed')),
      };
      if (field(form, 'parameter')) {
        spec.designSpace.parameters = [{ name: field(form, 'parameter'), unit: field(form, 'parameterUnit'),
          continuous: { min: Number(field(form, 'parameterMin')), max: Number(field(form, 'parameterMax')),
            ...(field(form, 'parameterStep') ? { step: Number(field(form, 'parameterStep')) } : {}) } }];
      }
      if (field(form, 'constraint')) {
        spec.constraints = [{ name: 'limit', linear: { terms: parseElements(field(form, 'constraint')).map((e) =>
          ({ variable: { element: e.element }, coefficient: 1 })), relation: 'less_equal',
        rhs: Number(field(form, 'rhs')) } }];
      }
      if (field(form, 'cost')) {
        spec.cost = { fixed: Number(field(form, 'cost')), unit: field(form, 'costUnit') };
      }
      const created = await post('/api/v1/campaigns', { spec });
      location.hash = '#/campaigns/' + created.id;
    } catch (e) {
      fill(message, e.problem ? problem(e) : h('p', { class: 'error' }, e.message));
    }
  } }, h('h2', {}, t('campaigns.new')),
  h('div', { class: 'row' },
    h('label', {}, t('campaigns.name'), h('input', { name: 'name', required: true, size: 20 })),
    h('label', {}, t('campaigns.objective'), propertySelect('property', false)), h('label', {}, t('campaigns.direction'), directions('direction')),
    h('label', {}, t('search.unit'), h('input', { name: 'unit', size: 6 })),
    h('label', {}, t('campaigns.objective2'), propertySelect('property2', true)), h('label', {}, t('campaigns.direction'), directions('direction2')),
    h('label', {}, t('search.unit'), h('input', { name: 'unit2', size: 6 }))),
  h('div', { class: 'row' },
    h('label', {}, t('campaigns.elements'), h('input', { name: 'elements', required: true, size: 28, placeholder: 'Fe:0-1, Ni:0-1, Cu:0-0.5' })),
    h('label', {}, t('campaigns.step'), h('input', { name: 'step', value: '0.05', size: 5 })),
    h('label', {}, t('campaigns.max_elements'), h('input', { name: 'maxElements', type: 'number', min: 1, size: 3 })),
    h('label', {}, t('campaigns.constraint'), h('input', { name: 'constraint', size: 12, placeholder: 'Ni, Cu' })),
    h('label', {}, '≤', h('input', { name: 'rhs', size: 5, placeholder: '0.6' }))),
  preview,
  h('div', { class: 'row' },
    h('label', {}, t('campaigns.parameter'), h('input', { name: 'parameter', size: 18, placeholder: 'anneal_temperature' })),
    h('label', {}, t('search.min'), h('input', { name: 'parameterMin', size: 5, placeholder: '300' })),
    h('label', {}, t('search.max'), h('input', { name: 'parameterMax', size: 5, placeholder: '900' })),
    h('label', {}, t('campaigns.step'), h('input', { name: 'parameterStep', size: 4, placeholder: '50' })),
    h('label', {}, t('search.unit'), h('input', { name: 'parameterUnit', size: 5, placeholder: 'Cel' }))),
  h('div', { class: 'row' },
    h('label', {}, t('campaigns.cost'), h('input', { name: 'cost', size: 6 })),
    h('label', {}, t('campaigns.cost_unit'), h('input', { name: 'costUnit', size: 6, placeholder: 'h' })),
    h('label', {}, t('campaigns.batch'), h('input', { name: 'batch', type: 'number', value: 3, min: 1, size: 3 })),
    h('label', {}, t('campaigns.budget'), h('input', { name: 'budget', type: 'number', value: 30, min: 1, size: 4 })),
    h('label', {}, t('models.seed'), h('input', { name: 'seed', type: 'number', value: 7, size: 6 })),
    h('button', { type: 'submit', id: 'create-campaign' }, t('campaigns.create'))), message);
  fill(view, h('h1', {}, t('campaigns.heading')), hasRole('contributor') ? form : null,
    table([[t('campaigns.name'), (c) => h('a', { href: '#/campaigns/' + c.id, class: 'campaign-link' }, c.spec.name)],
      [t('campaigns.objective'), (c) => c.spec.objectives.map((o) => o.property).join(', ')],
      [t('campaigns.status'), (c) => c.status],
      [t('campaigns.progress'), (c) => `${c.progress.completed}/${c.progress.proposed}`],
      [t('models.owner'), (c) => c.ownerOrg]], page.campaigns, { id: 'campaign-table' }),
    hasRole('contributor') ? simulationForm(properties, datasets, models.models || []) : null);
}

/** The simulated objectives: the first, and the second when one is chosen (then the twin measures hypervolume). */
function objectives(form) {
  const chosen = [{ property: field(form, 'property'), direction: field(form, 'direction') }];
  if (field(form, 'property2')) {
    chosen.push({ property: field(form, 'property2'), direction: field(form, 'direction2') });
  }
  return chosen;
}

/** The strategy's surrogate: the Gaussian process, or a prediction model of the first objective. */
function surrogate(form) {
  const model = field(form, 'surrogate');
  return model ? { predictionModel: { modelIds: { [field(form, 'property')]: model } } } : undefined;
}

function simulationForm(properties, datasets, models) {
  const message = h('div', {});
  const form = h('form', { class: 'card', id: 'new-simulation', onsubmit: async (event) => {
    event.preventDefault();
    try {
      const created = await post('/api/v1/simulations', { spec: {
        name: field(form, 'name'), runs: Number(field(form, 'runs')), maxEvaluations: Number(field(form, 'evaluations')),
        baseSeed: Number(field(form, 'seed')), dataset: { dataset: { datasetId: field(form, 'dataset') } },
        campaign: { name: field(form, 'name'), objectives: objectives(form), initialRandomPoints: 2,
          surrogate: surrogate(form) } } });
      location.hash = '#/simulations/' + created.id;
    } catch (e) {
      fill(message, problem(e));
    }
  } }, h('h2', {}, t('simulations.new')), h('p', { class: 'muted' }, t('simulations.help')), h('div', { class: 'row' },
    h('label', {}, t('campaigns.name'), h('input', { name: 'name', required: true, value: 'twin', size: 12 })),
    h('label', {}, t('models.dataset'), h('select', { name: 'dataset' }, datasets.datasets.map((d) =>
      h('option', { value: d.id }, `${d.title} (${d.ownerOrg})`)))),
    h('label', {}, t('campaigns.objective'), h('select', { name: 'property' }, properties.map((p) =>
      h('option', { value: p.name }, p.displayName)))),
    h('label', {}, t('campaigns.direction'), directions('direction')),
    h('label', {}, t('simulations.second'), h('select', { name: 'property2' }, [h('option', { value: '' }, t('simulations.none')),
      ...properties.map((p) => h('option', { value: p.name }, p.displayName))])),
    h('label', {}, t('campaigns.direction'), directions('direction2')),
    h('label', {}, t('simulations.surrogate'), h('select', { name: 'surrogate' },
      [h('option', { value: '' }, t('simulations.gp')),
        ...models.map((m) => h('option', { value: m.id }, `${m.name} v${m.version} (${m.targetProperty})`))])),
    h('label', {}, t('simulations.runs'), h('input', { name: 'runs', type: 'number', value: 10, min: 1, size: 4 })),
    h('label', {}, t('simulations.evaluations'), h('input', { name: 'evaluations', type: 'number', value: 15, min: 3, size: 4 })),
    h('label', {}, t('models.seed'), h('input', { name: 'seed', type: 'number', value: 1, size: 5 })),
    h('button', { type: 'submit', id: 'simulate' }, t('simulations.go'))), message);
  return form;
}

function valueOf(entry, property) {
  const found = (entry.values || []).find((v) => v.property === property);
  return found ? found.value.value : undefined;
}

function candidateText(candidate) {
  const parameters = Object.entries(candidate.parameters || {}).map(([name, v]) =>
    `${name}=${v.number !== undefined ? num(v.number) : v.integer ?? v.category ?? ''}`);
  return [candidate.formula ? chemicalFormula(candidate.formula) : '', ...parameters].filter(Boolean).join(' · ');
}

/** Compositions on a grid of {@code step} within each element's fraction bounds (a design space's feasible points). */
export function compositionGrid(elements, step) {
  const n = Math.round(1 / step);
  const points = [];
  const [first, second, third] = elements;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= n - i; j++) {
      const fractions = { [first.element]: i / n, [second.element]: j / n, [third.element]: (n - i - j) / n };
      if (elements.every((e) => fractions[e.element] >= e.minFraction - 1e-9 && fractions[e.element] <= e.maxFraction + 1e-9)) {
        points.push({ fractions, name: Object.entries(fractions).map(([el, x]) => `${el}${Number(x.toFixed(3))}`).join('') });
      }
    }
  }
  return points;
}

/** The three elements of a composition space, or of every candidate proposed so far; null unless three. */
function threeElements(c) {
  const space = (c.spec.designSpace && c.spec.designSpace.composition && c.spec.designSpace.composition.elements) || [];
  if (space.length === 3) {
    return space.map((e) => e.element);
  }
  const seen = new Set();
  (c.history || []).forEach((p) => Object.keys((p.candidate && p.candidate.composition) || {}).forEach((e) => seen.add(e)));
  return seen.size === 3 && space.length === 0 ? [...seen].sort() : null;
}

/** The campaign's proposals on the composition triangle, measured ones coloured by the first objective. */
function ternarySection(c, elements, unit) {
  const first = c.spec.objectives[0];
  const space = c.spec.designSpace && c.spec.designSpace.composition;
  const grid = space && space.elements && space.elements.length === 3
    ? compositionGrid(space.elements.map((e) => ({ element: e.element, minFraction: e.minFraction ?? 0,
      maxFraction: e.maxFraction ?? 1 })), Math.max(space.step || 0.05, 0.02)) : [];
  const point = (p) => ({ fractions: p.candidate.composition || {}, name: candidateText(p.candidate) });
  const history = (c.history || []).filter((p) => p.candidate && p.candidate.composition);
  const measured = history.filter((p) => p.result && p.result.measured).map((p) => ({ ...point(p),
    value: valueOf(p.result.measured, first.property) })).filter((p) => p.value !== undefined);
  const values = measured.map((p) => p.value);
  return h('section', { class: 'card', id: 'ternary-section' }, h('h2', {}, t('campaigns.ternary')),
    h('p', { class: 'muted' }, t('campaigns.ternary_help', { property: first.property })),
    ternaryPlot('ternary', elements, [
      { name: t('campaigns.design_space'), points: grid, symbolSize: 5, itemStyle: { color: '#aab4c6' } },
      { name: t('campaigns.pending'), points: history.filter((p) => p.state === 'pending').map(point), symbol: 'emptyCircle',
        symbolSize: 11, itemStyle: { color: '#2458c6' } },
      { name: t('campaigns.failed'), points: history.filter((p) => p.result && p.result.failed).map(point), symbol: 'diamond',
        itemStyle: { color: '#5d6677' } },
      { name: t('campaigns.measured'), points: measured, coloured: true, symbolSize: 12,
        itemStyle: { color: '#b40426', borderColor: '#1d2330', borderWidth: 1 } },
    ], values.length ? { name: first.property, unit, min: Math.min(...values), max: Math.max(...values) } : undefined));
}

/**
 * The acquisition value as the user reads it: for log expected improvement (one objective) the
 * expected improvement itself in the objective's unit (per cost unit when cost-aware); else the value
 * with its function's name.
 */
export function acquisitionText(p, c, unit) {
  if (p.acquisitionValue === undefined || p.acquisitionValue === null) {
    return '';
  }
  if (p.acquisitionFunction === 'log_expected_improvement' && c.spec.objectives.length === 1) {
    const costAware = c.spec.acquisition && c.spec.acquisition.costAware;
    const per = costAware ? ` / ${(c.spec.cost && c.spec.cost.unit) || t('campaigns.cost')}` : '';
    return h('span', { class: 'ei', title: `log EI = ${num(p.acquisitionValue)}` },
      `${t('campaigns.ei')} ${num(Math.exp(p.acquisitionValue))} ${unit}${per}`);
  }
  return `${p.acquisitionFunction ? p.acquisitionFunction.replace(/_/g, ' ') + ' ' : ''}${num(p.acquisitionValue)}`;
}

export async function campaignPage(view, id) {
  const [c, properties] = await Promise.all([get('/api/v1/campaigns/' + id), get('/api/v1/properties')]);
  const objectives = c.spec.objectives;
  const unitOf = (o) => o.unit || ((properties.find((p) => p.name === o.property) || {}).canonicalUnit) || '';
  const ternaryElements = threeElements(c);
  const pending = (c.history || []).filter((p) => p.state === 'pending');
  const completed = (c.history || []).filter((p) => p.result && p.result.measured);
  const first = objectives[0];
  const sign = first.direction === MINIMISE ? -1 : 1;
  let best = -Infinity;
  const bestSoFar = completed.map((p) => {
    const v = valueOf(p.result.measured, first.property);
    if (v !== undefined && sign * v > best) best = sign * v;
    return sign * best;
  });
  const out = h('div', { id: 'campaign-message' });
  fill(view, h('h1', {}, c.spec.name, ' ', h('span', { class: 'muted', id: 'campaign-status' }, c.status)),
    h('section', { class: 'card' }, h('p', {}, objectives.map((o) => h('span', { class: 'pill' },
      `${o.direction === MINIMISE ? '↓' : '↑'} ${o.property} ${o.unit || ''}`))),
    h('p', { class: 'muted' }, t('campaigns.progress_line', { proposed: c.progress.proposed, pending: c.progress.pending,
      completed: c.progress.completed, failed: c.progress.failed, remaining: c.progress.experimentsRemaining ?? '∞' })),
    hasRole('contributor') ? h('form', { id: 'propose', class: 'row', onsubmit: async (event) => {
      event.preventDefault();
      try {
        await post(`/api/v1/campaigns/${id}/proposals`, { batchSize: Number(field(event.target, 'size')) });
        await campaignPage(view, id);
      } catch (e) {
        fill(out, problem(e));
      }
    } }, h('label', {}, t('campaigns.batch'), h('input', { name: 'size', type: 'number', min: 1, size: 3,
      value: (c.spec.acquisition && c.spec.acquisition.batchSize) || 3 })),
    h('button', { type: 'submit', id: 'propose-button' }, t('campaigns.propose'))) : null, out),
    pending.length && hasRole('contributor') ? resultsForm(c, pending, view, out) : null,
    h('section', { class: 'card' }, h('h2', {}, t('campaigns.best_so_far')), bestSoFar.length
      ? lineChart('best-so-far', [{ name: first.property, data: bestSoFar }], { x: t('campaigns.experiments'), y: `${first.property} ${first.unit || ''}` })
      : h('p', { class: 'muted' }, t('campaigns.no_results'))),
    objectives.length === 2 ? h('section', { class: 'card' }, h('h2', {}, t('campaigns.pareto')),
      scatterChart('pareto-front', [
        { name: t('campaigns.observed'), data: completed.map((p) => [valueOf(p.result.measured, objectives[0].property),
          valueOf(p.result.measured, objectives[1].property)]), itemStyle: { color: '#9aa5b8' } },
        { name: t('campaigns.pareto'), data: (c.paretoFront || []).map((o) => [valueOf(o, objectives[0].property),
          valueOf(o, objectives[1].property)]), itemStyle: { color: '#b3261e' } }],
      { x: objectives[0].property, y: objectives[1].property })) : null,
    ternaryElements ? ternarySection(c, ternaryElements, unitOf(first)) : null,
    h('section', { class: 'card' }, h('h2', {}, t('campaigns.history')), table([
      ['#', (p) => `${p.batchNumber}.${p.position + 1}`], [t('campaigns.candidate'), (p) => candidateText(p.candidate)],
      [t('campaigns.predicted'), (p) => (p.predictions || []).map((x) => `${num(x.mean)} ± ${num(x.std)}`).join(', ')],
      [t('campaigns.acquisition'), (p) => acquisitionText(p, c, unitOf(first))],
      [t('campaigns.state'), (p) => p.state || ''],
      [t('campaigns.result'), (p) => !p.result ? '' : p.result.failed ? `✗ ${p.result.failed.reason}`
        : objectives.map((o) => num(valueOf(p.result.measured, o.property))).join(', ')]],
    c.history || [], { id: 'history' })));
}

function resultsForm(c, pending, view, out) {
  const objectives = c.spec.objectives;
  const form = h('form', { class: 'card', id: 'results', onsubmit: async (event) => {
    event.preventDefault();
    const results = [];
    pending.forEach((p) => {
      const reason = field(form, 'fail-' + p.id);
      const values = objectives.map((o, i) => ({ property: o.property, raw: field(form, `value-${p.id}-${i}`), unit: o.unit }))
        .filter((v) => v.raw !== '');
      if (reason) {
        results.push({ proposalId: p.id, failed: { reason } });
      } else if (values.length) {
        results.push({ proposalId: p.id, measured: { values: values.map((v) => ({ property: v.property,
          value: { value: Number(v.raw), unit: v.unit || '' } })) } });
      }
    });
    try {
      await post(`/api/v1/campaigns/${c.id}/results`, { results });
      await campaignPage(view, c.id);
    } catch (e) {
      fill(out, problem(e));
    }
  } }, h('h2', {}, t('campaigns.report')), table([
    [t('campaigns.candidate'), (p) => candidateText(p.candidate)],
    ...objectives.map((o, i) => [`${o.property} ${o.unit || ''}`, (p) => h('input', { name: `value-${p.id}-${i}`,
      class: 'result-value', type: 'number', step: 'any', size: 8 })]),
    [t('campaigns.failed_reason'), (p) => h('input', { name: 'fail-' + p.id, class: 'fail-reason', size: 18 })]], pending),
  h('button', { type: 'submit', id: 'report-button' }, t('campaigns.send')));
  return form;
}

export async function simulationPage(view, id) {
  const s = await get('/api/v1/simulations/' + id);
  const report = s.report;
  // empty lists come back as [], so what a report holds is told by their lengths
  const pareto = report && (report.meanHypervolume || []).length > 0;
  if (!report || !(pareto || (report.meanTopFound || []).length > 0)) {
    const job = s.job || {};
    fill(view, h('h1', {}, s.spec.name), h('p', { id: 'simulation-state' }, `${job.state || ''} · ${Math.round((job.progress || 0) * 100)} % `,
      job.message || ''));
    if (!job.state || job.state === 'queued' || job.state === 'running') {
      setTimeout(() => { if (location.hash === '#/simulations/' + id) simulationPage(view, id); }, 1000);
    }
    return;
  }
  if (pareto) {
    // two objectives: the share of the pool's hypervolume found, against random selection
    fill(view, h('h1', {}, s.spec.name),
      h('p', { class: 'muted' }, t('simulations.pareto_summary', { pool: report.poolSize,
        runs: s.spec.runs || (report.runs || []).length, objectives: report.objectiveProperty })),
      h('section', { class: 'card' }, h('h2', {}, t('simulations.hypervolume')), lineChart('hypervolume', [
        { name: t('simulations.strategy'), data: report.meanHypervolume },
        { name: t('simulations.random'), data: report.randomHypervolume, lineStyle: { type: 'dashed' } }],
      { x: t('campaigns.experiments'), y: t('simulations.share') })),
      h('section', { class: 'card' }, h('h2', {}, t('simulations.acceleration')), table([
        [t('simulations.share'), (a) => num(a.level)], [t('simulations.strategy'), (a) => a.strategyEvaluations ?? '–'],
        [t('simulations.random'), (a) => a.randomEvaluations ?? '–'], ['AF', (a) => num(a.factor)]],
      report.hypervolumeAcceleration || [])));
    return;
  }
  fill(view, h('h1', {}, s.spec.name),
    h('p', { class: 'muted' }, t('simulations.summary', { pool: report.poolSize, top: report.topCount,
      runs: s.spec.runs || (report.runs || []).length, ef: num(report.maxEnhancementFactor) })),
    h('section', { class: 'card' }, h('h2', {}, t('simulations.top')), lineChart('top-percent', [
      { name: t('simulations.strategy'), data: report.meanTopFound },
      { name: t('simulations.random'), data: report.randomTopFound, lineStyle: { type: 'dashed' } }],
    { x: t('campaigns.experiments'), y: 'Top%' })),
    h('section', { class: 'card' }, h('h2', {}, t('campaigns.best_so_far')), lineChart('mean-best', [
      { name: report.objectiveProperty, data: report.meanBestSoFar }], { x: t('campaigns.experiments'), y: `${report.objectiveProperty} ${report.unit || ''}` })),
    h('section', { class: 'card' }, h('h2', {}, t('simulations.acceleration')), table([
      ['Top%', (a) => num(a.level)], [t('simulations.strategy'), (a) => a.strategyEvaluations ?? '–'],
      [t('simulations.random'), (a) => a.randomEvaluations ?? '–'], ['AF', (a) => num(a.factor)]], report.acceleration || [])));
}
