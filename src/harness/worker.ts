/**
 * The piscina worker: one task = one run. It takes the dataset the main
 * thread loaded (shared memory, no copy), or loads it itself (cached per
 * worker thread) when none came with the task, imports the user's activation
 * module when the run has one, trains with the engine, and returns plain
 * rows. It never touches the output folder; a run that throws comes back as a
 * failed outcome so the sweep goes on.
 */
import { performance } from "node:perf_hooks";
import { registerModuleActivation } from "./custom-activation.js";
import { loadDatasetCached, type Dataset } from "../data/index.js";
import { engineFor } from "./engines.js";
import { failedOutcome, type RunOutcome } from "./outcome.js";
import type { RunSpec } from "./plan.js";
import { announceBoot } from "./boot.js";

// Every import above is loaded: the pool may now tear this thread down safely.
announceBoot();

/** What the pool posts to a worker: the run, and its dataset when the main thread has it. */
export interface RunTask {
  run: RunSpec;
  data?: Dataset;
}

export default async function runTask({ run, data: given }: RunTask): Promise<RunOutcome> {
  const t0 = performance.now();
  try {
    if (run.module) await registerModuleActivation(run.module);
    const data = given ?? loadDatasetCached(run.dataset, { baseDir: run.baseDir });
    const engine = await engineFor(run.engine);
    const result = engine.train(run.config, data);
    return {
      runId: run.runId,
      status: result.status,
      divergedEpoch: result.divergedEpoch,
      message: result.message,
      records: result.records,
      models: result.models,
      compute: result.compute,
      test: result.test,
      wall_s: (performance.now() - t0) / 1000,
    };
  } catch (err) {
    return failedOutcome(run.runId, err, (performance.now() - t0) / 1000);
  }
}
