// Building the page from data without HTML strings: text is always text, never markup.

/** h('a', {href: '#/x', onclick: f}, 'text', child...): an element with attributes, handlers, children. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => {
    if (value === undefined || value === null || value === false) {
      return;
    }
    if (name.startsWith('on')) {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'value') {
      element.value = value;
    } else {
      element.setAttribute(name, value === true ? '' : value);
    }
  });
  append(element, children);
  return element;
}

function append(element, children) {
  children.flat(Infinity).forEach((child) => {
    if (child === undefined || child === null || child === false) {
      return;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  });
}

/** Replaces the children of an element. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** A table of rows: columns are [heading, cell(row)]. */
export function table(columns, rows, attributes = {}) {
  return h('table', attributes,
    h('thead', {}, h('tr', {}, columns.map(([heading]) => h('th', {}, heading)))),
    h('tbody', {}, rows.map((row) => h('tr', {}, columns.map(([, cell]) => h('td', {}, cell(row)))))));
}

/** A number for display: up to 4 significant digits. */
export function num(value) {
  if (value === undefined || value === null || Number.isNaN(value)) {
    return '–';
  }
  return Math.abs(value) >= 1e4 || (Math.abs(value) < 1e-3 && value !== 0)
    ? value.toExponential(3) : String(Number(value.toPrecision(4)));
}

const FORM_ELEMENTS = Object.getOwnPropertyDescriptor(HTMLFormElement.prototype, 'elements').get;

/** A form's control by name (through the prototype: a control named "elements" cannot hide the others). */
export function control(form, name) {
  return FORM_ELEMENTS.call(form).namedItem(name);
}

/** The value of a form field by name. */
export function field(form, name) {
  const input = control(form, name);
  return input ? input.value.trim() : '';
}
