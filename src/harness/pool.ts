/**
 * Runs RunSpecs on a piscina pool of worker threads, at most `workers` at a
 * time (so "running" is exactly the runs in flight), and hands each outcome
 * to the caller in the main thread, which alone writes files. Results do not
 * depend on which worker ran what: every run is self-contained.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { Piscina } from "piscina";
import type { Dataset } from "../data/index.js";
import { bootedThread } from "./boot.js";
import { failedOutcome, type RunOutcome } from "./outcome.js";
import type { RunSpec } from "./plan.js";
import type { RunTask } from "./worker.js";

export interface PoolOptions {
  /** Worker threads (default: the number of cores). */
  workers?: number;
  /** Worker module (default: ./worker.js beside this file, or worker.ts when running from source). */
  workerUrl?: URL;
  /** Aborting stops handing out runs and cancels the ones in flight (their outcomes are dropped). */
  signal?: AbortSignal;
  /** The run's dataset, already loaded (in shared memory); without it each worker loads its own. */
  datasetOf?(run: RunSpec): Dataset;
  onStart?(run: RunSpec): void;
  /** Called in completion order; may be async (the store commits the run here). */
  onDone(run: RunSpec, outcome: RunOutcome): void | Promise<void>;
}

export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * The worker module next to this one: worker.js when compiled; from source
 * (tsx, vitest), worker-source.mjs, which registers tsx in the thread and
 * loads worker.ts.
 */
export function defaultWorkerUrl(): URL {
  return new URL(import.meta.url.endsWith(".ts") ? "./worker-source.mjs" : "./worker.js", import.meta.url);
}

/**
 * tsx's loader as an absolute URL: a bare "tsx" would be resolved from the
 * working directory, which need not be this package's.
 */
function tsxLoader(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
}

/** A started pool of worker threads: run() hands out runs, close() ends the threads. */
export interface WorkerPool {
  /** Runs every spec; resolves when all are done or the signal aborted. */
  run(runs: readonly RunSpec[], hooks: RunHooks): Promise<void>;
  close(): Promise<void>;
}

export type RunHooks = Omit<PoolOptions, "workers" | "workerUrl">;

/**
 * Starts the worker threads now, so that they boot (load their modules)
 * while the main thread is still loading the data; runs come later.
 */
export function startPool(opts: Pick<PoolOptions, "workers" | "workerUrl"> = {}): WorkerPool {
  const workers = Math.max(1, opts.workers ?? defaultWorkers());
  const url = opts.workerUrl ?? defaultWorkerUrl();
  const pool = new Piscina({
    filename: url.href,
    minThreads: workers,
    maxThreads: workers,
    // A worker written in TypeScript needs tsx's loader in its thread too.
    execArgv: url.pathname.endsWith(".ts") ? ["--import", tsxLoader()] : [],
    idleTimeout: 60_000,
  });
  // A worker that dies outside a task (e.g. its module fails to load) must not crash the sweep:
  // the task it held rejects and is recorded as failed below.
  pool.on("error", () => {});
  // Threads that finished booting (their worker module said so, boot.ts), to never destroy one mid-boot: tearing
  // a thread down while V8 instantiates its modules can abort the whole process (FATAL ERROR ... IsGraphAsync, exit 134).
  const bootedIds = new Set<number>();
  pool.on("message", (m: unknown) => {
    const id = bootedThread(m);
    if (id !== undefined) bootedIds.add(id);
  });
  const booted = async (): Promise<void> => {
    for (const deadline = Date.now() + 30_000; !pool.threads.every((t) => bootedIds.has(t.threadId)) && Date.now() < deadline; )
      await new Promise((r) => setTimeout(r, 10));
  };
  return {
    async run(runs, hooks) {
      const signal = hooks.signal;
      let next = 0;
      const lane = async (): Promise<void> => {
        while (next < runs.length && !signal?.aborted) {
          // The time limit counts the run, not a thread's boot (a thread stopped by a timeout is replaced by a booting one).
          await booted();
          // Another lane may have taken the last run while this one waited for a booting thread.
          if (signal?.aborted || next >= runs.length) return;
          const run = runs[next++];
          hooks.onStart?.(run);
          let outcome: RunOutcome;
          // train.timeout: aborting a task terminates its thread, so even an endless loop in user code ends.
          const limit = run.timeout === undefined ? undefined : AbortSignal.timeout(run.timeout * 1000);
          const started = Date.now();
          try {
            const task: RunTask = { run, data: hooks.datasetOf?.(run) };
            const stop = limit && signal ? AbortSignal.any([signal, limit]) : (limit ?? signal);
            outcome = (await pool.run(task, { signal: stop })) as RunOutcome;
          } catch (err) {
            if (signal?.aborted) return;
            outcome = limit?.aborted
              ? failedOutcome(run.runId, new Error(`timed out: stopped after ${run.timeout} s (train.timeout; raise it if the run needs longer)`), (Date.now() - started) / 1000)
              : // The worker itself died (e.g. the module called process.exit): the run failed, the sweep goes on.
                failedOutcome(run.runId, new Error(`its worker thread ended (${(err as Error).message}; did the activation module call process.exit?)`), 0);
          }
          if (signal?.aborted) return;
          await hooks.onDone(run, outcome);
        }
      };
      await Promise.all(Array.from({ length: Math.min(workers, runs.length) }, lane));
    },
    close: async () => {
      await booted();
      await pool.destroy();
    },
  };
}

/** Runs every spec on a pool of its own; resolves when all are done or the signal aborted. */
export async function runPool(runs: readonly RunSpec[], opts: PoolOptions): Promise<void> {
  if (runs.length === 0) return;
  const pool = startPool({ workers: Math.min(opts.workers ?? defaultWorkers(), runs.length), workerUrl: opts.workerUrl });
  try {
    await pool.run(runs, opts);
  } finally {
    await pool.close();
  }
}
