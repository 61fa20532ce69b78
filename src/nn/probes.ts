/**
 * What the run records at a record point: full evaluation passes (loss,
 * accuracy) and per-layer figures on the probe set (gradient norms of the mean
 * probe loss, dead units, saturation, activation statistics).
 *
 * Probes only READ the network: they use their own workspaces and gradient
 * buffers, draw no random numbers and never touch the optimizer, so probing
 * cannot change training.
 */
import type { Split } from "../data/types.js";
import type { LayerRecord } from "./types.js";
import type { ParamRecord } from "../results/schema.js";
import { headLoss, lossDivisor, type TargetKind } from "./heads.js";
import type { Gradients, MLP, Workspace } from "./mlp.js";

/** Loss and (classification) accuracy over a whole split. */
export interface Evaluation {
  loss: number;
  acc?: number;
}

/** Rows per forward pass in evaluation (bounded memory whatever the split size). */
export const EVAL_CHUNK = 256;

/** Full evaluation pass over `split`, in chunks of the workspace's capacity; float64 sums. */
export function evaluate(mlp: MLP, ws: Workspace, split: Split, kind: TargetKind, classification: boolean): Evaluation {
  const nin = mlp.inputs;
  const cols = mlp.outputs;
  const L = mlp.layerCount;
  const ycols = kind === "class" ? 1 : cols;
  let sum = 0;
  let correct = 0;
  for (let r0 = 0; r0 < split.n; r0 += ws.capacity) {
    const rows = Math.min(ws.capacity, split.n - r0);
    const x = split.x.subarray(r0 * nin, (r0 + rows) * nin);
    const y = split.y.subarray(r0 * ycols, (r0 + rows) * ycols);
    mlp.forwardInto(ws, x, rows);
    const out = ws.a[L - 1];
    sum += headLoss({ head: mlp.head, z: ws.z[L - 1], out, rows, cols, y, kind, outAct: mlp.acts[L - 1], scratch: ws.g[L - 1] });
    if (classification) correct += countCorrect(out, y, rows, cols);
  }
  const loss = sum / lossDivisor(mlp.head, split.n, cols);
  return classification ? { loss, acc: correct / split.n } : { loss };
}

/** Rows whose largest output (the first, on ties) is at their class index y[r]. */
export function countCorrect(out: Float32Array, y: Float32Array, rows: number, cols: number): number {
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let best = 0;
    for (let c = 1; c < cols; c++) if (out[o + c] > out[o + best]) best = c;
    if (best === y[r]) correct++;
  }
  return correct;
}

/** L2 norm in float64. */
export function norm(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/**
 * Quantiles by linear interpolation between order statistics (numpy's default,
 * type 7: h = (n - 1) q, value = x_(floor h) + frac(h) (x_(floor h + 1) - x_(floor h))).
 * `values` is reordered in place by selection (Wirth / Hoare quickselect with a
 * median-of-three pivot: O(n) on average, no random pivots, duplicates fine),
 * several times cheaper than sorting for the probe's three percentiles.
 * `qs` must be ascending.
 */
export function quantiles(values: Float32Array, qs: readonly number[]): number[] {
  const n = values.length;
  if (n === 0) return qs.map(() => NaN);
  const out: number[] = [];
  let fixed = -1; // values[0..fixed] hold the smallest fixed + 1 values, in order at `fixed`
  const stat = (k: number): number => {
    if (k > fixed) {
      select(values, k, fixed + 1, n - 1);
      fixed = k;
    }
    return values[k];
  };
  for (const q of qs) {
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    const vlo = stat(lo);
    const vhi = lo + 1 < n ? stat(lo + 1) : vlo;
    out.push(vlo + (h - lo) * (vhi - vlo));
  }
  return out;
}

/** Reorder a[lo..hi] so that a[k] is its (k - lo)-th smallest, smaller ones before, larger after. */
function select(a: Float32Array, k: number, lo: number, hi: number): void {
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    const p0 = a[lo];
    const p1 = a[mid];
    const p2 = a[hi];
    const x = p0 < p1 ? (p1 < p2 ? p1 : p0 < p2 ? p2 : p0) : p0 < p2 ? p0 : p1 < p2 ? p2 : p1;
    let i = lo;
    let j = hi;
    do {
      while (a[i] < x) i++;
      while (x < a[j]) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) lo = i;
    if (k < i) hi = j;
  }
}

/** What the per-layer figures are computed from: one forward and backward pass over the probe set. */
export interface ProbePass {
  /** L2 norms of the gradient of the mean probe loss, per weight layer. */
  weightGradNorms: ArrayLike<number>;
  biasGradNorms: ArrayLike<number>;
  /** Pre-activations and activations of each hidden layer, rows x units (compact). */
  z: Float32Array[];
  a: Float32Array[];
  /** f'(z) per hidden layer when the pass already has it (else computed here). */
  d?: Array<Float32Array | null>;
}

/**
 * Per weight layer figures on the probe set: x (rows x inputs) and y, the first
 * `rows` training rows. `ws` must hold `rows` rows; `grads` is the probe's own.
 * (The TypeScript pass; the wasm path makes its ProbePass in wasm and calls layerRecords.)
 */
export function probeLayers(
  mlp: MLP,
  ws: Workspace,
  grads: Gradients,
  x: Float32Array,
  y: Float32Array,
  kind: TargetKind,
  rows: number,
  sortScratch: Float32Array,
): LayerRecord[] {
  mlp.lossInto(ws, x, y, kind, rows, grads);
  const pass: ProbePass = {
    weightGradNorms: grads.weights.map(norm),
    biasGradNorms: grads.biases.map(norm),
    z: ws.z,
    a: ws.a,
    // The training-style forward of lossInto may already hold f'(z) (sigmoid, tanh).
    d: ws.d.map((d, k) => (ws.hasD[k] ? d : null)),
  };
  return layerRecords(mlp, pass, rows, sortScratch, ws.df);
}

