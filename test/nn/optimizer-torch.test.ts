/**
 * The optimizers' update rules against PyTorch's torch.optim: five steps of
 * every optimizer from fixed weights and gradients, with and without weight
 * decay and clipping by the global norm. Fixture: test/fixtures/nn/optimizers-torch.json,
 * computed by PyTorch 1.13 (float64) with optimizers-torch.py beside it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Optimizer, type OptimizerSpec, type ParamRef } from "../../src/nn/index.js";

interface Tensors {
  weight: number[][];
  bias: number[];
}
interface Fixture {
  weight0: number[][];
  bias0: number[];
  grads: Tensors[];
  cases: Array<{ label: string; spec: OptimizerSpec; after: Tensors[] }>;
}
const fx = JSON.parse(readFileSync(new URL("../fixtures/nn/optimizers-torch.json", import.meta.url), "utf8")) as Fixture;

describe("optimizers equal PyTorch's torch.optim step by step", () => {
  it("covers every optimizer, weight decay and clipping", () => {
    const names = new Set(fx.cases.map((c) => c.spec.name));
    expect([...names].sort()).toEqual(["adam", "adamw", "momentum", "nesterov", "sgd"]);
    expect(fx.cases.some((c) => c.spec.clipNorm !== undefined && c.spec.weightDecay !== undefined)).toBe(true);
  });

  for (const c of fx.cases)
    it(c.label, () => {
      const weight: ParamRef = { kind: "weight", layer: 0, value: Float32Array.from(fx.weight0.flat()) };
      const bias: ParamRef = { kind: "bias", layer: 0, value: Float32Array.from(fx.bias0) };
      const opt = new Optimizer(c.spec, [weight, bias]);
      fx.grads.forEach((g, step) => {
        opt.step([Float32Array.from(g.weight.flat()), Float32Array.from(g.bias)]);
        const want = [...c.after[step].weight.flat(), ...c.after[step].bias];
        const got = [...weight.value, ...bias.value];
        // float32 weights (about 6e-8 relative per step) against float64 ones
        for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i]), `step ${step + 1}, value ${i}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want[i])));
      });
    });
});
