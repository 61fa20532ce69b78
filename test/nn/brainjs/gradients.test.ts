// Same weights, same sample, brain.js's loss (1/2 sum of squared errors): the
// brain.js engine's per-layer gradients (from its deltas) against the native
// engine's backward pass, for every activation in the registry.
import { describe, expect, it } from "vitest";
import { activationNames } from "../../../src/activations/index.js";
import { modelFromJSON } from "../../../src/nn/index.js";
import { RegistryNeuralNetwork, type BrainHead } from "../../../src/nn/brainjs/network.js";

const sizes = [3, 6, 5, 2];
const x = Float32Array.from([0.7, -1.2, 0.4]);
const y = Float32Array.from([0.3, 0.8]);

/** Deterministic weights in [-0.9, 0.9] (no RNG needed). */
function fill(net: RegistryNeuralNetwork) {
  let t = 1;
  for (let l = 1; l < sizes.length; l++) {
    for (const row of net.weights[l]) for (let k = 0; k < row.length; k++) row[k] = Math.sin(t++ * 2.3) * 0.9;
    for (let j = 0; j < net.biases[l].length; j++) net.biases[l][j] = Math.cos(t++ * 1.1) * 0.3;
  }
}

/** brain.js's deltas are -dL/dz per sample, so dL/dW = -delta * a_prev and dL/db = -delta. */
function brainGradients(net: RegistryNeuralNetwork) {
  const w: number[][] = [];
  const b: number[][] = [];
  for (let l = 1; l < sizes.length; l++) {
    const prev = net.outputs[l - 1];
    w.push([...net.deltas[l]].flatMap((d) => [...prev].map((a) => -d * a)));
    b.push([...net.deltas[l]].map((d) => -d));
  }
  return { w, b };
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string) {
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  for (let i = 0; i < want.length; i++) {
    // float32 rounding: each side rounds activations and products to float32 (relative 6e-8) through
    // three layers; 2e-6 of the layer's largest entry plus 1e-5 relative covers that and nothing more.
    const tol = 2e-6 * scale + 1e-5 * Math.abs(want[i]) + 1e-12;
    expect(Math.abs(got[i] - want[i]), `${what}[${i}]: brain.js ${want[i]}, native ${got[i]}`).toBeLessThanOrEqual(tol);
  }
}

const names = activationNames().filter((n) => !n.startsWith("test_"));

describe("brain.js engine gradients equal the native engine's", () => {
  for (const head of ["brainjs", "softmax_ce", "linear_mse", "sigmoid_bce"] as BrainHead[]) {
    for (const name of names) {
      it(`${name}, head ${head}`, () => {
        const net = new RegistryNeuralNetwork({ sizes, activation: name, head, learningRate: 0.1 });
        net.initialize();
        fill(net);
        const target = head === "softmax_ce" ? Float32Array.from([0, 1]) : y;
        // Forward and deltas only (no weight update), exactly as trainPattern begins.
        net.runInput(x);
        net.calculateDeltas(target);
        const bj = brainGradients(net);
        const native = modelFromJSON(net.toJSON());
        const yNative = head === "softmax_ce" ? Float32Array.from([1]) : y;
        const g = native.lossAndGradients(x, yNative, 1);
        expect(g.weights.length).toBe(sizes.length - 1);
        for (let k = 0; k < g.weights.length; k++) {
          expectClose(g.weights[k], bj.w[k], `layer ${k + 1} dW`);
          expectClose(g.biases[k], bj.b[k], `layer ${k + 1} db`);
        }
        if (name === "prelu") {
          // Slopes: dL/da_j = -error_j (brain.js's error is -dL/da), times d prelu / d slope = min(z, 0).
          for (let k = 0; k < g.params.length; k++) {
            const slope = g.params[k].slope;
            if (!slope) continue;
            const want = [...net.error64[k + 1]].map((e, j) => -e * Math.min(net.sums[k + 1][j], 0));
            expectClose(slope, want, `layer ${k + 1} d slope`);
          }
        }
        // The gradients are not all zero (else the comparison says nothing).
        expect(g.weights.some((w) => w.some((v) => v !== 0))).toBe(true);
      });
    }
  }
});
