import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";

/**
 * Seeded draws for data generation, splitting and subsampling.
 *
 * Every dataset draw comes from xoroshiro128+ (pure-rand), seeded from the data
 * seed and a purpose number, so that the generator's stream and the split's
 * stream never overlap and changing how many points a generator draws does not
 * change which rows land in which split.
 */
export class DataRng {
  private readonly rng: ReturnType<typeof xoroshiro128plus>;

  constructor(seed: number, purpose: number) {
    this.rng = xoroshiro128plus(mixSeed(seed, purpose));
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return uniformFloat64(this.rng);
  }

  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * uniformFloat64(this.rng);
  }

  /**
   * Standard normal draw by the Box-Muller transform: z = sqrt(-2 ln u1) cos(2 pi u2)
   * with u1 in (0, 1]. Only the cosine branch is used (two uniforms per normal), so a
   * draw never depends on whether an earlier caller consumed a cached partner.
   */
  normal(): number {
    const u1 = 1 - uniformFloat64(this.rng);
    const u2 = uniformFloat64(this.rng);
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = uniformInt(this.rng, 0, i);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}

/** Streams a dataset draws from; each gets its own generator. */
export const Purpose = {
  /** Synthetic generation, or choosing which MNIST images a subsample keeps. */
  generate: 1,
  split: 3,
} as const;

/**
 * Hash (seed, purpose) into the 32-bit seed pure-rand takes. xoroshiro128+ seeded
 * with small neighbouring integers starts with correlated outputs (seed 0 first
 * yields 0.99999...), so the seed goes through murmur3's finaliser first.
 */
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
