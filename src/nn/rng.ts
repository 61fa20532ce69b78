/**
 * The run's random streams. Every draw of a run comes from here, never from
 * Math.random, so a run is a pure function of its seed (see src/random.ts for
 * the generator, the seed mixing and the normal draws).
 *
 * Two streams per run:
 *   - init:    weight initialisation, seeded from (run seed, RUN_PURPOSE);
 *   - shuffle: a clone advanced by one xoroshiro128+ jump (2^64 draws ahead),
 *              so the two never overlap and the batch order does not depend on
 *              how many draws the init used (every activation, every head,
 *              every init scheme sees the same batch order for one seed).
 */
import { seededRng, type Rng } from "../random.js";

export { normal, shuffleInPlace, uniform, uniform01, type Rng } from "../random.js";

/** Purpose number of a training run's streams (data streams use 1 and 3: src/data/random.ts). */
const RUN_PURPOSE = 2;

/** The two independent streams of one run. */
export interface RunStreams {
  /** Weight initialisation. */
  init: Rng;
  /** Per-epoch shuffling of the training rows. */
  shuffle: Rng;
}

export function runStreams(seed: number): RunStreams {
  const init = seededRng(seed, RUN_PURPOSE);
  const shuffle = init.clone();
  shuffle.jump();
  return { init, shuffle };
}
