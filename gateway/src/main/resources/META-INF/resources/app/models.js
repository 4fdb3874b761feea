// Models: the list and a training form (a job with progress), and a model's page with its
// cross-validation metrics, parity and calibration plots of the out-of-fold predictions, the top 20
// permutation importances with plain names, and a predict form that marks where a formula fails and,
// asked to explain, draws one material's prediction as a waterfall of its TreeSHAP contributions.
// A classifier's page shows its cross-validated classification metrics, confusion matrix and
// reliability curve instead of the parity and interval plots, and its predictions' class probabilities.
import { get, post, query } from './api.js';
import { h, fill, table, num, field } from './dom.js';
import { t } from './i18n.js';
import { hasRole } from './session.js';
import { problem } from './catalog.js';
import { parityPlot, calibrationPlot, importanceChart, waterfallChart, reliabilityPlot } from './charts.js';
import { chemicalFormula, clipToRange, rangeText } from './chemistry.js';

export async function modelsPage(view) {
  const [page, datasets, properties] = await Promise.all([get('/api/v1/models' + query({ limit: 100 })),
    get('/api/v1/datasets' + query({ limit: 200 })), get('/api/v1/properties')]);
  const progress = h('div', { id: 'training' });
  const form = hasRole('contributor') ? h('form', { class: 'card', id: 'train', onsubmit: async (event) => {
    event.preventDefault();
    try {
      const algorithm = field(form, 'algorithm');
      const trees = Number(field(form, 'trees'));
      // the trees field is the forest's size or the boosting rounds; a Gaussian process has neither
      const hyperparameters = algorithm === 'random_forest' ? { nTrees: trees }
        : algorithm === 'gradient_boosting' ? { nEstimators: trees, loss: field(form, 'loss') } : {};
      const job = await post('/api/v1/models', {
        name: field(form, 'name'), datasets: [{ datasetId: field(form, 'dataset') }],
        targetProperty: field(form, 'target'), seed: Number(field(form, 'seed')),
        kFolds: Number(field(form, 'folds')), algorithm, hyperparameters,
        featuriser: { id: field(form, 'featuriser') },
      });
      await follow(job.id, progress);
    } catch (e) {
      fill(progress, problem(e));
    }
  } }, h('h2', {}, t('models.train')), h('div', { class: 'row' },
    h('label', {}, t('models.name'), h('input', { name: 'name', required: true, size: 20 })),
    h('label', {}, t('models.dataset'), h('select', { name: 'dataset' }, datasets.datasets.map((d) =>
      h('option', { value: d.id }, `${d.title} (${d.ownerOrg})`)))),
    h('label', {}, t('models.target'), h('select', { name: 'target' }, properties.map((p) =>
      h('option', { value: p.name }, p.displayName)))),
    h('label', {}, t('models.algorithm'), h('select', { name: 'algorithm' },
      ['random_forest', 'gradient_boosting', 'gaussian_process'].map((a) => h('option', { value: a }, t('models.' + a))))),
    h('label', {}, t('models.featuriser'), h('select', { name: 'featuriser' },
      ['magpie', 'element_fraction'].map((f) => h('option', { value: f }, t('models.featuriser_' + f))))),
    h('label', {}, t('models.trees'), h('input', { name: 'trees', type: 'number', value: 100, min: 1, size: 5 })),
    h('label', {}, t('models.loss'), h('select', { name: 'loss' },
      ['squared_error', 'absolute_error', 'huber'].map((l) => h('option', { value: l }, t('models.loss_' + l))))),
    h('label', {}, t('models.folds'), h('input', { name: 'folds', type: 'number', value: 5, min: 2, size: 3 })),
    h('label', {}, t('models.seed'), h('input', { name: 'seed', type: 'number', value: 7, size: 6 })),
    h('button', { type: 'submit', id: 'train-button' }, t('models.start'))), progress) : null;
  fill(view, h('h1', {}, t('models.heading')), form,
    table([[t('models.name'), (m) => h('a', { href: '#/models/' + m.id, class: 'model-link' }, `${m.name} v${m.version}`)],
      [t('models.target'), (m) => `${m.targetProperty} (${m.targetUnit})`],
      [t('models.algorithm'), (m) => t('models.' + m.algorithm)], [t('models.status'), (m) => m.status],
      ['MAE', (m) => m.metrics ? num(m.metrics.mae) : '–'], ['R²', (m) => m.metrics ? num(m.metrics.r2) : '–'],
      [t('models.balanced_accuracy'), (m) => m.classificationMetrics ? num(m.classificationMetrics.balancedAccuracy) : '–'],
      [t('models.owner'), (m) => m.ownerOrg]], page.models, { id: 'model-table' }));
}

