/**
 * The leaderboard: one row per activation and grid point, statistics over
 * seeds. Accuracy and loss statistics use the runs that finished (status ok);
 * diverged and failed runs are counted in their own columns, because a
 * diverged run has no meaningful final accuracy to average.
 */
import type { Results, RunRow, LayerRow, CurveRow } from "./results.js";
import { summarize, geometricMean, type Summary } from "./stats.js";
import { gridValueText } from "./config-text.js";

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
}

/** Which way the primary metric is better. */
export type Task = "classification" | "regression";

export interface LeaderboardRow {
  group: Group;
  /** Seeds planned (runs in the group, any status). */
  runs: number;
  ok: number;
  diverged: number;
  failed: number;
  finalValAcc: Summary;
  bestValAcc: Summary;
  finalValLoss: Summary;
  /** Lowest validation loss over the recorded epochs of each run. */
  bestValLoss: Summary;
  /** First epoch at which the target was met, over runs that met it. */
  epochsToTarget?: Summary & { reached: number };
  /** Fraction of hidden units dead at the last recorded epoch (all hidden layers pooled). */
  deadFracEnd: Summary;
  /** grad_norm of layer 1 / grad_norm of the last layer, geometric mean over seeds. */
  gradAttenuation0: number;
  gradAttenuationEnd: number;
  /** Milliseconds of wall time per epoch. */
  wallMsPerEpoch: Summary;
  /** Compute cost of f + f' per element (ns), when known. */
  costNs?: number;
}

export interface Leaderboard {
  task: Task;
  /**
   * "val_acc" or "val_loss": what the rows are sorted by (final value, mean
   * over seeds), within each grid point; grid points stay in plan order.
   */
  primary: "val_acc" | "val_loss";
  target?: number;
  rows: LeaderboardRow[];
  /** Activation labels in first-appearance order: fixes colors across charts. */
  activationOrder: string[];
  /** Distinct grid points in first-appearance order. */
  gridLabels: string[];
}

export function gridLabelOf(run: RunRow, gridKeys: readonly string[]): string {
  return gridKeys.map((k) => `${k}=${gridValueText(run.grid[k] ?? "")}`).join(", ");
}

/** Groups runs by activation and grid point, in first-appearance order. */
export function groupRuns(results: Results): Group[] {
  const gridLabels = new Set(results.runs.map((r) => gridLabelOf(r, results.gridKeys)));
  const manyGridPoints = gridLabels.size > 1;
  const groups = new Map<string, Group>();
  for (const run of results.runs) {
    const gridLabel = gridLabelOf(run, results.gridKeys);
    const key = manyGridPoints ? `${run.activation} | ${gridLabel}` : run.activation;
    let g = groups.get(key);
    if (!g) {
      g = { key, activation: run.activation, grid: run.grid, gridLabel: manyGridPoints ? gridLabel : "", runs: [] };
      groups.set(key, g);
    }
    g.runs.push(run);
  }
  return [...groups.values()];
}

/** The task: classification when any run reports a validation accuracy. */
export function taskOf(results: Results): Task {
  const anyAcc = results.runs.some((r) => Number.isFinite(r.val_acc)) ||
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
  const e = Math.max(...rows.map((r) => r.epoch));
  return rows.filter((r) => r.epoch === e);
}

/** grad_norm(layer 1) / grad_norm(last layer) at one epoch of one run. */
function attenuation(rows: readonly LayerRow[]): number {
  if (rows.length < 2) return NaN;
  const sorted = [...rows].sort((a, b) => a.layer - b.layer);
  return sorted[0].grad_norm / sorted[sorted.length - 1].grad_norm;
}

function epochsToTarget(curve: readonly CurveRow[], task: Task, target: number): number {
  const sorted = [...curve].sort((a, b) => a.epoch - b.epoch);
  const hit = sorted.find((c) => (task === "classification" ? c.val_acc >= target : c.val_loss <= target));
  return hit ? hit.epoch : NaN;
}