/**
 * The LayerRecords of one probe pass: gradient and weight norms per layer;
 * dead units, saturation, activation statistics and the pre-activations'
 * second moment per hidden layer.
 * `dScratch` holds rows x widest hidden layer.
 */
export function layerRecords(mlp: MLP, pass: ProbePass, rows: number, sortScratch: Float32Array, dScratch: Float32Array): LayerRecord[] {
  const out: LayerRecord[] = [];
  const L = mlp.layerCount;
  for (let k = 0; k < L; k++) {
    const units = mlp.sizes[k + 1];
    const rec: LayerRecord = {
      layer: k + 1,
      units,
      grad_norm: pass.weightGradNorms[k],
      // Per weight: layers of different sizes compare fairly (784 x 32 against 32 x 10).
      grad_rms: pass.weightGradNorms[k] / Math.sqrt(mlp.weights[k].length),
      bias_grad_norm: pass.biasGradNorms[k],
      weight_norm: norm(mlp.weights[k]),
    };
    const act = mlp.acts[k];
    if (k < L - 1 && act) {
      const n = rows * units;
      const z = pass.z[k];
      const a = pass.a[k];
      let d = pass.d?.[k] ?? null;
      if (!d) {
        d = dScratch;
        act.derivative(z, a, d, rows);
      }
      let dead = 0;
      let saturated = 0;
      let inactive = 0;
      for (let j = 0; j < units; j++) {
        // In float32 like d: leaky_relu's f' = 0.01 is exactly 1% of its largest |f'|, not below it.
        const thr = Math.fround(0.01 * act.maxAbsDf(j));
        const flat = act.canDie(j);
        let alive = false;
        for (let r = 0, o = j; r < rows; r++, o += units) {
          const dv = Math.abs(d[o]);
          if (dv !== 0) alive = true;
          // f' exactly 0 on a flat piece (relu's x <= 0) is inactive; a small f' elsewhere
          // (sigmoid far out, even where it underflows to 0) is saturated.
          if (dv === 0 && flat) inactive++;
          else if (dv < thr) saturated++;
        }
        if (!alive && flat) dead++;
      }
      let s = 0;
      let zeros = 0;
      let zz = 0;
      for (let i = 0; i < n; i++) {
        s += a[i];
        if (a[i] === 0) zeros++;
        zz += z[i] * z[i];
      }
      const mean = s / n;
      // Each unit's mean activation over the probe rows, then their median (Clevert et al.'s
      // "median unit activation"; numpy's median: the middle two averaged for an even count).
      const unitMeans = new Float64Array(units);
      for (let r = 0, o = 0; r < rows; r++) for (let j = 0; j < units; j++, o++) unitMeans[j] += a[o];
      for (let j = 0; j < units; j++) unitMeans[j] /= rows;
      unitMeans.sort();
      const mid = units >> 1;
      const unitMedian = units % 2 === 1 ? unitMeans[mid] : (unitMeans[mid - 1] + unitMeans[mid]) / 2;
      let ss = 0;
      for (let i = 0; i < n; i++) ss += (a[i] - mean) * (a[i] - mean);
      const scratch = sortScratch.subarray(0, n);
      scratch.set(a.subarray(0, n));
      const [p05, p50, p95] = quantiles(scratch, [0.05, 0.5, 0.95]);
      rec.dead_units = dead;
      rec.dead_frac = dead / units;
      rec.saturated_frac = saturated / n;
      rec.inactive_frac = inactive / n;
      rec.act_mean = mean;
      rec.act_std = Math.sqrt(ss / n); // population standard deviation
      rec.act_p05 = p05;
      rec.act_p50 = p50;
      rec.act_p95 = p95;
      rec.zero_frac = zeros / n;
      rec.unit_mean_median = unitMedian;
      rec.preact_sq_mean = zz / n;
    }
    out.push(rec);
  }
  return out;
}

/**
 * The learned activation parameters at a record point (params.csv): per
 * layer and parameter, mean, population standard deviation, min and max over
 * its values (one per unit, or the one shared value), in float64; then the
 * figures the activation derives from them (a mixture's weights), over units
 * likewise. Empty for a network without learnable activation parameters.
 */
export function paramRecords(mlp: MLP): ParamRecord[] {
  const out: ParamRecord[] = [];
  mlp.acts.forEach((act, k) => {
    if (!act || act.learnable.length === 0) return;
    const series = new Map<string, number[]>();
    for (const name of act.learnable) series.set(name, Array.from(act.unitParams[name]));
    const derived = act.def.derivedParams;
    if (derived)
      for (let j = 0; j < act.paramWidth; j++)
        for (const [name, v] of Object.entries(derived(act.paramsOf(j)))) {
          let list = series.get(name);
          if (!list) series.set(name, (list = []));
          list.push(v);
        }
    for (const [parameter, values] of series) {
      let s = 0;
      let min = Infinity;
      let max = -Infinity;
      for (const v of values) {
        s += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      const mean = s / values.length;
      let ss = 0;
      for (const v of values) ss += (v - mean) * (v - mean);
      out.push({ layer: k + 1, parameter, mean, std: Math.sqrt(ss / values.length), min, max });
    }
  });
  return out;
}
