/**
 * How long a sweep will take on this machine, for `validate`: a short
 * calibration run of each network shape (one epoch on a slice of the rows,
 * in this thread), scaled up by the records' own timing columns (training
 * per row and epoch, evaluation per row and record point, probes per record
 * point), then the schedule played forward over the workers in the order the
 * pool takes the runs (harness/cost.ts). Shapes beyond the calibration budget
 * are predicted from the cost model at the calibrated shapes' seconds per unit
 * of cost. A shape whose runs all use the user's own activation module is
 * timed with relu instead: module code runs in the workers only.
 */
import { performance } from "node:perf_hooks";
import type { Dataset, Split } from "../data/index.js";
import type { EpochRecord, RunConfig } from "../nn/types.js";
import { canonicalJson } from "./hash.js";
import { finishTime, longestFirst, runCost } from "./cost.js";
import { engineFor } from "./engines.js";
import type { RunSpec } from "./plan.js";

/** Rows of the training split a calibration run trains on (fewer when the split is smaller). */
export const CALIBRATION_ROWS = 1000;
/** Distinct shapes calibrated at most; the rest go by the cost model. */
export const CALIBRATION_SHAPES = 8;

/** What a calibration run measured, per row, for one shape. */
export interface ShapeTiming {
  /** Training, seconds per training row and epoch. */
  trainPerRow: number;
  /** Evaluation passes, seconds per row (training + validation) and record point. */
  evalPerRow: number;
  /** Per-layer probe figures, seconds per record point (the probe set has a fixed size). */
  probePerPoint: number;
  /** The rest of the run (model set-up, snapshots), seconds. */
  fixed: number;
}

/** Record points of a run: epoch 0, every `every`-th epoch, and the last (as the training loop records). */
export function recordPoints(epochs: number, every: number): number {
  const e = Math.max(1, Math.floor(every));
  let n = 1;
  for (let epoch = 1; epoch <= epochs; epoch++) if (epoch % e === 0 || epoch === epochs) n++;
  return n;
}

/** Seconds a full run of this shape takes, from its calibration. */
export function predictSeconds(t: ShapeTiming, config: Pick<RunConfig, "train" | "record">, data: Pick<Dataset, "train" | "val">): number {
  const rows = data.train.n + (data.val?.n ?? 0);
  const points = recordPoints(config.train.epochs, config.record.every);
  return config.train.epochs * t.trainPerRow * data.train.n + points * (t.evalPerRow * rows + t.probePerPoint) + t.fixed;
}

/** The shape's timing from a calibration run's records (1 epoch) on `trainRows` + `valRows` rows and its wall time. */
export function shapeTiming(records: readonly EpochRecord[], trainRows: number, valRows: number, wallSeconds: number): ShapeTiming {
  const ms = (f: (r: EpochRecord) => number) => records.reduce((s, r) => s + (Number.isFinite(f(r)) ? f(r) : 0), 0) / 1000;
  const train = ms((r) => (r.epoch > 0 ? r.wall_ms : 0));
  const evals = ms((r) => r.eval_ms);
  const probes = ms((r) => r.probe_ms);
  const points = Math.max(1, records.length);
  const epochs = Math.max(1, records.filter((r) => r.epoch > 0).length);
  return {
    trainPerRow: train / epochs / Math.max(1, trainRows),
    evalPerRow: evals / points / Math.max(1, trainRows + valRows),
    probePerPoint: probes / points,
    fixed: Math.max(0, wallSeconds - train - evals - probes),
  };
}

function head(split: Split, rows: number, perRowY: number, features: number): Split {
  const n = Math.min(split.n, rows);
  return { n, x: split.x.subarray(0, n * features), y: split.y.subarray(0, n * perRowY) };
}

/** The first `rows` training rows (and a proportionate slice of validation), for a calibration run. */
function slice(d: Dataset, rows: number): Dataset {
  const perRowY = d.task === "classification" ? 1 : d.outputs;
  const trainRows = Math.min(d.train.n, rows);
  const valRows = d.val ? Math.max(1, Math.round((d.val.n * trainRows) / d.train.n)) : 0;
  return { ...d, train: head(d.train, trainRows, perRowY, d.features), val: d.val && head(d.val, valRows, perRowY, d.features), test: undefined };
}

/** What makes two runs take the same time per row: everything but the activation, the seed and the epoch count. */
function shapeKey(run: RunSpec): string {
  const { seed: _s, activation: _a, train, ...rest } = run.config;
  return canonicalJson({ engine: run.engine, dataset: run.dataset, baseDir: run.baseDir, rest, train: { ...train, epochs: 0 } });
}

export interface SweepEstimate {
  /** Seconds until the last run ends on `workers` workers. */
  seconds: number;
  workers: number;
  /** Shapes calibrated (each one short run) and shapes predicted from the cost model. */
  calibrated: number;
  predicted: number;
  /** Seconds the calibration took. */
  calibrationSeconds: number;
}

/** Times one short run of each shape (up to CALIBRATION_SHAPES), then predicts the sweep. */
export async function estimateSweep(runs: readonly RunSpec[], datasetOf: (run: RunSpec) => Dataset, workers: number): Promise<SweepEstimate> {
  const t0 = performance.now();
  const order = longestFirst(runs, datasetOf);
  const timings = new Map<string, ShapeTiming>();
  // The longest shapes are calibrated first: their errors weigh most. A run of
  // the registry's activations stands for its shape when there is one: the
  // user's module code runs in the sweep's workers, never in this thread.
  const shapes = new Map<string, RunSpec>();
  for (const run of order) {
    const key = shapeKey(run);
    const seen = shapes.get(key);
    if (!seen || (seen.module && !run.module)) shapes.set(key, run);
  }
  for (const [key, run] of [...shapes].slice(0, CALIBRATION_SHAPES)) {
    const builtin: RunSpec = run.module ? { ...run, module: undefined, config: { ...run.config, activation: "relu" } } : run;
    timings.set(key, await calibrate(builtin, datasetOf(run)));
  }
  const secondsPerCost: number[] = [];
  for (const run of order) {
    const t = timings.get(shapeKey(run));
    const cost = runCost(run, datasetOf(run));
    if (t && cost > 0) secondsPerCost.push(predictSeconds(t, run.config, datasetOf(run)) / cost);
  }
  secondsPerCost.sort((a, b) => a - b);
  const perCost = secondsPerCost[secondsPerCost.length >> 1] ?? 0;
  const seconds = order.map((run) => {
    const t = timings.get(shapeKey(run));
    return t ? predictSeconds(t, run.config, datasetOf(run)) : perCost * runCost(run, datasetOf(run));
  });
  return {
    seconds: finishTime(workers, [], seconds),
    workers,
    calibrated: timings.size,
    predicted: shapes.size - timings.size,
    calibrationSeconds: (performance.now() - t0) / 1000,
  };
}

/**
 * One epoch of the run on a slice of its rows, twice: the first pass warms up
 * the code (compilation would otherwise count as the shape's cost); the
 * second is measured.
 */
async function calibrate(run: RunSpec, data: Dataset): Promise<ShapeTiming> {
  const engine = await engineFor(run.engine);
  const small = slice(data, CALIBRATION_ROWS);
  const config: RunConfig = { ...run.config, train: { ...run.config.train, epochs: 1 }, record: { ...run.config.record, every: 1, models: [] } };
  engine.train(config, small);
  const t = performance.now();
  const result = engine.train(config, small);
  return shapeTiming(result.records, small.train.n, small.val?.n ?? 0, (performance.now() - t) / 1000);
}
