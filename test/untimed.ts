/** A record without its timing fields (wall_ms, eval_ms, probe_ms): what must be identical across runs. */
import type { EpochRecord } from "../src/nn/types.js";

export type UntimedRecord = Omit<EpochRecord, "wall_ms" | "eval_ms" | "probe_ms">;

export function untimed({ wall_ms: _w, eval_ms: _e, probe_ms: _p, ...rest }: EpochRecord): UntimedRecord {
  return rest;
}
