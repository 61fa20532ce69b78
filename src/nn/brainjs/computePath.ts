/**
 * The brain.js compute path (`engine: brainjs`): per-sample training exactly
 * as brain.js trains (its trainPattern: forward, deltas, adjustWeights), with
 * any registry activation, driven by the one training loop (nn/train.ts) like
 * the native paths. It lives apart from nn/computePath.ts so that native runs
 * never load brain.js.
 *
 * - Seeded: the starting weights are the loop's network's (the native
 *   engine's for the same seed and init scheme; brain.js would draw them from
 *   Math.random).
 * - Shuffled by the loop: brain.js visits samples in array order; each epoch's
 *   order comes from the run's shuffle stream, the native engine's order.
 * - Evaluated, not the online error: brain.js's train() reports the mean
 *   error seen while the weights were changing; the record points evaluate
 *   and probe the loop's network (the mirror), synced from brain.js's
 *   weights, so every engine's columns mean the same.
 * - Each step returns the sample's loss under the run's head, so the loop's
 *   divergence rules (a non-finite loss, divergeAbove) apply as on the
 *   native paths (brain.js would keep iterating on NaN).
 */
import { headLoss, lossDivisor } from "../heads.js";
import type { MLP } from "../mlp.js";
import { modelToJSON } from "../modelJson.js";
import { mirrorProbes, type PathFactory } from "../computePath.js";
import { BRAINJS_OPTIMIZERS } from "../names.js";
import { countCorrect, norm } from "../probes.js";
import type { RunConfig } from "../types.js";
import { RegistryNeuralNetwork } from "./network.js";

/** brain.js's optimizers: its momentum rule (sgd = momentum 0) and its Adam (praxis), nothing else. */
function brainOptimizer(o: RunConfig["train"]["optimizer"]) {
  if (o.weightDecay || o.clipNorm)
    throw new Error("engine brainjs has no weight decay or gradient clipping (brain.js has neither); use engine native");
  switch (o.name) {
    case "sgd":
      return { learningRate: o.lr, momentum: 0 };
    case "momentum":
      return { learningRate: o.lr, momentum: o.momentum ?? 0.9 };
    case "adam":
      return { learningRate: o.lr, praxis: "adam" as const, beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, epsilon: o.eps ?? 1e-8 };
    default:
      throw new Error(`engine brainjs supports optimizers ${BRAINJS_OPTIMIZERS.join(", ").replace(/, (\w+)$/, " and $1")} (brain.js's own), not ${o.name}; use engine native`);
  }
}

export const brainjsCompute: PathFactory = (mirror, o) => {
  if (o.batch !== 1)
    throw new Error(`engine brainjs trains one sample at a time, as brain.js does: train.batchSize must be 1 (found ${o.batch})`);
  const nin = mirror.inputs;
  const nout = mirror.outputs;
  const L = mirror.layerCount;
  // The mirror's seeded initial weights, loaded into brain.js's layout.
  const net = RegistryNeuralNetwork.fromJSON(modelToJSON(mirror) as unknown as Parameters<typeof RegistryNeuralNetwork.fromJSON>[0]);
  net.updateTrainingOptions(brainOptimizer(o.optimizer));
  if (net.trainOpts.praxis === "adam") net._setupAdam();

  const x = new Float32Array(nin);
  const y = new Float32Array(o.kind === "class" ? 1 : nout);
  const target = new Float32Array(nout);
  const logits = new Float32Array(nout);
  const headOut = new Float32Array(nout);
  const out = net.outputs;
  let correct = 0;
  return {
    info: { path: "brainjs" },
    x,
    y,
    step(_rows, stepNorms) {
      if (o.kind === "class") {
        target.fill(0);
        target[y[0]] = 1;
      } else target.set(y);
      net.trainPattern({ input: x, output: target });
      if (o.countCorrect) correct = countCorrect(out[L], y, 1, nout);
      // The sample's loss under the run's head, from the forward pass before the update
      // (brain.js's outputs; its float64 sums, rounded, as the logits).
      logits.set(net.sums[L]);
      headOut.set(out[L]);
      const loss = headLoss({ head: mirror.head, z: logits, out: headOut, rows: 1, cols: nout, y, kind: o.kind, outGiven: true });
      if (stepNorms)
        for (let k = 0; k < L; k++) stepNorms[k] += norm(net.deltas[k + 1]) * norm(out[k]); // ||delta a^T|| = ||delta|| ||a||
      return loss / lossDivisor(mirror.head, 1, nout);
    },
    lastCorrect: () => correct,
    sync: () => syncMirror(net, mirror),
    ...mirrorProbes(mirror, o),
    snapshot: () => net.toJSON(),
  };
};

/** Copy brain.js's weights, biases and learned activation parameters into the mirror. */
function syncMirror(net: RegistryNeuralNetwork, mlp: MLP): void {
  for (let k = 0; k < mlp.layerCount; k++) {
    const nin = mlp.sizes[k];
    const rows = net.weights[k + 1];
    for (let j = 0; j < rows.length; j++) mlp.weights[k].set(rows[j], j * nin);
    mlp.biases[k].set(net.biases[k + 1]);
    const act = mlp.acts[k];
    if (act) for (const [name, values] of Object.entries(act.unitParams)) values.set(net.unitParams[k + 1][name]);
  }
}
