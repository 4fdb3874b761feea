// A crystal structure as the API gives it (lattice: the vectors a, b, c as [x, y, z] in Å; sites with
// species, fractional coordinates [x, y, z] and occupancy): lattice parameters, the sites, and a 3-D view
// of the unit cell drawn with 3Dmol.js (BSD-3-Clause, vendored at build time, /vendor/3dmol/).
import { h, table, num } from './dom.js';
import { t } from './i18n.js';
import { latticeParameters, cartesian } from './chemistry.js';

/** Sites within this distance (fractional) of a face are drawn on the opposite face too. */
const FACE = 0.02;

/** The structure's card content: space group, lattice parameters, sites, and the 3-D view. */
export function structureSection(structure) {
  const cell = latticeParameters(structure.lattice);
  return [
    structure.spaceGroupSymbol ? h('p', { id: 'space-group' }, t('material.space_group'), ': ',
      h('strong', {}, structure.spaceGroupSymbol), structure.spaceGroupNumber ? ` (${structure.spaceGroupNumber})` : '') : null,
    h('div', { class: 'structure' },
      h('div', {},
        table([[t('material.parameter'), ([name]) => name], [t('material.value'), ([, value]) => value]], [
          ['a', `${num(cell.a)} Å`], ['b', `${num(cell.b)} Å`], ['c', `${num(cell.c)} Å`],
          ['α', `${num(cell.alpha)}°`], ['β', `${num(cell.beta)}°`], ['γ', `${num(cell.gamma)}°`],
          [t('material.volume'), `${num(cell.volume)} Å³`]], { id: 'lattice-parameters' }),
        table([[t('material.species'), (s) => s.species], [t('material.label'), (s) => s.label || ''],
          [t('material.fractional'), (s) => s.fractional.map(num).join(', ')],
          [t('material.occupancy'), (s) => num(s.occupancy === undefined ? 1 : s.occupancy)]],
        structure.sites || [], { id: 'sites' })),
      viewer(structure)),
  ];
}

/** The atoms to draw: every site, plus its images on the cell's faces, edges and corners. */
export function atomsInCell(structure) {
  const atoms = [];
  (structure.sites || []).forEach((site) => {
    const wrapped = site.fractional.map((x) => x - Math.floor(x));
    const shifts = wrapped.map((x) => [0, ...(x < FACE ? [1] : []), ...(x > 1 - FACE ? [-1] : [])]);
    shifts[0].forEach((i) => shifts[1].forEach((j) => shifts[2].forEach((k) => {
      const position = cartesian(structure.lattice, [wrapped[0] + i, wrapped[1] + j, wrapped[2] + k]);
      atoms.push({ elem: site.species, x: position[0], y: position[1], z: position[2], occupancy: site.occupancy });
    })));
  });
  return atoms;
}

let loading;

/** 3Dmol.js, loaded once, when the first structure is shown (the other pages do without its 0.5 MB). */
function load3Dmol() {
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/vendor/3dmol/3Dmol-min.js';
      script.onload = () => resolve(window.$3Dmol);
      script.onerror = () => { loading = null; reject(new Error('3Dmol.js')); };
      document.head.append(script);
    });
  }
  return loading;
}

function viewer(structure) {
  const box = h('div', { class: 'viewer', id: 'structure-viewer', role: 'img',
    'aria-label': t('material.viewer_label') });
  load3Dmol().then(() => requestAnimationFrame(() => draw(box, structure)))
    .catch(() => box.append(h('p', { class: 'muted' }, t('material.no_viewer'))));
  return box;
}

function draw(box, structure) {
  const view = window.$3Dmol.createViewer(box, { backgroundColor: 'white', antialias: true });
  const atoms = atomsInCell(structure);
  const model = view.addModel();
  model.addAtoms(atoms.map(({ elem, x, y, z }) => ({ elem, x, y, z })));
  view.setStyle({}, { sphere: { scale: 0.3, colorscheme: 'Jmol' }, stick: { radius: 0.12, colorscheme: 'Jmol' } });
  cellEdges(structure.lattice).forEach(([start, end]) => view.addCylinder({ start, end, radius: 0.04,
    color: '#5d6677', fromCap: 1, toCap: 1 }));
  // a little off the c axis, so that the cell reads in three dimensions
  view.rotate(-70, 'x');
  view.rotate(25, 'y');
  view.zoomTo();
  view.zoom(0.9);
  view.render();
  box.dataset.atoms = String(atoms.length);
  box.dataset.ready = 'true';
}

/** The twelve edges of the unit cell, as pairs of Cartesian points. */
function cellEdges(lattice) {
  const corner = (i, j, k) => { const [x, y, z] = cartesian(lattice, [i, j, k]); return { x, y, z }; };
  const edges = [];
  [0, 1].forEach((i) => [0, 1].forEach((j) => {
    edges.push([corner(i, j, 0), corner(i, j, 1)], [corner(i, 0, j), corner(i, 1, j)], [corner(0, i, j), corner(1, i, j)]);
  }));
  return edges;
}
