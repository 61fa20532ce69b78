/** What a worker returns for a run (the engine's result or its error), as the store commits it. */
import type { EpochRecord, PathInfo } from "../nn/types.js";
import type { TestFigures } from "../results/schema.js";

/** What a worker returns for one run: the engine's result, or the error it threw. */
export interface RunOutcome {
  runId: string;
  /** ok and diverged are results; failed means the run threw (message says why). */
  status: "ok" | "diverged" | "failed";
  divergedEpoch?: number;
  message?: string;
  /** Record points in epoch order (empty when failed). */
  records: EpochRecord[];
  /** brain.js-layout model JSON by snapshot name. */
  models: Partial<Record<"init" | "final", unknown>>;
  /** The compute path that ran, as the worker saw it (absent when the run failed before training). */
  compute?: PathInfo;
  /** Test-split figures (runs.csv's test_* columns), when the dataset has a test split. */
  test?: TestFigures;
  /** Wall time of the whole run in the worker, seconds (timing column). */
  wall_s: number;
}

/** A failed outcome from anything thrown. */
export function failedOutcome(runId: string, err: unknown, wall_s: number): RunOutcome {
  const message = err instanceof Error ? `${err.name === "Error" ? "" : `${err.name}: `}${err.message}` : String(err);
  return { runId, status: "failed", message: message.split("\n")[0], records: [], models: {}, wall_s };
}
