/**
 * The cost model: an estimate of a run's work, used wherever runs are
 * weighed against each other (the order a sweep hands runs to its workers,
 * the partition of a sweep into shards). Multiply-adds of one forward pass
 * per row, times the rows (train and validation), times the epochs; the
 * brain.js engine, one sample at a time in plain JavaScript, counts 10x. The
 * figure is an integer product of config and dataset sizes, so it is the same
 * on every machine (no timing, no floating-point rounding below 2^53).
 */
import type { Dataset } from "../data/index.js";
import type { RunSpec } from "./plan.js";

/** Estimated work of a run (multiply-adds x rows x epochs, brain.js 10x). */
export function runCost(run: RunSpec, data: Dataset): number {
  const sizes = [data.features, ...run.config.model.hidden, data.outputs];
  let macs = 0;
  for (let k = 1; k < sizes.length; k++) macs += sizes[k - 1] * sizes[k];
  return macs * (data.train.n + (data.val?.n ?? 0)) * run.config.train.epochs * (run.engine === "brainjs" ? 10 : 1);
}

/**
 * Runs sorted by cost, largest first, ties in plan order: a total order, so
 * the result does not depend on the sort algorithm or the input's order.
 */
export function longestFirst(runs: readonly RunSpec[], datasetOf: (run: RunSpec) => Dataset): RunSpec[] {
  const costs = new Map(runs.map((r) => [r.runId, runCost(r, datasetOf(r))]));
  return [...runs].sort((a, b) => costs.get(b.runId)! - costs.get(a.runId)! || a.index - b.index);
}
