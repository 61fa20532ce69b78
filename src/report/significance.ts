/**
 * Each group against the leaderboard's best, paired by seed (the same seed
 * gives the same data split, init stream and batch order, so differences of
 * paired runs remove that noise). Two tests, each Holm-corrected over the
 * family of comparisons: the paired t-test (assumes roughly normal
 * differences) and the exact Wilcoxon signed-rank test (assumes nothing of the
 * shape, but cannot reach p < 0.05 with fewer than 6 pairs).
 */
import type { Leaderboard, LeaderboardRow } from "./leaderboard.js";
import { pairedTest, holm, type PairedTest } from "./stats.js";

/** Fewer paired seeds than this and the report says it cannot tell. */
export const MIN_PAIRS = 3;
export const ALPHA = 0.05;

export type Verdict = "best" | "worse" | "better" | "no detectable difference" | "too few seeds";

export interface Comparison {
  row: LeaderboardRow;
  /** Seeds where both runs finished. */
  seeds: number[];
  test: PairedTest;
  /** Holm-adjusted p-values over the family of comparisons. */
  tPHolm: number;
  wilcoxonPHolm: number;
  verdict: Verdict;
}

export interface Significance {
  /** The grid point compared within ("" without a grid). */
  gridLabel: string;
  best?: LeaderboardRow;
  metric: "val_acc" | "val_loss";
  comparisons: Comparison[];
  /** Plain-language caveats (too few seeds, what Wilcoxon can reach). */
  notes: string[];
}

function finalMetric(run: { val_acc: number; val_loss: number }, metric: "val_acc" | "val_loss"): number {
  return metric === "val_acc" ? run.val_acc : run.val_loss;
}

/** Compares within one grid point (the first by default): activations against that point's best. */
export function compareToBest(board: Leaderboard, gridLabel: string = board.gridLabels[0] ?? ""): Significance {
  const metric = board.primary;
  const rows = board.rows.filter((r) => r.group.gridLabel === gridLabel);
  const best = rows.find((r) => r.ok > 0);
  const notes: string[] = [];
  if (!best) return { gridLabel, metric, comparisons: [], notes: ["No run finished, so there is nothing to compare."] };

  const bestBySeed = new Map<number, number>();
  for (const r of best.group.runs) if (r.status === "ok") bestBySeed.set(r.seed, finalMetric(r, metric));

  const raw = rows.filter((r) => r !== best).map((row) => {
    const seeds: number[] = [];
    const x: number[] = [];
    const y: number[] = [];
    for (const r of row.group.runs) {
      const b = bestBySeed.get(r.seed);
      const v = finalMetric(r, metric);
      if (r.status !== "ok" || b === undefined || !Number.isFinite(b) || !Number.isFinite(v)) continue;
      seeds.push(r.seed);
      // Oriented so that a positive difference means the best is better.
      if (metric === "val_acc") { x.push(b); y.push(v); } else { x.push(v); y.push(b); }
    }
    return { row, seeds, test: pairedTest(x, y) };
  });

  const testable = raw.map((c) => c.seeds.length >= MIN_PAIRS);
  const tAdj = holm(raw.map((c, i) => (testable[i] ? c.test.tP : NaN)));
  const wAdj = holm(raw.map((c, i) => (testable[i] ? c.test.wilcoxonP : NaN)));

  const comparisons: Comparison[] = raw.map((c, i) => {
    let verdict: Verdict;
    if (!testable[i]) verdict = "too few seeds";
    else if (tAdj[i] < ALPHA || wAdj[i] < ALPHA) verdict = c.test.meanDiff > 0 ? "worse" : "better";
    else verdict = "no detectable difference";
    return { ...c, tPHolm: tAdj[i], wilcoxonPHolm: wAdj[i], verdict };
  });

  const maxPairs = Math.max(0, ...raw.map((c) => c.seeds.length));
  if (raw.length === 0) notes.push("Only one activation finished, so there is nothing to compare it with.");
  else if (maxPairs < MIN_PAIRS)
    notes.push(`Too few seeds to tell: at most ${maxPairs} paired seed(s) per comparison; at least ${MIN_PAIRS} are needed for any test here. Treat the ranking as anecdotal and run more seeds.`);
  else if (maxPairs < 6)
    notes.push(`With ${maxPairs} paired seeds the exact Wilcoxon test cannot go below p = ${(2 / 2 ** maxPairs).toFixed(3)}, so only the paired t-test (which assumes roughly normal differences) can show a difference; 6 or more seeds let the Wilcoxon test speak too.`);
  if (comparisons.some((c) => c.verdict === "too few seeds") && maxPairs >= MIN_PAIRS)
    notes.push("Rows marked \"too few seeds\" have fewer than 3 seeds where both runs finished (the others diverged or failed).");
  notes.push(`p-values are Holm-corrected over the ${raw.length} comparison(s); a difference counts at p < ${ALPHA} by either test.`);
  return { gridLabel, best, metric, comparisons, notes };
}
