/** Train / validation (and held-out) splits, stratified by class where asked, drawn from the split stream. */
import { UserError } from "../errors.js";
import { DataRng } from "./random.js";
import { classCounts, takeRows, type Table } from "./table.js";

/** Fractions held out, and whether each split keeps every class's share. */
export interface SplitFractions {
  val: number;
  test: number;
  stratify: boolean;
}

export interface SplitTables {
  train: Table;
  val?: Table;
  test?: Table;
}

/**
 * Split `t` by a seeded permutation: test rows first, then validation, the rest
 * training. Sizes are round(fraction x n); stratified, those totals are shared
 * out among the classes in proportion to their sizes (largest remainder), so
 * every split keeps each class's share to within one row. Rows of each split
 * are then ordered by a second permutation: membership picked by walking the
 * first one correlates with position in it (a class whose quota fills first
 * would crowd the start of the training split), the second is independent.
 */
export function splitTable(t: Table, f: SplitFractions, rng: DataRng, what: string): SplitTables {
  const n = t.n;
  const nTest = Math.round(f.test * n);
  const nVal = Math.round(f.val * n);
  if (f.test > 0 && nTest === 0)
    throw new UserError(`${what}: split.test = ${f.test} of ${n} rows rounds to no row; raise the fraction or the number of rows`);
  if (f.val > 0 && nVal === 0)
    throw new UserError(`${what}: split.val = ${f.val} of ${n} rows rounds to no row; raise the fraction or the number of rows`);
  if (n - nTest - nVal < 1) throw new UserError(`${what}: split.val + split.test leave no training row out of ${n}`);

  const perm = rng.permutation(n);
  const trainRows: number[] = [];
  const valRows: number[] = [];
  const testRows: number[] = [];
  if (f.stratify && t.task === "classification") {
    const counts = classCounts(t);
    const testQuota = allocate(nTest, counts);
    const valQuota = allocate(nVal, counts.map((c, k) => c - testQuota[k]));
    for (const r of perm) {
      const c = t.y[r];
      if (testQuota[c] > 0) {
        testQuota[c]--;
        testRows.push(r);
      } else if (valQuota[c] > 0) {
        valQuota[c]--;
        valRows.push(r);
      } else trainRows.push(r);
    }
  } else {
    perm.forEach((r, i) => (i < nTest ? testRows : i < nTest + nVal ? valRows : trainRows).push(r));
  }
  const rank = new Int32Array(n);
  rng.permutation(n).forEach((r, i) => (rank[r] = i));
  for (const rows of [trainRows, valRows, testRows]) rows.sort((a, b) => rank[a] - rank[b]);
  return {
    train: takeRows(t, trainRows),
    val: nVal > 0 ? takeRows(t, valRows) : undefined,
    test: nTest > 0 ? takeRows(t, testRows) : undefined,
  };
}

/**
 * Split `total` into parts proportional to `weights`, each at most its weight,
 * rounding by largest remainder (ties to the lower index) so that the parts sum
 * to exactly `total` (when total <= sum of weights).
 */
export function allocate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    if (parts[i] < weights[i]) {
      parts[i]++;
      left--;
    }
  }
  return parts;
}
