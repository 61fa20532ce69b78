/**
 * The run's random streams. Every draw of a run comes from here, never from
 * Math.random, so a run is a pure function of its seed.
 *
 * Generator: pure-rand's xoroshiro128+ seeded with the run seed (pure-rand
 * takes the low 32 bits). Two streams per run:
 *   - init:    the seeded generator itself (weight initialisation);
 *   - shuffle: a clone advanced by one xoroshiro128+ jump (2^64 draws ahead),
 *              so the two never overlap and the batch order does not depend on
 *              how many draws the init used (every activation, every head,
 *              every init scheme sees the same batch order for one seed).
 */
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import type { JumpableRandomGenerator } from "pure-rand/types/JumpableRandomGenerator";

export type Rng = JumpableRandomGenerator;

/** The two independent streams of one run. */
export interface RunStreams {
  /** Weight initialisation. */
  init: Rng;
  /** Per-epoch shuffling of the training rows. */
  shuffle: Rng;
}

export function runStreams(seed: number): RunStreams {
  const init = xoroshiro128plus(seed);
  const shuffle = init.clone();
  shuffle.jump();
  return { init, shuffle };
}

/** Uniform in [0, 1), 53 random bits (float64). */
export function uniform01(rng: Rng): number {
  return uniformFloat64(rng);
}

/** Uniform in [lo, hi). */
export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * uniformFloat64(rng);
}

/**
 * Standard normal draw by the Box-Muller transform in float64: two uniforms
 * u1 in (0, 1], u2 in [0, 1), returns sqrt(-2 ln u1) cos(2 pi u2). The sine
 * twin is discarded so that each draw consumes exactly four 32-bit outputs and
 * the stream position never depends on hidden cached state.
 */
export function normal(rng: Rng): number {
  const u1 = 1 - uniformFloat64(rng); // (0, 1]: log never sees 0
  const u2 = uniformFloat64(rng);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Fisher-Yates shuffle of `idx` in place (uniform over permutations). */
export function shuffleInPlace(rng: Rng, idx: Uint32Array): void {
  for (let i = idx.length - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
}
