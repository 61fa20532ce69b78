/**
 * The leaderboard: one row per activation and grid point, statistics over
 * seeds. Accuracy and loss statistics use the runs that finished (status ok);
 * diverged and failed runs are counted in their own columns, because a
 * diverged run has no meaningful final accuracy to average.
 *
 * Ranking is another matter: an activation that diverges has lost, so each
 * row also carries a per-seed score, the primary metric of a finished run or
 * the worst value for a diverged one, and rows are ranked (and compared, in
 * significance.ts) by it. A failed run (the program threw) says nothing about
 * the activation and has no score.
 */
import type { Results, RunRow, LayerRow, CurveRow } from "./results.js";
import { median } from "simple-statistics";
import { summarize, geometricMean, type Summary } from "./stats.js";
import { gridValueText } from "./config-text.js";
import { gridCells } from "../harness/grid-cells.js";

/** Runs sharing an activation and a grid point. */
export interface Group {
  /** Stable key: activation label, then the grid point when there is more than one. */
  key: string;
  activation: string;
  /** Grid key -> value; empty when the sweep has no grid. */
  grid: Record<string, string>;
  /** "model.hidden=[32,32], train.optimizer.lr=0.01", or "" without a grid. */
  gridLabel: string;
  runs: RunRow[];
  /** Planned runs of the group that did not finish (an interrupted sweep: the manifest's pending runs). */
  pending: number;
}

/** Which way the primary metric is better. */
export type Task = "classification" | "regression";

/**
 * What the rows are ranked by, a runs.csv column: with a test split, the test
 * figure of the model validation chose (best_test_*: validation picks the
 * epoch, the test split measures it, as papers report), or the final model's
 * test figure when there was no validation split; without one, the final
 * validation figure.
 */
export type Primary = "best_test_acc" | "best_test_loss" | "test_acc" | "test_loss" | "val_acc" | "val_loss";

/** Accuracies are better higher, losses lower. */
export function higherIsBetter(p: Primary): boolean {
  return p.endsWith("_acc");
}

/** The primary metric in words, for the report's notes and findings. */
export function metricName(p: Primary): string {
  const what = p.endsWith("_acc") ? "accuracy" : "loss";
  if (p.startsWith("best_test")) return `test ${what} at the epoch validation chose`;
  if (p.startsWith("test")) return `final test ${what}`;
  return `final validation ${what}`;
}

function primaryOf(results: Results, task: Task): Primary {
  const kind = task === "classification" ? "acc" : "loss";
  const has = (col: Primary) => results.runs.some((r) => r.status !== "failed" && Number.isFinite(r[col]));
  return ([`best_test_${kind}`, `test_${kind}`] as Primary[]).find(has) ?? `val_${kind}`;
}

export interface LeaderboardRow {
  group: Group;
  /** Seeds run (runs in runs.csv, any status). */
  runs: number;
  /** Seeds planned: those run and those an interrupted sweep did not reach. */
  planned: number;
  ok: number;
  diverged: number;
  failed: number;
  /** The primary metric over the finished runs, when it is a test figure (the leaderboard's first figure column). */
  test?: Summary;
  finalValAcc: Summary;
  bestValAcc: Summary;
  finalValLoss: Summary;
  /** Lowest validation loss over the recorded epochs of each run. */
  bestValLoss: Summary;
  /** First epoch at which the target was met, over runs that met it. */
  epochsToTarget?: Summary & { reached: number };
  /** Fraction of hidden units dead at the last recorded epoch (all hidden layers pooled). */
  deadFracEnd: Summary;
  /** Share of (probe row, hidden unit) pairs counted saturated at the last recorded epoch (hidden layers pooled by units). */
  saturatedFracEnd: Summary;
  /** Gradient (gradMeasure) of layer 1 over that of the last layer, geometric mean over seeds, at epoch 0. */
  gradAttenuation0: number;
  gradAttenuationEnd: number;
  /**
   * Milliseconds of training per epoch: the median of every finished run's
   * per-epoch wall_ms (robust to a slow first epoch or a run scheduled beside
   * a heavy one, which a mean of whole-run times is not).
   */
  wallMsPerEpoch: number;
  /** Seed -> score: the primary metric of a finished run, the worst value for a diverged one. */
  scores: Map<number, number>;
  /** Mean of the scores, the ranking key. */
  scoreMean: number;
  /** diverged_epoch of each diverged run, by seed. */
  divergedEpochs: Map<number, number>;
  /** Compute cost of f + f' per element (ns), when known. */
  costNs?: number;
}

