/** What the benchmarks share: medians, and seeded random classification data. */
import type { Dataset } from "../src/data/types.js";
import { runStreams, uniform01 } from "../src/nn/index.js";

/** The median (upper median for an even count) of timings. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * n rows of dense uniform [0, 1) features and random class labels, from a
 * seeded stream: no sparsity for any engine to exploit, the same every time.
 */
export function randomClassification(n: number, features: number, classes: number, seed: number): Dataset {
  const rng = runStreams(seed).init;
  const x = new Float32Array(n * features);
  for (let i = 0; i < x.length; i++) x[i] = uniform01(rng);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = Math.floor(uniform01(rng) * classes);
  return { name: "bench", task: "classification", features, classes, outputs: classes, train: { n, x, y }, source: "bench/common.ts" };
}
