// Per-layer activations and learned mixtures against hand-built equivalents:
// networks written out here with Math.tanh, Math.max and the softmax of the
// logits, independent of the registry's formulas; the identical-init contract
// (same seed and scheme, same starting weights); a one-base mixture training
// exactly as its base; model files round-tripping; wasm equal to TypeScript.
import { describe, expect, it } from "vitest";
import { MLP, modelFromJSON, modelToJSON, nativeEngine, runStreams } from "../../src/nn/index.js";
import type { NetworkActivation, RunConfig } from "../../src/nn/index.js";
import { createWasmTrainer } from "../../src/nn/wasm/index.js";
import { blobs } from "./toy.js";
import { untimed } from "../untimed.js";

const sizes = [3, 6, 5, 4, 3];
const x = Float32Array.from({ length: 7 * 3 }, (_, i) => Math.sin(i * 1.7) * 2);

/** Hand-built forward of a 3-hidden-layer net: W, b from the MLP, hidden activation per layer given here; softmax outputs. */
function handForward(mlp: MLP, hidden: Array<(v: number, unit: number) => number>, rows: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    let a = Array.from(x.subarray(r * 3, r * 3 + 3));
    for (let k = 0; k < mlp.layerCount; k++) {
      const nin = mlp.sizes[k];
      const z = Array.from({ length: mlp.sizes[k + 1] }, (_, j) => {
        let s = mlp.biases[k][j];
        for (let i = 0; i < nin; i++) s += mlp.weights[k][j * nin + i] * a[i];
        return s;
      });
      if (k < mlp.layerCount - 1) a = z.map((v, j) => hidden[k](v, j));
      else {
        const m = Math.max(...z);
        const e = z.map((v) => Math.exp(v - m));
        const t = e.reduce((p, q) => p + q, 0);
        a = e.map((v) => v / t);
      }
    }
    out.push(...a);
  }
  return out;
}

function expectClose(got: Float32Array, want: number[]): void {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(Math.abs(got[i] - w), `output ${i}: ${got[i]} vs ${w}`).toBeLessThanOrEqual(2e-6));
}

const relu = (v: number) => Math.max(0, v);

describe("per-layer activations", () => {
  it("give each hidden layer its own activation, the last entry running deeper layers", () => {
    const mlp = MLP.create({ sizes, activation: { layers: ["tanh", "relu"] }, head: "softmax_ce", init: "xavier_normal" }, 3);
    expect(mlp.acts.slice(0, 3).map((a) => a!.activation.name)).toEqual(["tanh", "relu", "relu"]);
    expect(mlp.label).toBe("layers(tanh,relu)");
    expectClose(mlp.forward(x, 7), handForward(mlp, [Math.tanh, relu, relu], 7));
  });

  it("start from the same weights as any single activation for one seed and scheme", () => {
    const per = MLP.create({ sizes, activation: { layers: ["tanh", "selu", "relu"] }, head: "softmax_ce", init: "he_uniform" }, 9);
    const plain = MLP.create({ sizes, activation: "relu", head: "softmax_ce", init: "he_uniform" }, 9);
    per.weights.forEach((w, k) => expect([...w]).toEqual([...plain.weights[k]]));
  });

  it("with init auto, each weight layer takes the scheme of the activation it feeds (LeCun for selu, He for relu)", () => {
    expect(MLP.create({ sizes, activation: { layers: ["tanh", "relu"] }, head: "softmax_ce" }, 5).inits).toEqual(["xavier_uniform", "he_normal", "he_normal", "he_normal"]);
    const per = MLP.create({ sizes, activation: { layers: ["selu", "relu"] }, head: "softmax_ce" }, 5);
    expect(per.inits).toEqual(["lecun_normal", "he_normal", "he_normal", "he_normal"]);
    // Normal schemes draw the same standard normals in the same order and differ by scale alone.
    const xav = MLP.create({ sizes, activation: "selu", head: "softmax_ce" }, 5);
    const he = MLP.create({ sizes, activation: "relu", head: "softmax_ce" }, 5);
    expect([...per.weights[0]]).toEqual([...xav.weights[0]]);
    for (let k = 1; k < per.layerCount; k++) expect([...per.weights[k]]).toEqual([...he.weights[k]]);
  });

  it("refuse more entries than hidden layers", () => {
    expect(() => new MLP({ sizes: [3, 4, 2], activation: { layers: ["tanh", "relu"] }, head: "softmax_ce" })).toThrow(/layers lists 2 activations for a network with 1 hidden layer/);
  });
});

