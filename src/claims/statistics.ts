/**
 * The tests that decide claims, each one-sided in the claimed direction and
 * valid for the few seeds a sweep has:
 * - the paired sign-flip permutation test (an order of activations): the
 *   report's exact test (report/stats.ts), one-sided here;
 * - Page's L test for an ordered alternative (a trend over a grid key or the
 *   layers), with blocks = seeds: exact by convolving each block's
 *   permutation distribution when that is small, else its normal approximation;
 * - the binomial standard error of a fraction (against an expected value).
 * No npm package offers Page's test for JS (stdlib has none), so it is
 * written here, and checked against brute force and Page's moments.
 */
import { erfc } from "../activations/erf.js";
import { signFlipTest } from "../report/stats.js";

/** Upper tail of the standard normal, P(Z >= z). */
export function normalUpper(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/**
 * One-sided paired sign-flip test in the direction the differences point:
 * half the report's exact two-sided p (the permutation distribution of the
 * sum is symmetric, so each tail beyond the observed |sum| holds half).
 * 1 when there is no difference at all.
 */
export function oneSidedSignFlip(d: readonly number[]): { p: number; meanDiff: number; minP: number } {
  const t = signFlipTest(d.filter(Number.isFinite));
  if (!(t.meanDiff !== 0 && Number.isFinite(t.meanDiff))) return { p: 1, meanDiff: t.meanDiff, minP: t.minP / 2 };
  return { p: t.p / 2, meanDiff: t.meanDiff, minP: t.minP / 2 };
}

/** Mid-ranks (1-based; ties share the mean of their ranks). */
export function midRanks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(xs.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k][1]] = r;
    i = j + 1;
  }
  return ranks;
}

export interface PageTest {
  /** Page's L = sum over blocks and positions j (1..k, the claimed order) of j times the block's rank there. */
  L: number;
  /** One-sided p of L this large or larger under "no trend" (each block's ranks equally likely in any order). */
  p: number;
  /** "exact" (convolution of the blocks' permutation distributions) or "normal" (its normal approximation). */
  method: "exact" | "normal";
  blocks: number;
  k: number;
}

/** The exact distribution is used up to this many (block, order) pairs: blocks x k!. */
const EXACT_WORK = 2_000_000;

function factorial(k: number): number {
  return k <= 1 ? 1 : k * factorial(k - 1);
}

function permutations(k: number): number[][] {
  if (k === 1) return [[0]];
  const out: number[][] = [];
  for (const p of permutations(k - 1))
    for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), k - 1, ...p.slice(i)]);
  return out;
}

/**
 * Page's (1963) L test of an increasing trend across k ordered treatments,
 * each block (row of `blocks`) giving one value per treatment in the claimed
 * order. Ranks within a block are mid-ranks, so ties (e.g. a dead fraction of
 * 0 at several learning rates) are handled by the permutation distribution
 * of that block's own ranks. Blocks with a non-finite value are left out.
 */
export function pageTest(blocks: ReadonlyArray<readonly number[]>): PageTest {
  const rows = blocks.filter((b) => b.every(Number.isFinite));
  const k = rows[0]?.length ?? 0;
  if (rows.length === 0 || k < 2) return { L: NaN, p: 1, method: "exact", blocks: rows.length, k };
  const ranks = rows.map(midRanks);
  const weights = Array.from({ length: k }, (_, j) => j + 1);
  const L = ranks.reduce((s, r) => s + r.reduce((t, x, j) => t + weights[j] * x, 0), 0);
  if (k <= 8 && rows.length * factorial(k) <= EXACT_WORK) {
    // Exact: each block's L_b over the k! orders of its ranks (values doubled: mid-ranks are halves).
    const perms = permutations(k);
    let dist = new Map<number, number>([[0, 1]]);
    for (const r of ranks) {
      const block = new Map<number, number>();
      for (const p of perms) {
        let s = 0;
        for (let j = 0; j < k; j++) s += weights[j] * r[p[j]];
        const key = Math.round(2 * s);
        block.set(key, (block.get(key) ?? 0) + 1 / perms.length);
      }
      const next = new Map<number, number>();
      for (const [a, pa] of dist) for (const [b, pb] of block) next.set(a + b, (next.get(a + b) ?? 0) + pa * pb);
      dist = next;
    }
    const obs = Math.round(2 * L);
    let p = 0;
    for (const [v, pv] of dist) if (v >= obs) p += pv;
    return { L, p: Math.min(1, p), method: "exact", blocks: rows.length, k };
  }
  // Normal approximation: for a linear statistic sum a_j b_pi(j) under a random permutation,
  // E = k mean(a) mean(b) and Var = sum (a - mean a)^2 sum (b - mean b)^2 / (k - 1).
  const am = (k + 1) / 2;
  const aSS = weights.reduce((s, a) => s + (a - am) ** 2, 0);
  let mean = 0;
  let variance = 0;
  for (const r of ranks) {
    const bm = r.reduce((s, x) => s + x, 0) / k;
    mean += k * am * bm;
    variance += (aSS * r.reduce((s, x) => s + (x - bm) ** 2, 0)) / (k - 1);
  }
  const p = variance > 0 ? normalUpper((L - mean) / Math.sqrt(variance)) : L > mean ? 0 : 1;
  return { L, p, method: "normal", blocks: rows.length, k };
}

/** Binomial standard error of a fraction with success probability p over n trials. */
export function binomialSE(p: number, n: number): number {
  return Math.sqrt((p * (1 - p)) / n);
}
