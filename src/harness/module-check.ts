/**
 * Imports and checks a user's activation module in a thread of its own, with
 * a time limit, and brings back what the main thread keeps: the definition
 * less its functions (registered here as a stub, custom-activation.ts) and
 * the curve sampled for activations.csv. The user's code never runs in the
 * CLI's thread: a module that calls process.exit() ends only its own thread,
 * one that loops forever is stopped after the limit, one that throws is
 * named; each is a UserError naming the module file (exit 2), never a quiet
 * exit 0, a hang or a stack trace.
 */
import { Worker } from "node:worker_threads";
import type { ActivationSpec } from "../activations/types.js";
import type { CurvePoint } from "../activations/curve.js";
import { UserError } from "../errors.js";
import type { ModuleMeta, ModuleRef } from "./custom-activation.js";
import { moduleCheckTimeout } from "./limits.js";

/** What the main thread sends: the module and the config entry (its parameters) to check it at. */
export interface CheckRequest {
  ref: ModuleRef;
  spec: ActivationSpec;
}

/** What the check thread sends: the stage it enters, then its result or its error. */
export type CheckReply =
  | { stage: Stage }
  | { done: ModuleCheck }
  | { error: { message: string; user: boolean } };

type Stage = "import" | "check";

/** A checked module entry. */
export interface ModuleCheck {
  meta: ModuleMeta;
  /** f and f' at the entry's parameters on activations.csv's points. */
  samples: CurvePoint[];
}

const DOING: Record<Stage | "boot", string> = {
  boot: "starting the thread that checks it",
  import: "its import",
  check: "the check of f and df (df against finite differences of f on [-5, 5]; |df| sampled on [-20, 20] unless it exports maxAbsDf)",
};

/** The check thread's entry: compiled, or from the TypeScript sources (registering tsx first, as the pool's workers do). */
function entryUrl(): URL {
  return new URL(import.meta.url.endsWith(".ts") ? "./module-check-source.mjs" : "./module-check-worker.js", import.meta.url);
}

/**
 * Checks one module entry; rejects with a UserError naming the module when
 * its import or check throws, ends the thread, or outlasts `limitS` seconds
 * (counted from the import on: the thread's own start is not the module's).
 */
export function checkModule(ref: ModuleRef, spec: ActivationSpec, limitS: number = moduleCheckTimeout()): Promise<ModuleCheck> {
  const where = `activation module ${ref.path}`;
  return new Promise<ModuleCheck>((resolve, reject) => {
    const request: CheckRequest = { ref, spec };
    // A module that allocates without end fails its thread (ERR_WORKER_OUT_OF_MEMORY), not the CLI.
    const worker = new Worker(entryUrl(), { workerData: request, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    let stage: Stage | "boot" = "boot";
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const limit = (seconds: number): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const what = stage === "boot" ? `${DOING.boot} took more than ${seconds} s` : `${DOING[stage]} did not finish within ${seconds} s (does it loop forever?); it was stopped (ACTBENCH_MODULE_TIMEOUT sets the limit in seconds)`;
        settle(new UserError(`${where}: ${what}`));
      }, seconds * 1000);
    };
    const settle = (result: ModuleCheck | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    limit(Math.max(60, limitS));
    worker.on("message", (m: CheckReply) => {
      if ("stage" in m) {
        if (stage === "boot") limit(limitS);
        stage = m.stage;
      } else if ("done" in m) settle(m.done);
      else settle(new UserError(m.error.user ? m.error.message : `${where}: ${DOING[stage]} threw: ${m.error.message}`));
    });
    worker.on("error", (err) => settle(new UserError(`${where}: ${DOING[stage]} failed: ${err.message}`)));
    worker.on("exit", (code) =>
      settle(new UserError(`${where}: the module ended its thread (exit code ${code}, process.exit?) during ${DOING[stage]}; a module must not end the process`)),
    );
  });
}
