// record.trainMetrics: `running` train_loss / train_acc are the epoch's
// per-row means of the losses and accuracies of the steps themselves (each
// batch with the weights as they were at that batch), replayed here
// independently: the TypeScript reference (MLP.lossInto + Optimizer, the
// argmax counted by hand) for the native paths, brain.js's own forward and
// trainPattern for the brain.js path. Epoch 0 stays a full pass; `full` is a
// full pass at every record point.
import { describe, expect, it } from "vitest";
import type { Dataset } from "../../src/data/types.js";
import { brainjsEngine, RegistryNeuralNetwork } from "../../src/nn/brainjs/index.js";
import { MLP, modelToJSON, nativeEngine, Optimizer, runStreams, shuffleInPlace } from "../../src/nn/index.js";
import type { RunConfig } from "../../src/nn/index.js";
import { blobs, wave } from "./toy.js";

const EPOCHS = 3;

function config(over: { kernel?: "ts" | "wasm"; batchSize?: number; head?: RunConfig["model"]["head"]; trainMetrics?: "running" | "full" } = {}): RunConfig {
  return {
    seed: 4,
    activation: "tanh",
    model: { hidden: [6, 5], init: "auto", head: over.head ?? "auto" },
    train: { epochs: EPOCHS, batchSize: over.batchSize ?? 16, optimizer: { name: "momentum", lr: 0.05, momentum: 0.5 }, kernel: over.kernel },
    record: { every: 1, probeSize: 32, ...(over.trainMetrics ? { trainMetrics: over.trainMetrics } : {}) },
  };
}

/** Index of the largest of out[o .. o + cols) (the first on ties). */
function argmax(out: ArrayLike<number>, o: number, cols: number): number {
  let best = 0;
  for (let c = 1; c < cols; c++) if (out[o + c] > out[o + best]) best = c;
  return best;
}

/** Per epoch: the mean over rows of the batch losses (each batch's mean times its rows) and the share of rows classified right, before each update. */
function replayNative(cfg: RunConfig, data: Dataset): Array<{ loss: number; acc?: number }> {
  const classification = data.task === "classification";
  const head = cfg.model.head === "auto" ? (classification ? "softmax_ce" : "linear_mse") : cfg.model.head;
  const mlp = new MLP({ sizes: [data.features, ...cfg.model.hidden, data.outputs], activation: cfg.activation, head, init: cfg.model.init });
  const streams = runStreams(cfg.seed);
  mlp.initialize(streams.init);
  const opt = new Optimizer(cfg.train.optimizer, mlp.parameters());
  const grads = mlp.newGradients();
  const tensors = mlp.gradientTensors(grads);
  const { n, x, y } = data.train;
  const nin = data.features;
  const ycols = classification ? 1 : data.outputs;
  const batch = cfg.train.batchSize;
  const ws = mlp.workspace(batch);
  const order = new Uint32Array(n);
  const out: Array<{ loss: number; acc?: number }> = [];
  for (let epoch = 1; epoch <= EPOCHS; epoch++) {
    for (let i = 0; i < n; i++) order[i] = i;
    shuffleInPlace(streams.shuffle, order);
    let lossRows = 0;
    let correct = 0;
    for (let b0 = 0; b0 < n; b0 += batch) {
      const rows = Math.min(batch, n - b0);
      const bx = new Float32Array(rows * nin);
      const by = new Float32Array(rows * ycols);
      for (let r = 0; r < rows; r++) {
        bx.set(x.subarray(order[b0 + r] * nin, (order[b0 + r] + 1) * nin), r * nin);
        by.set(y.subarray(order[b0 + r] * ycols, (order[b0 + r] + 1) * ycols), r * ycols);
      }
      const loss = mlp.lossInto(ws, bx, by, classification ? "class" : "values", rows, grads);
      lossRows += loss * rows;
      const probs = ws.a[mlp.layerCount - 1];
      if (classification) for (let r = 0; r < rows; r++) if (argmax(probs, r * data.outputs, data.outputs) === by[r]) correct++;
      opt.step(tensors);
    }
    out.push(classification ? { loss: lossRows / n, acc: correct / n } : { loss: lossRows / n });
  }
  return out;
}

