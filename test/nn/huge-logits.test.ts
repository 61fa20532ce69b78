/**
 * Softmax cross-entropy at huge logits (issue 19): with every output bias at
 * 1e30 the logits are equal in float32 and the true loss is ln(classes), yet
 * `(m + log se) - z` cancels to 0. The references are worked by hand in
 * float64: loss = log sum_j exp(z_j - z_t) with the differences taken first
 * (exact for float32 inputs), probabilities exp(z_c - m) / sum exp(z_j - m).
 */
import { describe, expect, it } from "vitest";
import { headLoss } from "../../src/nn/heads.js";
import { brainjsEngine } from "../../src/nn/brainjs/index.js";
import { nativeEngine } from "../../src/nn/index.js";
import type { RunConfig } from "../../src/nn/index.js";
import { blobs } from "./toy.js";

/** log sum_j exp(z_j - z_t), by hand in float64. */
function crossEntropy(z: readonly number[], t: number): number {
  const d = z.map((zj) => zj - z[t]);
  const top = Math.max(...d);
  return top + Math.log(d.reduce((s, x) => s + Math.exp(x - top), 0));
}

describe("softmax cross-entropy at logits of 1e30", () => {
  const cases: Array<{ z: number[]; t: number }> = [
    { z: [1e30, 1e30], t: 0 },
    { z: [1e30, 1e30, 1e30], t: 2 },
    { z: [1e30, 1e30, -1e30], t: 1 },
    { z: [-1e30, 1e30, 1e30, 1e30], t: 0 },
    { z: [1e30, 0, 1e30], t: 1 },
  ];
  for (const { z, t } of cases)
    it(`z = [${z.join(", ")}], target ${t}`, () => {
      const zf = Float32Array.from(z);
      const out = new Float32Array(z.length);
      const dz = new Float32Array(z.length);
      const loss = headLoss({ head: "softmax_ce", z: zf, out, rows: 1, cols: z.length, y: Float32Array.of(t), kind: "class", dz });
      const ref = crossEntropy([...zf], t);
      expect(ref).toBeGreaterThan(0);
      expect(loss).toBeCloseTo(ref, 12 - Math.max(0, Math.round(Math.log10(ref))));
      // Probabilities sum to 1 and the gradient is p - onehot.
      const m = Math.max(...zf);
      const se = [...zf].reduce((s, x) => s + Math.exp(x - m), 0);
      [...zf].forEach((x, c) => {
        const p = Math.exp(x - m) / se;
        expect(out[c]).toBeCloseTo(p, 6);
        expect(dz[c]).toBeCloseTo(p - (c === t ? 1 : 0), 6);
      });
    });

  const config = (kernel: "ts" | "wasm"): RunConfig => ({
    seed: 1,
    activation: "tanh",
    model: { hidden: [4], init: "auto", head: "softmax_ce", biasInit: 1e30 },
    train: { epochs: 1, batchSize: 1, optimizer: { name: "sgd", lr: 0.01 }, kernel },
    record: { every: 1, probeSize: 8, stepGradNorms: false, models: [] },
  });
  // Hidden biases of 1e30 saturate tanh at 1; the output biases of 1e30 swamp every weight: all logits equal.
  for (const [name, train] of [
    ["ts", () => nativeEngine.train(config("ts"), blobs(16, 3))],
    ["wasm", () => nativeEngine.train(config("wasm"), blobs(16, 3))],
    ["brain.js", () => brainjsEngine.train(config("ts"), blobs(16, 3))],
  ] as const)
    it(`${name}: the untrained network's loss is ln 2, not 0`, () => {
      const r = train();
      expect(r.records[0].epoch).toBe(0);
      expect(r.records[0].train_loss).toBeCloseTo(Math.LN2, 6);
    });
});
