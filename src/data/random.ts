/** The seeded random streams datasets draw from (generation and splits), one per purpose. */
import { normal, seededRng, shuffleInPlace, uniform, uniform01, uniformInteger, type Rng } from "../random.js";

/**
 * Seeded draws for data generation, splitting and subsampling.
 *
 * Every dataset draw comes from xoroshiro128+ (pure-rand), seeded from the data
 * seed and a purpose number, so that the generator's stream and the split's
 * stream never overlap and changing how many points a generator draws does not
 * change which rows land in which split.
 */
export class DataRng {
  private readonly rng: Rng;

  constructor(seed: number, purpose: number) {
    this.rng = seededRng(seed, purpose);
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return uniform01(this.rng);
  }

  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number {
    return uniform(this.rng, lo, hi);
  }

  /** Uniform integer in [lo, hi], both ends included, without modulo bias. */
  int(lo: number, hi: number): number {
    return uniformInteger(this.rng, lo, hi);
  }

  /** Standard normal draw (Box-Muller, cosine branch: see src/random.ts). */
  normal(): number {
    return normal(this.rng);
  }

  /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    shuffleInPlace(this.rng, p);
    return p;
  }
}

/** Streams a dataset draws from; each gets its own generator. */
export const Purpose = {
  /** Synthetic generation, or choosing which MNIST images a subsample keeps. */
  generate: 1,
  split: 3,
} as const;
