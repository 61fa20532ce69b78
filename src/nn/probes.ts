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
    sum += headLoss(mlp.head, ws.z[L - 1], out, rows, cols, y, kind, null, mlp.acts[L - 1], ws.g[L - 1]);
    if (classification) {
      for (let r = 0; r < rows; r++) {
        const o = r * cols;
        let best = 0;
        for (let c = 1; c < cols; c++) if (out[o + c] > out[o + best]) best = c;
        if (best === y[r]) correct++;
      }
    }
  }
  const loss = sum / lossDivisor(mlp.head, split.n, cols);
  return classification ? { loss, acc: correct / split.n } : { loss };
}

/** L2 norm in float64. */
export function norm(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

/** Quantile q of sorted values by linear interpolation (numpy's default, type 7). */
export function quantileSorted(sorted: Float32Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * Per weight layer figures on the probe set: x (rows x inputs) and y, the first
 * `rows` training rows. `ws` must hold `rows` rows; `grads` is the probe's own.
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
  const out: LayerRecord[] = [];
  const L = mlp.layerCount;
  for (let k = 0; k < L; k++) {
    const units = mlp.sizes[k + 1];
    const rec: LayerRecord = {
      layer: k + 1,
      units,
      grad_norm: norm(grads.weights[k]),
      bias_grad_norm: norm(grads.biases[k]),
      weight_norm: norm(mlp.weights[k]),
    };
    const act = mlp.acts[k];
    if (k < L - 1 && act) {
      const n = rows * units;
      const z = ws.z[k];
      const a = ws.a[k];
      const d = ws.df;
      act.derivative(z, a, d, rows);
      let dead = 0;
      let saturated = 0;
      for (let j = 0; j < units; j++) {
        const thr = 0.01 * act.maxAbsDf(j);
        let alive = false;
        for (let r = 0, o = j; r < rows; r++, o += units) {
          const dv = Math.abs(d[o]);
          if (dv !== 0) alive = true;
          if (dv < thr) saturated++;
        }
        if (!alive) dead++;
      }
      let s = 0;
      for (let i = 0; i < n; i++) s += a[i];
      const mean = s / n;
      let ss = 0;
      for (let i = 0; i < n; i++) ss += (a[i] - mean) * (a[i] - mean);
      const sorted = sortScratch.subarray(0, n);
      sorted.set(a.subarray(0, n));
      sorted.sort();
      rec.dead_units = dead;
      rec.dead_frac = dead / units;
      rec.saturated_frac = saturated / n;
      rec.act_mean = mean;
      rec.act_std = Math.sqrt(ss / n); // population standard deviation
      rec.act_p05 = quantileSorted(sorted, 0.05);
      rec.act_p50 = quantileSorted(sorted, 0.5);
      rec.act_p95 = quantileSorted(sorted, 0.95);
    }
    out.push(rec);
  }
  return out;
}
