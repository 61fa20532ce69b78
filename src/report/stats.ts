/**
 * Statistics over seeds. t quantiles and Holm's correction come from stdlib's
 * packages, means and standard deviations from simple-statistics. The paired
 * test is written here: an exact sign-flip permutation test over seeds, which
 * no well-kept npm package offers for paired real-valued differences (they
 * give Wilcoxon's ranks or a normal approximation instead).
 */
import { mean, sampleStandardDeviation } from "simple-statistics";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import padjust from "@stdlib/stats-padjust";
import { seededRng, uniformInteger } from "../random.js";

/** Mean, sample standard deviation and a t-based 95% CI of a sample. */
export interface Summary {
  /** Number of finite values summarised. */
  n: number;
  /** NaN when n = 0. */
  mean: number;
  /** Sample standard deviation (n - 1); NaN when n < 2. */
  std: number;
  /** 95% confidence interval for the mean, mean -/+ t(0.975, n-1) s / sqrt(n); NaN when n < 2. */
  ciLow: number;
  ciHigh: number;
}

/**
 * Summarises the finite values of `xs` (NaN cells are missing values, not
 * zeros). `bounds` clips the CI to the quantity's range (a fraction's CI stays
 * in [0, 1], a loss's or a time's above 0; the symmetric t interval can
 * overshoot them). Equal values give sd 0 exactly, not float noise
 * (0.885 three times has a floating-point sd of 1.4e-16).
 */
export function summarize(xs: readonly number[], bounds?: readonly [number, number]): Summary {
  const v = xs.filter(Number.isFinite);
  const n = v.length;
  if (n === 0) return { n, mean: NaN, std: NaN, ciLow: NaN, ciHigh: NaN };
  const equal = v.every((x) => x === v[0]);
  const m = equal ? v[0] : mean(v);
  if (n < 2) return { n, mean: m, std: NaN, ciLow: NaN, ciHigh: NaN };
  const s = equal ? 0 : sampleStandardDeviation(v);
  const half = tCritical(n - 1) * (s / Math.sqrt(n));
  const [lo, hi] = bounds ?? [-Infinity, Infinity];
  return { n, mean: m, std: s, ciLow: Math.max(lo, m - half), ciHigh: Math.min(hi, m + half) };
}

/** Two-sided 95% critical value of Student's t with `df` degrees of freedom. */
export function tCritical(df: number, confidence = 0.95): number {
  return tQuantile(1 - (1 - confidence) / 2, df);
}

/** Geometric mean of the finite positive values (for ratios such as gradient attenuation). */
export function geometricMean(xs: readonly number[]): number {
  const v = xs.filter((x) => Number.isFinite(x) && x > 0);
  if (v.length === 0) return NaN;
  return Math.exp(v.reduce((s, x) => s + Math.log(x), 0) / v.length);
}

/** Up to this many pairs the sign-flip test enumerates all 2^n sign patterns; above, it samples them. */
export const EXACT_MAX_PAIRS = 20;
/** Sign patterns drawn (seeded, so the p-value is the same on every run) above EXACT_MAX_PAIRS. */
const MONTE_CARLO_DRAWS = 200_000;

/** The paired sign-flip permutation test of differences d (x[i] - y[i] of seed i). */
export interface SignFlipTest {
  /** Number of pairs. */
  n: number;
  /** Mean of d; NaN when n = 0. */
  meanDiff: number;
  /**
   * Two-sided p: the share of the 2^n sign patterns s whose |sum s_i d_i| is at
   * least the observed |sum d_i| (under "no difference" each d_i is as likely
   * to have come out with either sign). 1 when n = 0 or every d_i is 0.
   */
  p: number;
  /** True when p was enumerated exactly (n <= EXACT_MAX_PAIRS). */
  exact: boolean;
  /** Smallest p this test can give with these pairs: 2 / 2^(pairs with d_i != 0). */
  minP: number;
}

/**
 * Exact for up to 20 pairs (no normality assumed, ties and equal differences
 * handled: three seeds that all differ by 0.005 give p = 2/8 = 0.25, never
 * "p < 0.001"). The enumeration walks a Gray code, so each of the 2^n
 * patterns costs one addition.
 */
export function signFlipTest(d: readonly number[]): SignFlipTest {
  const n = d.length;
  const nonzero = d.filter((v) => v !== 0);
  const minP = Math.min(1, 2 / 2 ** nonzero.length);
  if (n === 0) return { n, meanDiff: NaN, p: 1, exact: true, minP: 1 };
  const meanDiff = d.reduce((s, v) => s + v, 0) / n;
  if (nonzero.length === 0) return { n, meanDiff, p: 1, exact: true, minP };
  const observed = Math.abs(nonzero.reduce((s, v) => s + v, 0));
  // Sums that equal the observed one in exact arithmetic can differ from it in
  // the last bits (0.1 + 0.2 vs 0.3): count them as reaching it.
  const tol = 1e-9 * nonzero.reduce((s, v) => s + Math.abs(v), 0);
  const m = nonzero.length;
  if (m <= EXACT_MAX_PAIRS) {
    const sign = new Array<number>(m).fill(1);
    let sum = nonzero.reduce((s, v) => s + v, 0);
    let hits = 0;
    const total = 2 ** m;
    for (let k = 1; k <= total; k++) {
      if (Math.abs(sum) >= observed - tol) hits++;
      if (k === total) break;
      // Gray code: pattern k differs from pattern k-1 in the bit of k's lowest set bit.
      const bit = 31 - Math.clz32(k & -k);
      sign[bit] = -sign[bit];
      sum += 2 * sign[bit] * nonzero[bit];
    }
    return { n, meanDiff, p: hits / total, exact: true, minP };
  }
  const rng = seededRng(m, 1);
  let hits = 0;
  for (let k = 0; k < MONTE_CARLO_DRAWS; k++) {
    let sum = 0;
    for (let i = 0; i < m; i++) sum += uniformInteger(rng, 0, 1) ? nonzero[i] : -nonzero[i];
    if (Math.abs(sum) >= observed - tol) hits++;
  }
  // The observed pattern counts as one of the draws (Phipson & Smyth 2010): p is never 0.
  return { n, meanDiff, p: (hits + 1) / (MONTE_CARLO_DRAWS + 1), exact: false, minP };
}

/**
 * Holm's step-down adjustment (controls the family-wise error rate). NaN
 * entries (tests that could not run) are left out of the family and stay NaN.
 */
export function holm(ps: readonly number[]): number[] {
  const idx = ps.map((p, i) => [p, i] as const).filter(([p]) => Number.isFinite(p));
  const out = ps.map(() => NaN);
  if (idx.length === 0) return out;
  const adj = padjust(idx.map(([p]) => p), "holm");
  idx.forEach(([, i], k) => (out[i] = adj[k]));
  return out;
}

/**
 * Fewest pairs with which the sign-flip test can show a difference at level
 * `alpha` in a family of `tests` comparisons after Holm's correction: Holm's
 * first step needs tests x 2/2^n < alpha.
 */
export function pairsNeeded(tests: number, alpha: number): number {
  let n = 1;
  while ((Math.max(1, tests) * 2) / 2 ** n >= alpha) n++;
  return n;
}
