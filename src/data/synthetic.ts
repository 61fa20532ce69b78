/**
 * Seeded synthetic datasets. Each generator draws only from the rng it is given,
 * so the same (seed, params) gives the same bytes on every machine.
 *
 * `noise` is the standard deviation of Gaussian noise. For the classification
 * sets it is added to the coordinates after the label is fixed (so it blurs the
 * boundary); for blobs it is the cluster standard deviation; for regression it
 * is added to the target.
 */
import { DataRng } from "./random.js";
import type { Table } from "./table.js";

/** Parameters the generators understand; each generator reads the ones it needs. */
export interface SyntheticParams {
  n: number;
  noise: number;
  /** blobs: number of clusters. */
  classes: number;
  /** spirals: number of arms. */
  arms: number;
  /** spirals: turns each arm makes from the centre to radius 1. */
  turns: number;
  /** blobs: dimensions; friedman1: features (at least 5, the rest are irrelevant). */
  dims: number;
  /** circles: inner radius over outer radius, in (0, 1). */
  factor: number;
  /** checkerboard: cells per side. */
  cells: number;
  /** mnist only (never read here). */
  pool: number;
}

function classTable(n: number, features: number, classes: number): Table {
  return {
    task: "classification",
    n,
    features,
    classes,
    outputs: classes,
    x: new Float64Array(n * features),
    y: new Float64Array(n),
  };
}

/** XOR: x uniform in [-1, 1]^2, class 1 where x1 and x2 differ in sign. */
export function xor(p: SyntheticParams, rng: DataRng): Table {
  const t = classTable(p.n, 2, 2);
  for (let i = 0; i < p.n; i++) {
    const a = rng.between(-1, 1);
    const b = rng.between(-1, 1);
    t.y[i] = a * b < 0 ? 1 : 0;
    t.x[2 * i] = a + p.noise * rng.normal();
    t.x[2 * i + 1] = b + p.noise * rng.normal();
  }
  return t;
}

/**
 * Two interleaving half circles, as sklearn's make_moons: class 0 on
 * (cos t, sin t), class 1 on (1 - cos t, 1 - sin t - 0.5), t evenly spaced in
 * [0, pi]; the first floor(n/2) rows are class 0.
 */
export function moons(p: SyntheticParams, rng: DataRng): Table {
  return twoCurves(p, rng, (inner, k, m) => {
    const a = m > 1 ? (Math.PI * k) / (m - 1) : 0;
    return inner ? [1 - Math.cos(a), 1 - Math.sin(a) - 0.5] : [Math.cos(a), Math.sin(a)];
  });
}

/**
 * Two concentric circles, as sklearn's make_circles: class 0 on radius 1,
 * class 1 on radius `factor`, angles evenly spaced in [0, 2 pi).
 */
export function circles(p: SyntheticParams, rng: DataRng): Table {
  return twoCurves(p, rng, (inner, k, m) => {
    const a = (2 * Math.PI * k) / m;
    const r = inner ? p.factor : 1;
    return [r * Math.cos(a), r * Math.sin(a)];
  });
}

/**
 * sklearn's layout for two classes on two curves: the first floor(n/2) rows
 * are class 0 (point k of m on the outer curve), the rest class 1 (inner
 * curve); Gaussian noise of sd `noise` on both coordinates, drawn in row order.
 */
function twoCurves(p: SyntheticParams, rng: DataRng, point: (inner: boolean, k: number, m: number) => [number, number]): Table {
  const t = classTable(p.n, 2, 2);
  const nOut = Math.floor(p.n / 2);
  const nIn = p.n - nOut;
  for (let i = 0; i < p.n; i++) {
    const inner = i >= nOut;
    const [cx, cy] = point(inner, inner ? i - nOut : i, inner ? nIn : nOut);
    t.y[i] = inner ? 1 : 0;
    t.x[2 * i] = cx + p.noise * rng.normal();
    t.x[2 * i + 1] = cy + p.noise * rng.normal();
  }
  return t;
}

