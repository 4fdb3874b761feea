// Catalog: search with a periodic-table element picker, and a material's page.
import { get, query } from './api.js';
import { federationNode } from './auth.js';
import { h, fill, table, num, field, control } from './dom.js';
import { t } from './i18n.js';
import { chemicalFormula } from './chemistry.js';
import { structureSection } from './structure.js';

const SYMBOLS = ('H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As Se Br Kr '
  + 'Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu Gd Tb Dy Ho Er Tm Yb Lu Hf Ta '
  + 'W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np Pu Am Cm Bk Cf Es Fm Md No Lr Rf Db Sg Bh Hs Mt Ds '
  + 'Rg Cn Nh Fl Mc Lv Ts Og').split(' ');

/** Row and column of element Z in the 18-column table (lanthanides and actinides in rows 9 and 10). */
function place(z) {
  if (z === 1) return [1, 1];
  if (z === 2) return [1, 18];
  const periods = [[3, 10, 2], [11, 18, 3]];
  for (const [first, last, row] of periods) {
    if (z >= first && z <= last) return [row, z - first < 2 ? z - first + 1 : z - first + 11];
  }
  if (z <= 36) return [4, z - 18];
  if (z <= 54) return [5, z - 36];
  if (z >= 57 && z <= 71) return [9, z - 54];
  if (z >= 89 && z <= 103) return [10, z - 86];
  const [start, row, shift] = z <= 86 ? [55, 6, 68] : [87, 7, 100];
  return [row, z - start < 2 ? z - start + 1 : z - shift];
}

/**
 * The shade of an element with {@code count} of {@code most} materials: white for none, up to the accent
 * colour for the most common, on a logarithmic scale (one material still shows).
 */
export function shade(count, most) {
  if (!count || !most) {
    return null;
  }
  const level = 0.15 + 0.85 * (Math.log1p(count) / Math.log1p(most));
  const mix = (from, to) => Math.round(from + (to - from) * level);
  return `rgb(${mix(255, 0x7f)}, ${mix(255, 0xa6)}, ${mix(255, 0xe8)})`;
}

/**
 * The periodic table: clicking an element toggles it in {@code selected} (a Set). With {@code counts}
 * (element → materials visible to the caller that contain it) each element is shaded by its count.
 */
export function periodicTable(selected, onChange, counts = {}) {
  const grid = h('div', { class: 'pt', id: 'periodic-table', role: 'group', 'aria-label': t('search.elements') });
  const most = Math.max(0, ...Object.values(counts));
  SYMBOLS.forEach((symbol, i) => {
    const [row, column] = place(i + 1);
    const count = counts[symbol] || 0;
    const background = shade(count, most);
    const button = h('button', { type: 'button', 'data-element': symbol, class: selected.has(symbol) ? 'on' : null,
      'data-count': String(count), title: t('search.element_count', { element: symbol, count }),
      style: `grid-row: ${row}; grid-column: ${column}` + (background ? `; background-color: ${background}` : ''),
      'aria-pressed': String(selected.has(symbol)),
      onclick: () => {
        if (selected.has(symbol)) selected.delete(symbol); else selected.add(symbol);
        button.classList.toggle('on', selected.has(symbol));
        button.setAttribute('aria-pressed', String(selected.has(symbol)));
        onChange();
      } }, symbol);
    grid.append(button);
  });
  return grid;
}

