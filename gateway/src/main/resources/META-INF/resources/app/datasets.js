// Datasets: the list, a new dataset, and a dataset's page (metadata, licence, citation; upload with
// every rejected row; sharing and embargo for curators of the owner; access log and usage for the owner).
import { get, post, put, query, download } from './api.js';
import { h, fill, table, field, control } from './dom.js';
import { t } from './i18n.js';
import { me, hasRole } from './session.js';
import { problem } from './catalog.js';

const VISIBILITIES = ['private', 'shared', 'consortium', 'public'];

export async function datasetsPage(view) {
  const page = await get('/api/v1/datasets' + query({ limit: 200 }));
  const message = h('div', {});
  const form = hasRole('contributor') ? h('form', { id: 'new-dataset', class: 'card', onsubmit: async (event) => {
    event.preventDefault();
    try {
      const created = await post('/api/v1/datasets', {
        title: field(form, 'title'), licence: field(form, 'licence'), visibility: field(form, 'visibility'),
        description: field(form, 'description'), citation: field(form, 'citation'),
      });
      location.hash = '#/datasets/' + created.id;
    } catch (e) {
      fill(message, problem(e));
    }
  } }, h('h2', {}, t('datasets.new')), h('div', { class: 'row' },
    h('label', {}, t('datasets.title_field'), h('input', { name: 'title', required: true, size: 30 })),
    h('label', {}, t('datasets.licence'), h('input', { name: 'licence', value: 'CC-BY-4.0', size: 14 })),
    h('label', {}, t('datasets.visibility'), h('select', { name: 'visibility' },
      VISIBILITIES.map((v) => h('option', { value: v }, t('visibility.' + v))))),
    h('label', {}, t('datasets.description'), h('input', { name: 'description', size: 30 })),
    h('label', {}, t('datasets.citation'), h('input', { name: 'citation', size: 30 })),
    h('button', { type: 'submit', id: 'create-dataset' }, t('datasets.create'))), message) : null;
  fill(view, h('h1', {}, t('datasets.heading')), form,
    table([[t('datasets.title_field'), (d) => h('a', { href: '#/datasets/' + d.id, class: 'dataset-link' }, d.title)],
      [t('datasets.owner'), (d) => d.ownerOrg], [t('datasets.visibility'), (d) => t('visibility.' + d.visibility)],
      [t('datasets.licence'), (d) => d.licence], [t('datasets.rows'), (d) => d.rowCount]], page.datasets,
    { id: 'dataset-table' }));
}

export async function datasetPage(view, id) {
  const d = await get('/api/v1/datasets/' + id);
  const mine = me() !== null && (me().org === d.ownerOrg || me().roles.includes('admin'));
  fill(view, h('h1', { id: 'dataset-title' }, d.title),
    h('section', { class: 'card' }, table([[t('datasets.field'), ([k]) => k], [t('datasets.value'), ([, v]) => v]], [
      [t('datasets.owner'), d.ownerOrg], [t('datasets.visibility'), t('visibility.' + d.visibility)
        + (d.sharedWith && d.sharedWith.length ? ' → ' + d.sharedWith.join(', ') : '')],
      [t('datasets.embargo'), d.embargo ? `${d.embargo.until} → ${t('visibility.' + d.embargo.liftsTo)}` : '—'],
      [t('datasets.licence'), d.licence], [t('datasets.citation'), d.citation || '—'], ['DOI', d.doi || '—'],
      [t('datasets.description'), d.description || '—'], [t('datasets.version'), d.version],
      [t('datasets.rows'), d.rowCount], [t('datasets.created'), d.createdAt]])),
    h('p', {}, h('a', { href: '#/search', onclick: () => sessionStorage.setItem('mihub.dataset', d.id) },
      t('datasets.search_in')), ' · ', exportButton(d, 'csv'), ' ', exportButton(d, 'jsonl')),
    h('p', { id: 'export-outcome', 'aria-live': 'polite' }),
    mine && hasRole('contributor') ? upload(d) : null,
    mine && hasRole('curator') ? sharing(d) : null,
    mine ? await accessLog(d) : null);
}

/** Exports the dataset through an authenticated download (the token goes with the request). */
function exportButton(d, format) {
  return h('button', { type: 'button', class: 'ghost export', id: 'export-' + format, onclick: async () => {
    const outcome = document.getElementById('export-outcome');
    fill(outcome, h('span', { class: 'muted' }, t('common.loading')));
    try {
      const file = await download(`/api/v1/datasets/${d.id}/export?format=${format}`, `${d.id}.${format}`);
      fill(outcome, h('span', { class: 'ok', id: 'export-ok' }, t('datasets.exported', { name: file.name, bytes: file.bytes })));
    } catch (e) {
      fill(outcome, problem(e));
    }
  } }, t('datasets.export', { format: format.toUpperCase() }));
}

