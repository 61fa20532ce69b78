/**
 * Which activations are detectably worse than the leader, and which cannot be
 * told apart from it.
 *
 * Within a grid point (or pooled over grid points that share a dataset), each
 * activation is compared with the leader (the best mean score) pair by pair:
 * a pair is one seed at one grid point, where both runs saw the same data
 * split, initial weights and batch order, so the difference removes that
 * noise. The test is the exact sign-flip permutation test over pairs
 * (stats.ts), Holm-corrected over the family of comparisons. A diverged run
 * counts as the worst score (it lost); a failed run is left out.
 *
 * A difference counts only when it is detectable (Holm p < ALPHA) and larger
 * than the practical margin; a mean difference within the margin is
 * "within margin" whatever the p-value. Activations whose results are
 * identical (identical.ts) are reported once, not tested against each other.
 */
import { higherIsBetter, type Leaderboard, type LeaderboardRow, type Primary } from "./leaderboard.js";
import { signFlipTest, holm, pairsNeeded, summarize, type SignFlipTest, type Summary } from "./stats.js";

export const ALPHA = 0.05;
/** Default practical margins: 0.5 accuracy points, or 1% of the leader's loss. */
export const DEFAULT_ACC_MARGIN = 0.005;
export const DEFAULT_LOSS_MARGIN = 0.01;

export type Verdict = "leader" | "worse" | "within margin" | "cannot tell" | "diverged" | "identical" | "no paired seeds";

/** One activation in a comparison: its rows (one per grid point compared). */
export interface Contender {
  activation: string;
  rows: LeaderboardRow[];
  /** Pair key (grid point and seed) -> score. */
  scores: Map<string, number>;
  /** Metric over finished runs (the leaderboard's cell when there is one grid point). */
  summary: Summary;
  scoreMean: number;
  runs: number;
  diverged: number;
  /** Set when its results equal an earlier activation's. */
  identicalTo?: string;
}

export interface Comparison {
  contender: Contender;
  /** Pairs where both runs have a score. */
  pairs: number;
  /** Oriented so that a positive mean difference means the leader is better. */
  test: SignFlipTest;
  /** Pairs in which the leader scored better. */
  leaderBetter: number;
  /** Holm-adjusted p over the family; NaN when no test ran. */
  pHolm: number;
  verdict: Verdict;
}

export interface Significance {
  /** The grid point compared within ("" without a grid), or the pooled points' description. */
  scope: string;
  /** Grid points the comparison covers. */
  gridLabels: string[];
  metric: Primary;
  leader?: Contender;
  /** Absolute margin in the metric's units. */
  margin: number;
  /** The margin in words ("0.5 accuracy points", "1% of the leader's loss (0.0034)"). */
  marginText: string;
  comparisons: Comparison[];
  /** Tests in the Holm family. */
  family: number;
  /** False when no comparison can reach Holm p < ALPHA with these pairs, whatever the data. */
  canDetect: boolean;
  /** Fewest pairs with which the family could show a difference. */
  pairsNeeded: number;
  /** The leader and everything not detectably worse (identical ones included). */
  leading: Contender[];
  /** Plain-language method and caveats, computed from the same numbers as the table. */
  notes: string[];
}

export interface CompareOptions {
  /** Margin: accuracy difference (fraction) or relative loss difference; defaults above. */
  margin?: number;
  /** Row keys (group keys) -> group key of an identical earlier row. */
  identical?: ReadonlyMap<string, string>;
  /** Label for a pooled comparison. */
  scope?: string;
}

function contenders(board: Leaderboard, gridLabels: readonly string[], identical: ReadonlyMap<string, string>): Contender[] {
  const byAct = new Map<string, LeaderboardRow[]>();
  for (const label of gridLabels)
    for (const r of board.rows.filter((x) => x.group.gridLabel === label)) byAct.set(r.group.activation, [...(byAct.get(r.group.activation) ?? []), r]);
  const actOf = new Map(board.rows.map((r) => [r.group.key, r.group.activation]));
  const metricOf = (r: LeaderboardRow): number[] => r.group.runs.filter((x) => x.status === "ok").map((x) => x[board.primary]);
  return [...byAct.entries()].map(([activation, rows]) => {
    const scores = new Map<string, number>();
    for (const r of rows) for (const [seed, v] of r.scores) scores.set(`${r.group.gridLabel}\u0000${seed}`, v);
    const vals = [...scores.values()].filter(Number.isFinite);
    // Identical only when identical at every grid point compared.
    const twins = rows.map((r) => identical.get(r.group.key));
    const twin = twins.every((t) => t !== undefined && actOf.get(t) === actOf.get(twins[0]!)) ? actOf.get(twins[0]!) : undefined;
    return {
      activation,
      rows,
      scores,
      summary: summarize(rows.flatMap(metricOf), higherIsBetter(board.primary) ? [0, 1] : [0, Infinity]),
      scoreMean: vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : NaN,
      runs: rows.reduce((s, r) => s + r.runs, 0),
      diverged: rows.reduce((s, r) => s + r.diverged, 0),
      identicalTo: twin,
    };
  });
}

