/**
 * The plan: activations x seeds x grid points -> one RunSpec per training run.
 * Order: grid point, then activation, then seed; this is the row order of
 * every output file. Each run's id hashes exactly what determines its numbers
 * (engine, dataset spec and the data's contents, run config, the custom
 * module's source), so it is the same across re-runs and machines, a resumed
 * sweep recognises its runs, and a run on edited data is another run.
 */
import type { DatasetSpec } from "../data/spec.js";
import { UserError } from "../errors.js";
import type { EngineName } from "../nn/names.js";
import type { RunConfig } from "../nn/types.js";
import type { Experiment } from "./config.js";
import type { ModuleRef } from "./custom-activation.js";
import { canonicalJson, shortHash } from "./hash.js";

/** One training run, as plain JSON: it crosses to a worker thread. */
export interface RunSpec {
  /** 12 hex digits of the sha256 of the run's canonical config. */
  runId: string;
  /** Position in the plan (row order of the output files). */
  index: number;
  /** Activation label ("leaky_relu(alpha=0.2)"). */
  activation: string;
  seed: number;
  /** Dotted grid key -> value at this run's grid point. */
  grid: Record<string, unknown>;
  engine: EngineName;
  dataset: DatasetSpec;
  config: RunConfig;
  /** The user's module the activation comes from, which the worker imports. */
  module?: ModuleRef;
  /** Seconds the run may take (train.timeout) before it is stopped and recorded as failed; not part of the run id. */
  timeout?: number;
  /** Folder relative dataset paths resolve against (not part of the run id: it differs across machines). */
  baseDir: string;
}

/** What names a run on every row of the output files (and all a merge knows of a run it has no file for). */
export type RunKey = Pick<RunSpec, "runId" | "activation" | "seed" | "grid">;

/**
 * What the run id hashes: everything that determines the run's numbers,
 * nothing that depends on the machine. `data` is the sha256 of the loaded
 * dataset (data/fingerprint.ts).
 */
export function runIdentity(run: Pick<RunSpec, "engine" | "dataset" | "config" | "module">, data?: string): unknown {
  return {
    engine: run.engine,
    dataset: run.dataset,
    data,
    config: run.config,
    module: run.module && { name: run.module.name, sha256: run.module.sha256 },
  };
}

/**
 * The plan. `dataSha256` gives the fingerprint of a grid point's dataset;
 * without it (counting, costing, before the data is loaded) the ids cover the
 * config alone. Every id a results folder holds covers the data
 * (sweep.ts planSweep).
 */
export function planRuns(exp: Experiment, dataSha256?: (dataset: DatasetSpec) => string): RunSpec[] {
  const runs: RunSpec[] = [];
  const seen = new Map<string, RunSpec>();
  for (const point of exp.points) {
    for (const act of exp.activations) {
      for (const seed of exp.seeds) {
        const config: RunConfig = {
          seed,
          activation: act.spec,
          model: point.model,
          train: point.train,
          record: point.record,
        };
        const partial = { engine: point.engine, dataset: point.dataset, config, module: act.module };
        const runId = shortHash(runIdentity(partial, dataSha256?.(point.dataset)));
        const run: RunSpec = {
          runId,
          index: runs.length,
          activation: act.label,
          seed,
          grid: point.values,
          ...partial,
          baseDir: exp.baseDir,
          timeout: point.timeout,
        };
        const twin = seen.get(runId);
        if (twin)
          throw new UserError(
            `${exp.file}: grid points ${canonicalJson(twin.grid)} and ${canonicalJson(run.grid)} give identical runs (a grid value is repeated or equals the default twice); remove the duplicate`,
          );
        seen.set(runId, run);
        runs.push(run);
      }
    }
  }
  return runs;
}