export interface Leaderboard {
  task: Task;
  /**
   * What the rows are sorted by (see Primary; mean over seeds), within each
   * grid point; grid points stay in plan order.
   */
  primary: Primary;
  target?: number;
  rows: LeaderboardRow[];
  /** Activation labels in first-appearance order: fixes colors across charts. */
  activationOrder: string[];
  /** Distinct grid points in first-appearance order. */
  gridLabels: string[];
  /** Each grid label's short form for headings and titles ("spirals"; see labelGridKeys). */
  shortLabels: ReadonlyMap<string, string>;
  /** The per-layer gradient figure the ratios use. */
  gradMeasure: GradMeasure;
}

/** `dataset.name=mnist, dataset.n=1000`: a run's grid point; a column empty at this point (a key its section lacks) is left out. */
export function gridLabelOf(run: Pick<RunRow, "grid">, gridKeys: readonly string[]): string {
  return gridKeys
    .filter((k) => (run.grid[k] ?? "") !== "")
    .map((k) => `${k}=${gridValueText(run.grid[k])}`)
    .join(", ");
}

/** Grid keys that name the dataset (`dataset`, or flattened `dataset.name`, `dataset.n`, ...). */
export function isDatasetKey(key: string): boolean {
  return key === "dataset" || key.startsWith("dataset.");
}

/**
 * A grid point's short name for headings and the terminal: a value with a
 * name (a dataset, an optimizer) by its name, anything else as key=value
 * ("spirals", "model.hidden=[32, 32]").
 */
export function shortGridLabel(grid: Record<string, string>, gridKeys: readonly string[]): string {
  return gridKeys.filter((k) => (grid[k] ?? "") !== "").map((k) => {
    const cell = grid[k];
    try {
      const v = JSON.parse(cell) as unknown;
      if (v && typeof v === "object" && !Array.isArray(v) && typeof (v as { name?: unknown }).name === "string") return (v as { name: string }).name;
    } catch {
      // plain text cell
    }
    return k === "dataset.name" ? cell : `${k}=${gridValueText(cell)}`;
  }).join(", ");
}

/**
 * The fewest grid keys that still tell the grid points apart, in grid order:
 * all a short label needs. A key every point shares (dataset.split.val of a
 * grid over datasets) only lengthens it, and so does one that follows from
 * another (a dataset's n and noise, once its name differs). Keys are dropped
 * from the last while the points stay distinct.
 */
export function labelGridKeys(results: Pick<Results, "runs" | "gridKeys">): string[] {
  const distinct = (keys: readonly string[]): number => new Set(results.runs.map((r) => JSON.stringify(keys.map((k) => r.grid[k] ?? "")))).size;
  const points = distinct(results.gridKeys);
  let keys = [...results.gridKeys];
  for (let i = keys.length - 1; i >= 0; i--) {
    const without = keys.filter((_, j) => j !== i);
    if (distinct(without) === points) keys = without;
  }
  return keys;
}

/** A chart title's grid part: " — spirals" (the point's short label), or nothing without a grid. */
export function titleSuffix(board: Pick<Leaderboard, "shortLabels">, gridLabel: string): string {
  return gridLabel ? ` — ${board.shortLabels.get(gridLabel) ?? gridLabel}` : "";
}

