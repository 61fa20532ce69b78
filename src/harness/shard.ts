/**
 * Shards: a sweep split into n parts that separate machines run (a SLURM job
 * array, a Kubernetes Indexed Job, a CI matrix) and `actbench merge` joins.
 * The partition is a pure function of the plan, the datasets' sizes and n:
 * every run in exactly one shard, the same on every machine and Node version
 * (integer costs, a total order, no randomness, no locale, no reliance on
 * object key order), and balanced by the cost model so that no shard is the
 * straggler. Also here: the `--shard i/n` syntax and `--shard auto`, which
 * reads the index and count from the scheduler's environment.
 */
import type { Dataset } from "../data/index.js";
import { UserError } from "../errors.js";
import { longestFirst, runCost } from "./cost.js";
import type { RunSpec } from "./plan.js";

/** Shard `index` (0-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** One shard of a partition: its runs in plan order and their total estimated cost. */
export interface ShardPart extends Shard {
  runs: RunSpec[];
  cost: number;
}

/**
 * Splits the plan into `count` shards by longest processing time first: runs
 * from the costliest down, each to the shard with the least cost so far
 * (ties: fewer runs, then the lower index). The largest shard exceeds the
 * mean by less than the costliest single run (Graham's bound for list
 * scheduling), and equal-cost runs are dealt round-robin.
 */
export function partition(runs: readonly RunSpec[], count: number, datasetOf: (run: RunSpec) => Dataset): ShardPart[] {
  checkCount(count, "shard count");
  const parts: ShardPart[] = Array.from({ length: count }, (_, index) => ({ index, count, runs: [], cost: 0 }));
  for (const run of longestFirst(runs, datasetOf)) {
    let pick = parts[0];
    for (const p of parts) if (p.cost < pick.cost || (p.cost === pick.cost && p.runs.length < pick.runs.length)) pick = p;
    pick.runs.push(run);
    pick.cost += runCost(run, datasetOf(run));
  }
  for (const p of parts) p.runs.sort((a, b) => a.index - b.index);
  return parts;
}

/** The folder name of a shard inside the sweep's folder: shard-<i>-of-<n>. */
export function shardDirName(shard: Shard): string {
  return `shard-${shard.index}-of-${shard.count}`;
}

export const formatShard = (s: Shard): string => `${s.index}/${s.count}`;

function checkCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${what}: found ${n}, expected a whole number >= 1`);
}

/** Reads `--shard i/n` (0-based). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count)
    throw new UserError(`--shard: found "${text}", expected i/n with 0 <= i < n (0-based: the 4 shards of a sweep are 0/4, 1/4, 2/4, 3/4), or auto`);
  return { index, count };
}

/** A shard and where it was found, for the line `--shard auto` prints. */
export interface DetectedShard {
  shard: Shard;
  /** "SLURM job array (SLURM_ARRAY_TASK_ID=2, ...)". */
  source: string;
}

/** The environment variable that gives a Kubernetes Indexed Job's completion count (its example sets it). */
export const SHARDS_ENV = "ACTBENCH_SHARDS";

/**
 * `--shard auto`: the shard from a SLURM job array or a Kubernetes Indexed
 * Job. SLURM gives the task id and the array's MIN, MAX, STEP and COUNT
 * (`--array=0-3` and `--array=1-4` both mean shards 0..3 of 4); Kubernetes
 * gives only JOB_COMPLETION_INDEX, so the count comes from `--shards N` or
 * ACTBENCH_SHARDS. `shards` (the --shards flag), when given, must agree with
 * the count the scheduler reports.
 */
export function detectShard(env: Readonly<Record<string, string | undefined>>, shards?: number): DetectedShard {
  if (shards !== undefined) checkCount(shards, "--shards");
  const int = (name: string): number | undefined => {
    const v = env[name];
    if (v === undefined || v.trim() === "") return undefined;
    if (!/^\s*\d+\s*$/.test(v)) throw new UserError(`--shard auto: ${name}="${v}" in the environment, expected a whole number >= 0`);
    return Number(v);
  };
  const agree = (found: Shard, source: string): DetectedShard => {
    if (shards !== undefined && shards !== found.count)
      throw new UserError(`--shard auto: ${source} gives ${found.count} shards but --shards says ${shards}; make them agree (or drop --shards)`);
    if (found.index >= found.count) throw new UserError(`--shard auto: ${source} gives shard index ${found.index}, not below the count ${found.count}`);
    return { shard: found, source };
  };

  const id = int("SLURM_ARRAY_TASK_ID");
  if (id !== undefined) {
    const min = int("SLURM_ARRAY_TASK_MIN");
    const max = int("SLURM_ARRAY_TASK_MAX");
    const step = int("SLURM_ARRAY_TASK_STEP") ?? 1;
    const count = int("SLURM_ARRAY_TASK_COUNT");
    const vars = [`SLURM_ARRAY_TASK_ID=${id}`, ...(["MIN", "MAX", "STEP", "COUNT"] as const).flatMap((k) => (env[`SLURM_ARRAY_TASK_${k}`] ? [`${k}=${env[`SLURM_ARRAY_TASK_${k}`]!.trim()}`] : []))];
    const source = `SLURM job array (${vars.join(", ")})`;
    if (min === undefined) {
      if (count === undefined) throw new UserError(`--shard auto: ${source}: neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MIN/MAX is set, so the number of shards is unknown; give --shard ${id}/N`);
      return agree({ index: id, count }, source);
    }
    if (step < 1 || (id - min) % step !== 0 || id < min)
      throw new UserError(`--shard auto: ${source} is not a range MIN-MAX[:STEP] containing the task id; submit with --array=0-<n-1>`);
    const index = (id - min) / step;
    const span = max === undefined ? undefined : Math.floor((max - min) / step) + 1;
    if (span !== undefined && count !== undefined && span !== count)
      throw new UserError(`--shard auto: ${source} is not one range (a list such as --array=1,3,7?); submit with --array=0-<n-1> so that task ids map to shards`);
    const n = count ?? span;
    if (n === undefined) throw new UserError(`--shard auto: ${source}: neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX is set, so the number of shards is unknown`);
    return agree({ index, count: n }, source);
  }

  const completion = int("JOB_COMPLETION_INDEX");
  if (completion !== undefined) {
    const fromEnv = int(SHARDS_ENV);
    const count = shards ?? fromEnv;
    const source = `Kubernetes Indexed Job (JOB_COMPLETION_INDEX=${completion}, ${shards !== undefined ? `--shards ${shards}` : `${SHARDS_ENV}=${fromEnv ?? "unset"}`})`;
    if (count === undefined)
      throw new UserError(`--shard auto: ${source}: the number of shards is unknown; pass --shards N or set ${SHARDS_ENV}=N (the Job's completions)`);
    if (shards !== undefined && fromEnv !== undefined && fromEnv !== shards)
      throw new UserError(`--shard auto: ${SHARDS_ENV}=${fromEnv} but --shards says ${shards}; make them agree`);
    checkCount(count, SHARDS_ENV);
    return agree({ index: completion, count }, source);
  }

  throw new UserError(
    "--shard auto: no shard in the environment: neither SLURM_ARRAY_TASK_ID (a SLURM job array) nor JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) is set; give --shard i/n",
  );
}

/**
 * The shard `actbench run` was asked for: `--shard i/n`, `--shard auto` (the
 * scheduler's environment; `--shards N` gives a Kubernetes count), or none.
 */
export function shardFromOptions(shard: string | undefined, shards: number | undefined, env: Readonly<Record<string, string | undefined>>): DetectedShard | undefined {
  if (shard === undefined) {
    if (shards !== undefined) throw new UserError("--shards: only with --shard auto (the count of a Kubernetes Indexed Job); give --shard auto or --shard i/n");
    return undefined;
  }
  if (shard.trim() === "auto") return detectShard(env, shards);
  const parsed = parseShard(shard);
  if (shards !== undefined && shards !== parsed.count) throw new UserError(`--shard ${shard} and --shards ${shards} disagree on the number of shards; give one of them`);
  return { shard: parsed, source: "--shard" };
}
