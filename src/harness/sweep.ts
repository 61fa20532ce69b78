/**
 * One sweep, start to end: plan the runs, check the data loads, open the
 * output folder (resuming what an earlier sweep finished), run the rest on
 * the pool, commit each outcome as it arrives, rebuild the tables.
 */
import { join } from "node:path";
import { benchActivations } from "../activations/index.js";
import { loadDatasetCached, shareDataset, type Dataset } from "../data/index.js";
import { datasetSha256 } from "../data/fingerprint.js";
import { UserError } from "../errors.js";
import { formatBytes, networkBytes, networkLimit } from "./limits.js";
import { canonicalJson } from "./hash.js";
import { longestFirst, runCost } from "./cost.js";
import type { Experiment } from "./config.js";
import { defaultWorkers, startPool } from "./pool.js";
import { planRuns, type RunSpec } from "./plan.js";
import { createProgress, type Progress, type ProgressPlan } from "./progress.js";
import { partition, shardDirName, type Shard } from "./shard.js";
import { varyingColumns } from "./grid-cells.js";
import { ResultStore } from "./store.js";

export interface SweepOptions {
  /** Output folder (default results/<name>, or results/<name>/shard-<i>-of-<n> for a shard). */
  out?: string;
  /** Run only this shard of the plan (shard.ts), into a folder of its own. */
  shard?: Shard;
  workers?: number;
  overwrite?: boolean;
  /** Abort to stop cleanly: finished runs are kept, the rest stay resumable. */
  signal?: AbortSignal;
  /** Progress display (default: bar on a terminal, lines otherwise, on stdout). */
  progress?: (plan: ProgressPlan) => Progress;
  /** Worker module override (tests). */
  workerUrl?: URL;
}

export interface SweepSummary {
  dir: string;
  total: number;
  /** Runs an earlier sweep had finished. */
  skipped: number;
  ok: number;
  diverged: number;
  failed: number;
  /** Runs not done because the sweep was stopped. */
  pending: number;
  /** The failed runs with their messages. */
  failures: Array<{ run_id: string; activation: string; seed: number; message: string }>;
  interrupted: boolean;
}

/** Default output folder of an experiment, or of one of its shards (inside the sweep's folder). */
export function defaultOutDir(exp: Experiment, shard?: Shard): string {
  return shard ? join("results", exp.name, shardDirName(shard)) : join("results", exp.name);
}

/** Runs with the same dataset spec and folder share one loaded dataset. */
function datasetKey(run: RunSpec): string {
  return canonicalJson([run.dataset, run.baseDir]);
}

/** A loaded dataset of the sweep, with its fingerprint. */
export interface SweepDataset {
  /** The config's dataset section. */
  spec: RunSpec["dataset"];
  data: Dataset;
  /** sha256 of the loaded data (data/fingerprint.ts), taken before `prepare`. */
  sha256: string;
}

/** Loads each distinct dataset of the runs once, fingerprinted, keyed by datasetKey. */
async function loadDatasets(runs: readonly RunSpec[], prepare: (d: Dataset) => Dataset): Promise<Map<string, SweepDataset>> {
  const loaded = new Map<string, SweepDataset>();
  for (const run of runs) {
    const key = datasetKey(run);
    if (loaded.has(key)) continue;
    const data = loadDatasetCached(run.dataset, { baseDir: run.baseDir });
    loaded.set(key, { spec: run.dataset, sha256: datasetSha256(data), data: prepare(data) });
  }
  return loaded;
}

/**
 * Loads each distinct dataset once in this thread, so that a data mistake
 * (missing file, bad column) is a UserError before anything is written.
 * Returns each run's dataset, passed once through `prepare` (a sweep puts it
 * in shared memory for the workers: data/share.ts).
 */
export async function checkDatasets(runs: readonly RunSpec[], prepare: (d: Dataset) => Dataset = (d) => d): Promise<(run: RunSpec) => Dataset> {
  const loaded = await loadDatasets(runs, prepare);
  return (run) => loaded.get(datasetKey(run))!.data;
}

/**
 * The plan a results folder holds: every dataset loaded (and checked) once,
 * and run ids that cover the data's contents, so edited data makes other
 * runs. `datasets` is what the manifest records.
 */
export async function planSweep(
  exp: Experiment,
  prepare: (d: Dataset) => Dataset = (d) => d,
): Promise<{ runs: RunSpec[]; datasetOf: (run: RunSpec) => Dataset; datasets: SweepDataset[] }> {
  const loaded = await loadDatasets(planRuns(exp), prepare);
  const runs = planRuns(exp, (spec) => loaded.get(canonicalJson([spec, exp.baseDir]))!.sha256);
  for (const run of runs) checkNetworkSize(exp, run, loaded.get(datasetKey(run))!.data);
  return { runs, datasetOf: (run) => loaded.get(datasetKey(run))!.data, datasets: [...loaded.values()] };
}

