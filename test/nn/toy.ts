// Toy datasets for the engine tests, made with the test's own seeded generator
// (independent of the data module): two Gaussian blobs in 2-D, centres
// (-1.5, -1.5) and (1.5, 1.5), unit variance, classes 0 and 1 — separable by
// the line x0 + x1 = 0 up to tail overlap (Bayes accuracy ~98.3%: the distance
// of each centre to the line is 1.5 sqrt(2) = 2.12 standard deviations).
import type { Dataset } from "../../src/data/types.js";
import { normal, runStreams } from "../../src/nn/index.js";

export function blobs(n: number, seed: number, valN = 0): Dataset {
  const rng = runStreams(seed).init;
  const make = (m: number) => {
    const x = new Float32Array(m * 2);
    const y = new Float32Array(m);
    for (let i = 0; i < m; i++) {
      const c = i % 2;
      const mu = c ? 1.5 : -1.5;
      x[2 * i] = mu + normal(rng);
      x[2 * i + 1] = mu + normal(rng);
      y[i] = c;
    }
    return { n: m, x, y };
  };
  const train = make(n);
  const val = valN ? make(valN) : undefined;
  return { name: "blobs", task: "classification", features: 2, classes: 2, outputs: 2, train, val, source: "test/nn/toy.ts" };
}

/** y = sin(x0) + 0.5 x1 regression, x uniform-ish normal draws. */
export function wave(n: number, seed: number): Dataset {
  const rng = runStreams(seed).init;
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[2 * i] = normal(rng);
    x[2 * i + 1] = normal(rng);
    y[i] = Math.sin(x[2 * i]) + 0.5 * x[2 * i + 1];
  }
  return { name: "wave", task: "regression", features: 2, classes: 0, outputs: 1, train: { n, x, y }, source: "test/nn/toy.ts" };
}
