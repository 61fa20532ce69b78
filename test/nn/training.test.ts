// Training behaviour: determinism, identical starts across activations,
// optimizers reaching known-good accuracy, divergence, probes not changing training.
import { describe, expect, it } from "vitest";
import { activationNames } from "../../src/activations/index.js";
import { MLP, modelFromJSON, nativeEngine, OPTIMIZERS, runStreams, shuffleInPlace, normal } from "../../src/nn/index.js";
import type { ModelJSON, OptimizerSpec, RunConfig, RunResult } from "../../src/nn/index.js";
import { blobs, wave } from "./toy.js";
import { untimed } from "../untimed.js";

function config(over: Partial<RunConfig> & { opt?: Partial<OptimizerSpec> } = {}): RunConfig {
  const base: RunConfig = {
    seed: 42,
    activation: "tanh",
    model: { hidden: [8, 8], init: "auto", head: "auto" },
    train: { epochs: 5, batchSize: 16, optimizer: { name: "momentum", lr: 0.05 } },
    record: { every: 1, probeSize: 64, stepGradNorms: true, models: ["init", "final"] },
  };
  const c = { ...base, ...over };
  c.train = { ...c.train, optimizer: { ...c.train.optimizer, ...(over.opt ?? {}) } };
  return c;
}

/** Records without the timing column, for byte-for-byte comparison. */
const untimedRecords = (r: RunResult) => r.records.map(untimed);

function allNumbersFinite(v: unknown): boolean {
  if (typeof v === "number") return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(allNumbersFinite);
  if (v && typeof v === "object") return Object.values(v).every(allNumbersFinite);
  return true;
}