/** Groups runs by activation and grid point, in first-appearance order. */
export function groupRuns(results: Results): Group[] {
  const pending = pendingRuns(results);
  const gridLabels = new Set([...results.runs, ...pending].map((r) => gridLabelOf(r, results.gridKeys)));
  const manyGridPoints = gridLabels.size > 1;
  const groups = new Map<string, Group>();
  const groupOf = (run: Pick<RunRow, "activation" | "grid">): Group => {
    const gridLabel = gridLabelOf(run, results.gridKeys);
    const key = manyGridPoints ? `${run.activation} | ${gridLabel}` : run.activation;
    let g = groups.get(key);
    if (!g) {
      g = { key, activation: run.activation, grid: run.grid, gridLabel: manyGridPoints ? gridLabel : "", runs: [], pending: 0 };
      groups.set(key, g);
    }
    return g;
  };
  for (const run of results.runs) groupOf(run).runs.push(run);
  // An interrupted sweep's unfinished runs count as planned seeds; a group none of whose runs finished is still a row.
  for (const run of pending) groupOf(run).pending++;
  return [...groups.values()];
}

/**
 * The runs the manifest plans that runs.csv lacks (pending when the sweep
 * was stopped), each with its grid point as runs.csv's cells would hold it.
 */
function pendingRuns(results: Results): Array<Pick<RunRow, "activation" | "grid">> {
  const done = new Set(results.runs.map((r) => r.run_id));
  return (results.manifest.runs ?? [])
    .filter((p) => !done.has(p.run_id) && typeof p.activation === "string")
    .map((p) => {
      const cells = gridCells((p.grid ?? {}) as Record<string, unknown>);
      return { activation: p.activation as string, grid: Object.fromEntries(results.gridKeys.map((k) => [k, k in cells ? String(cells[k]) : ""])) };
    });
}

/** The task: classification when any run reports a validation accuracy. */
export function taskOf(results: Results): Task {
  const anyAcc = results.runs.some((r) => Number.isFinite(r.val_acc) || Number.isFinite(r.test_acc) || Number.isFinite(r.best_test_acc)) ||
    results.curves.some((c) => Number.isFinite(c.val_acc));
  return anyAcc ? "classification" : "regression";
}

function byRun<T extends { run_id: string }>(rows: readonly T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const list = m.get(r.run_id);
    if (list) list.push(r);
    else m.set(r.run_id, [r]);
  }
  return m;
}

/** Rows of one run at its last recorded epoch. */
function lastEpoch(rows: readonly LayerRow[]): LayerRow[] {
  if (rows.length === 0) return [];
  const e = Math.max(...rows.map((r) => r.epoch));
  return rows.filter((r) => r.epoch === e);
}

/**
 * Which per-layer gradient figure the ratio divides: grad_rms (per weight, so
 * a 784 x 32 matrix and a 32 x 10 one compare fairly), or grad_norm in a
 * results folder written before grad_rms existed.
 */
export type GradMeasure = "grad_rms" | "grad_norm";

export function gradMeasureOf(layers: readonly LayerRow[]): GradMeasure {
  return layers.some((l) => Number.isFinite(l.grad_rms)) ? "grad_rms" : "grad_norm";
}

/** Dead hidden units at a run's last recorded epoch, as a fraction of all its hidden units. */
export function deadFracAtEnd(layers: readonly LayerRow[]): number {
  const end = lastEpoch(layers).filter((l) => Number.isFinite(l.dead_units) && Number.isFinite(l.units));
  const units = end.reduce((s, l) => s + l.units, 0);
  return units > 0 ? end.reduce((s, l) => s + l.dead_units, 0) / units : NaN;
}

/** A run's gradient ratio (layer 1 over the last layer) at initialisation. */
export function gradRatioAtInit(layers: readonly LayerRow[], measure: GradMeasure): number {
  return attenuation(layers.filter((l) => l.epoch === 0), measure);
}