describe("record.trainMetrics", () => {
  // 90 rows in batches of 16: the last batch has 10 rows, so a per-batch (unweighted) mean would differ.
  const data = blobs(90, 3, 30);

  it("running is the default, and epoch 0 is a full pass over the training split", () => {
    const r = nativeEngine.train(config({ kernel: "ts" }), data);
    const full = nativeEngine.train(config({ kernel: "ts", trainMetrics: "full" }), data);
    expect(r.records[0].train_loss).toBe(full.records[0].train_loss);
    expect(r.records[0].train_acc).toBe(full.records[0].train_acc);
    // Later epochs differ: the running figures average over weights that were still moving.
    expect(r.records[EPOCHS].train_loss).not.toBe(full.records[EPOCHS].train_loss);
    // Validation stays a full pass with the end-of-epoch weights either way.
    expect(r.records.map((x) => x.val_loss)).toEqual(full.records.map((x) => x.val_loss));
  });

  it("TypeScript path: running equals the replayed batch means exactly", () => {
    const r = nativeEngine.train(config({ kernel: "ts" }), data);
    const ref = replayNative(config({ kernel: "ts" }), data);
    for (let e = 1; e <= EPOCHS; e++) {
      expect(r.records[e].train_loss, `epoch ${e}`).toBe(ref[e - 1].loss);
      expect(r.records[e].train_acc, `epoch ${e}`).toBe(ref[e - 1].acc);
    }
  });

  it("wasm path: running equals the replayed batch means to float32 rounding", () => {
    const r = nativeEngine.train(config({ kernel: "wasm" }), data);
    const ref = replayNative(config({ kernel: "ts" }), data);
    for (let e = 1; e <= EPOCHS; e++) {
      expect(Math.abs(r.records[e].train_loss - ref[e - 1].loss), `epoch ${e}`).toBeLessThan(1e-4 * ref[e - 1].loss);
      // A row whose two outputs tie to float32 rounding may go either way: at most one row in 90.
      expect(Math.abs(r.records[e].train_acc! - ref[e - 1].acc!), `epoch ${e}`).toBeLessThanOrEqual(1 / 90 + 1e-12);
    }
  });

  it("regression (linear_mse, no accuracy): running loss equals the replay on both native paths", () => {
    const reg = wave(70, 2);
    const ref = replayNative(config({ kernel: "ts" }), reg);
    const ts = nativeEngine.train(config({ kernel: "ts" }), reg);
    const wasm = nativeEngine.train(config({ kernel: "wasm" }), reg);
    for (let e = 1; e <= EPOCHS; e++) {
      expect(ts.records[e].train_loss).toBe(ref[e - 1].loss);
      expect(ts.records[e].train_acc).toBeUndefined();
      expect(Math.abs(wasm.records[e].train_loss - ref[e - 1].loss)).toBeLessThan(1e-4 * ref[e - 1].loss);
    }
  });

  it("brain.js path: running equals brain.js's own per-sample losses and argmaxes before each trainPattern", () => {
    const cfg = config({ batchSize: 1, head: "brainjs" });
    const r = brainjsEngine.train(cfg, data);
    // The replay: brain.js from the loop's seeded weights, each sample's output taken before its update.
    const mlp = new MLP({ sizes: [2, 6, 5, 2], activation: "tanh", head: "brainjs" });
    const streams = runStreams(cfg.seed);
    mlp.initialize(streams.init);
    const net = RegistryNeuralNetwork.fromJSON(modelToJSON(mlp) as never);
    net.updateTrainingOptions({ learningRate: 0.05, momentum: 0.5 });
    const { n, x, y } = data.train;
    const order = new Uint32Array(n);
    for (let e = 1; e <= EPOCHS; e++) {
      for (let i = 0; i < n; i++) order[i] = i;
      shuffleInPlace(streams.shuffle, order);
      let lossSum = 0;
      let correct = 0;
      for (const row of order) {
        const input = x.slice(row * 2, row * 2 + 2);
        const target = new Float32Array(2);
        target[y[row]] = 1;
        const out = Float32Array.from(net.runInputRegistry(input));
        lossSum += 0.5 * (out[0] - target[0]) ** 2 + 0.5 * (out[1] - target[1]) ** 2; // brain.js's loss, 1/2 sum of squares
        if (argmax(out, 0, 2) === y[row]) correct++;
        net.trainPattern({ input, output: target });
      }
      expect(Math.abs(r.records[e].train_loss - lossSum / n), `epoch ${e}`).toBeLessThanOrEqual(1e-15 * lossSum);
      expect(r.records[e].train_acc, `epoch ${e}`).toBe(correct / n);
    }
  });
});