/** Every behaviour below holds on both compute paths: the TypeScript reference and the wasm kernels. */
for (const kernel of ["ts", "wasm"] as const) {
  const cfg = (over: Parameters<typeof config>[0] = {}): RunConfig => {
    const c = config(over);
    return { ...c, train: { ...c.train, kernel } };
  };
  describe(`kernel ${kernel}`, () => {
    describe("determinism", () => {
      const data = blobs(200, 1, 50);
      it("the same seed gives bit-identical curves and weights", () => {
        const a = nativeEngine.train(cfg(), data);
        const b = nativeEngine.train(cfg(), data);
        expect(a.status).toBe("ok");
        expect(untimedRecords(a)).toEqual(untimedRecords(b));
        expect(JSON.stringify(a.models.final)).toBe(JSON.stringify(b.models.final));
      });
      it("every record carries its timings: the epoch's training, the evaluation passes, the probe figures", () => {
        const a = nativeEngine.train(cfg(), data);
        for (const r of a.records)
          for (const ms of [r.wall_ms, r.eval_ms, r.probe_ms]) {
            expect(Number.isFinite(ms)).toBe(true);
            expect(ms).toBeGreaterThanOrEqual(0);
          }
        expect(a.records[0].wall_ms).toBe(0); // epoch 0 trains nothing
      });
      it("another seed gives other weights", () => {
        const a = nativeEngine.train(cfg(), data);
        const b = nativeEngine.train(cfg({ seed: 43 }), data);
        expect(JSON.stringify(a.models.init)).not.toBe(JSON.stringify(b.models.init));
      });
      it("every activation starts from identical weights for one seed and scheme", () => {
        const layersOf = (name: string) => {
          const r = nativeEngine.train(cfg({ activation: name, model: { hidden: [8, 8], init: "he_uniform", head: "auto" }, train: { epochs: 0, batchSize: 16, optimizer: { name: "sgd", lr: 0.1 } } }), data);
          return JSON.stringify((r.models.init as ModelJSON).layers);
        };
        const first = layersOf("relu");
        for (const name of activationNames()) expect(layersOf(name), name).toBe(first);
      });
      it("the batch order does not depend on how many init draws were made", () => {
        const order = (initDraws: number) => {
          const s = runStreams(5);
          for (let i = 0; i < initDraws; i++) normal(s.init);
          const idx = Uint32Array.from({ length: 50 }, (_, i) => i);
          shuffleInPlace(s.shuffle, idx);
          return Array.from(idx);
        };
        const base = order(0);
        expect(order(1000)).toEqual(base);
        expect(base).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
        expect([...base].sort((p, q) => p - q)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      });
      it("two activations with the same seed and scheme see the same batches (identity vs a linear-equivalent net)", () => {
        // leaky_relu with alpha = 1 is the identity function: same init, same
        // batches, same arithmetic -> the same trained weights bit for bit.
        const c = (activation: RunConfig["activation"]) =>
          cfg({ activation, model: { hidden: [8], init: "xavier_normal", head: "auto" }, opt: { name: "sgd", lr: 0.05 } });
        const a = nativeEngine.train(c("identity"), data);
        const b = nativeEngine.train(c({ name: "leaky_relu", alpha: 1 }), data);
        expect(JSON.stringify((a.models.final as ModelJSON).layers)).toBe(JSON.stringify((b.models.final as ModelJSON).layers));
      });
    });

    describe("optimizers train a separable toy problem", () => {
      const data = blobs(400, 2, 200);
      const lrs: Record<OptimizerSpec["name"], number> = { sgd: 0.1, momentum: 0.05, nesterov: 0.05, adam: 0.01, adamw: 0.01 };
      for (const name of OPTIMIZERS)
        it(`${name} reaches >= 95% train and val accuracy (Bayes ~98%)`, () => {
          const r = nativeEngine.train(
            cfg({ opt: { name, lr: lrs[name], weightDecay: name === "adamw" ? 0.01 : undefined }, train: { epochs: 20, batchSize: 16, optimizer: { name, lr: lrs[name] } }, record: { every: 5, probeSize: 64 } }),
            data,
          );
          expect(r.status).toBe("ok");
          const last = r.records[r.records.length - 1];
          expect(last.epoch).toBe(20);
          expect(r.records[0].train_acc).toBeDefined();
          expect(last.train_acc!).toBeGreaterThanOrEqual(0.95);
          expect(last.val_acc!).toBeGreaterThanOrEqual(0.95);
          expect(last.train_loss).toBeLessThan(r.records[0].train_loss);
        });
      it("clipNorm keeps training working", () => {
        const r = nativeEngine.train(cfg({ train: { epochs: 20, batchSize: 8, optimizer: { name: "sgd", lr: 0.2, clipNorm: 0.5 } } }), data);
        expect(r.records[r.records.length - 1].train_acc!).toBeGreaterThanOrEqual(0.95);
      });
      it("batch size 1 and the whole set both train", () => {
        for (const batchSize of [1, 400]) {
          const r = nativeEngine.train(cfg({ train: { epochs: batchSize === 1 ? 3 : 150, batchSize, optimizer: { name: "adam", lr: 0.02 } }, record: { every: 50, probeSize: 32 } }), data);
          expect(r.records[r.records.length - 1].train_acc!, `batch ${batchSize}`).toBeGreaterThanOrEqual(0.95);
        }
      });
      it("regression with linear_mse reduces the loss well below the target variance", () => {
        const r = nativeEngine.train(cfg({ activation: "tanh", model: { hidden: [16], init: "auto", head: "auto" }, train: { epochs: 40, batchSize: 16, optimizer: { name: "adam", lr: 0.01 } }, record: { every: 40, probeSize: 32 } }), wave(300, 3));
        const first = r.records[0];
        const last = r.records[r.records.length - 1];
        expect(last.train_acc).toBeUndefined();
        // Var(sin(x0) + 0.5 x1) ~ 0.43 + 0.25 = 0.68 for standard normal inputs.
        expect(last.train_loss).toBeLessThan(0.05);
        expect(first.train_loss).toBeGreaterThan(0.3);
      });
    });

    describe("divergence", () => {
      it("a huge learning rate stops the run with a cause and only finite numbers", () => {
        const r = nativeEngine.train(cfg({ activation: "relu", train: { epochs: 10, batchSize: 16, optimizer: { name: "sgd", lr: 1e12 } } }), wave(200, 4));
        expect(r.status).toBe("diverged");
        expect(r.divergedEpoch).toBeGreaterThanOrEqual(1);
        expect(r.divergedEpoch).toBeLessThanOrEqual(10);
        expect(r.message).toMatch(/non-finite|became|NaN|Infinity/);
        expect(r.records.length).toBeGreaterThanOrEqual(1);
        expect(r.records[0].epoch).toBe(0);
        for (const rec of r.records) expect(rec.epoch).toBeLessThan(r.divergedEpoch!);
        expect(allNumbersFinite(r)).toBe(true);
        expect(r.models.final).toBeUndefined();
      });
      it("divergeAbove marks a run whose loss exceeds the bound", () => {
        const r = nativeEngine.train(cfg({ train: { epochs: 3, batchSize: 16, optimizer: { name: "sgd", lr: 0.01 }, divergeAbove: 1e-9 } }), blobs(100, 5));
        expect(r.status).toBe("diverged");
        expect(r.divergedEpoch).toBe(1);
        expect(r.message).toMatch(/divergeAbove/);
      });
    });

    describe("probes never change training", () => {
      for (const activation of ["relu", "prelu", "softmax"])
        it(`${activation}: probes every epoch vs only at the ends give bit-identical weights`, () => {
          const data = blobs(150, 6, 30);
          const base = { activation, train: { epochs: 6, batchSize: 10, optimizer: { name: "adam" as const, lr: 0.01 } } };
          const often = nativeEngine.train(cfg({ ...base, record: { every: 1, probeSize: 150, stepGradNorms: true, models: ["final"] } }), data);
          const rarely = nativeEngine.train(cfg({ ...base, record: { every: 1000, probeSize: 7, models: ["final"] } }), data);
          expect(often.records.length).toBe(7);
          expect(rarely.records.map((r) => r.epoch)).toEqual([0, 6]);
          expect(JSON.stringify(often.models.final)).toBe(JSON.stringify(rarely.models.final));
          const a = often.records[6];
          const b = rarely.records[1];
          expect(a.train_loss).toBe(b.train_loss);
          expect(a.val_acc).toBe(b.val_acc);
          expect(a.layers[0].step_grad_norm).toBeGreaterThan(0);
          expect(b.layers[0].step_grad_norm).toBeUndefined();
        });
      it("evaluation loss is a full pass with trainMetrics full: it equals the loss of the whole split computed directly", () => {
        const data = blobs(300, 7);
        const r = nativeEngine.train(cfg({ train: { epochs: 2, batchSize: 16, optimizer: { name: "sgd", lr: 0.1 } }, record: { every: 1, probeSize: 32, trainMetrics: "full", models: ["final"] } }), data);
        const mlp = modelFromJSON(r.models.final);
        const direct = mlp.loss(data.train.x, data.train.y, data.train.n);
        expect(Math.abs(r.records[2].train_loss - direct)).toBeLessThan(1e-6 * direct);
      });
    });
  });
}
