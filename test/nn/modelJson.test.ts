// Model files: brain.js NeuralNetwork.toJSON() layout, reload to identical
// outputs, and interchange with stock brain.js in both directions.
import brain from "brain.js";
import { describe, expect, it } from "vitest";
import { MLP, modelFromJSON, modelToJSON, nativeEngine } from "../../src/nn/index.js";
import type { ModelJSON, RunConfig } from "../../src/nn/index.js";
import { blobs } from "./toy.js";

const cfg = (activation: RunConfig["activation"], head: RunConfig["model"]["head"]): RunConfig => ({
  seed: 3,
  activation,
  model: { hidden: [6, 5], init: "auto", head },
  train: { epochs: 3, batchSize: 8, optimizer: { name: "adam", lr: 0.02 } },
  record: { every: 3, probeSize: 16, models: ["init", "final"] },
});

describe("model JSON", () => {
  const data = blobs(120, 9);
  for (const [activation, head] of [
    ["relu", "softmax_ce"],
    ["prelu", "softmax_ce"],
    [{ name: "elu", alpha: 0.5 }, "sigmoid_bce"],
    ["softmax", "linear_mse"],
    ["tanh", "brainjs"],
  ] as const)
    it(`${JSON.stringify(activation)} / ${head}: saved, reloaded, evaluates to the same outputs`, () => {
      const r = nativeEngine.train(cfg(activation, head), data);
      const json = JSON.parse(JSON.stringify(r.models.final)) as ModelJSON;
      expect(json.type).toBe("NeuralNetwork");
      expect(json.sizes).toEqual([2, 6, 5, 2]);
      expect(json.layers[0]).toEqual({ weights: [], biases: [] });
      expect(json.layers[1].weights.length).toBe(6);
      expect(json.layers[1].weights[0].length).toBe(2);
      expect(json.actbench.head).toBe(head);
      if (activation === "prelu") {
        expect(json.actbench.learned.map((l) => l.layer)).toEqual([1, 2]);
        // Slopes trained away from their initial 0.25.
        expect(json.actbench.learned[0].values.some((v) => v !== 0.25)).toBe(true);
      }
      const mlp = modelFromJSON(json);
      const again = modelFromJSON(JSON.parse(JSON.stringify(modelToJSON(mlp))));
      const a = mlp.forward(data.train.x, data.train.n);
      const b = again.forward(data.train.x, data.train.n);
      expect(Array.from(b)).toEqual(Array.from(a));
      // Different from the initial model: the snapshot is the trained one.
      const init = modelFromJSON(r.models.init).forward(data.train.x, data.train.n);
      expect(Array.from(init)).not.toEqual(Array.from(a));
    });

  it("stock brain.js loads our tanh/brainjs model and computes the same outputs", () => {
    const r = nativeEngine.train(cfg("tanh", "brainjs"), data);
    const net = new brain.NeuralNetwork().fromJSON(r.models.final as never);
    const mlp = modelFromJSON(r.models.final);
    const ours = mlp.forward(data.train.x, 20);
    for (let i = 0; i < 20; i++) {
      const out = net.run(Array.from(data.train.x.subarray(2 * i, 2 * i + 2))) as ArrayLike<number>;
      for (let c = 0; c < 2; c++) expect(Math.abs(out[c] - ours[2 * i + c])).toBeLessThan(1e-6);
    }
  });

  it("a model trained by stock brain.js loads as a brainjs-head network with the same outputs", () => {
    const net = new brain.NeuralNetwork({ hiddenLayers: [4], activation: "sigmoid" });
    const xor = [
      { input: [0, 0], output: [0] },
      { input: [0, 1], output: [1] },
      { input: [1, 0], output: [1] },
      { input: [1, 1], output: [0] },
    ];
    net.train(xor, { iterations: 200 });
    const mlp = modelFromJSON(net.toJSON());
    expect(mlp.head).toBe("brainjs");
    expect(mlp.activation.name).toBe("sigmoid");
    const ours = mlp.forward(Float32Array.from(xor.flatMap((d) => d.input)), 4);
    xor.forEach((d, i) => {
      const out = net.run(d.input) as ArrayLike<number>;
      expect(Math.abs(out[0] - ours[i])).toBeLessThan(1e-6);
    });
  });
});
