/**
 * The report's conclusions, written from the data: per grid point (and pooled
 * over grid points that share a dataset) the leading group with its figures,
 * what is detectably worse and by how much, or plainly that the sweep cannot
 * tell; diagnoses, each with its figure and a link to its chart; identical
 * results; and one recommendation with its caveats. Every number quoted is
 * one the tables beside it show (the same Summary objects and comparisons).
 *
 * report.html, report.md and the terminal summary (summary.ts) all render
 * these FindingsBlocks, so the three never disagree.
 */
import { metricName as nameOfMetric, type Leaderboard, type LeaderboardRow } from "./leaderboard.js";
import type { Comparison, Contender, Significance } from "./significance.js";
import type { Summary } from "./stats.js";
import { fmt, fmtP } from "./tables.js";

/** Thresholds of the diagnoses (documented in README.md, "Findings"). */
export const DEAD_THRESHOLD = 0.1;
export const VANISHING_BELOW = 0.1;
export const EXPLODING_ABOVE = 10;
export const SATURATED_THRESHOLD = 0.25;
/** Among equals, a cost difference is worth naming when the slowest takes this many times the fastest's time. */
export const COST_RATIO = 1.5;

export type FindingKind = "leader" | "worse" | "cannot-tell" | "identical" | "dying" | "vanishing" | "exploding" | "saturation" | "divergence" | "cost";

export interface Finding {
  kind: FindingKind;
  /** One or two plain sentences with their figures. */
  text: string;
  /** Id of the chart (or table) that shows it, for a link. */
  figure?: string;
  /** Activations the finding names. */
  activations: string[];
}

export interface FindingsBlock {
  /** HTML id. */
  id: string;
  /** The grid point, or what was pooled ("" without a grid). */
  scope: string;
  /** Short name for headings and the terminal ("spirals", "model.hidden=[32, 32]"). */
  short: string;
  pooled: boolean;
  significance: Significance;
  findings: Finding[];
  recommendation: string;
}

/** Where each kind of finding's figure lives, for one grid point. */
export interface FigureIds {
  dead?: string;
  gradients?: string;
  saturation?: string;
  problems?: string;
  significance?: string;
}

export interface BlockInput {
  id: string;
  scope: string;
  short: string;
  pooled: boolean;
  significance: Significance;
  /** Rows of the grid point (empty for a pooled block: diagnoses are per grid point). */
  rows: LeaderboardRow[];
  figures: FigureIds;
  /** Epochs trained, when one number holds for the block. */
  epochs?: number;
}

const pct = (v: number): string => `${(100 * v).toFixed(v < 0.1 ? 1 : 0)}%`;

function metricName(board: Leaderboard): string {
  return nameOfMetric(board.primary);
}

/** "0.857 [0.847, 0.868]", or the value alone for one seed. */
function meanCi(s: Summary): string {
  if (s.n === 0) return "no finished run";
  if (s.n === 1 || !Number.isFinite(s.ciLow)) return `${fmt(s.mean)} (1 seed)`;
  if (s.std === 0) return `${fmt(s.mean)} in every seed`;
  return `${fmt(s.mean)} [${fmt(s.ciLow)}, ${fmt(s.ciHigh)}]`;
}

function list(xs: readonly string[], max = 8): string {
  if (xs.length <= max) return xs.join(", ");
  return `${xs.slice(0, max).join(", ")} and ${xs.length - max} more`;
}

/** Distinct seeds behind the leader's scores (pairs are seeds at each grid point compared). */
function seedsOf(sig: Significance): number {
  return new Set([...(sig.leader?.scores.keys() ?? [])].map((k) => k.split("\u0000")[1])).size;
}

/** "over 7 seeds", or for a pooled comparison "over 7 seeds at each of 2 grid points". */
function overSeeds(sig: Significance): string {
  const n = seedsOf(sig);
  return `${n} seed${n === 1 ? "" : "s"}${sig.gridLabels.length > 1 ? ` at each of ${sig.gridLabels.length} grid points` : ""}`;
}

