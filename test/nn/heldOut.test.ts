/**
 * The test split: its figures against a forward pass computed here by hand
 * (float64, from the model file's weights), the best-epoch model's figures
 * against a second run stopped at that epoch, and proof that training never
 * reads it (scrambled test labels change no record).
 */
import { describe, expect, it } from "vitest";
import { loadDataset, type Dataset } from "../../src/data/index.js";
import { nativeEngine, type ModelJSON, type RunConfig } from "../../src/nn/index.js";
import { brainjsEngine } from "../../src/nn/brainjs/index.js";
import { untimed } from "../untimed.js";

const data = loadDataset({ name: "blobs", n: 240, noise: 2.5, classes: 3, split: { val: 0.25, test: 0.25 } });

function config(epochs: number, extra: Partial<RunConfig["train"]> = {}): RunConfig {
  return {
    seed: 3,
    activation: "tanh",
    model: { hidden: [6], init: "auto", head: "auto" },
    train: { epochs, batchSize: 16, optimizer: { name: "adam", lr: 0.05 }, ...extra },
    record: { every: 1, probeSize: 32, models: ["final"] },
  };
}

/** Mean softmax cross-entropy and accuracy of a one-hidden-layer tanh model file on a split, in float64. */
function byHand(model: ModelJSON, split: NonNullable<Dataset["test"]>, features: number): { loss: number; acc: number } {
  const [, hidden, out] = model.layers;
  let loss = 0;
  let correct = 0;
  for (let r = 0; r < split.n; r++) {
    const x = Array.from(split.x.subarray(r * features, (r + 1) * features));
    const h = hidden.weights.map((w, u) => Math.tanh(w.reduce((s, wi, i) => s + wi * x[i], hidden.biases[u])));
    const z = out.weights.map((w, c) => w.reduce((s, wi, i) => s + wi * h[i], out.biases[c]));
    const m = Math.max(...z);
    const logSum = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
    const y = split.y[r];
    loss += logSum - z[y];
    if (z.indexOf(m) === y) correct++;
  }
  return { loss: loss / split.n, acc: correct / split.n };
}

describe("the test split", () => {
  const long = nativeEngine.train(config(25), data);
  const bestEpoch = long.records.reduce((b, r) => (r.val_acc! > b.val_acc! ? r : b)).epoch;

  it("the final model's test loss and accuracy are the model file's, evaluated by hand", () => {
    expect(long.status).toBe("ok");
    const hand = byHand(long.models.final as ModelJSON, data.test!, data.features);
    expect(long.test!.test_acc).toBe(hand.acc);
    expect(long.test!.test_loss).toBeCloseTo(hand.loss, 5);
  });

  it("the best-epoch figures are those of the model validation chose: a run stopped at best_epoch has them as its final figures", () => {
    // The run is deterministic, so a run of best_epoch epochs is the long run's model at that epoch.
    expect(bestEpoch).toBeGreaterThan(0);
    expect(bestEpoch).toBeLessThan(25);
    const short = nativeEngine.train(config(bestEpoch), data);
    expect(long.test!.best_test_loss).toBe(short.test!.test_loss);
    expect(long.test!.best_test_acc).toBe(short.test!.test_acc);
    expect(long.test!.best_test_acc).not.toBe(long.test!.test_acc); // the two models differ here
    const hand = byHand(short.models.final as ModelJSON, data.test!, data.features);
    expect(long.test!.best_test_acc).toBe(hand.acc);
  });

  it("training never reads it: scrambled test labels and features change no record, only the test figures", () => {
    const scrambled: Dataset = {
      ...data,
      test: { n: data.test!.n, x: data.test!.x.map((v) => -v), y: data.test!.y.map((c) => (c + 1) % 3) },
    };
    const other = nativeEngine.train(config(25), scrambled);
    expect(other.records.map(untimed)).toEqual(long.records.map(untimed));
    expect(other.test!.test_acc).not.toBe(long.test!.test_acc);
  });

  it("is reported without a validation split (final model only), and not at all without a test split", () => {
    const noVal = loadDataset({ name: "blobs", n: 240, noise: 2.5, classes: 3, split: { val: 0, test: 0.25 } });
    const r = nativeEngine.train(config(3), noVal);
    expect(r.test!.test_acc).toBeGreaterThan(0);
    expect(r.test!.best_test_acc).toBeUndefined();
    const noTest = loadDataset({ name: "blobs", n: 240, noise: 2.5, classes: 3, split: { val: 0.25 } });
    expect(nativeEngine.train(config(3), noTest).test).toBeUndefined();
  });

  it("a diverged run has no final test figures, and the best epoch's before the divergence", () => {
    const r = nativeEngine.train(config(5, { divergeAbove: 1e-6 }), data);
    expect(r.status).toBe("diverged");
    expect(r.divergedEpoch).toBe(1);
    expect(r.test!.test_acc).toBeUndefined();
    // The only record point kept is the untrained network's, so it is the best one.
    const untrained = nativeEngine.train(config(0), data);
    expect(r.test!.best_test_acc).toBe(untrained.test!.test_acc);
  });

  it("the brain.js engine reports them too, from the same loop", () => {
    const r = brainjsEngine.train({ ...config(2), train: { epochs: 2, batchSize: 1, optimizer: { name: "sgd", lr: 0.05 } } }, data);
    const hand = byHand(r.models.final as ModelJSON, data.test!, data.features);
    expect(r.test!.test_acc).toBe(hand.acc);
    expect(r.test!.test_loss).toBeCloseTo(hand.loss, 5);
  });
});
