/**
 * Seeded random streams, the only source of randomness in a run or a dataset
 * (never Math.random), so that results are a pure function of their seeds.
 *
 * Generator: pure-rand's xoroshiro128+. It takes a 32-bit seed, and seeded
 * with small neighbouring integers (0, 1, 2, ...) its first outputs are nearly
 * equal (each starts 0.99999..., then 0.75, 0.81, 0.87, ...), which would make
 * the first weight of every network a 4.8-sigma outlier. So a (seed, purpose)
 * pair first goes through murmur3's 32-bit finaliser: nearby seeds give
 * unrelated streams, and each purpose (init, shuffle, data generation,
 * splitting) its own.
 *
 * Normal draws: the Box-Muller transform in float64, cosine branch only
 * (two uniforms per normal, no cached twin), so the stream position never
 * depends on hidden state.
 */
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { JumpableRandomGenerator } from "pure-rand/types/JumpableRandomGenerator";

export type Rng = JumpableRandomGenerator;

/**
 * A generator for `seed` (any non-negative integer below 2^53) and a purpose
 * number >= 1 (purpose 0 with seed 0 would hash to 0, the finaliser's fixed
 * point, and bring back the degenerate stream).
 */
export function seededRng(seed: number, purpose: number): Rng {
  if (!(Number.isInteger(purpose) && purpose >= 1)) throw new Error(`random stream purpose must be an integer >= 1, got ${purpose}`);
  return xoroshiro128plus(mixSeed(seed, purpose));
}

/** Uniform in [0, 1), 53 random bits. */
export function uniform01(rng: Rng): number {
  return uniformFloat64(rng);
}

/** Uniform in [lo, hi). */
export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * uniformFloat64(rng);
}

/** Uniform integer in [lo, hi], both included, without modulo bias. */
export function uniformInteger(rng: Rng, lo: number, hi: number): number {
  return uniformInt(rng, lo, hi);
}

/** Standard normal: sqrt(-2 ln u1) cos(2 pi u2), u1 in (0, 1] so the log never sees 0. */
export function normal(rng: Rng): number {
  const u1 = 1 - uniformFloat64(rng);
  const u2 = uniformFloat64(rng);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Fisher-Yates shuffle in place (uniform over permutations). */
export function shuffleInPlace(rng: Rng, a: Uint32Array | Int32Array): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/** (seed, purpose) -> the 32-bit seed pure-rand takes, through murmur3's finaliser. */
function mixSeed(seed: number, purpose: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 0x100000000) >>> 0;
  let h = fmix32(lo ^ Math.imul(purpose, 0x9e3779b9));
  h = fmix32(h ^ hi);
  return h | 0;
}

function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
