/**
 * The harness's two dependencies at run time: an engine by name, and a run's
 * dataset. brain.js is imported only when a run asks for it, so that native
 * sweeps (and `validate`, `list`) never load it.
 */
import { loadDatasetCached, type Dataset } from "../data/index.js";
import { nativeEngine } from "../nn/index.js";
import type { Engine } from "../nn/types.js";
import type { RunSpec } from "./plan.js";

export async function engineFor(name: RunSpec["engine"]): Promise<Engine> {
  if (name === "brainjs") return (await import("../nn/brainjs/index.js")).brainjsEngine;
  return nativeEngine;
}

/** The run's dataset, from the per-thread cache (same spec and folder -> same object). */
export function loadRunDataset(run: Pick<RunSpec, "dataset" | "baseDir">): Dataset {
  return loadDatasetCached(run.dataset, { baseDir: run.baseDir });
}
