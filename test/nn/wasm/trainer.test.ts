/**
 * The wasm training step against the TypeScript engine (the reference, which
 * test/nn checks against PyTorch and finite differences): from the same
 * weights, on the same batches, with the same optimizer, the two must give
 * the same losses and weights to float32 rounding.
 *
 * Two measures per parameter tensor after a few steps:
 *   - weights: max |w_wasm - w_ts| / max |w_ts| <= 1e-5;
 *   - updates: max |w_wasm - w_ts| / max |w_ts - w_init| <= 2e-4, so that a
 *     wrong gradient cannot hide under a small learning rate.
 * Shapes are chosen to hit every kernel path: units not a multiple of 4
 * (padding), of 12 (the wide blocks' remainders), inputs not a multiple of 4,
 * batches not a multiple of 4.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { activationNames, defineActivation } from "../../../src/activations/index.js";
import { builtinActivations } from "../../../src/activations/builtin.js";
import { MLP, Optimizer, evaluate, HEADS, modelFromJSON, modelToJSON, OPTIMIZERS, runStreams, uniform01 } from "../../../src/nn/index.js";
import type { Head, OptimizerSpec, Rng, TargetKind } from "../../../src/nn/index.js";
import { createWasmTrainer, wasmAvailable, wasmUnavailableReason } from "../../../src/nn/wasm/index.js";
import { buildKernels } from "./buildKernels.js";

beforeAll(() => {
  buildKernels();
});

interface Batch {
  x: Float32Array;
  y: Float32Array;
  rows: number;
  kind: TargetKind;
}

function batch(rng: Rng, head: Head, rows: number, nin: number, nout: number): Batch {
  const x = new Float32Array(rows * nin);
  for (let i = 0; i < x.length; i++) x[i] = 2 * uniform01(rng) - 1;
  if (head === "softmax_ce") {
    const y = new Float32Array(rows);
    for (let r = 0; r < rows; r++) y[r] = Math.floor(uniform01(rng) * nout);
    return { x, y, rows, kind: "class" };
  }
  const y = new Float32Array(rows * nout);
  for (let i = 0; i < y.length; i++) y[i] = head === "linear_mse" ? 2 * uniform01(rng) - 1 : uniform01(rng) < 0.5 ? 0 : 1;
  return { x, y, rows, kind: "values" };
}

interface Case {
  activation: string | { name: string; [k: string]: number | string };
  head: Head;
  optimizer: OptimizerSpec;
  sizes: number[];
  batchRows: number[];
}

/** Trains both engines on the same batches; returns the worst relative differences. */
function compare(c: Case): { loss: number; weights: number; updates: number } {
  const ref = MLP.create({ sizes: c.sizes, activation: c.activation, head: c.head }, 11);
  const init = modelFromJSON(modelToJSON(ref));
  const viaWasm = modelFromJSON(modelToJSON(ref));
  const capacity = Math.max(...c.batchRows);
  const trainer = createWasmTrainer(viaWasm, c.optimizer, capacity);
  const opt = new Optimizer(c.optimizer, ref.parameters());
  const grads = ref.newGradients();
  const gradTensors = ref.gradientTensors(grads);
  const ws = ref.workspace(capacity);
  const rng = runStreams(4).init;
  let loss = 0;
  for (const rows of c.batchRows) {
    const b = batch(rng, c.head, rows, c.sizes[0], c.sizes[c.sizes.length - 1]);
    const want = ref.lossInto(ws, b.x, b.y, b.kind, rows, grads);
    opt.step(gradTensors);
    const got = trainer.step(b.x, b.y, rows, b.kind);
    loss = Math.max(loss, Math.abs(got - want) / Math.abs(want));
  }
  trainer.syncTo(viaWasm);
  let weights = 0;
  let updates = 0;
  const [pr, pw, p0] = [ref.parameters(), viaWasm.parameters(), init.parameters()];
  expect(pw.length).toBe(pr.length);
  for (let t = 0; t < pr.length; t++) {
    const [a, b, a0] = [pr[t].value, pw[t].value, p0[t].value];
    let diff = 0;
    let mag = 0;
    let moved = 0;
    for (let i = 0; i < a.length; i++) {
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
      mag = Math.max(mag, Math.abs(a[i]));
      moved = Math.max(moved, Math.abs(a[i] - a0[i]));
    }
    expect(moved, `tensor ${t} (${pr[t].kind} of layer ${pr[t].layer}) did not move: the case tests nothing`).toBeGreaterThan(0);
    weights = Math.max(weights, diff / (mag || 1));
    updates = Math.max(updates, diff / moved);
  }
  return { loss, weights, updates };
}

