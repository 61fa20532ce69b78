/** Feature scaling (standardize, minmax, none): fitted on the training split, applied to every split. */
import type { Scaling } from "./catalog.js";
import { sharedFloat32 } from "./share.js";
import { UserError } from "../errors.js";
import { cellWhere, featureDivisor, type Table } from "./table.js";

/** The largest finite float32: the engine computes in float32. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** A fitted per-feature affine map: x' = (x - offset) / scale. */
export interface Scaler {
  method: Scaling;
  offset: number[];
  scale: number[];
}

/**
 * Fit on the training split only, so nothing about the validation or test rows
 * leaks into training. standardize: offset = mean, scale = population standard
 * deviation (as sklearn's StandardScaler); minmax: offset = min, scale = max - min,
 * mapping the training rows onto [0, 1]. A constant column gets scale 1, so it
 * becomes 0 instead of a division by zero.
 */
export function fitScaler(train: Table, method: Scaling): Scaler {
  const d = train.features;
  const n = train.n;
  const x = train.x;
  const div = featureDivisor(x);
  const offset = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(1);
  if (method === "none" || n === 0) return { method, offset, scale };
  // Row by row over every feature at once (one pass down memory, not one per column: a
  // 60,000 x 784 image set is 47 M values); each feature's sum still runs over rows in order.
  if (method === "standardize") {
    const sum = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0, r = i * d; j < d; j++) sum[j] += x[r + j] / div;
    const mean = Array.from(sum, (s) => s / n);
    const ss = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0, r = i * d; j < d; j++) ss[j] += (x[r + j] / div - mean[j]) ** 2;
    for (let j = 0; j < d; j++) {
      const sd = Math.sqrt(ss[j] / n);
      offset[j] = mean[j];
      scale[j] = sd > 1e-12 * Math.max(1, Math.abs(mean[j])) ? sd : 1;
    }
  } else {
    const lo = new Float64Array(d).fill(Infinity);
    const hi = new Float64Array(d).fill(-Infinity);
    for (let i = 0; i < n; i++)
      for (let j = 0, r = i * d; j < d; j++) {
        const v = x[r + j] / div;
        if (v < lo[j]) lo[j] = v;
        if (v > hi[j]) hi[j] = v;
      }
    for (let j = 0; j < d; j++) {
      offset[j] = lo[j];
      scale[j] = hi[j] > lo[j] ? hi[j] - lo[j] : 1;
    }
  }
  return { method, offset, scale };
}

/**
 * The features of `t` mapped by `s`, as Float32 for the engine, in shared
 * memory: a sweep posts the splits to its workers without copying them
 * (data/share.ts), so the rows exist once in the process. A value that
 * scaling leaves beyond float32's range, or a feature whose offset or spread
 * overflows (a cell of 1e300 makes the standard deviation infinite, and the
 * column silently 0), is a UserError naming the cell (file, line, column for
 * a CSV file).
 */
export function applyScaler(t: Table, s: Scaler): Float32Array {
  checkScaler(t, s);
  const out = sharedFloat32(t.n * t.features);
  if (t.x instanceof Uint8Array) {
    scaleBytes(t.x, t.features, s, out);
    return out; // bytes / 255 with a finite scaler: always in range
  }
  scaleValues(t.x, t.features, s, out);
  for (let k = 0; k < out.length; k++)
    if (!Number.isFinite(out[k])) {
      const i = Math.floor(k / t.features);
      const j = k % t.features;
      throw new UserError(
        `${cellWhere(t, i, j)}: ${t.x[k]} scales to ${(t.x[k] - s.offset[j]) / s.scale[j]} (scaling ${s.method}), beyond float32's range (±3.4e38), which the engine computes in`,
      );
    }
  return out;
}

/** Refuses a feature whose fitted offset or scale is not finite, naming the cell of largest magnitude in it. */
function checkScaler(t: Table, s: Scaler): void {
  for (let j = 0; j < t.features; j++) {
    if (Number.isFinite(s.offset[j]) && Number.isFinite(s.scale[j])) continue;
    let at = 0;
    for (let i = 1; i < t.n; i++) if (Math.abs(t.x[i * t.features + j]) > Math.abs(t.x[at * t.features + j])) at = i;
    const what = s.method === "standardize" ? "mean and standard deviation" : "range";
    throw new UserError(
      `${cellWhere(t, at, j)}: ${t.x[at * t.features + j]} makes the column's ${what} overflow (scaling ${s.method}); values must stay within float32's range (±3.4e38) after scaling`,
    );
  }
}

// Two copies of one loop, each over one array type: a loop reading both would be
// polymorphic and several times slower on a 47 M-pixel image set.

function scaleValues(x: Float64Array, d: number, s: Scaler, out: Float32Array): void {
  for (let k = 0; k < out.length; ) for (let j = 0; j < d; j++, k++) out[k] = (x[k] - s.offset[j]) / s.scale[j];
}

/** Image bytes: each feature is byte / 255 (Features). */
function scaleBytes(x: Uint8Array, d: number, s: Scaler, out: Float32Array): void {
  if (s.method === "none") {
    for (let k = 0; k < out.length; k++) out[k] = x[k] / 255;
    return;
  }
  for (let k = 0; k < out.length; ) for (let j = 0; j < d; j++, k++) out[k] = (x[k] / 255 - s.offset[j]) / s.scale[j];
}