function leaderFindings(board: Leaderboard, sig: Significance, figures: FigureIds): Finding[] {
  const leader = sig.leader;
  if (!leader) return [{ kind: "cannot-tell", text: "No run finished, so there is nothing to compare.", activations: [] }];
  const out: Finding[] = [];
  const others = sig.leading.filter((c) => c !== leader && c.identicalTo === undefined);
  const twins = sig.leading.filter((c) => c.identicalTo === leader.activation).map((c) => c.activation);
  const compared = sig.comparisons.filter((c) => c.verdict !== "identical" && c.verdict !== "no paired seeds");
  const n = seedsOf(sig);
  const unit = `${metricName(board)}, mean [95% CI] over ${overSeeds(sig)}`;
  const lead = `${leader.activation}${twins.length ? ` (identical to ${twins.join(", ")})` : ""} leads with ${meanCi(leader.summary)} (${unit})`;
  if (compared.length === 0) {
    out.push({ kind: "leader", text: `${lead}; it is the only activation with results to compare.`, activations: [leader.activation], figure: figures.significance });
    return out;
  }
  const allWithin = compared.every((c) => c.verdict === "within margin");
  if (allWithin) {
    out.push({
      kind: "cannot-tell",
      text: `Cannot tell apart: every activation's mean lies within the margin (${sig.marginText}) of the best, ${leader.activation}'s ${meanCi(leader.summary)} (${unit}). On this task the choice of activation made no practical difference.`,
      activations: sig.leading.map((c) => c.activation),
      figure: figures.significance,
    });
    return out;
  }
  const withFigures = (cs: readonly Contender[]): string => list(cs.map((c) => `${c.activation} ${meanCi(c.summary)}`));
  if (!sig.canDetect) {
    out.push({
      kind: "cannot-tell",
      text: `Too few seeds to tell: ${leader.activation} has the best mean, ${meanCi(leader.summary)} (${unit}), but with ${n} seed${n === 1 ? "" : "s"} and ${sig.family} comparison${sig.family === 1 ? "" : "s"} no difference can be shown by an exact test, however large (the smallest possible p is ${fmtP(Math.min(...compared.map((c) => c.test.minP)))}; at least ${sig.pairsNeeded} seeds are needed).`,
      activations: [leader.activation],
      figure: figures.significance,
    });
    const consistent = compared.filter((c) => c.leaderBetter === c.pairs && c.verdict === "cannot tell");
    if (consistent.length)
      out.push({
        kind: "cannot-tell",
        text: `Below ${leader.activation} in every seed by more than the margin (suggestive, not shown): ${list(consistent.map((c) => `${c.contender.activation} by ${fmt(c.test.meanDiff)}`))}.`,
        activations: consistent.map((c) => c.contender.activation),
        figure: figures.significance,
      });
    return out;
  }
  out.push({
    kind: "leader",
    text: others.length
      ? `${lead}; not detectably worse: ${withFigures(others)}.`
      : `${lead}, detectably ahead of every other activation.`,
    activations: sig.leading.map((c) => c.activation),
    figure: figures.significance,
  });
  const worse = sig.comparisons.filter((c) => c.verdict === "worse" || c.verdict === "diverged");
  if (worse.length) {
    const by = (c: Comparison): string => c.verdict === "diverged"
      ? `${c.contender.activation} (diverged in every paired seed)`
      : `${c.contender.activation} by ${fmt(c.test.meanDiff)} (p = ${fmtP(c.pHolm)})`;
    out.push({
      kind: "worse",
      text: `Detectably worse than ${leader.activation} (Holm-corrected p < 0.05, difference above ${sig.marginText}): ${list(worse.map(by), 12)}.`,
      activations: worse.map((c) => c.contender.activation),
      figure: figures.significance,
    });
  }
  const unsure = sig.comparisons.filter((c) => c.verdict === "cannot tell");
  if (unsure.length)
    out.push({
      kind: "cannot-tell",
      text: `Cannot tell whether ${list(unsure.map((c) => c.contender.activation))} ${unsure.length === 1 ? "is" : "are"} worse: ${unsure.length === 1 ? "its" : "their"} mean difference exceeds the margin but is not detectable with ${n} seeds.`,
      activations: unsure.map((c) => c.contender.activation),
      figure: figures.significance,
    });
  return out;
}