describe("learned mixtures", () => {
  const bases = ["relu", "tanh", "identity"];

  it("start as the equal-weight combination (logits 0)", () => {
    const mlp = MLP.create({ sizes, activation: { mix: bases }, head: "softmax_ce", init: "he_normal" }, 4);
    expect(mlp.label).toBe("mix(relu,tanh,identity)");
    const eq = (v: number) => (relu(v) + Math.tanh(v) + v) / 3;
    expectClose(mlp.forward(x, 7), handForward(mlp, [eq, eq, eq], 7));
  });

  it("weight the bases by the softmax of their logits, per unit", () => {
    const mlp = MLP.create({ sizes, activation: { mix: bases }, head: "softmax_ce", init: "he_normal" }, 4);
    const logits = (k: number, j: number) => [0.3 * j - 0.5, 1 - 0.2 * k, 0.1 * (j + k)];
    mlp.acts.forEach((act, k) => {
      if (!act) return;
      for (let j = 0; j < act.units; j++) {
        const l = logits(k, j);
        act.unitParams.logit_relu[j] = l[0];
        act.unitParams.logit_tanh[j] = l[1];
        act.unitParams.logit_identity[j] = l[2];
      }
    });
    const layerFn = (k: number) => (v: number, j: number) => {
      const l = logits(k, j).map((t) => Math.fround(t));
      const e = l.map(Math.exp);
      const s = e[0] + e[1] + e[2];
      return (e[0] * relu(v) + e[1] * Math.tanh(v) + e[2] * v) / s;
    };
    expectClose(mlp.forward(x, 7), handForward(mlp, [layerFn(0), layerFn(1), layerFn(2)], 7));
  });

  it("shared per layer: one logit per base per layer", () => {
    const mlp = MLP.create({ sizes, activation: { mix: bases, share: "layer" }, head: "softmax_ce" }, 4);
    expect(mlp.acts[0]!.unitParams.logit_tanh.length).toBe(1);
    expect(mlp.label).toBe("mix(relu,tanh,identity,share=layer)");
  });

  it("a mixture of relu alone trains exactly as relu (weight 1, logit gradient 0)", () => {
    const data = blobs(120, 1, 3);
    const cfg = (activation: NetworkActivation): RunConfig => ({
      seed: 2,
      activation,
      model: { hidden: [6, 5], init: "auto", head: "auto" },
      train: { epochs: 3, batchSize: 16, kernel: "ts", optimizer: { name: "adam", lr: 0.01 } },
      record: { every: 1, probeSize: 40, models: ["final"] },
    });
    const a = nativeEngine.train(cfg({ mix: ["relu"] }), data);
    const b = nativeEngine.train(cfg("relu"), data);
    // Every figure equal; the mixture's records add its (constant) logit and weight in params.
    expect(a.records.map((r) => untimed({ ...r, params: undefined }))).toEqual(b.records.map((r) => untimed({ ...r, params: undefined })));
    expect(a.records.every((r) => r.params!.find((p) => p.parameter === "weight_relu")!.mean === 1)).toBe(true);
    const final = a.models.final as { layers: Array<{ weights: number[][] }>; actbench: { learned: Array<{ values: number[] }> } };
    expect(final.layers).toEqual((b.models.final as typeof final).layers);
    expect(final.actbench.learned.every((l) => l.values.every((v) => v === 0))).toBe(true);
  });
});

describe("model files and the wasm path", () => {
  const specs: NetworkActivation[] = [{ layers: ["tanh", { mix: ["relu", "tanh"] }, { name: "swish_beta", share: "layer" }] }, { mix: ["relu", "tanh", "identity"] }];
  for (const spec of specs) {
    it(`${JSON.stringify(spec)}: toJSON / fromJSON gives the same network`, () => {
      const mlp = MLP.create({ sizes, activation: spec, head: "softmax_ce" }, 8);
      mlp.acts.forEach((act) => act && Object.values(act.unitParams).forEach((v) => v.forEach((_, i) => (v[i] = 0.1 * i - 0.2))));
      const back = modelFromJSON(JSON.parse(JSON.stringify(modelToJSON(mlp))));
      expect(back.label).toBe(mlp.label);
      expect([...back.forward(x, 7)]).toEqual([...mlp.forward(x, 7)]);
    });
    it(`${JSON.stringify(spec)}: a wasm training step equals the TypeScript one`, () => {
      const ref = MLP.create({ sizes, activation: spec, head: "softmax_ce" }, 8);
      const viaWasm = modelFromJSON(modelToJSON(ref));
      const y = Float32Array.from({ length: 7 }, (_, i) => i % 3);
      const trainer = createWasmTrainer(viaWasm, { name: "sgd", lr: 0.1 }, 7);
      const want = ref.lossAndGradients(x, y, 7).loss;
      const got = trainer.step(x, y, 7, "class");
      expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-6 * want);
      // After one step both hold w - lr g; their difference is float32 rounding.
      const g = ref.lossAndGradients(x, y, 7);
      trainer.syncTo(viaWasm);
      ref.gradientTensors(g).forEach((gt, t) => {
        const w0 = ref.parameters()[t].value;
        const w1 = viaWasm.parameters()[t].value;
        for (let i = 0; i < gt.length; i++) expect(Math.abs(w1[i] - (w0[i] - 0.1 * gt[i]))).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(w0[i])));
      });
      void runStreams;
    });
  }
});