/** The gradient figure of layer 1 over that of the last layer at one epoch of one run. */
function attenuation(rows: readonly LayerRow[], measure: GradMeasure): number {
  if (rows.length < 2) return NaN;
  const sorted = [...rows].sort((a, b) => a.layer - b.layer);
  return sorted[0][measure] / sorted[sorted.length - 1][measure];
}

function medianOrNaN(xs: readonly number[]): number {
  const v = xs.filter(Number.isFinite);
  return v.length ? median(v) : NaN;
}

function epochsToTarget(curve: readonly CurveRow[], task: Task, target: number): number {
  const sorted = [...curve].sort((a, b) => a.epoch - b.epoch);
  const hit = sorted.find((c) => (task === "classification" ? c.val_acc >= target : c.val_loss <= target));
  return hit ? hit.epoch : NaN;
}

/** Range of fractions, for clipping their confidence intervals. */
const UNIT = [0, 1] as const;
/** Range of losses and times. */
const NON_NEGATIVE = [0, Infinity] as const;

/**
 * The score a diverged run gets: the worst value the metric can take
 * (accuracy 0), or for a loss the highest finite validation loss recorded at
 * that grid point (usually an untrained network's): no better than the worst
 * run that did not blow up.
 */
function worstScore(primary: Primary, runs: readonly RunRow[], curves: Map<string, CurveRow[]>): number {
  if (higherIsBetter(primary)) return 0;
  let worst = -Infinity;
  for (const r of runs) {
    if (Number.isFinite(r[primary])) worst = Math.max(worst, r[primary]);
    if (primary === "val_loss") for (const c of curves.get(r.run_id) ?? []) if (Number.isFinite(c.val_loss)) worst = Math.max(worst, c.val_loss);
  }
  return Number.isFinite(worst) ? worst : NaN;
}

export interface LeaderboardOptions {
  /** Validation accuracy (classification) or loss (regression) to reach. */
  target?: number;
  /** ns per element of f + f', by activation label. */
  cost?: ReadonlyMap<string, number>;
}

