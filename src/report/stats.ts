/**
 * Statistics over seeds. The tests themselves (t quantiles, the paired t-test,
 * the exact Wilcoxon signed-rank distribution, Holm's correction) come from
 * stdlib's packages; means and standard deviations from simple-statistics.
 * What is here is the glue: which test for which n, and effect sizes.
 */
import { mean, sampleStandardDeviation } from "simple-statistics";
import tQuantile from "@stdlib/stats-base-dists-t-quantile";
import ttest from "@stdlib/stats-ttest";
import wilcoxon from "@stdlib/stats-wilcoxon";
import padjust from "@stdlib/stats-padjust";

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
 * in [0, 1]; the symmetric t interval can overshoot it).
 */
export function summarize(xs: readonly number[], bounds?: readonly [number, number]): Summary {
  const v = xs.filter(Number.isFinite);
  const n = v.length;
  if (n === 0) return { n, mean: NaN, std: NaN, ciLow: NaN, ciHigh: NaN };
  const m = mean(v);
  if (n < 2) return { n, mean: m, std: NaN, ciLow: NaN, ciHigh: NaN };
  const s = sampleStandardDeviation(v);
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

/** A paired comparison of two samples (x[i] and y[i] from the same seed). */
export interface PairedTest {
  /** Number of pairs. */
  n: number;
  /** Mean of x - y. */
  meanDiff: number;
  /** Paired t-test, two-sided; NaN when n < 2 or every difference is equal. */
  tStatistic: number;
  tP: number;
  /** Wilcoxon signed-rank test, two-sided (exact when there are no ties or zeros and n <= 50). */
  wilcoxonW: number;
  wilcoxonP: number;
  /** Smallest two-sided p the exact Wilcoxon test can give with this n: 2 / 2^n. */
  wilcoxonMinP: number;
  /** Cohen's d_z = mean(d) / sd(d); NaN when sd(d) = 0 or n < 2. */
  cohenDz: number;
  /** Matched-pairs rank-biserial correlation (Kerby's simple difference): (W+ - W-) / (W+ + W-). */
  rankBiserial: number;
}

/** Paired t and Wilcoxon tests of x against y, with effect sizes. */
export function pairedTest(x: readonly number[], y: readonly number[]): PairedTest {
  if (x.length !== y.length) throw new Error("pairedTest: samples differ in length");
  const n = x.length;
  const d = x.map((xi, i) => xi - y[i]);
  const out: PairedTest = {
    n,
    meanDiff: n > 0 ? mean(d) : NaN,
    tStatistic: NaN,
    tP: NaN,
    wilcoxonW: NaN,
    wilcoxonP: NaN,
    wilcoxonMinP: n > 0 ? Math.min(1, 2 / 2 ** n) : NaN,
    cohenDz: NaN,
    rankBiserial: NaN,
  };
  if (n < 2) return out;
  const sd = sampleStandardDeviation(d);
  if (sd > 0) {
    // stdlib wants mutable arrays.
    const t = ttest([...x], [...y]);
    out.tStatistic = t.statistic;
    out.tP = t.pValue;
    out.cohenDz = out.meanDiff / sd;
  } else if (out.meanDiff !== 0) {
    // Every difference equal and non-zero: t is infinite, p -> 0.
    out.tStatistic = Math.sign(out.meanDiff) * Infinity;
    out.tP = 0;
  }
  const nonzero = d.filter((v) => v !== 0);
  if (nonzero.length > 0) {
    const w = wilcoxon([...x], [...y]);
    out.wilcoxonW = w.statistic;
    // stdlib doubles a one-sided tail; at the centre of the distribution that exceeds 1.
    out.wilcoxonP = Math.min(1, w.pValue);
    const m = nonzero.length;
    const total = (m * (m + 1)) / 2;
    out.rankBiserial = (2 * w.statistic - total) / total;
  } else {
    out.wilcoxonW = 0;
    out.wilcoxonP = 1;
    out.rankBiserial = 0;
  }
  return out;
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