function identicalFindings(sig: Significance): Finding[] {
  const sets = new Map<string, string[]>();
  for (const c of sig.comparisons)
    if (c.verdict === "identical") sets.set(c.contender.identicalTo!, [...(sets.get(c.contender.identicalTo!) ?? []), c.contender.activation]);
  return [...sets].map(([first, twins]) => ({
    kind: "identical" as const,
    text: `${[first, ...twins].join(" and ")} gave identical results (every recorded figure equal in every seed): one finding, compared once as ${first}.`,
    activations: [first, ...twins],
  }));
}

function diagnoses(board: Leaderboard, allRows: readonly LeaderboardRow[], figures: FigureIds, sig: Significance, costs: ReadonlyMap<string, number>): Finding[] {
  const per = board.gradMeasure === "grad_rms" ? "RMS gradient per weight" : "gradient norm";
  const out: Finding[] = [];
  // An activation identical to another is one finding already: diagnose it once, by the first name.
  const twins = new Set(sig.comparisons.filter((c) => c.verdict === "identical").map((c) => c.contender.activation));
  const rows = allRows.filter((r) => !twins.has(r.group.activation));
  const act = (r: LeaderboardRow): string => r.group.activation;
  const dying = rows.filter((r) => r.deadFracEnd.mean > DEAD_THRESHOLD).sort((a, b) => b.deadFracEnd.mean - a.deadFracEnd.mean);
  if (dying.length)
    out.push({
      kind: "dying",
      text: `Dying units (more than ${pct(DEAD_THRESHOLD)} of hidden units dead at the end, mean over finished seeds): ${list(dying.map((r) => `${act(r)} ${pct(r.deadFracEnd.mean)}`), 12)}.`,
      figure: figures.dead,
      activations: dying.map(act),
    });
  const vanishing = rows.filter((r) => r.gradAttenuation0 < VANISHING_BELOW).sort((a, b) => a.gradAttenuation0 - b.gradAttenuation0);
  if (vanishing.length)
    out.push({
      kind: "vanishing",
      text: `Vanishing gradients at initialisation (first layer's ${per} below ${VANISHING_BELOW} times the last layer's): ${list(vanishing.map((r) => `${act(r)} ${fmt(r.gradAttenuation0)}`), 12)}.`,
      figure: figures.gradients,
      activations: vanishing.map(act),
    });
  const exploding = rows.filter((r) => r.gradAttenuation0 > EXPLODING_ABOVE).sort((a, b) => b.gradAttenuation0 - a.gradAttenuation0);
  if (exploding.length)
    out.push({
      kind: "exploding",
      text: `Exploding gradients at initialisation (first layer's ${per} above ${EXPLODING_ABOVE} times the last layer's): ${list(exploding.map((r) => `${act(r)} ${fmt(r.gradAttenuation0)}`), 12)}.`,
      figure: figures.gradients,
      activations: exploding.map(act),
    });
  const saturated = rows.filter((r) => r.saturatedFracEnd.mean > SATURATED_THRESHOLD).sort((a, b) => b.saturatedFracEnd.mean - a.saturatedFracEnd.mean);
  if (saturated.length)
    out.push({
      kind: "saturation",
      text: `Saturation (more than ${pct(SATURATED_THRESHOLD)} of (probe example, hidden unit) pairs with |f′| below 1% of its largest, off any flat piece, at the end): ${list(saturated.map((r) => `${act(r)} ${pct(r.saturatedFracEnd.mean)}`), 12)}.`,
      figure: figures.saturation,
      activations: saturated.map(act),
    });
  const diverged = rows.filter((r) => r.diverged > 0);
  if (diverged.length)
    out.push({
      kind: "divergence",
      text: `Divergence: ${list(diverged.map((r) => {
        const epochs = [...r.divergedEpochs.values()].filter(Number.isFinite);
        return `${act(r)} in ${r.diverged} of ${r.runs} seeds${epochs.length ? ` (at epoch ${[...new Set(epochs)].sort((a, b) => a - b).join(", ")})` : ""}`;
      }), 12)}.`,
      figure: figures.problems,
      activations: diverged.map(act),
    });
  // Cost only where it separates equals: within a leading group the test
  // could have split (with too few seeds to tell, everyone "leads").
  const equals = sig.canDetect || sig.comparisons.every((c) => c.verdict === "within margin" || c.verdict === "identical") ? sig.leading : [];
  const leadRows = rows.filter((r) => equals.some((c) => c.activation === act(r)) && Number.isFinite(r.wallMsPerEpoch));
  if (leadRows.length > 1) {
    const sorted = [...leadRows].sort((a, b) => a.wallMsPerEpoch - b.wallMsPerEpoch);
    const fast = sorted[0], slow = sorted[sorted.length - 1];
    if (slow.wallMsPerEpoch >= COST_RATIO * fast.wallMsPerEpoch) {
      const ns = (r: LeaderboardRow): string => (costs.has(act(r)) ? `, f + f′ ${fmt(costs.get(act(r))!, 2)} ns per element` : "");
      out.push({
        kind: "cost",
        text: `Cost among the leaders: ${act(fast)} trains fastest (${fmt(fast.wallMsPerEpoch, 1)} ms per epoch, median${ns(fast)}); ${act(slow)} is slowest (${fmt(slow.wallMsPerEpoch, 1)} ms${ns(slow)}).`,
        activations: [act(fast), act(slow)],
      });
    }
  }
  return out;
}