export async function searchPage(view) {
  const [properties, datasets, elementCounts] = await Promise.all([get('/api/v1/properties'),
    get('/api/v1/datasets' + query({ limit: 200 })), get('/api/v1/materials/element-counts')]);
  const counts = elementCounts.counts || {};
  const visible = Object.keys(counts).length;
  const selected = new Set();
  const chosen = h('span', { id: 'chosen', class: 'muted' });
  const showChosen = () => fill(chosen, selected.size ? [...selected].join(', ') : t('search.no_elements'));
  showChosen();
  const results = h('div', { id: 'results' });
  const cursors = [];
  const form = h('form', { id: 'search-form', onsubmit: (event) => { event.preventDefault(); cursors.length = 0; run(null); } },
    h('section', { class: 'card' },
      h('h2', {}, t('search.elements'), ' ', chosen),
      periodicTable(selected, showChosen, counts),
      h('p', { class: 'muted', id: 'element-legend' }, h('span', { class: 'swatch', style: `background-color: ${shade(1, 1)}` }),
        ' ', t('search.shade_help', { elements: visible })),
      h('div', { class: 'row' },
        h('label', {}, t('search.match'), h('select', { name: 'match' },
          ['all', 'any', 'only', 'exactly'].map((m) => h('option', { value: m }, t('search.match.' + m))))),
        h('label', {}, t('search.nelements_min'), h('input', { name: 'nmin', type: 'number', min: 1, size: 4 })),
        h('label', {}, t('search.nelements_max'), h('input', { name: 'nmax', type: 'number', min: 1, size: 4 })))),
    h('section', { class: 'card' },
      h('div', { class: 'row' },
        h('label', {}, t('search.property'), h('select', { name: 'property' }, h('option', { value: '' }, '—'),
          properties.map((p) => h('option', { value: p.name }, `${p.displayName} (${p.canonicalUnit})`)))),
        h('label', {}, t('search.min'), h('input', { name: 'min', type: 'number', step: 'any', size: 8 })),
        h('label', {}, t('search.max'), h('input', { name: 'max', type: 'number', step: 'any', size: 8 })),
        h('label', {}, t('search.unit'), h('input', { name: 'unit', size: 8, placeholder: 'eV, meV, K, Cel…' })),
        h('label', {}, t('search.dataset'), h('select', { name: 'dataset' }, h('option', { value: '' }, '—'),
          datasets.datasets.map((d) => h('option', { value: d.id }, `${d.title} (${d.ownerOrg})`)))),
        h('label', {}, t('search.owner'), h('input', { name: 'owner', size: 10 })),
        h('label', {}, t('search.text'), h('input', { name: 'q', size: 14 })),
        federationNode() ? h('label', { title: t('search.federation_help') },
          h('input', { type: 'checkbox', name: 'scope', id: 'scope-federation', value: 'federation' }),
          t('search.federation')) : null,
        h('button', { type: 'submit', id: 'search' }, t('search.go')))));
  fill(view, h('h1', {}, t('search.title')), form, results);
  const preset = sessionStorage.getItem('mihub.dataset');
  if (preset) {
    sessionStorage.removeItem('mihub.dataset');
    control(form, 'dataset').value = preset;
    run(null);
  }

  async function run(cursor) {
    const nmin = field(form, 'nmin');
    const nmax = field(form, 'nmax');
    const parameters = {
      elements: [...selected].join(','), match: field(form, 'match'),
      nelements: nmin || nmax ? `${nmin}-${nmax}` : '', property: field(form, 'property'), min: field(form, 'min'),
      max: field(form, 'max'), unit: field(form, 'unit'), dataset: field(form, 'dataset'),
      owner: field(form, 'owner'), q: field(form, 'q'), limit: 20, cursor,
    };
    const federated = federationNode() && control(form, 'scope').checked;
    if (federated) {
      parameters.scope = 'federation';
    }
    fill(results, h('p', { class: 'muted' }, t('common.loading')));
    try {
      const page = await get('/api/v1/materials' + query(parameters));
      // each node's answer in a federated search: ok, timeout, unavailable or refused, with its reason
      const nodes = federated ? h('p', { id: 'node-status' }, t('search.nodes'), ' ', (page.nodes || []).map((n) =>
        h('span', { class: 'pill' + (n.status === 'ok' ? '' : ' warn'), title: n.message || '' },
          `${n.node}: ${t('search.node_status.' + n.status)}${n.status === 'ok' ? ` (${n.count})` : ''}`))) : null;
      const here = (m) => !federated || m.node === federationNode();
      fill(results, nodes, page.materials.length === 0 ? h('p', { id: 'no-results' }, t('search.none')) : [
        table([
          [t('material.formula'), (m) => h('a', { href: here(m) ? '#/materials/' + m.id
            : m.homeUrl.replace('/api/v1/materials/', '/#/materials/'), class: 'formula' }, m.formula)],
          [t('material.reduced'), (m) => chemicalFormula(m.reducedFormula)],
          [t('material.elements'), (m) => m.elements.join(' ')],
          [t('material.measurements'), (m) => (m.measurements || []).map((x) =>
            h('span', { class: 'pill' }, x.value ? `${x.property} ${num(x.value.value)} ${x.value.unit}` : `${x.property} ${x.label}`))],
          [t('material.owner'), (m) => m.ownerOrg],
          ...(federated ? [[t('search.node'), (m) => m.node]] : []),
        ], page.materials, { id: 'result-table' }),
        h('div', { class: 'row' },
          h('button', { type: 'button', class: 'ghost', disabled: cursors.length === 0,
            onclick: () => run(cursors.pop() || null) }, t('common.previous')),
          h('button', { type: 'button', class: 'ghost', id: 'next-page', disabled: !page.nextCursor,
            onclick: () => { cursors.push(cursor); run(page.nextCursor); } }, t('common.next'))),
      ]);
    } catch (e) {
      fill(results, problem(e));
    }
  }
}