/** Range of fractions, for clipping their confidence intervals. */
const UNIT = [0, 1] as const;

export interface LeaderboardOptions {
  /** Validation accuracy (classification) or loss (regression) to reach. */
  target?: number;
  /** ns per element of f + f', by activation label. */
  cost?: ReadonlyMap<string, number>;
}

export function buildLeaderboard(results: Results, opts: LeaderboardOptions = {}): Leaderboard {
  const task = taskOf(results);
  const primary = task === "classification" ? "val_acc" : "val_loss";
  const curvesByRun = byRun(results.curves);
  const layersByRun = byRun(results.layers);
  const groups = groupRuns(results);

  const rows = groups.map((group): LeaderboardRow => {
    const ok = group.runs.filter((r) => r.status === "ok");
    const curveOf = (r: RunRow): CurveRow[] => curvesByRun.get(r.run_id) ?? [];
    const layersOf = (r: RunRow): LayerRow[] => layersByRun.get(r.run_id) ?? [];
    const row: LeaderboardRow = {
      group,
      runs: group.runs.length,
      ok: ok.length,
      diverged: group.runs.filter((r) => r.status === "diverged").length,
      failed: group.runs.filter((r) => r.status === "failed").length,
      finalValAcc: summarize(ok.map((r) => r.val_acc), UNIT),
      bestValAcc: summarize(ok.map((r) => r.best_val_acc), UNIT),
      finalValLoss: summarize(ok.map((r) => r.val_loss)),
      bestValLoss: summarize(ok.map((r) => {
        const v = curveOf(r).map((c) => c.val_loss).filter(Number.isFinite);
        return v.length ? Math.min(...v) : NaN;
      })),
      deadFracEnd: summarize(ok.map((r) => {
        const end = lastEpoch(layersOf(r)).filter((l) => Number.isFinite(l.dead_units) && Number.isFinite(l.units));
        const units = end.reduce((s, l) => s + l.units, 0);
        return units > 0 ? end.reduce((s, l) => s + l.dead_units, 0) / units : NaN;
      }), UNIT),
      gradAttenuation0: geometricMean(ok.map((r) => attenuation(layersOf(r).filter((l) => l.epoch === 0)))),
      gradAttenuationEnd: geometricMean(ok.map((r) => {
        const rows = layersOf(r);
        return rows.length ? attenuation(lastEpoch(rows)) : NaN;
      })),
      wallMsPerEpoch: summarize(ok.map((r) => {
        const epochs = Math.max(0, ...curveOf(r).map((c) => c.epoch));
        return epochs > 0 ? (1000 * r.wall_s) / epochs : NaN;
      })),
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
  // nothing); within one, by the primary metric's mean; groups with no
  // finished run last, in plan order.
  const metric = (r: LeaderboardRow): number =>
    primary === "val_acc" ? r.finalValAcc.mean : r.finalValLoss.mean;
  const order = new Map(rows.map((r, i) => [r, i]));
  const gridOrder = new Map([...new Set(groups.map((g) => g.gridLabel))].map((l, i) => [l, i]));
  rows.sort((a, b) => {
    const ga = gridOrder.get(a.group.gridLabel) ?? 0, gb = gridOrder.get(b.group.gridLabel) ?? 0;
    if (ga !== gb) return ga - gb;
    const ma = metric(a), mb = metric(b);
    const fa = Number.isFinite(ma), fb = Number.isFinite(mb);
    if (fa !== fb) return fa ? -1 : 1;
    if (fa && ma !== mb) return primary === "val_acc" ? mb - ma : ma - mb;
    return (order.get(a) ?? 0) - (order.get(b) ?? 0);
  });

  const activationOrder = [...new Set(results.runs.map((r) => r.activation))];
  for (const s of results.activationSamples) if (!activationOrder.includes(s.activation)) activationOrder.push(s.activation);
  const gridLabels = [...new Set(groups.map((g) => g.gridLabel))];
  return { task, primary, target: opts.target, rows, activationOrder, gridLabels };
}
