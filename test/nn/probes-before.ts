/**
 * The probe statistics as src/nn/probes.ts computed them before issue 14 made
 * them cheaper (main at 02009ec, verbatim but for the names): quickselect
 * percentiles and one loop per figure. The reference that
 * test/nn/probe-statistics.test.ts holds the faster code to, figure for figure.
 */
import type { LayerRecord } from "../../src/nn/types.js";
import type { MLP } from "../../src/nn/mlp.js";
import { norm, type ProbePass } from "../../src/nn/probes.js";

/**
 * Quantiles by linear interpolation between order statistics (numpy's default,
 * type 7: h = (n - 1) q, value = x_(floor h) + frac(h) (x_(floor h + 1) - x_(floor h))).
 * `values` is reordered in place by selection (Wirth / Hoare quickselect with a
 * median-of-three pivot: O(n) on average, no random pivots, duplicates fine),
 * several times cheaper than sorting for the probe's three percentiles.
 * `qs` must be ascending.
 */
export function quantilesBefore(values: Float32Array, qs: readonly number[]): number[] {
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

/**
 * The LayerRecords of one probe pass: gradient and weight norms per layer;
 * dead units, saturation, activation statistics and the pre-activations'
 * second moment per hidden layer.
 * `dScratch` holds rows x widest hidden layer.
 */
export function layerRecordsBefore(mlp: MLP, pass: ProbePass, rows: number, sortScratch: Float32Array, dScratch: Float32Array): LayerRecord[] {
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
      const [p05, p50, p95] = quantilesBefore(scratch, [0.05, 0.5, 0.95]);
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