/** A refusal: its detail and each field it names. */
export function problem(error) {
  const fields = (error.problem && error.problem.errors) || [];
  return h('div', { class: 'error', role: 'alert' }, h('p', {}, error.message),
    fields.length ? h('ul', {}, fields.map((f) => h('li', {}, `${f.field}: ${f.reason}`))) : null);
}

export async function materialPage(view, id) {
  const m = await get('/api/v1/materials/' + id);
  const structure = m.structure;
  fill(view,
    h('h1', {}, m.formula, ' ', h('span', { class: 'muted', id: 'reduced-formula' }, chemicalFormula(m.reducedFormula))),
    h('section', { class: 'card' }, h('h2', {}, t('material.composition')),
      table([[t('material.element'), ([e]) => e], [t('material.amount'), ([, a]) => num(a)],
        [t('material.fraction'), ([e]) => num((m.atomicFractions || {})[e])]], Object.entries(m.composition)),
      h('p', { class: 'muted' }, t('material.dataset'), ': ', h('a', { href: '#/datasets/' + m.datasetId }, m.datasetId),
        ' · ', m.ownerOrg, m.sampleKey ? ' · ' + m.sampleKey : '', ' ', (m.tags || []).map((tag) => h('span', { class: 'pill' }, tag)))),
    h('section', { class: 'card', id: 'structure' }, h('h2', {}, t('material.structure')),
      structure ? structureSection(structure) : h('p', { class: 'muted' }, t('material.no_structure'))),
    h('section', { class: 'card', id: 'process' }, h('h2', {}, t('material.process')),
      (m.processSteps || []).length ? h('ol', {}, m.processSteps.map((step) => h('li', {}, h('strong', {}, step.kind), ' ',
        (step.parameters || []).map((p) => h('span', { class: 'pill' },
          `${p.name} ${p.quantity ? num(p.quantity.value) + ' ' + p.quantity.unit : p.text}`)))))
        : h('p', { class: 'muted' }, t('material.no_process'))),
    h('section', { class: 'card', id: 'measurements' }, h('h2', {}, t('material.measurements')),
      table([[t('material.property'), (x) => x.property],
        [t('material.value'), (x) => x.value ? `${num(x.value.value)} ${x.value.unit}` : x.label],
        [t('material.uncertainty'), (x) => x.uncertainty === undefined ? '' : num(x.uncertainty)],
        [t('material.reported'), (x) => x.reported ? `${num(x.reported.value)} ${x.reported.unit}` : ''],
        [t('material.method'), (x) => [x.method, x.instrument].filter(Boolean).join(' / ')],
        [t('material.conditions'), (x) => (x.conditions || []).map((c) =>
          `${c.name} ${c.quantity ? num(c.quantity.value) + ' ' + c.quantity.unit : c.text}`).join(', ')],
        [t('material.source'), (x) => x.source]], m.measurements || [])));
}