/** Compares the activations of the given grid points (one by default) with the leader among them. */
export function compareToBest(board: Leaderboard, gridLabels: string | readonly string[] = board.gridLabels[0] ?? "", opts: CompareOptions = {}): Significance {
  const labels = typeof gridLabels === "string" ? [gridLabels] : [...gridLabels];
  const metric = board.primary;
  const higher = higherIsBetter(metric);
  const all = contenders(board, labels, opts.identical ?? new Map());
  const base = { scope: opts.scope ?? labels.join("; "), gridLabels: labels, metric };
  const candidates = all.filter((c) => c.identicalTo === undefined && Number.isFinite(c.scoreMean));
  const better = (a: number, b: number): boolean => (higher ? a > b : a < b);
  const leader = candidates.reduce<Contender | undefined>((best, c) => (!best || better(c.scoreMean, best.scoreMean) ? c : best), undefined);
  const marginFrac = opts.margin ?? (higher ? DEFAULT_ACC_MARGIN : DEFAULT_LOSS_MARGIN);
  if (!leader) {
    return {
      ...base, margin: NaN, marginText: "", comparisons: [], family: 0, canDetect: false, pairsNeeded: NaN, leading: [],
      notes: ["No run finished, so there is nothing to compare."],
    };
  }
  const margin = higher ? marginFrac : marginFrac * Math.abs(leader.scoreMean);
  const marginText = higher ? `${+(100 * marginFrac).toPrecision(3)} accuracy points` : `${+(100 * marginFrac).toPrecision(3)}% of the leader's loss (${margin.toPrecision(2)})`;

  const raw = all.filter((c) => c !== leader).map((c) => {
    const d: number[] = [];
    let leaderBetter = 0;
    let allDiverged = true;
    for (const [key, v] of c.scores) {
      const b = leader.scores.get(key);
      if (b === undefined || !Number.isFinite(b) || !Number.isFinite(v)) continue;
      const diff = higher ? b - v : v - b;
      d.push(diff);
      if (diff > 0) leaderBetter++;
      const [grid, seed] = key.split("\u0000");
      const row = c.rows.find((r) => r.group.gridLabel === grid);
      if (!row?.divergedEpochs.has(Number(seed))) allDiverged = false;
    }
    return { contender: c, test: signFlipTest(d), pairs: d.length, leaderBetter, allDiverged };
  });
  const inFamily = raw.map((c) => c.contender.identicalTo === undefined && c.pairs > 0);
  const adj = holm(raw.map((c, i) => (inFamily[i] ? c.test.p : NaN)));
  const family = inFamily.filter(Boolean).length;
  const minP = Math.min(1, ...raw.filter((_, i) => inFamily[i]).map((c) => c.test.minP));
  const canDetect = family > 0 && family * minP < ALPHA;

  const comparisons: Comparison[] = raw.map((c, i) => {
    let verdict: Verdict;
    const D = c.test.meanDiff;
    if (c.contender.identicalTo !== undefined) verdict = "identical";
    else if (c.pairs === 0) verdict = "no paired seeds";
    else if (c.allDiverged) verdict = "diverged";
    else if (adj[i] < ALPHA && exceeds(D, margin)) verdict = "worse";
    else if (!exceeds(Math.abs(D), margin)) verdict = "within margin";
    else verdict = "cannot tell";
    return { contender: c.contender, pairs: c.pairs, test: c.test, leaderBetter: c.leaderBetter, pHolm: adj[i], verdict };
  });
  // Sorted as the leaderboard reads: best score first.
  comparisons.sort((a, b) => (higher ? b.contender.scoreMean - a.contender.scoreMean : a.contender.scoreMean - b.contender.scoreMean) || 0);

  const leadingNames = new Set([leader.activation, ...comparisons.filter((c) => c.verdict === "within margin" || c.verdict === "cannot tell").map((c) => c.contender.activation)]);
  for (const c of comparisons) if (c.verdict === "identical" && leadingNames.has(c.contender.identicalTo!)) leadingNames.add(c.contender.activation);
  const leading = [leader, ...comparisons.map((c) => c.contender).filter((c) => leadingNames.has(c.activation))];

  const maxPairs = Math.max(0, ...raw.map((c) => c.pairs));
  const needed = pairsNeeded(family, ALPHA);
  const notes: string[] = [];
  if (family === 0) notes.push("Only one activation has results, so there is nothing to compare it with.");
  else if (!canDetect)
    notes.push(`Too few seeds to tell: with ${maxPairs} paired seed(s) the smallest p the exact test can give is ${fmtNum(minP)} (2/2^${Math.round(Math.log2(2 / minP))}), and Holm's correction over ${family} comparison(s) needs p < ${fmtNum(ALPHA / family)} for the first, so no difference can be shown here, however large. ${needed} seeds per grid point would be the fewest that could.`);
  notes.push(`Test: the exact paired sign-flip permutation test over ${labels.length > 1 ? "seeds and grid points" : "seeds"}, two-sided, Holm-corrected over the ${family} comparison(s). "worse" means corrected p < ${ALPHA} and a mean difference above the margin (${marginText}); "within margin" means a mean difference below it; "cannot tell" means neither. A diverged run counts as ${higher ? "accuracy 0" : "the worst finite loss at its grid point"}; failed runs are left out.`);
  return { ...base, leader, margin, marginText, comparisons, family, canDetect, pairsNeeded: needed, leading, notes };
}

/**
 * d > margin, with float noise forgiven: accuracies are counts over a
 * validation set, and 0.9 - 0.895 is 0.0050000000000000044 in binary, which
 * a margin of 0.005 must not call larger.
 */
function exceeds(d: number, margin: number): boolean {
  return d - margin > 1e-9 * Math.max(Math.abs(margin), Math.abs(d));
}

function fmtNum(v: number): string {
  return v >= 0.001 ? String(+v.toPrecision(3)) : v.toExponential(2);
}
