// The brain.js engine as a whole: seeded like the native engine, same record
// columns, trains exactly as stock brain.js does, learns a toy problem,
// deterministic, divergence recorded by the training loop's rules.
import brainjs from "brain.js";
import { describe, expect, it } from "vitest";
import type { Dataset } from "../../../src/data/types.js";
import { nativeEngine, runStreams, shuffleInPlace } from "../../../src/nn/index.js";
import { brainjsEngine } from "../../../src/nn/brainjs/index.js";
import type { RunConfig } from "../../../src/nn/types.js";
import { untimed } from "../../untimed.js";

/** Two Gaussian-ish blobs made without an RNG (a fixed quasi-random sequence), linearly separable. */
function toy(n = 200): Dataset {
  const x = new Float32Array(n * 2);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    const u = ((i * 0.618034) % 1) - 0.5;
    const v = ((i * 0.414214) % 1) - 0.5;
    x[2 * i] = (c ? 1 : -1) + u;
    x[2 * i + 1] = (c ? 1 : -1) * 0.5 + v;
    y[i] = c;
  }
  const split = (a: number, b: number) => ({ n: b - a, x: x.slice(a * 2, b * 2), y: y.slice(a, b) });
  return { name: "toy", task: "classification", features: 2, classes: 2, outputs: 2, train: split(0, 160), val: split(160, 200), source: "test" };
}

function config(over: Partial<RunConfig["train"]> = {}, activation: RunConfig["activation"] = "tanh"): RunConfig {
  return {
    seed: 3,
    activation,
    model: { hidden: [8, 8], init: "auto", head: "auto" },
    train: { epochs: 5, batchSize: 1, optimizer: { name: "momentum", lr: 0.05, momentum: 0.5 }, ...over },
    record: { every: 1, probeSize: 64, stepGradNorms: true, models: ["init", "final"] },
  };
}

describe("brain.js engine", () => {
  it("starts from the native engine's seeded weights: identical epoch-0 records", () => {
    const data = toy();
    const a = brainjsEngine.train(config(), data);
    // The brain.js engine probes with the TypeScript reference path; compare with the native engine on it.
    const ts = config();
    const b = nativeEngine.train({ ...ts, train: { ...ts.train, kernel: "ts" } }, data);
    expect(untimed(a.records[0])).toEqual(untimed(b.records[0]));
    expect(a.models.init).toBeDefined();
    expect((a.models.init as { layers: unknown[] }).layers).toEqual((b.models.init as { layers: unknown[] }).layers);
  });

  it("records the same columns as the native engine and learns the toy problem", () => {
    const data = toy();
    const a = brainjsEngine.train(config(), data);
    const b = nativeEngine.train(config(), data);
    expect(a.status).toBe("ok");
    expect(a.records.map((r) => r.epoch)).toEqual(b.records.map((r) => r.epoch));
    const keys = (r: (typeof a.records)[0]) => [Object.keys(r).sort(), r.layers.map((l) => Object.keys(l).sort())];
    expect(keys(a.records[3])).toEqual(keys(b.records[3]));
    expect(a.records.at(-1)!.val_acc).toBeGreaterThan(0.95);
    expect(a.records.at(-1)!.train_loss).toBeLessThan(a.records[0].train_loss);
  });

  it("is deterministic: the same config gives the same numbers", () => {
    const strip = (rs: ReturnType<typeof brainjsEngine.train>) => rs.records.map(untimed);
    expect(strip(brainjsEngine.train(config({}, "gelu"), toy()))).toEqual(strip(brainjsEngine.train(config({}, "gelu"), toy())));
  });

  it("trains every optimizer brain.js has (sgd, momentum, adam) and refuses the others clearly", () => {
    for (const optimizer of [{ name: "sgd", lr: 0.1 }, { name: "adam", lr: 0.01 }] as const) {
      const r = brainjsEngine.train(config({ optimizer }, "relu"), toy());
      expect(r.records.at(-1)!.val_acc, optimizer.name).toBeGreaterThan(0.95);
    }
    expect(() => brainjsEngine.train(config({ optimizer: { name: "nesterov", lr: 0.1 } }), toy())).toThrow(/sgd, momentum and adam/);
    expect(() => brainjsEngine.train(config({ batchSize: 8 }), toy())).toThrow(/batchSize must be 1/);
  });

  it("stops on divergence with the epoch and the cause", () => {
    // identity units cannot die, so a huge step must blow the weights up.
    const r = brainjsEngine.train(config({ optimizer: { name: "sgd", lr: 1e12 } }, "identity"), toy());
    expect(r.status).toBe("diverged");
    expect(r.divergedEpoch).toBe(1);
    expect(r.message).toMatch(/epoch 1/);
    for (const rec of r.records) expect(Number.isFinite(rec.train_loss)).toBe(true);
  });

  it("through the one training loop, trains exactly as stock brain.js: same weights bit for bit after 3 epochs", () => {
    const data = toy();
    // Head brainjs: brain.js's own output layer and loss (the other heads are ours).
    const base = config({ epochs: 3, optimizer: { name: "momentum", lr: 0.05, momentum: 0.5 } }, "tanh");
    const cfg: RunConfig = { ...base, model: { ...base.model, head: "brainjs" } };
    const ours = brainjsEngine.train(cfg, data);
    // Stock brain.js from the same starting weights, fed the same samples in the loop's order
    // (the run's shuffle stream, reshuffled each epoch), one trainPattern per sample.
    type StockJSON = Parameters<InstanceType<typeof brainjs.NeuralNetwork>["fromJSON"]>[0];
    const stock = new brainjs.NeuralNetwork().fromJSON(ours.models.init as StockJSON);
    stock.updateTrainingOptions({ learningRate: 0.05, momentum: 0.5, activation: "tanh" });
    stock.setActivation();
    const shuffle = runStreams(cfg.seed).shuffle;
    const n = data.train.n;
    const order = new Uint32Array(n);
    for (let epoch = 0; epoch < 3; epoch++) {
      for (let i = 0; i < n; i++) order[i] = i;
      shuffleInPlace(shuffle, order);
      for (const row of order) {
        const output = new Float32Array(2);
        output[data.train.y[row]] = 1;
        stock.trainPattern({ input: data.train.x.slice(row * 2, row * 2 + 2), output });
      }
    }
    const layers = (json: unknown) => (json as { layers: unknown[] }).layers;
    expect(layers(ours.models.final)).toEqual(layers(stock.toJSON()));
    expect(layers(ours.models.final)).not.toEqual(layers(ours.models.init));
  });

  it("applies divergeAbove to the epoch's mean training loss, as the native paths do", () => {
    const r = brainjsEngine.train(config({ divergeAbove: 1e-9 }), toy());
    expect(r.status).toBe("diverged");
    expect(r.divergedEpoch).toBe(1);
    expect(r.message).toMatch(/mean training loss .* of epoch 1 exceeded divergeAbove/);
    expect(r.records.map((rec) => rec.epoch)).toEqual([0]);
  });
});
