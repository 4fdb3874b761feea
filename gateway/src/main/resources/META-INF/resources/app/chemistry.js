// Chemistry for display: formulas as chemists write them, lattice parameters from lattice vectors,
// and values clipped to the range a property can take. Pure functions, no page.

const TOKEN = /([A-Z][a-z]?)(\d+(?:\.\d+)?|\.\d+)?/g;

/** The largest multiplier tried to turn fractional amounts into whole numbers (Fe0.25Ni0.75 → FeNi3). */
const MAX_MULTIPLIER = 24;

function gcd(a, b) {
  return b === 0 ? a : gcd(b, a % b);
}

/** Parsed "Fe2O3" → [["Fe", 2], ["O", 3]]; null when the text is not a plain element-amount list. */
export function parseFormula(formula) {
  if (typeof formula !== 'string' || formula === '') {
    return null;
  }
  const parts = [];
  let consumed = 0;
  for (const match of formula.matchAll(TOKEN)) {
    if (match.index !== consumed) {
      return null;
    }
    consumed += match[0].length;
    parts.push([match[1], match[2] === undefined ? 1 : Number(match[2])]);
  }
  return consumed === formula.length && parts.length > 0 ? parts : null;
}

/**
 * A formula the way chemists write it: no amount of one (Ni1 → Ni), whole-number ratios where the
 * amounts have them (Fe0.5Ni0.5 → FeNi, Fe4O6 → Fe2O3), the elements in the order given. Anything that
 * is not a plain element-amount list (parentheses, hydrates) is shown as written.
 */
export function chemicalFormula(formula) {
  const parts = parseFormula(formula);
  if (!parts || parts.some(([, amount]) => !(amount > 0))) {
    return formula;
  }
  let multiplier = 1;
  while (multiplier <= MAX_MULTIPLIER
    && !parts.every(([, amount]) => Math.abs(amount * multiplier - Math.round(amount * multiplier)) < 1e-6)) {
    multiplier += 1;
  }
  if (multiplier > MAX_MULTIPLIER) {
    // no small whole-number ratio: the amounts as given, without ones
    return parts.map(([element, amount]) => element + (amount === 1 ? '' : String(Number(amount.toPrecision(6))))).join('');
  }
  const whole = parts.map(([element, amount]) => [element, Math.round(amount * multiplier)]);
  const divisor = whole.reduce((g, [, amount]) => gcd(g, amount), 0);
  return whole.map(([element, amount]) => element + (amount / divisor === 1 ? '' : String(amount / divisor))).join('');
}

function dot(u, v) {
  return u[0] * v[0] + u[1] * v[1] + u[2] * v[2];
}

function cross(u, v) {
  return [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
}

function angle(u, v) {
  const cosine = dot(u, v) / Math.sqrt(dot(u, u) * dot(v, v));
  return (Math.acos(Math.max(-1, Math.min(1, cosine))) * 180) / Math.PI;
}

/**
 * Lattice parameters from the three lattice vectors [[ax, ay, az], [bx, by, bz], [cx, cy, cz]] (Å):
 * lengths a, b, c (Å), angles alpha (b, c), beta (a, c), gamma (a, b) in degrees, and the cell volume (Å³).
 */
export function latticeParameters(vectors) {
  const [a, b, c] = vectors;
  return {
    a: Math.sqrt(dot(a, a)), b: Math.sqrt(dot(b, b)), c: Math.sqrt(dot(c, c)),
    alpha: angle(b, c), beta: angle(a, c), gamma: angle(a, b),
    volume: Math.abs(dot(a, cross(b, c))),
  };
}

/** Cartesian coordinates (Å) of fractional coordinates [x, y, z] in the lattice. */
export function cartesian(vectors, fractional) {
  const [a, b, c] = vectors;
  return [0, 1, 2].map((i) => fractional[0] * a[i] + fractional[1] * b[i] + fractional[2] * c[i]);
}

/**
 * An interval [low, high] clipped to the values the property can take (its vocabulary's minimum and
 * maximum, in its canonical unit): {interval, clipped} where clipped tells whether a bound moved. The
 * bounds are applied only when the interval is in the canonical unit.
 */
export function clipToRange(interval, property, unit) {
  if (!interval || !property || unit !== property.canonicalUnit) {
    return { interval, clipped: false };
  }
  const low = property.minimum !== undefined ? Math.max(interval[0], property.minimum) : interval[0];
  const high = property.maximum !== undefined ? Math.min(interval[1], property.maximum) : interval[1];
  return { interval: [low, high], clipped: low !== interval[0] || high !== interval[1] };
}

/** The range a property can take as text, e.g. "≥ 0 eV", "0 – 1", or '' when unbounded. */
export function rangeText(property) {
  const unit = property.canonicalUnit ? ' ' + property.canonicalUnit : '';
  if (property.minimum !== undefined && property.maximum !== undefined) {
    return `${property.minimum} – ${property.maximum}${unit}`;
  }
  if (property.minimum !== undefined) {
    return `≥ ${property.minimum}${unit}`;
  }
  return property.maximum !== undefined ? `≤ ${property.maximum}${unit}` : '';
}