/**
 * `arms` interleaved spirals. Row i belongs to arm i mod arms; along its arm a
 * point sits at s uniform in [0, 1): radius s, angle 2 pi (turns s + arm / arms).
 */
export function spirals(p: SyntheticParams, rng: DataRng): Table {
  const t = classTable(p.n, 2, p.arms);
  for (let i = 0; i < p.n; i++) {
    const arm = i % p.arms;
    const s = rng.uniform();
    const a = 2 * Math.PI * (p.turns * s + arm / p.arms);
    t.y[i] = arm;
    t.x[2 * i] = s * Math.cos(a) + p.noise * rng.normal();
    t.x[2 * i + 1] = s * Math.sin(a) + p.noise * rng.normal();
  }
  return t;
}

/**
 * Isotropic Gaussian clusters, after sklearn's make_blobs: `classes` centres
 * uniform in [-5, 5]^dims, cluster standard deviation `noise`; row i belongs to
 * cluster i mod classes, so the classes are balanced.
 */
export function blobs(p: SyntheticParams, rng: DataRng): Table {
  const d = p.dims;
  const t = classTable(p.n, d, p.classes);
  const centres = new Float64Array(p.classes * d);
  for (let j = 0; j < centres.length; j++) centres[j] = rng.between(-5, 5);
  for (let i = 0; i < p.n; i++) {
    const c = i % p.classes;
    t.y[i] = c;
    for (let j = 0; j < d; j++) t.x[i * d + j] = centres[c * d + j] + p.noise * rng.normal();
  }
  return t;
}

/**
 * A checkerboard of `cells` x `cells` squares over [-1, 1]^2; the class is the
 * parity of the square's column plus row.
 */
export function checkerboard(p: SyntheticParams, rng: DataRng): Table {
  const t = classTable(p.n, 2, 2);
  for (let i = 0; i < p.n; i++) {
    const a = rng.between(-1, 1);
    const b = rng.between(-1, 1);
    const ca = Math.min(p.cells - 1, Math.floor(((a + 1) / 2) * p.cells));
    const cb = Math.min(p.cells - 1, Math.floor(((b + 1) / 2) * p.cells));
    t.y[i] = (ca + cb) % 2;
    t.x[2 * i] = a + p.noise * rng.normal();
    t.x[2 * i + 1] = b + p.noise * rng.normal();
  }
  return t;
}

function regressionTable(n: number, features: number): Table {
  return {
    task: "regression",
    n,
    features,
    classes: 0,
    outputs: 1,
    x: new Float64Array(n * features),
    y: new Float64Array(n),
  };
}

/** y = sin(x) + noise, x uniform in [-2 pi, 2 pi) (two periods). */
export function sine(p: SyntheticParams, rng: DataRng): Table {
  const t = regressionTable(p.n, 1);
  for (let i = 0; i < p.n; i++) {
    const x = rng.between(-2 * Math.PI, 2 * Math.PI);
    t.x[i] = x;
    t.y[i] = Math.sin(x) + p.noise * rng.normal();
  }
  return t;
}

/**
 * Friedman #1, as sklearn's make_friedman1: `dims` features uniform in [0, 1),
 * y = 10 sin(pi x1 x2) + 20 (x3 - 0.5)^2 + 10 x4 + 5 x5 + noise; features past
 * the fifth do not enter y.
 */
export function friedman1(p: SyntheticParams, rng: DataRng): Table {
  const d = p.dims;
  const t = regressionTable(p.n, d);
  for (let i = 0; i < p.n; i++) {
    const r = i * d;
    for (let j = 0; j < d; j++) t.x[r + j] = rng.uniform();
    const x = t.x;
    t.y[i] =
      10 * Math.sin(Math.PI * x[r] * x[r + 1]) +
      20 * (x[r + 2] - 0.5) ** 2 +
      10 * x[r + 3] +
      5 * x[r + 4] +
      p.noise * rng.normal();
  }
  return t;
}
