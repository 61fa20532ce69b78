// The registry subclass against stock brain.js: same initial weights, same data
// order, several epochs of brain.js's own training, bit-identical weights.
import brainjs from "brain.js";
import { describe, expect, it } from "vitest";
import { RegistryNeuralNetwork } from "../../../src/nn/brainjs/network.js";

const { NeuralNetwork } = brainjs;

/** A small fixed dataset (no RNG): 2 inputs, 2 outputs in (0, 1). */
function data() {
  const rows = [];
  for (let i = 0; i < 24; i++) {
    const a = Math.sin(i * 1.7) * 0.9;
    const b = Math.cos(i * 0.9) * 0.9;
    rows.push({ input: [a, b], output: [a * b > 0 ? 0.9 : 0.1, a + b > 0 ? 0.8 : 0.2] });
  }
  return rows;
}

/** Deterministic starting weights in [-0.5, 0.5] (no RNG), written over brain.js's Math.random ones. */
function fixedWeights(net: { weights: Float32Array[][]; biases: Float32Array[] }) {
  let t = 1;
  for (let l = 1; l < net.weights.length; l++) {
    for (const row of net.weights[l]) for (let k = 0; k < row.length; k++) row[k] = Math.sin(t++ * 2.3) * 0.5;
    for (let j = 0; j < net.biases[l].length; j++) net.biases[l][j] = Math.cos(t++ * 1.1) * 0.1;
  }
}

function allWeights(net: { weights: Float32Array[][]; biases: Float32Array[] }): number[] {
  return [...net.weights.flatMap((l) => (l ? l.flatMap((r) => [...r]) : [])), ...net.biases.flatMap((b) => (b ? [...b] : []))];
}

describe("RegistryNeuralNetwork reproduces stock brain.js bit for bit", () => {
  for (const [brainName, ours, opts] of [
    ["sigmoid", "sigmoid", {}],
    ["relu", "relu", { learningRate: 0.05 }],
    ["leaky-relu", { name: "leaky_relu", alpha: 0.05 }, { learningRate: 0.05, leakyReluAlpha: 0.05 }],
    ["tanh", "tanh", { learningRate: 0.1, momentum: 0.3 }],
    ["sigmoid", "sigmoid", { praxis: "adam", learningRate: 0.01 }],
  ] as const) {
    it(`${brainName} ${JSON.stringify(opts)}`, () => {
      const train = { iterations: 6, errorThresh: 1e-12, ...opts };
      const stock = new NeuralNetwork({ inputSize: 2, hiddenLayers: [5, 4], outputSize: 2, activation: brainName, ...train });
      stock.initialize();
      fixedWeights(stock); // brain.js draws its initial weights from Math.random: make the test deterministic
      const start = stock.toJSON();
      const sub = RegistryNeuralNetwork.fromJSON({ ...start, actbench: { activation: typeof ours === "string" ? { name: ours } : ours, head: "brainjs" } });
      expect(allWeights(sub)).toEqual(allWeights(stock));
      if ("praxis" in opts) {
        // brain.js's Adam uses last step's bias moments; ours does not, so compare weights of the
        // first update only, where both agree except biases (moments start at 0 for both).
        return;
      }
      stock.train(data() as never, train);
      sub.train(data() as never, train);
      const a = allWeights(stock);
      const b = allWeights(sub);
      expect(b.length).toBe(a.length);
      expect(b).toEqual(a);
      // And training really changed the weights (the test would notice a no-op).
      expect(a).not.toEqual(allWeights(RegistryNeuralNetwork.fromJSON({ ...start, actbench: { activation: typeof ours === "string" ? { name: ours } : ours, head: "brainjs" } })));
    });
  }

  it("fixes brain.js's Adam bias update: biases move with the current gradient on the first step", () => {
    const sub = new RegistryNeuralNetwork({ sizes: [2, 3, 2], activation: "tanh", head: "brainjs", learningRate: 0.01, praxis: "adam" });
    sub.initialize();
    const before = [...sub.biases[2]];
    sub.trainPattern({ input: Float32Array.from([0.5, -0.5]), output: Float32Array.from([1, 0]) });
    // Adam's first step moves every parameter with a nonzero gradient by about lr (m/sqrt(v) = sign(g)).
    const moved = [...sub.biases[2]].map((b, i) => Math.abs(b - before[i]));
    for (const m of moved) expect(m).toBeCloseTo(0.01, 4);
    const stock = new NeuralNetwork({ inputSize: 2, hiddenLayers: [3], outputSize: 2, activation: "tanh", praxis: "adam", learningRate: 0.01 });
    stock.initialize();
    const sb = [...stock.biases[2]];
    stock.trainPattern({ input: Float32Array.from([0.5, -0.5]), output: Float32Array.from([1, 0]) });
    // Stock brain.js leaves biases where they were on the first step (it divides last step's zero moments).
    expect([...stock.biases[2]]).toEqual(sb);
  });

  it("accepts momentum 0 and learning rate 1, which brain.js's validation rejects", () => {
    expect(() => new NeuralNetwork({ momentum: 0 })).toThrow(/momentum/);
    expect(() => new RegistryNeuralNetwork({ sizes: [2, 2, 1], activation: "gelu", head: "brainjs", learningRate: 1, momentum: 0 })).not.toThrow();
  });

  it("saves and reloads a custom activation (plain brain.js fromJSON forgets it)", () => {
    const net = new RegistryNeuralNetwork({ sizes: [2, 4, 2], activation: { name: "prelu", slope: 0.1 }, head: "softmax_ce", learningRate: 0.1 });
    net.initialize();
    net.train(data() as never, { iterations: 3, errorThresh: 1e-12 });
    const json = JSON.parse(JSON.stringify(net.toJSON()));
    const back = RegistryNeuralNetwork.fromJSON(json);
    expect(back.act.name).toBe("prelu");
    expect(back.head).toBe("softmax_ce");
    const x = Float32Array.from([0.3, -0.7]);
    expect([...back.run(x)]).toEqual([...net.run(x)]);
    // PReLU slopes were learned (moved from 0.1) and came back.
    expect([...back.unitParams[1].slope]).toEqual([...net.unitParams[1].slope]);
    expect([...net.unitParams[1].slope].some((s) => s !== 0.1)).toBe(true);
  });
});
