/**
 * An engine by name, for the worker. brain.js is imported only when a run
 * asks for it, so that native sweeps (and `validate`, `list`) never load it.
 */
import { nativeEngine } from "../nn/index.js";
import type { EngineName } from "../nn/names.js";
import type { Engine } from "../nn/types.js";

export async function engineFor(name: EngineName): Promise<Engine> {
  if (name === "brainjs") return (await import("../nn/brainjs/index.js")).brainjsEngine;
  return nativeEngine;
}