/** Refuses a network that could not be trained here (hidden: [1e8] failed each run after 37 s with "offset is out of bounds"). */
function checkNetworkSize(exp: Experiment, run: RunSpec, data: Dataset): void {
  const sizes = [data.features, ...run.config.model.hidden, data.outputs];
  const bytes = networkBytes(sizes, Math.max(run.config.train.batchSize, run.config.record.probeSize ?? 0));
  const limit = networkLimit();
  if (bytes > limit)
    throw new UserError(
      `${exp.file}: model.hidden ${JSON.stringify(run.config.model.hidden)}${Object.keys(run.grid).length ? ` (grid point ${canonicalJson(run.grid)})` : ""}: a ${sizes.join("-")} network needs about ${formatBytes(bytes)} to train, more than the ${formatBytes(limit)} one network may use here (half the machine's memory, at most the 4 GiB WebAssembly addresses); use narrower layers`,
    );
}

export async function runSweep(exp: Experiment, opts: SweepOptions = {}): Promise<SweepSummary> {
  const planned = exp.points.length * exp.activations.length * exp.seeds.length;
  // The workers boot while this thread loads the data.
  const workers = Math.min(opts.workers ?? defaultWorkers(), planned);
  const pool = startPool({ workers, workerUrl: opts.workerUrl });
  try {
    // Every dataset of the plan is loaded, a shard's or not: the partition weighs all runs by their data's size.
    const { runs: plan, datasetOf, datasets } = await planSweep(exp, shareDataset);
    const shard = opts.shard;
    const parts = shard && partition(plan, shard.count, datasetOf);
    const runs = parts ? parts[shard.index].runs : plan;
    const dir = opts.out ?? defaultOutDir(exp, shard);
    const store = ResultStore.open(dir, exp, runs, { overwrite: opts.overwrite, shard: parts && { shard, parts }, datasets });
    try {
      const todo = longestFirst(
        runs.filter((r) => !store.isDone(r.runId)),
        datasetOf,
      );
      const skipped = runs.length - todo.length;
      const progress = (opts.progress ?? createProgress)({
        total: runs.length,
        skipped,
        todo,
        workers,
        cost: (run) => runCost(run, datasetOf(run)),
        gridKeys: varyingColumns(exp.points.map((p) => p.values)),
      });
      // A commit that fails (a full disk, a folder made read-only) stops the sweep: no more runs are handed out.
      const stop = new AbortController();
      let writeError: unknown;
      try {
        await pool.run(todo, {
          signal: opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal,
          datasetOf,
          onStart: (run) => progress.start(run),
          onDone: (run, outcome) => {
            try {
              store.commit(run, outcome);
            } catch (err) {
              writeError ??= err;
              stop.abort();
              return;
            }
            progress.done(run, outcome);
          },
        });
      } finally {
        progress.stop();
      }
      const interrupted = opts.signal?.aborted ?? false;
      try {
        if (writeError) throw writeError;
        const counts = store.finish(interrupted ? "interrupted" : "complete", {
          activation_cost: interrupted ? undefined : activationCost(exp),
        });
        return { dir, total: runs.length, skipped, interrupted, ...counts };
      } catch (err) {
        // Never a manifest left saying "running": it says the sweep was interrupted, and why.
        store.abandon(err);
        if (err instanceof UserError) throw new UserError(`${err.message}; the sweep stopped: the runs it finished are kept, run the same command again to resume once that is fixed`);
        throw err;
      }
    } finally {
      store.close();
    }
  } finally {
    await pool.close();
  }
}

/**
 * Compute cost of each built-in activation used (ns per element), for the
 * report's cost column. A short measurement (timing: it varies by machine and
 * lives only in the manifest, never in the CSVs).
 */
function activationCost(exp: Experiment): Record<string, { f_ns: number; df_ns: number }> {
  const out: Record<string, { f_ns: number; df_ns: number }> = {};
  // Registry entries only: a mixture or a per-layer network has no single registry function to time, and a
  // user's module never runs in this thread after the checks (an endless loop outside [-5, 5], which a run's
  // train.timeout stops in its worker, would hang the sweep's end here).
  const builtin = exp.activations.filter((a) => !a.module);
  const names = [...new Set(builtin.flatMap((a) => (typeof a.spec === "string" ? [a.spec] : "name" in a.spec ? [a.spec.name as string] : [])))];
  try {
    for (const c of benchActivations(names, { n: 1 << 16, passes: 3 })) out[c.name] = { f_ns: c.f_ns, df_ns: c.df_ns };
  } catch {
    // A cost is a nicety; never fail a finished sweep over it.
  }
  return out;
}