/** " on spirals", " over all grid points (model.hidden)". */
export function whereText(b: { short: string; pooled: boolean }): string {
  return b.short ? `${b.pooled ? " over" : " on"} ${b.short}` : "";
}

function recommendation(board: Leaderboard, b: BlockInput, rows: readonly LeaderboardRow[]): string {
  const sig = b.significance;
  const leader = sig.leader;
  const where = whereText(b);
  if (!leader) return `No recommendation${where}: no run finished.`;
  const n = seedsOf(sig);
  const caveats = `Caveats: ${n} seed${n === 1 ? "" : "s"}${b.pooled ? " per grid point" : ""}, a margin of ${sig.marginText}, ${metricName(board)}${b.epochs !== undefined ? ` after ${b.epochs} epochs` : ""}, at the settings of this sweep only (other learning rates, widths, depths and longer training were not measured${b.pooled ? "" : " here"}).`;
  const compared = sig.comparisons.filter((c) => c.verdict !== "identical" && c.verdict !== "no paired seeds");
  if (compared.length === 0) return `${leader.activation} is the only activation with results${where}. ${caveats}`;
  if (compared.every((c) => c.verdict === "within margin"))
    return `Any of the activations tried will do${where}: none differs from the best by more than the margin, so choose on cost or habit. ${caveats}`;
  if (!sig.canDetect)
    return `No recommendation can be made${where} from this sweep: with ${n} seeds no difference can be shown; rerun with at least ${sig.pairsNeeded} seeds (--set seeds=${sig.pairsNeeded}). By the means alone ${leader.activation} leads. ${caveats}`;
  const names = sig.leading.filter((c) => c.identicalTo === undefined).map((c) => c.activation);
  const twins = sig.leading.filter((c) => c.identicalTo === leader.activation).map((c) => c.activation);
  if (names.length === 1)
    return `Use ${leader.activation}${twins.length ? ` (or ${twins.join(", ")}, identical here)` : ""}${where}: it is detectably better than every other activation tried. ${caveats}`;
  const timed = rows.filter((r) => names.includes(r.group.activation) && Number.isFinite(r.wallMsPerEpoch)).sort((a, b2) => a.wallMsPerEpoch - b2.wallMsPerEpoch);
  const cheapest = timed.length > 1 && timed[timed.length - 1].wallMsPerEpoch >= COST_RATIO * timed[0].wallMsPerEpoch ? ` ${timed[0].group.activation} is the cheapest of them.` : "";
  return `Use ${leader.activation} or any of ${list(names.slice(1))}${where}: the sweep cannot tell them apart.${cheapest} ${caveats}`;
}

export function buildFindings(board: Leaderboard, blocks: readonly BlockInput[], costs: ReadonlyMap<string, number>): FindingsBlock[] {
  return blocks.map((b) => ({
    id: b.id,
    scope: b.scope,
    short: b.short,
    pooled: b.pooled,
    significance: b.significance,
    findings: [
      ...leaderFindings(board, b.significance, b.figures),
      ...identicalFindings(b.significance),
      ...(b.pooled ? [] : diagnoses(board, b.rows, b.figures, b.significance, costs)),
    ],
    recommendation: recommendation(board, b, b.rows),
  }));
}
