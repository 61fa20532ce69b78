// The brainjs head against stock brain.js itself. brain.js trains one sample
// at a time: weights w += lr * delta * input + momentum * (previous change),
// biases b += lr * delta (no momentum), with delta = (target - output) f'
// backpropagated, i.e. gradient descent on 1/2 sum of squared errors. So along
// brain.js's own trajectory, each change must equal -lr * (our gradient) (+ the
// momentum term for weights), our gradient taken at brain.js's current weights.
// brain.js takes f' from the float32 output (1 - y^2 for tanh), the engine from
// the pre-activation, and weights are float32: agreement is to float32 rounding
// of the weights (~1e-8 observed; bound 1e-5 of the largest change, ~1e-2).
import brain from "brain.js";
import { describe, expect, it } from "vitest";
import { MLP, modelFromJSON } from "../../src/nn/index.js";

describe("brainjs head gradients = stock brain.js per-sample updates", () => {
  for (const activation of ["tanh", "sigmoid", "relu", "leaky-relu"] as const)
    it(`${activation}: four momentum steps on four samples`, () => {
      const lr = 0.1;
      const momentum = 0.5;
      const net = new brain.NeuralNetwork({ inputSize: 3, hiddenLayers: [5, 4], outputSize: 2, activation });
      net.initialize();
      // Non-zero biases keep relu units alive.
      for (let k = 1; k < net.biases.length; k++) net.biases[k].fill(0.1);
      const samples = [
        { input: [0.2, -0.7, 0.9], output: [1, 0] },
        { input: [-0.4, 0.1, 0.3], output: [0, 1] },
        { input: [0.8, 0.5, -0.2], output: [1, 1] },
        { input: [-0.9, -0.3, -0.6], output: [0, 0] },
      ];
      const mlp = modelFromJSON(net.toJSON());
      expect(mlp.head).toBe("brainjs");
      const prepared = net.prepTraining(samples, { iterations: 1, learningRate: lr, momentum, errorThresh: 1e-9 }).preparedData;
      const L = mlp.layerCount;
      let prevChange: Float32Array[] = mlp.weights.map((w) => new Float32Array(w.length));
      let worst = 0;
      let largest = 0;
      for (let s = 0; s < samples.length; s++) {
        mlp.setLayers(Array.from({ length: L }, (_, k) => ({ weights: net.weights[k + 1], biases: net.biases[k + 1] })));
        const before = mlp.weights.map((w) => w.slice());
        const beforeB = mlp.biases.map((b) => b.slice());
        const g = mlp.lossAndGradients(Float32Array.from(samples[s].input), Float32Array.from(samples[s].output), 1);
        net.trainPattern(prepared[s]);
        const after = new MLP({ sizes: [...mlp.sizes], activation: mlp.activation.name, head: "brainjs" }).setLayers(
          Array.from({ length: L }, (_, k) => ({ weights: net.weights[k + 1], biases: net.biases[k + 1] })),
        );
        const change: Float32Array[] = [];
        for (let k = 0; k < L; k++) {
          const c = new Float32Array(before[k].length);
          for (let i = 0; i < c.length; i++) {
            c[i] = after.weights[k][i] - before[k][i];
            const expected = -lr * g.weights[k][i] + momentum * prevChange[k][i];
            worst = Math.max(worst, Math.abs(c[i] - expected));
            largest = Math.max(largest, Math.abs(expected));
          }
          change.push(c);
          for (let j = 0; j < beforeB[k].length; j++) {
            const expected = -lr * g.biases[k][j];
            worst = Math.max(worst, Math.abs(after.biases[k][j] - beforeB[k][j] - expected));
          }
        }
        prevChange = change;
      }
      expect(largest).toBeGreaterThan(1e-3);
      expect(worst).toBeLessThan(1e-5 * largest);
    });
});
