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
 * The order statistics are exactly the values a full sort would put at those
 * ranks (Float32Array.prototype.sort's order, -0 before +0; a NaN, whose record
 * the divergence check rejects anyway, goes to one end), found by radix
 * selection (orderStatistics), several times cheaper than the quickselect it
 * replaced for the probe's three percentiles. `values` is only read;
 * `scratch`, when it holds values.length numbers, takes the keys the selection
 * keeps (else a new array does). `qs` must be ascending.
 */
export function quantiles(values: Float32Array, qs: readonly number[], scratch?: Float32Array): number[] {
  const n = values.length;
  if (n === 0) return qs.map(() => NaN);
  const ranks = new Set<number>();
  for (const q of qs) {
    const lo = Math.floor((n - 1) * q);
    ranks.add(lo).add(Math.min(lo + 1, n - 1));
  }
  const wanted = [...ranks].sort((p, r) => p - r);
  const found = orderStatistics(values, wanted, scratch);
  const stat = (k: number): number => found[wanted.indexOf(k)];
  return qs.map((q) => {
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    const vlo = stat(lo);
    const vhi = lo + 1 < n ? stat(lo + 1) : vlo;
    return vlo + (h - lo) * (vhi - vlo);
  });
}

/**
 * Radix selection's rounds: the bits of a 32-bit key each round buckets by
 * (11, 11, then the last 10), with the round's counters and bucket slots,
 * allocated once: a round's are free again before the next round starts.
 */
const ROUNDS = [21, 10, 0].map((shift) => {
  const mask = shift ? 0x7ff : 0x3ff;
  return { shift, mask, count: new Uint32Array(mask + 1), slot: new Int32Array(mask + 1).fill(-1) };
});
/** A bucket this small is sorted outright (insertion sort in SMALL) rather than counted again. */
const SMALL = new Uint32Array(48);

/** The 32-bit key of a float32's bits whose unsigned order is the numbers' (sort's) order. */
function sortKey(bits: number): number {
  // Negative numbers: all bits flipped (larger magnitude, smaller key); the rest: the sign bit set.
  return (bits ^ ((bits >> 31) | 0x80000000)) >>> 0;
}

/** The float32 whose sortKey is `key`. */
function keyValue(key: number): number {
  KEY_BITS[0] = key & 0x80000000 ? key ^ 0x80000000 : ~key;
  return KEY_FLOAT[0];
}
const KEY_FLOAT = new Float32Array(1);
const KEY_BITS = new Uint32Array(KEY_FLOAT.buffer);

/**
 * The values at the ascending, distinct `ranks` (0-based) of `values` as
 * sorted, without sorting them: radix selection on sortKey. A round counts the
 * keys per bucket of their next bits, finds from the running counts the bucket
 * of each wanted rank and its rank inside it, and keeps only those buckets'
 * keys for the next round. About three passes over the data for a probe
 * layer's three percentiles, where quickselect (the npm package, or the
 * Hoare partitioning this replaced) partitions it five or six times; written
 * by hand because no maintained package selects by radix.
 */
function orderStatistics(values: Float32Array, ranks: readonly number[], scratch?: Float32Array): number[] {
  const n = values.length;
  const bits = new Uint32Array(values.buffer, values.byteOffset, n);
  const kept = scratch && scratch.length >= n ? new Uint32Array(scratch.buffer, scratch.byteOffset, n) : undefined;
  const out = new Array<number>(ranks.length);
  selectKeys(bits, true, ranks.map((rank, slot) => ({ rank, slot })), 0, 0, out, kept);
  return out;
}

/** A rank wanted among a round's keys, and where its value goes in the output. */
interface Wanted {
  rank: number;
  slot: number;
}

/**
 * One round of orderStatistics: `keys` all share the bits above ROUNDS[round]
 * (`prefix`); in the first round they are the floats' `raw` bits, keyed on the
 * way. The keys kept for the next round go into `keep` when given (as long as
 * `keys`, and not holding them).
 */
