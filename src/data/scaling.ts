import type { Scaling } from "./catalog.js";
import type { Table } from "./table.js";

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
  const offset = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(1);
  if (method === "none" || train.n === 0) return { method, offset, scale };
  for (let j = 0; j < d; j++) {
    if (method === "standardize") {
      let sum = 0;
      for (let i = 0; i < train.n; i++) sum += train.x[i * d + j];
      const mean = sum / train.n;
      let ss = 0;
      for (let i = 0; i < train.n; i++) ss += (train.x[i * d + j] - mean) ** 2;
      const sd = Math.sqrt(ss / train.n);
      offset[j] = mean;
      scale[j] = sd > 1e-12 * Math.max(1, Math.abs(mean)) ? sd : 1;
    } else {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < train.n; i++) {
        const v = train.x[i * d + j];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      offset[j] = lo;
      scale[j] = hi > lo ? hi - lo : 1;
    }
  }
  return { method, offset, scale };
}

/** The features of `t` mapped by `s`, as Float32 for the engine. */
export function applyScaler(t: Table, s: Scaler): Float32Array {
  const d = t.features;
  const out = new Float32Array(t.n * d);
  for (let i = 0; i < t.n; i++)
    for (let j = 0; j < d; j++) out[i * d + j] = (t.x[i * d + j] - s.offset[j]) / s.scale[j];
  return out;
}