function expectSame(c: Case): void {
  const r = compare(c);
  expect(r.loss).toBeLessThanOrEqual(1e-5);
  expect(r.weights).toBeLessThanOrEqual(1e-5);
  expect(r.updates).toBeLessThanOrEqual(2e-4);
}

const builtins = new Set(builtinActivations.map((d) => d.name));
const SIZES = [13, 28, 16, 3];
const ROWS = [9, 9, 6, 9, 5, 9];

describe("wasm trainer", () => {
  it("is available (SIMD engine, kernels built)", () => {
    expect(wasmAvailable(), wasmUnavailableReason()).toBe(true);
  });

  describe("equals the TypeScript engine for every activation (softmax_ce, momentum)", () => {
    for (const name of activationNames().filter((n) => builtins.has(n)))
      it(name, () => expectSame({ activation: name, head: "softmax_ce", optimizer: { name: "momentum", lr: 0.1 }, sizes: SIZES, batchRows: ROWS }));
    it("leaky_relu with alpha 0.2, elu with alpha 0.5", () => {
      for (const activation of [{ name: "leaky_relu", alpha: 0.2 }, { name: "elu", alpha: 0.5 }])
        expectSame({ activation, head: "softmax_ce", optimizer: { name: "momentum", lr: 0.1 }, sizes: SIZES, batchRows: ROWS });
    });
  });

  describe("equals the TypeScript engine with hidden widths that need padding (7, 5 units)", () => {
    // relu fused in the GEMMs, tanh in a wasm loop, softplus / prelu / softmax in JS on compacted rows.
    for (const activation of ["relu", "tanh", "softplus", "prelu", "softmax"])
      it(activation, () =>
        expectSame({ activation, head: "softmax_ce", optimizer: { name: "adam", lr: 0.01 }, sizes: [6, 7, 5, 3], batchRows: [5, 5, 3, 5] }));
  });

  describe("equals the TypeScript engine for the adaptive activations, parameters per unit and per layer", () => {
    // Learnable parameters live in wasm memory and are trained by the wasm optimizer; prelu and swish_beta
    // run in their wasm kernels (assembly/learnable.ts), pelu and pau in JS on views of that memory.
    for (const name of ["prelu", "swish_beta", "pelu", "pau"])
      for (const share of ["unit", "layer"])
        it(`${name}, share ${share}`, () =>
          expectSame({ activation: { name, share }, head: "softmax_ce", optimizer: { name: "adam", lr: 0.01 }, sizes: [6, 7, 5, 3], batchRows: [5, 5, 3, 5] }));
  });

  it("keeps PELU's a and b at their bound 0.1, as the TypeScript optimizer does", () => {
    // sgd with a huge step drives a and b far below 0.1; both paths must project them back.
    const sizes = [4, 6, 3];
    const ref = MLP.create({ sizes, activation: "pelu", head: "softmax_ce" }, 3);
    const viaWasm = modelFromJSON(modelToJSON(ref));
    const optimizer: OptimizerSpec = { name: "sgd", lr: 50 };
    const trainer = createWasmTrainer(viaWasm, optimizer, 8);
    const opt = new Optimizer(optimizer, ref.parameters());
    const grads = ref.newGradients();
    const b = batch(runStreams(5).init, "softmax_ce", 8, 4, 3);
    ref.lossInto(ref.workspace(8), b.x, b.y, b.kind, 8, grads);
    opt.step(ref.gradientTensors(grads));
    trainer.step(b.x, b.y, 8, b.kind);
    trainer.syncTo(viaWasm);
    for (const mlp of [ref, viaWasm]) {
      const all = [...mlp.acts[0]!.unitParams.a, ...mlp.acts[0]!.unitParams.b];
      expect(Math.min(...all)).toBe(Math.fround(0.1));
      expect(all.filter((v) => v === Math.fround(0.1)).length, "some parameter hit the bound").toBeGreaterThan(0);
    }
    expect([...viaWasm.acts[0]!.unitParams.a]).toEqual([...ref.acts[0]!.unitParams.a]);
  });

  describe("equals the TypeScript engine for every head", () => {
    // relu (fused into the GEMMs), gelu (wasm loop), softplus (registry loop from JS), prelu (learnable, per unit).
    for (const head of HEADS)
      for (const activation of ["relu", "gelu", "softplus", "prelu"])
        it(`${head} with ${activation}`, () =>
          expectSame({ activation, head, optimizer: { name: "momentum", lr: 0.1 }, sizes: SIZES, batchRows: ROWS }));
  });

  describe("equals the TypeScript engine for every optimizer", () => {
    for (const name of OPTIMIZERS) {
      const lr = name === "adam" || name === "adamw" ? 0.01 : 0.1;
      it(`${name}`, () => expectSame({ activation: "tanh", head: "softmax_ce", optimizer: { name, lr }, sizes: SIZES, batchRows: ROWS }));
      // One PReLU slope per layer: tensors of length 1, not a multiple of 4 (the update's tail; per-unit values are padded to 4).
      it(`${name} on tensors of odd length`, () =>
        expectSame({ activation: { name: "prelu", share: "layer" }, head: "softmax_ce", optimizer: { name, lr }, sizes: [6, 7, 5, 3], batchRows: [5, 5, 3, 5] }));
      it(`${name} with weight decay and gradient clipping`, () =>
        expectSame({
          activation: "prelu",
          head: "softmax_ce",
          // clipNorm 0.05 is far below these gradients' global norm (about 1.2 at the first step), so the steps are clipped.
          optimizer: { name, lr, weightDecay: 0.05, clipNorm: 0.05, momentum: 0.8, beta1: 0.8, beta2: 0.99, eps: 1e-6 },
          sizes: SIZES,
          batchRows: ROWS,
        }));
    }
  });

  it("equals the TypeScript engine on 784-128-128-10 relu at batch 32", () => {
    expectSame({ activation: "relu", head: "softmax_ce", optimizer: { name: "momentum", lr: 0.05 }, sizes: [784, 128, 128, 10], batchRows: [32, 32, 32] });
  });

  it("equals the TypeScript engine on 2-32-32-2 tanh and a one-hidden-layer, one-input net", () => {
    expectSame({ activation: "tanh", head: "softmax_ce", optimizer: { name: "momentum", lr: 0.1 }, sizes: [2, 32, 32, 2], batchRows: [32, 32, 32, 7] });
    expectSame({ activation: "sigmoid", head: "linear_mse", optimizer: { name: "sgd", lr: 0.5 }, sizes: [1, 5, 1], batchRows: [3, 1, 3] });
  });

  it("runs an activation defined at run time (no wasm form) through its registry loops", () => {
    // A user module's activation, the inverse square root unit x / sqrt(1 + x^2), registered like the harness does.
    defineActivation({ name: "wasm_test_isru", f: (x) => x / Math.sqrt(1 + x * x), df: (x) => Math.pow(1 + x * x, -1.5) });
    expectSame({ activation: "wasm_test_isru", head: "softmax_ce", optimizer: { name: "momentum", lr: 0.05 }, sizes: SIZES, batchRows: ROWS });
  });

  it("uses the registry's loops, not its own, for a user module that redefines a built-in name", () => {
    // Redefining "relu" as x / (1 + |x|) (softsign): the wasm relu kernels must not be used for it.
    const builtinRelu = builtinActivations.find((d) => d.name === "relu")!;
    defineActivation({ name: "relu", f: (x) => x / (1 + Math.abs(x)), df: (x) => 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x))) });
    try {
      expectSame({ activation: "relu", head: "softmax_ce", optimizer: { name: "momentum", lr: 0.1 }, sizes: SIZES, batchRows: ROWS });
    } finally {
      defineActivation(builtinRelu);
    }
  });

  describe("evaluate() equals probes' evaluate over a split", () => {
    for (const head of HEADS)
      it(head, () => {
        const mlp = MLP.create({ sizes: SIZES, activation: "gelu", head }, 5);
        const n = 70; // not a multiple of the capacity: a short last chunk
        const b = batch(runStreams(12).init, head, n, SIZES[0], 3);
        const split = { n, x: b.x, y: b.y };
        const classification = head === "softmax_ce";
        const want = evaluate(mlp, mlp.workspace(16), split, b.kind, classification);
        const got = createWasmTrainer(mlp, { name: "sgd", lr: 0.1 }, 16).evaluate(split, b.kind, classification);
        expect(Math.abs(got.loss - want.loss) / want.loss).toBeLessThanOrEqual(1e-5);
        expect(got.acc).toBe(want.acc);
        if (classification) expect(want.acc).toBeGreaterThan(0);
      });
  });

  it("step() with weightGradNorms gives each layer's weight-gradient norm and the same update", () => {
    const ref = MLP.create({ sizes: SIZES, activation: "elu", head: "softmax_ce" }, 8);
    const viaWasm = modelFromJSON(modelToJSON(ref));
    const spec: OptimizerSpec = { name: "nesterov", lr: 0.1, clipNorm: 0.5 };
    const trainer = createWasmTrainer(viaWasm, spec, 9);
    const opt = new Optimizer(spec, ref.parameters());
    const grads = ref.newGradients();
    const rng = runStreams(6).init;
    const norms = new Float64Array(3);
    for (let s = 0; s < 3; s++) {
      const b = batch(rng, "softmax_ce", 9, SIZES[0], 3);
      ref.lossInto(ref.workspace(9), b.x, b.y, b.kind, 9, grads);
      trainer.step(b.x, b.y, 9, b.kind, norms);
      for (let k = 0; k < 3; k++) {
        let sq = 0;
        for (const g of grads.weights[k]) sq += g * g;
        expect(Math.abs(norms[k] - Math.sqrt(sq)) / Math.sqrt(sq)).toBeLessThanOrEqual(1e-5);
      }
      opt.step(ref.gradientTensors(grads));
    }
    trainer.syncTo(viaWasm);
    for (let k = 0; k < 3; k++)
      for (let i = 0; i < ref.weights[k].length; i++) expect(Math.abs(viaWasm.weights[k][i] - ref.weights[k][i])).toBeLessThanOrEqual(1e-6);
  });

  it("loss() equals MLP.loss and leaves the weights alone", () => {
    const mlp = MLP.create({ sizes: SIZES, activation: "silu", head: "softmax_ce" }, 3);
    const trainer = createWasmTrainer(mlp, { name: "adam", lr: 0.01 }, 16);
    const b = batch(runStreams(9).init, "softmax_ce", 16, SIZES[0], 3);
    const want = mlp.loss(b.x, b.y, 16);
    expect(Math.abs(trainer.loss(b.x, b.y, 16) - want) / want).toBeLessThanOrEqual(1e-6);
    const copy = modelFromJSON(modelToJSON(mlp));
    trainer.syncTo(copy);
    expect(copy.weights).toEqual(mlp.weights);
    expect(copy.biases).toEqual(mlp.biases);
  });

  it("runs prelu and swish_beta in its kernels (one value per unit or per layer), pelu and pau as TypeScript", () => {
    const kernels = (activation: Case["activation"]) =>
      createWasmTrainer(MLP.create({ sizes: [4, 7, 5, 3], activation, head: "softmax_ce" }, 1), { name: "sgd", lr: 0.1 }, 4).activationKernels();
    for (const name of ["prelu", "swish_beta"]) for (const share of ["unit", "layer"]) expect(kernels({ name, share }), `${name} ${share}`).toEqual(["wasm", "wasm"]);
    for (const name of ["pelu", "pau"]) expect(kernels(name), name).toEqual(["ts", "ts"]);
  });

  it("syncFrom then syncTo copies weights, biases and PReLU slopes exactly", () => {
    const a = MLP.create({ sizes: [5, 7, 3], activation: "prelu", head: "brainjs" }, 1);
    a.acts[0]!.unitParams.slope.set([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
    const b = MLP.create({ sizes: [5, 7, 3], activation: "prelu", head: "brainjs" }, 2);
    const trainer = createWasmTrainer(a, { name: "sgd", lr: 0.1 }, 4);
    trainer.syncTo(b);
    expect(b.weights).toEqual(a.weights);
    expect(b.biases).toEqual(a.biases);
    expect(b.acts[0]!.unitParams.slope).toEqual(a.acts[0]!.unitParams.slope);
    expect(b.acts[1]!.unitParams.slope).toEqual(a.acts[1]!.unitParams.slope);
  });

  it("rejects batches beyond its capacity and MLPs of another shape", () => {
    const mlp = MLP.create({ sizes: [3, 4, 2], activation: "relu", head: "softmax_ce" }, 1);
    const trainer = createWasmTrainer(mlp, { name: "sgd", lr: 0.1 }, 4);
    expect(() => trainer.step(new Float32Array(15), new Float32Array(5), 5, "class")).toThrow(/1\.\.4/);
    expect(() => trainer.syncTo(MLP.create({ sizes: [3, 5, 2], activation: "relu", head: "softmax_ce" }, 1))).toThrow(/does not match/);
  });
});