function upload(d) {
  const outcome = h('div', { id: 'upload-outcome' });
  const send = async (dryRun) => {
    const file = control(form, 'file').files[0];
    const text = file ? await file.text() : field(form, 'csv');
    const mode = control(form, 'skip').checked ? 'skip-invalid' : 'strict';
    fill(outcome, h('p', { class: 'muted' }, t('common.loading')));
    try {
      const result = await post(`/api/v1/datasets/${d.id}/records?mode=${mode}${dryRun ? '&dryRun=true' : ''}`,
        text + (text.endsWith('\n') ? '' : '\n'), 'text/csv');
      const skipped = result.skipped || [];
      fill(outcome, dryRun
        ? h('p', { class: 'ok', id: 'upload-checked' }, t('upload.checked', { valid: result.rowsReceived - result.rowsSkipped,
          received: result.rowsReceived }), ' ', (result.properties || []).map((p) => `${p.property} [${p.units.join(', ')}]`).join(' · '))
        : h('p', { class: 'ok', id: 'upload-ok' }, t('upload.written', { rows: result.rowsWritten,
          measurements: result.measurementsWritten, version: result.datasetVersion })),
      skipped.length ? [h('p', {}, t('upload.skipped', { skipped: result.rowsSkipped })),
        table([[t('upload.row'), (r) => r.row], [t('upload.column'), (r) => r.column], [t('upload.reason'), (r) => r.reason]],
          skipped, { id: 'skipped' })] : null);
    } catch (e) {
      const rejections = (e.problem && e.problem.rejections) || [];
      fill(outcome, h('p', { class: 'error', role: 'alert' }, e.message), rejections.length ? [
        h('p', {}, t('upload.nothing_written', { rejected: e.problem.rowsRejected, received: e.problem.rowsReceived })),
        table([[t('upload.row'), (r) => r.row], [t('upload.line'), (r) => r.line], [t('upload.column'), (r) => r.column],
          [t('upload.code'), (r) => r.code], [t('upload.reason'), (r) => r.reason], [t('upload.value'), (r) => r.value]],
        rejections, { id: 'rejections' })] : problem(e));
    }
  };
  const form = h('form', { class: 'card', id: 'upload', onsubmit: (event) => { event.preventDefault(); send(false); } },
  h('h2', {}, t('upload.heading')), h('p', { class: 'muted' }, t('upload.help')),
  h('label', {}, t('upload.file'), h('input', { type: 'file', name: 'file', accept: '.csv,text/csv' })),
  h('label', { style: 'display:flex' }, t('upload.paste'), h('textarea', { name: 'csv', id: 'csv',
    placeholder: 'formula,band_gap [eV]\nGaAs,1.42' })),
  h('label', {}, h('input', { type: 'checkbox', name: 'skip', id: 'upload-skip' }), ' ', t('upload.skip_invalid')),
  h('button', { type: 'button', id: 'upload-check', onclick: () => send(true) }, t('upload.check')), ' ',
  h('button', { type: 'submit', id: 'upload-button' }, t('upload.go')), outcome);
  return form;
}

function sharing(d) {
  const message = h('div', {});
  const form = h('form', { class: 'card', id: 'sharing', onsubmit: async (event) => {
    event.preventDefault();
    const until = field(form, 'until');
    try {
      await put(`/api/v1/datasets/${d.id}/sharing`, {
        visibility: field(form, 'visibility'),
        sharedWith: field(form, 'sharedWith').split(',').map((s) => s.trim()).filter(Boolean),
        embargo: until ? { until: new Date(until).toISOString(), liftsTo: field(form, 'liftsTo') } : null,
      });
      fill(message, h('p', { class: 'ok' }, t('sharing.saved')));
    } catch (e) {
      fill(message, problem(e));
    }
  } }, h('h2', {}, t('sharing.heading')), h('div', { class: 'row' },
    h('label', {}, t('datasets.visibility'), h('select', { name: 'visibility' }, VISIBILITIES.map((v) =>
      h('option', { value: v, selected: v === d.visibility }, t('visibility.' + v))))),
    h('label', {}, t('sharing.with'), h('input', { name: 'sharedWith', value: (d.sharedWith || []).join(', ') })),
    h('label', {}, t('sharing.embargo_until'), h('input', { name: 'until', type: 'date' })),
    h('label', {}, t('sharing.lifts_to'), h('select', { name: 'liftsTo' }, ['shared', 'consortium', 'public'].map((v) =>
      h('option', { value: v }, t('visibility.' + v))))),
    h('button', { type: 'submit' }, t('common.save'))), message);
  return form;
}

async function accessLog(d) {
  const [log, usage] = await Promise.all([get(`/api/v1/datasets/${d.id}/access-log` + query({ limit: 50 })),
    get('/api/v1/usage' + query({ org: d.ownerOrg }))]);
  return h('section', { class: 'card', id: 'access-log' }, h('h2', {}, t('access.heading')),
    (log.entries || []).length ? table([[t('access.at'), (e) => e.at], [t('access.reader'), (e) => e.readerOrg],
      [t('access.operation'), (e) => e.operation], [t('access.records'), (e) => e.records]], log.entries)
      : h('p', { class: 'muted' }, t('access.none')),
    h('h2', {}, t('access.usage')),
    table([[t('access.reader'), (u) => u.readerOrg], [t('access.count'), (u) => u.accesses],
      [t('access.records'), (u) => u.records], [t('access.last'), (u) => u.lastAccessAt]],
    (usage.provided || []).filter((u) => u.datasetId === d.id)));
}
