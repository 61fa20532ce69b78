/**
 * The cost model: an estimate of a run's work, used wherever runs are
 * weighed against each other (the order a sweep hands runs to its workers,
 * the partition of a sweep into shards, the progress ETA, `validate`'s
 * estimate). Multiply-adds of one forward pass per row, times the rows
 * (train and validation), times the epochs;
 * the brain.js engine, one sample at a time in plain JavaScript, counts 10x.
 * The figure is an integer product of config and dataset sizes, so it is the
 * same on every machine (no timing, no floating-point rounding below 2^53).
 * `CostClock` turns it into seconds from runs timed on this machine, and
 * `finishTime` plays the schedule forward over the workers.
 */
import type { Dataset } from "../data/index.js";
import type { RunSpec } from "./plan.js";

/** Estimated work of a run (multiply-adds x rows x epochs, brain.js 10x). */
export function runCost(run: Pick<RunSpec, "config" | "engine">, data: Pick<Dataset, "features" | "outputs" | "train" | "val">): number {
  const sizes = [data.features, ...run.config.model.hidden, data.outputs];
  let macs = 0;
  for (let k = 1; k < sizes.length; k++) macs += sizes[k - 1] * sizes[k];
  return macs * (data.train.n + (data.val?.n ?? 0)) * run.config.train.epochs * (run.engine === "brainjs" ? 10 : 1);
}

/**
 * Runs sorted by cost, largest first, ties in plan order: a total order, so
 * the result does not depend on the sort algorithm or the input's order. A
 * sweep whose long runs (deep nets, more epochs) came last would end with one
 * worker busy and the others idle; outputs do not depend on it.
 */
export function longestFirst(runs: readonly RunSpec[], datasetOf: (run: RunSpec) => Dataset): RunSpec[] {
  const costs = new Map(runs.map((r) => [r.runId, runCost(r, datasetOf(r))]));
  return [...runs].sort((a, b) => costs.get(b.runId)! - costs.get(a.runId)! || a.index - b.index);
}

/**
 * Seconds per unit of cost, learnt from timed runs. Runs of one shape (equal
 * cost: same network, rows, epochs and engine) take about equally long, so a
 * run whose shape has been timed is predicted by the median of their times;
 * any other by the median seconds per unit of cost over all timed runs.
 * Medians, because each worker's first run is slow (it compiles the code it
 * runs), and a mean would carry that for the rest of the sweep.
 */
export class CostClock {
  private readonly byCost = new Map<number, number[]>();
  private readonly ratios: number[] = [];

  /** Records that a run of this cost took this many seconds. */
  observe(cost: number, seconds: number): void {
    if (!(seconds >= 0) || !(cost > 0)) return;
    const shape = this.byCost.get(cost) ?? [];
    shape.push(seconds);
    this.byCost.set(cost, shape);
    this.ratios.push(seconds / cost);
  }

  /** True once any run has been timed (before that there is nothing to predict from). */
  get calibrated(): boolean {
    return this.ratios.length > 0;
  }

  /** Predicted seconds of a run of this cost; NaN before any run was timed. */
  predict(cost: number): number {
    const shape = this.byCost.get(cost);
    if (shape) return median(shape);
    return this.ratios.length > 0 ? cost * median(this.ratios) : NaN;
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Seconds until the last run ends when `workers` lanes take runs in the given
 * order, each lane taking the next run as soon as it is free (as the pool
 * does). `busy` holds the seconds each run in flight still needs (at most
 * `workers` entries; the other lanes are free now).
 */
export function finishTime(workers: number, busy: readonly number[], pending: readonly number[]): number {
  const lanes = Array.from({ length: Math.max(1, workers) }, (_, i) => Math.max(0, busy[i] ?? 0));
  for (const seconds of pending) {
    let free = 0;
    for (let i = 1; i < lanes.length; i++) if (lanes[i] < lanes[free]) free = i;
    lanes[free] += seconds;
  }
  return Math.max(...lanes);
}

/** 45s, 3m07s, 2h05m: a duration as the progress line and `validate` print it. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}
