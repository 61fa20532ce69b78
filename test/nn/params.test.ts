// params.csv's figures: the learned activation parameters per record point,
// checked by hand (mean, population std, min, max over units), and as the
// training loop records them on every compute path.
import { describe, expect, it } from "vitest";
import { MLP, nativeEngine } from "../../src/nn/index.js";
import type { NetworkActivation, RunConfig } from "../../src/nn/index.js";
import { paramRecords } from "../../src/nn/probes.js";
import { brainjsEngine } from "../../src/nn/brainjs/index.js";
import { blobs } from "./toy.js";

describe("paramRecords", () => {
  it("mean, population std, min and max over a layer's units, per parameter", () => {
    const mlp = new MLP({ sizes: [2, 4, 3, 2], activation: "pelu", head: "softmax_ce" });
    mlp.acts[0]!.unitParams.a.set([0.5, 1, 1.5, 2]);
    mlp.acts[0]!.unitParams.b.set([1, 1, 1, 1]);
    const recs = paramRecords(mlp);
    expect(recs.map((r) => `${r.layer}:${r.parameter}`)).toEqual(["1:a", "1:b", "2:a", "2:b"]);
    const a1 = recs[0];
    expect(a1.mean).toBe(1.25);
    expect(a1.std).toBeCloseTo(Math.sqrt((0.75 ** 2 + 0.25 ** 2 + 0.25 ** 2 + 0.75 ** 2) / 4), 15);
    expect([a1.min, a1.max]).toEqual([0.5, 2]);
    expect(recs[1]).toEqual({ layer: 1, parameter: "b", mean: 1, std: 0, min: 1, max: 1 });
  });

  it("one value when shared per layer; a mixture's weights beside its logits", () => {
    const shared = new MLP({ sizes: [2, 4, 2], activation: { name: "swish_beta", share: "layer" }, head: "softmax_ce" });
    expect(paramRecords(shared)).toEqual([{ layer: 1, parameter: "beta", mean: 1, std: 0, min: 1, max: 1 }]);
    const mix = new MLP({ sizes: [2, 2, 2], activation: { mix: ["relu", "tanh"] }, head: "softmax_ce" });
    mix.acts[0]!.unitParams.logit_relu.set([0, Math.log(3)]);
    const recs = paramRecords(mix);
    expect(recs.map((r) => r.parameter)).toEqual(["logit_relu", "logit_tanh", "weight_relu", "weight_tanh"]);
    // Unit 0: weights 1/2, 1/2; unit 1: logits (ln 3, 0) -> 3/4, 1/4.
    const w = recs[2];
    expect(w.min).toBeCloseTo(0.5, 6);
    expect(w.max).toBeCloseTo(0.75, 6);
    expect(w.mean).toBeCloseTo(0.625, 6);
    expect(recs[3].mean).toBeCloseTo(0.375, 6);
  });

  it("nothing for a network without learnable activation parameters", () => {
    expect(paramRecords(new MLP({ sizes: [2, 3, 2], activation: { layers: ["tanh"] }, head: "softmax_ce" }))).toEqual([]);
  });
});

describe("the training loop records them at every record point, on every path", () => {
  const data = blobs(90, 1, 2);
  const cfg = (activation: NetworkActivation, kernel: "ts" | "wasm", batchSize = 16): RunConfig => ({
    seed: 1,
    activation,
    model: { hidden: [5, 4], init: "auto", head: "auto" },
    train: { epochs: 3, batchSize, kernel, optimizer: { name: "momentum", lr: 0.05 } },
    record: { every: 1, probeSize: 30, models: ["final"] },
  });
  for (const kernel of ["ts", "wasm"] as const)
    it(`kernel ${kernel}: prelu's slopes start at 0.25, move, and end as the final model holds them`, () => {
      const r = nativeEngine.train(cfg("prelu", kernel), data);
      expect(r.records.map((x) => x.params?.length)).toEqual([2, 2, 2, 2]);
      expect(r.records[0].params![0]).toEqual({ layer: 1, parameter: "slope", mean: Math.fround(0.25), std: 0, min: Math.fround(0.25), max: Math.fround(0.25) });
      const last = r.records[3].params!;
      expect(last[0].max).toBeGreaterThan(last[0].min);
      const learned = (r.models.final as { actbench: { learned: Array<{ layer: number; values: number[] }> } }).actbench.learned;
      const values = learned.find((l) => l.layer === 1)!.values;
      expect(last[0].mean).toBeCloseTo(values.reduce((s, v) => s + v, 0) / values.length, 12);
      expect(last[0].min).toBe(Math.min(...values));
    });
  it("brain.js engine likewise", () => {
    const r = brainjsEngine.train({ ...cfg("prelu", "ts", 1), train: { ...cfg("prelu", "ts", 1).train, optimizer: { name: "sgd", lr: 0.05 } } }, data);
    expect(r.records.every((x) => x.params?.length === 2)).toBe(true);
    expect(r.records[3].params![0].std).toBeGreaterThan(0);
  });
  it("no params for networks without learnable activation parameters", () => {
    expect(nativeEngine.train(cfg("relu", "ts"), data).records.every((x) => x.params === undefined)).toBe(true);
  });
});

describe("the wasm path says per hidden layer where each activation ran (the manifest records it per run)", () => {
  const data = blobs(60, 1, 2);
  const run = (activation: NetworkActivation) =>
    nativeEngine.train(
      { seed: 1, activation, model: { hidden: [5, 4], init: "auto", head: "auto" }, train: { epochs: 1, batchSize: 16, kernel: "wasm", optimizer: { name: "sgd", lr: 0.05 } }, record: { every: 1, probeSize: 20 } },
      data,
    ).compute;
  it("relu, tanh, prelu and swish_beta (both sharing modes) in wasm kernels; pelu, pau and mixtures in TypeScript", () => {
    expect(run("relu").activation_kernels).toEqual(["wasm", "wasm"]);
    for (const name of ["prelu", "swish_beta"])
      for (const share of ["unit", "layer"] as const) expect(run({ name, share }).activation_kernels, `${name} ${share}`).toEqual(["wasm", "wasm"]);
    expect(run("pelu").activation_kernels).toEqual(["ts", "ts"]);
    expect(run("pau").activation_kernels).toEqual(["ts", "ts"]);
    expect(run({ layers: ["prelu", "pau"] }).activation_kernels).toEqual(["wasm", "ts"]);
    expect(run({ layers: ["tanh", { mix: ["relu", "tanh"] }] }).activation_kernels).toEqual(["wasm", "ts"]);
    expect(nativeEngine.train({ seed: 1, activation: "relu", model: { hidden: [3], init: "auto", head: "auto" }, train: { epochs: 1, batchSize: 16, kernel: "ts", optimizer: { name: "sgd", lr: 0.05 } }, record: { every: 1, probeSize: 20 } }, data).compute.activation_kernels).toBeUndefined();
  });
});