function selectKeys(keys: Uint32Array, raw: boolean, wanted: Wanted[], round: number, prefix: number, out: number[], keep?: Uint32Array): void {
  const m = keys.length;
  if (m <= SMALL.length) {
    // Insertion sort of a few keys.
    for (let i = 0; i < m; i++) {
      const key = raw ? sortKey(keys[i]) : keys[i];
      let j = i;
      for (; j > 0 && SMALL[j - 1] > key; j--) SMALL[j] = SMALL[j - 1];
      SMALL[j] = key;
    }
    for (const w of wanted) out[w.slot] = keyValue(SMALL[w.rank]);
    return;
  }
  const { shift, mask, count, slot } = ROUNDS[round];
  if (raw) for (let i = 0; i < m; i++) count[(sortKey(keys[i]) >>> shift) & mask]++;
  else for (let i = 0; i < m; i++) count[(keys[i] >>> shift) & mask]++;
  // The bucket of each wanted rank (ascending ranks: ascending buckets), its size, and the rank among its keys.
  const groups: Array<{ bucket: number; size: number; wanted: Wanted[] }> = [];
  let bucket = 0;
  let below = 0;
  for (const w of wanted) {
    while (below + count[bucket] <= w.rank) below += count[bucket++];
    const inBucket = { rank: w.rank - below, slot: w.slot };
    const last = groups[groups.length - 1];
    if (last?.bucket === bucket) last.wanted.push(inBucket);
    else groups.push({ bucket, size: count[bucket], wanted: [inBucket] });
  }
  count.fill(0);
  const keyPrefix = (b: number) => (prefix | (b << shift)) >>> 0;
  if (round === ROUNDS.length - 1) {
    // Every bit is known: all keys of a bucket are its key.
    for (const g of groups) for (const w of g.wanted) out[w.slot] = keyValue(keyPrefix(g.bucket));
    return;
  }
  if (groups.length === 1 && groups[0].size === m) {
    selectKeys(keys, raw, groups[0].wanted, round + 1, keyPrefix(groups[0].bucket), out); // nothing to drop
    return;
  }
  // One pass keeps the keys of every wanted bucket, each bucket's together.
  const at: number[] = [];
  let kept = 0;
  groups.forEach((g, s) => {
    slot[g.bucket] = s;
    at[s] = kept;
    kept += g.size;
  });
  const next = keep ? keep.subarray(0, kept) : new Uint32Array(kept);
  for (let i = 0; i < m; i++) {
    const key = raw ? sortKey(keys[i]) : keys[i];
    const s = slot[(key >>> shift) & mask];
    if (s >= 0) next[at[s]++] = key;
  }
  for (const g of groups) slot[g.bucket] = -1;
  let from = 0;
  for (const g of groups) {
    selectKeys(next.subarray(from, from + g.size), false, g.wanted, round + 1, keyPrefix(g.bucket), out);
    from += g.size;
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
      // One row-major pass for the per-element figures (each float64 sum adds in the same order as
      // element by element, so the figures are those of separate loops).
      const thr = new Float64Array(units);
      const flat = new Uint8Array(units);
      for (let j = 0; j < units; j++) {
        // In float32 like d: leaky_relu's f' = 0.01 is exactly 1% of its largest |f'|, not below it.
        thr[j] = Math.fround(0.01 * act.maxAbsDf(j));
        flat[j] = act.canDie(j) ? 1 : 0;
      }
      const alive = new Uint8Array(units);
      // Each unit's mean activation over the probe rows (sums here), for their median below.
      const unitMeans = new Float64Array(units);
      let saturated = 0;
      let inactive = 0;
      let s = 0;
      let zeros = 0;
      let zz = 0;
      for (let r = 0, o = 0; r < rows; r++)
        for (let j = 0; j < units; j++, o++) {
          const dv = Math.abs(d[o]);
          if (dv !== 0) alive[j] = 1;
          // f' exactly 0 on a flat piece (relu's x <= 0) is inactive; a small f' elsewhere
          // (sigmoid far out, even where it underflows to 0) is saturated.
          if (dv === 0 && flat[j]) inactive++;
          else if (dv < thr[j]) saturated++;
          const av = a[o];
          s += av;
          if (av === 0) zeros++;
          zz += z[o] * z[o];
          unitMeans[j] += av;
        }
      let dead = 0;
      for (let j = 0; j < units; j++) if (flat[j] && !alive[j]) dead++;
      const mean = s / n;
      // The median of the unit means (Clevert et al.'s "median unit activation"; numpy's median:
      // the middle two averaged for an even count).
      for (let j = 0; j < units; j++) unitMeans[j] /= rows;
      unitMeans.sort();
      const mid = units >> 1;
      const unitMedian = units % 2 === 1 ? unitMeans[mid] : (unitMeans[mid - 1] + unitMeans[mid]) / 2;
      let ss = 0;
      for (let i = 0; i < n; i++) ss += (a[i] - mean) * (a[i] - mean);
      const [p05, p50, p95] = quantiles(a.subarray(0, n), [0.05, 0.5, 0.95], sortScratch);
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