async function follow(jobId, box) {
  for (;;) {
    const job = await get('/api/v1/jobs/' + jobId);
    fill(box, h('p', { id: 'job-state' }, `${t('models.job')} ${job.state} · ${Math.round(job.progress * 100)} % `,
      job.message || ''), h('progress', { max: 1, value: job.progress }));
    if (job.state === 'succeeded') {
      fill(box, h('p', { class: 'ok' }, t('models.trained'), ' ',
        h('a', { href: '#/models/' + job.resultId, id: 'trained-model' }, t('models.open'))));
      return;
    }
    if (job.state !== 'queued' && job.state !== 'running') {
      fill(box, h('p', { class: 'error' }, `${job.state}: ${job.message || ''}`));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function outOfFold(id) {
  const all = [];
  let cursor = null;
  for (let page = 0; page < 20; page++) {
    const answer = await get(`/api/v1/models/${id}/out-of-fold` + query({ limit: 1000, cursor }));
    all.push(...answer.predictions);
    cursor = answer.nextCursor;
    if (!cursor) break;
  }
  return all;
}

export async function modelPage(view, id) {
  const [m, points, properties] = await Promise.all([get('/api/v1/models/' + id), outOfFold(id), get('/api/v1/properties')]);
  const target = properties.find((p) => p.name === m.targetProperty);
  if (m.task === 'CLASSIFICATION') {
    fill(view, h('h1', {}, `${m.name} v${m.version}`, ' ', h('span', { class: 'muted' }, m.targetProperty)),
      classifierSection(m), importanceSection(m), predictForm(m, target));
    return;
  }
  const metrics = m.metrics || {};
  fill(view, h('h1', {}, `${m.name} v${m.version}`, ' ', h('span', { class: 'muted' }, `${m.targetProperty} (${m.targetUnit})`)),
    h('section', { class: 'card', id: 'metrics' }, h('h2', {}, t('models.cv', { k: m.kFolds })),
      table([['MAE', (x) => num(x.mae)], ['RMSE', (x) => num(x.rmse)], ['R²', (x) => num(x.r2)],
        [t('models.coverage68'), (x) => num(x.coverage68)], [t('models.coverage95'), (x) => num(x.coverage95)],
        [t('models.count'), (x) => x.count]], [metrics, ...(m.foldMetrics || [])]),
      h('p', { class: 'muted' }, `${m.algorithm} · ${m.featuriser} · ${t('models.seed')} ${m.seed} · ${t('models.owner')} `
        + `${m.ownerOrg} · ${t('visibility.' + m.visibility)}`),
      h('p', { class: 'muted' }, t('models.lineage'), ': ', (m.lineage || []).map((l) =>
        h('a', { href: '#/datasets/' + l.datasetId, class: 'pill' }, `${l.datasetId.slice(0, 8)} v${l.version} (${l.rowsUsed})`)))),
    h('section', { class: 'card' }, h('h2', {}, t('models.parity')),
      points.length ? parityPlot(points, m.targetUnit, { measured: t('models.measured'), predicted: t('models.predicted') })
        : h('p', { class: 'muted' }, t('models.no_oof'))),
    h('section', { class: 'card' }, h('h2', {}, t('models.calibration')), h('p', { class: 'muted' }, t('models.calibration_help')),
      points.length ? calibrationPlot(points, { expected: t('models.expected'), observed: t('models.observed'),
        ideal: t('models.ideal') }) : null),
    importanceSection(m),
    predictForm(m, target));
}

/** A classifier's cross-validated metrics (pooled, then per fold), confusion matrix and reliability curve. */
function classifierSection(m) {
  const overall = m.classificationMetrics || {};
  const classes = m.classes || [];
  const confusion = overall.confusion || [];
  const calibration = m.calibration;
  return [
    h('section', { class: 'card', id: 'metrics' }, h('h2', {}, t('models.cv', { k: m.kFolds })),
      table([[t('models.accuracy'), (x) => num(x.accuracy)], [t('models.balanced_accuracy'), (x) => num(x.balancedAccuracy)],
        ['ROC-AUC', (x) => num(x.rocAuc)], [t('models.log_loss'), (x) => num(x.logLoss)], ['Brier', (x) => num(x.brier)],
        [t('models.count'), (x) => x.count]], [overall, ...(m.classificationFoldMetrics || [])]),
      calibration ? h('p', { class: 'muted', id: 'calibration-method' }, t('models.calibrated', { method: calibration.method,
        isotonic: num(calibration.isotonicLogLoss), platt: num(calibration.plattLogLoss),
        raw: num(calibration.uncalibratedLogLoss) })) : null,
      h('p', { class: 'muted' }, `${m.algorithm} · ${m.featuriser} · ${t('models.seed')} ${m.seed} · ${t('models.owner')} `
        + `${m.ownerOrg} · ${t('visibility.' + m.visibility)}`)),
    h('section', { class: 'card' }, h('h2', {}, t('models.confusion')), h('p', { class: 'muted' }, t('models.confusion_help')),
      h('table', { id: 'confusion-matrix' },
        h('thead', {}, h('tr', {}, h('th', {}, t('models.observed_predicted')), classes.map((c) => h('th', {}, c)))),
        h('tbody', {}, confusion.map((row, r) => h('tr', {}, h('th', {}, classes[r]),
          row.map((count, c) => h('td', { class: r === c ? 'ok' : (count ? 'error' : '') }, String(count)))))))),
    h('section', { class: 'card' }, h('h2', {}, t('models.reliability')), h('p', { class: 'muted' }, t('models.reliability_help')),
      reliabilityPlot(overall.reliability || [], { predicted: t('models.predicted_probability'),
        observed: t('models.observed_fraction'), ideal: t('models.ideal') })),
  ];
}

/** The 20 features whose shuffling raised the cross-validated error most, with their spread. */
function importanceSection(m) {
  const importance = m.permutationImportance;
  const section = h('section', { class: 'card', id: 'importance' }, h('h2', {}, t('models.importance')));
  if (!importance || !importance.features.length) {
    return fill(section, h('h2', {}, t('models.importance')), h('p', { class: 'muted' }, t('models.no_importance')));
  }
  const top = importance.features.slice(0, 20).map((f) => ({ name: f.plainName, value: f.mean, std: f.std }));
  return fill(section, h('h2', {}, t('models.importance')),
    h('p', { class: 'muted' }, t('models.importance_help', { folds: importance.folds, repeats: importance.repeats })),
    importanceChart('importance-chart', top, t('models.importance_axis', { unit: m.targetUnit })),
    h('p', { class: 'muted', id: 'importance-by-property' }, t('models.by_property'), ': ',
      importance.byProperty.slice(0, 8).map((g) => h('span', { class: 'pill' }, `${g.name} ${num(g.value)}`))));
}

/** The largest steps of an explanation (features, or a grouped view), the rest summed into one. */
function steps(explanation, by) {
  const all = by === 'property' ? explanation.byProperty.map((g) => ({ name: g.name, value: g.value }))
    : by === 'statistic' ? explanation.byStatistic.map((g) => ({ name: g.name, value: g.value }))
      : explanation.contributions.map((c) => ({ name: `${c.plainName} = ${num(c.value)}`, value: c.contribution }));
  const nonzero = all.filter((s) => s.value !== 0);
  const shown = nonzero.slice(0, 12);
  const rest = nonzero.slice(12);
  if (rest.length) {
    shown.push({ name: t('models.other_features', { n: rest.length }), value: rest.reduce((sum, s) => sum + s.value, 0) });
  }
  return shown;
}

/** One material's explanation as a waterfall, with a choice of material and of the grouping. */
function explanationView(m, formulas, predictions) {
  const explained = predictions.filter((p) => p.explanation);
  const box = h('section', { id: 'explanation' });
  if (!explained.length) {
    return box;
  }
  const chartBox = h('div', {});
  const which = h('select', { id: 'explain-material' }, explained.map((p) => h('option', { value: p.index },
    formulas[p.index])));
  const by = h('select', { id: 'explain-by' }, ['feature', 'property', 'statistic'].map((g) =>
    h('option', { value: g }, t('models.explain_by_' + g))));
  const draw = () => {
    const p = explained.find((x) => String(x.index) === which.value) || explained[0];
    const e = p.explanation;
    fill(chartBox, h('p', { class: 'muted', id: 'explain-sum' }, t('models.explain_sum', { expected: num(e.expectedValue),
      mean: num(p.mean), unit: m.targetUnit })),
    waterfallChart('waterfall-chart', e.expectedValue, steps(e, by.value), { expected: t('models.expected_value'),
      prediction: t('models.prediction'), unit: m.targetUnit }));
  };
  which.addEventListener('change', draw);
  by.addEventListener('change', draw);
  draw();
  return fill(box, h('h3', {}, t('models.explanation')), h('div', { class: 'row' },
    h('label', {}, t('models.formula'), which), h('label', {}, t('models.explain_by'), by)), chartBox);
}

/** The 95 % interval, clipped to the values the target can take, with a note when a bound moved. */
function interval95(p, m, target) {
  if (!p.interval95) {
    return '';
  }
  const { interval, clipped } = clipToRange(p.interval95, target, m.targetUnit);
  const text = `${num(interval[0])} – ${num(interval[1])}`;
  return clipped ? h('span', { class: 'clipped', title: t('models.clipped_help', { range: rangeText(target),
    low: num(p.interval95[0]), high: num(p.interval95[1]) }) }, text, ' ', h('span', { class: 'pill' }, t('models.clipped'))) : text;
}

function predictForm(m, target) {
  const out = h('div', { id: 'predictions' });
  const form = h('form', { class: 'card', id: 'predict', onsubmit: async (event) => {
    event.preventDefault();
    const formulas = field(form, 'formulas').split(/\n|,/).map((s) => s.trim()).filter(Boolean);
    const explain = form.querySelector('#explain').checked;
    try {
      const answer = await post(`/api/v1/models/${m.id}/predict` + (explain ? query({ explain: true }) : ''), { formulas });
      if (m.task === 'CLASSIFICATION') {
        fill(out, table([[t('models.formula'), (p) => p.error ? marked(formulas[p.index], p.error) : formulas[p.index]],
          [t('models.predicted_class'), (p) => p.error ? '' : p.predictedClass],
          [t('models.probabilities'), (p) => p.error ? '' : p.probabilities.map((c) => h('span', { class: 'pill' },
            `${c.label} ${num(c.probability)}`))],
          [t('models.in_domain'), (p) => p.error ? h('span', { class: 'error' }, p.error.reason)
            : (p.inDomain ? t('common.yes') : h('span', { class: 'error' }, t('models.out_of_domain')))]],
        answer.predictions, { id: 'prediction-table' }));
        return;
      }
      fill(out, table([[t('models.formula'), (p) => p.error ? marked(formulas[p.index], p.error) : formulas[p.index]],
        [t('models.mean'), (p) => p.error ? '' : `${num(p.mean)} ± ${num(p.std)} ${m.targetUnit}`],
        [t('models.reduced'), (p) => p.error ? '' : chemicalFormula(p.reducedFormula)],
        ['95 %', (p) => interval95(p, m, target)],
        [t('models.in_domain'), (p) => p.error ? h('span', { class: 'error' }, p.error.reason)
          : (p.inDomain ? t('common.yes') : h('span', { class: 'error' }, t('models.out_of_domain')))]],
      answer.predictions, { id: 'prediction-table' }), explanationView(m, formulas, answer.predictions));
    } catch (e) {
      fill(out, problem(e));
    }
  } }, h('h2', {}, t('models.predict')), h('textarea', { name: 'formulas', id: 'formulas', placeholder: 'GaAs\nZnSe' }),
  h('label', { title: t('models.explain_help') }, h('input', { type: 'checkbox', id: 'explain', name: 'explain',
    checked: m.algorithm !== 'gaussian_process' && m.task !== 'CLASSIFICATION',
    disabled: m.task === 'CLASSIFICATION' }), ' ', t('models.explain')),
  h('button', { type: 'submit', id: 'predict-button' }, t('models.predict_go')),
  target && rangeText(target) ? h('p', { class: 'muted', id: 'range-note' }, t('models.range_note', { property: target.displayName,
    range: rangeText(target) })) : null, out);
  return form;
}

/** The formula with the character where it fails marked (the position is 0-based). */
function marked(formula, error) {
  const at = Math.max(0, Math.min(formula.length, error.position || 0));
  return h('span', { class: 'bad-formula' }, formula.slice(0, at),
    h('span', { class: 'mark', title: error.reason }, formula.slice(at, at + 1) || ' '), formula.slice(at + 1));
}
