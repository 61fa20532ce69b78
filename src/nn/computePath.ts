/**
 * The ways a run computes, behind one interface: the TypeScript reference
 * (the MLP's own Float32Array kernels, training `mlp` in place), the
 * WebAssembly SIMD kernels (weights and optimizer state resident in wasm
 * memory, copied back into `mlp` by sync()), and brain.js
 * (nn/brainjs/computePath.ts, kept apart so that native runs never load
 * brain.js). The training loop (train.ts) drives any of them, so seeding,
 * batch order, record points, divergence rules and model snapshots are
 * written once. Each path trains its own copy of the weights and syncs it
 * into `mlp`, the mirror every record point evaluates and probes.
 */
import type { Split } from "../data/types.js";
import type { TargetKind } from "./heads.js";
import type { MLP } from "./mlp.js";
import { modelToJSON, type TrainOptsInfo } from "./modelJson.js";
import { Optimizer } from "./optimizer.js";
import { countCorrect, EVAL_CHUNK, evaluate, layerRecords, norm, probeLayers, type Evaluation } from "./probes.js";
import type { LayerRecord, OptimizerSpec, PathInfo } from "./types.js";
import { createWasmTrainer, wasmVariant } from "./wasm/index.js";

export interface ComputePath {
  readonly info: PathInfo;
  /** Batch buffers the training loop gathers rows into: inputs (batch x features) and targets. */
  readonly x: Float32Array;
  readonly y: Float32Array;
  /**
   * One training step on the gathered `rows`: returns the batch's mean loss
   * before the update, and adds each weight layer's gradient norm to
   * `stepNorms` when given.
   */
  step(rows: number, stepNorms: Float64Array | null): number;
  /**
   * Rows of the last step whose largest head output was at their class, from
   * that step's forward pass (before its update); 0 unless
   * PathOptions.countCorrect.
   */
  lastCorrect(): number;
  /** Make `mlp` hold the trained parameters (a no-op where training happens in place). */
  sync(): void;
  /** Full evaluation pass over a split (after sync()). */
  evaluate(split: Split): Evaluation;
  /** Per-layer figures on the probe set (after sync()). */
  probe(): LayerRecord[];
  /** The model as a file holds it (brain.js layout), after `epochs` epochs (after sync()). */
  snapshot(epochs: number): unknown;
}

/** What every path needs to know about the run. */
export interface PathOptions {
  optimizer: OptimizerSpec;
  batch: number;
  kind: TargetKind;
  classification: boolean;
  /** The probe set: the first `probeRows` training rows. */
  probeX: Float32Array;
  probeY: Float32Array;
  probeRows: number;
  /** Rows of the largest split evaluated (bounds the evaluation chunk). */
  largestSplit: number;
  /** Count each step's correctly classified rows (running training accuracy, classification only). */
  countCorrect?: boolean;
}

/** A compute path for a network and a run. */
export type PathFactory = (mlp: MLP, o: PathOptions) => ComputePath;

/** Rows per evaluation chunk: EVAL_CHUNK, or fewer for small splits. */
function evalRows(o: PathOptions): number {
  return Math.min(EVAL_CHUNK, o.largestSplit);
}

/**
 * Evaluation and probes in TypeScript on `mlp`, with buffers of their own
 * (probing never touches training's): the TypeScript path's, and the
 * brain.js path's on its mirror.
 */
export function mirrorProbes(mlp: MLP, o: PathOptions): Pick<ComputePath, "evaluate" | "probe"> {
  const probeWs = mlp.workspace(o.probeRows);
  const probeGrads = mlp.newGradients();
  const evalWs = mlp.workspace(evalRows(o));
  const sortScratch = new Float32Array(o.probeRows * Math.max(...mlp.sizes));
  return {
    evaluate: (split) => evaluate(mlp, evalWs, split, o.kind, o.classification),
    probe: () => probeLayers(mlp, probeWs, probeGrads, o.probeX, o.probeY, o.kind, o.probeRows, sortScratch),
  };
}

/** The optimizer facts a native model file records in brain.js's trainOpts. */
function trainOptsInfo(o: OptimizerSpec, epochs: number): TrainOptsInfo {
  const adam = o.name === "adam" || o.name === "adamw";
  return {
    optimizer: o,
    learningRate: o.lr,
    momentum: o.name === "momentum" || o.name === "nesterov" ? (o.momentum ?? 0.9) : 0,
    iterations: epochs,
    ...(adam ? { praxis: "adam" as const, beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, epsilon: o.eps ?? 1e-8 } : {}),
  };
}

export const typescriptCompute: PathFactory = (mlp, o) => {
  const opt = new Optimizer(o.optimizer, mlp.parameters());
  const grads = mlp.newGradients();
  const gradTensors = mlp.gradientTensors(grads);
  const ws = mlp.workspace(o.batch);
  let correct = 0;
  return {
    info: { path: "ts" },
    x: ws.x,
    y: ws.y,
    step(rows, stepNorms) {
      const loss = mlp.lossInto(ws, ws.x, ws.y, o.kind, rows, grads);
      if (o.countCorrect) correct = countCorrect(ws.a[mlp.layerCount - 1], ws.y, rows, mlp.outputs);
      if (!Number.isFinite(loss)) return loss; // the caller stops; no update from a non-finite gradient
      if (stepNorms) for (let k = 0; k < stepNorms.length; k++) stepNorms[k] += norm(grads.weights[k]);
      opt.step(gradTensors);
      return loss;
    },
    lastCorrect: () => correct,
    sync() {},
    ...mirrorProbes(mlp, o),
    snapshot: (epochs) => modelToJSON(mlp, trainOptsInfo(o.optimizer, epochs)),
  };
};

export const wasmCompute: PathFactory = (mlp, o) => {
  const trainer = createWasmTrainer(mlp, o.optimizer, o.batch);
  trainer.trackCorrect = o.countCorrect ?? false;
  // Probes and evaluation on an instance of their own (no optimizer state; capacity for the probe set
  // and for evaluation chunks), loaded with the trained weights at each record point.
  const prober = createWasmTrainer(mlp, { name: "sgd", lr: 0 }, Math.max(o.probeRows, evalRows(o)));
  const y = new Float32Array(trainer.capacity * (o.kind === "class" ? 1 : mlp.outputs));
  const layerNorms = new Float64Array(mlp.layerCount);
  const sortScratch = new Float32Array(o.probeRows * Math.max(...mlp.sizes));
  const dScratch = new Float32Array(o.probeRows * Math.max(...mlp.sizes));
  return {
    // Reported by the instance that runs, not by what `auto` would pick elsewhere.
    info: { path: "wasm", wasm_variant: wasmVariant() ?? undefined, activation_kernels: trainer.activationKernels() },
    x: trainer.input,
    y,
    step(rows, stepNorms) {
      // One call: forward, head, backward and the (fused) update, in wasm.
      const loss = trainer.step(trainer.input, y, rows, o.kind, stepNorms ? layerNorms : undefined);
      if (stepNorms) for (let k = 0; k < stepNorms.length; k++) stepNorms[k] += layerNorms[k];
      return loss;
    },
    lastCorrect: () => trainer.lastCorrect,
    sync() {
      trainer.syncTo(mlp);
      prober.syncFrom(mlp);
    },
    evaluate: (split) => prober.evaluate(split, o.kind, o.classification),
    probe: () => layerRecords(mlp, prober.probe(o.probeX, o.probeY, o.probeRows, o.kind), o.probeRows, sortScratch, dScratch),
    snapshot: (epochs) => modelToJSON(mlp, trainOptsInfo(o.optimizer, epochs)),
  };
};
