/**
 * The sizes a sweep may have, refused up front (exit 2, naming the field and
 * the limit) instead of hanging or exhausting memory part-way: seeds and runs
 * per sweep, the memory one network needs against what the machine has, and
 * the time a run or a user's activation module may take.
 * A sweep beyond these would not finish on one machine anyway; shard it, or
 * split the config.
 */
import { totalmem } from "node:os";
import { UserError } from "../errors.js";

/** Most seeds in one sweep (`seeds: n` or a list). */
export const MAX_SEEDS = 10_000;

/** Seconds one run may take by default (train.timeout): long enough for any sweep this tool runs on one machine. */
export const DEFAULT_TIMEOUT_S = 3600;

/**
 * Seconds a user's activation module may take to be imported and checked
 * (harness/module-check.ts): far more than importing a small module and a few
 * thousand evaluations of f need; a module past it loops. The environment
 * variable ACTBENCH_MODULE_TIMEOUT (seconds) sets another.
 */
export function moduleCheckTimeout(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.ACTBENCH_MODULE_TIMEOUT;
  if (given === undefined || given === "") return 30;
  const s = Number(given);
  if (!(s > 0) || !Number.isFinite(s)) throw new UserError(`ACTBENCH_MODULE_TIMEOUT: found ${JSON.stringify(given)}, expected a number of seconds > 0`);
  return s;
}

/** Most runs (activations x seeds x grid points) in one sweep. */
export const MAX_RUNS = 100_000;

/** Bytes a WebAssembly memory can address (32-bit wasm): the native engine's weights and batches live there. */
const WASM_MEMORY = 4 * 1024 ** 3;

/**
 * Estimated bytes one network of these layer sizes needs while training:
 * weights, gradients and float64 optimizer state (4 + 4 + 16 bytes per
 * parameter), and the rows in flight (a batch, or the probe set) through
 * every layer's pre-activation, activation and gradient (float32). An
 * estimate, to refuse the impossible up front, not a promise.
 */
export function networkBytes(sizes: readonly number[], rowsInFlight: number): number {
  let params = 0;
  let units = 0;
  for (let k = 1; k < sizes.length; k++) {
    params += sizes[k - 1] * sizes[k] + sizes[k];
    units += sizes[k];
  }
  return params * 24 + rowsInFlight * (sizes[0] + 3 * units) * 4;
}

/** The most one network may need: half the machine's memory, and what wasm can address. */
export function networkLimit(): number {
  return Math.min(totalmem() / 2, WASM_MEMORY);
}

/** Bytes as "1.2 GB". */
export function formatBytes(n: number): string {
  const units = ["B", "kB", "MB", "GB", "TB", "PB"];
  let u = 0;
  while (n >= 1000 && u < units.length - 1) (n /= 1000), u++;
  return `${n.toPrecision(3)} ${units[u]}`;
}