export function buildLeaderboard(results: Results, opts: LeaderboardOptions = {}): Leaderboard {
  const task = taskOf(results);
  const primary = primaryOf(results, task);
  const curvesByRun = byRun(results.curves);
  const layersByRun = byRun(results.layers);
  const groups = groupRuns(results);

  const gradMeasure = gradMeasureOf(results.layers);
  const worstAt = new Map<string, number>();
  for (const g of groups) {
    if (worstAt.has(g.gridLabel)) continue;
    worstAt.set(g.gridLabel, worstScore(primary, groups.filter((h) => h.gridLabel === g.gridLabel).flatMap((h) => h.runs), curvesByRun));
  }

  const rows = groups.map((group): LeaderboardRow => {
    const ok = group.runs.filter((r) => r.status === "ok");
    const scores = new Map<number, number>();
    const divergedEpochs = new Map<number, number>();
    for (const r of group.runs) {
      if (r.status === "ok") {
        const v = r[primary];
        if (Number.isFinite(v)) scores.set(r.seed, v);
      } else if (r.status === "diverged") {
        scores.set(r.seed, worstAt.get(group.gridLabel) ?? NaN);
        divergedEpochs.set(r.seed, r.diverged_epoch);
      }
    }
    const scoreList = [...scores.values()].filter(Number.isFinite);
    const curveOf = (r: RunRow): CurveRow[] => curvesByRun.get(r.run_id) ?? [];
    const layersOf = (r: RunRow): LayerRow[] => layersByRun.get(r.run_id) ?? [];
    const row: LeaderboardRow = {
      group,
      runs: group.runs.length,
      planned: group.runs.length + group.pending,
      ok: ok.length,
      diverged: group.runs.filter((r) => r.status === "diverged").length,
      failed: group.runs.filter((r) => r.status === "failed").length,
      ...(primary.includes("test") ? { test: summarize(ok.map((r) => r[primary]), higherIsBetter(primary) ? UNIT : NON_NEGATIVE) } : {}),
      finalValAcc: summarize(ok.map((r) => r.val_acc), UNIT),
      bestValAcc: summarize(ok.map((r) => r.best_val_acc), UNIT),
      finalValLoss: summarize(ok.map((r) => r.val_loss), NON_NEGATIVE),
      bestValLoss: summarize(ok.map((r) => {
        const v = curveOf(r).map((c) => c.val_loss).filter(Number.isFinite);
        return v.length ? Math.min(...v) : NaN;
      }), NON_NEGATIVE),
      deadFracEnd: summarize(ok.map((r) => deadFracAtEnd(layersOf(r))), UNIT),
      saturatedFracEnd: summarize(ok.map((r) => {
        const end = lastEpoch(layersOf(r)).filter((l) => Number.isFinite(l.saturated_frac) && Number.isFinite(l.units));
        const units = end.reduce((s, l) => s + l.units, 0);
        return units > 0 ? end.reduce((s, l) => s + l.saturated_frac * l.units, 0) / units : NaN;
      }), UNIT),
      gradAttenuation0: geometricMean(ok.map((r) => gradRatioAtInit(layersOf(r), gradMeasure))),
      gradAttenuationEnd: geometricMean(ok.map((r) => {
        const rows = layersOf(r);
        return rows.length ? attenuation(lastEpoch(rows), gradMeasure) : NaN;
      })),
      wallMsPerEpoch: medianOrNaN(ok.flatMap((r) => curveOf(r).filter((c) => c.epoch >= 1).map((c) => c.wall_ms))),
      scores,
      scoreMean: scoreList.length ? scoreList.reduce((a, b) => a + b, 0) / scoreList.length : NaN,
      divergedEpochs,
      costNs: opts.cost?.get(group.activation),
    };
    if (opts.target !== undefined) {
      const target = opts.target;
      const e = ok.map((r) => epochsToTarget(curveOf(r), task, target));
      row.epochsToTarget = { ...summarize(e), reached: e.filter(Number.isFinite).length };
    }
    return row;
  });

  // Grid points in plan order (ranking across datasets or model sizes means
  // nothing); within one, by the mean score (a diverged run counting as the
  // worst value); groups with no score (every run failed) last, in plan order.
  const metric = (r: LeaderboardRow): number => r.scoreMean;
  const order = new Map(rows.map((r, i) => [r, i]));
  const gridOrder = new Map([...new Set(groups.map((g) => g.gridLabel))].map((l, i) => [l, i]));
  rows.sort((a, b) => {
    const ga = gridOrder.get(a.group.gridLabel) ?? 0, gb = gridOrder.get(b.group.gridLabel) ?? 0;
    if (ga !== gb) return ga - gb;
    const ma = metric(a), mb = metric(b);
    const fa = Number.isFinite(ma), fb = Number.isFinite(mb);
    if (fa !== fb) return fa ? -1 : 1;
    if (fa && ma !== mb) return higherIsBetter(primary) ? mb - ma : ma - mb;
    return (order.get(a) ?? 0) - (order.get(b) ?? 0);
  });

  const activationOrder = [...new Set([...results.runs.map((r) => r.activation), ...groups.map((g) => g.activation)])];
  for (const s of results.activationSamples) if (!activationOrder.includes(s.activation)) activationOrder.push(s.activation);
  const gridLabels = [...new Set(groups.map((g) => g.gridLabel))];
  const labelKeys = labelGridKeys(results);
  const shortLabels = new Map(groups.map((g) => [g.gridLabel, g.gridLabel && shortGridLabel(g.grid, labelKeys)]));
  return { task, primary, target: opts.target, rows, activationOrder, gridLabels, shortLabels, gradMeasure };
}
