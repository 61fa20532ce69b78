/**
 * The two ways the native engine computes: the TypeScript reference (the MLP's
 * own Float32Array kernels, training `mlp` in place) and the WebAssembly SIMD
 * kernels (weights and optimizer state resident in wasm memory, copied back
 * into `mlp` by sync()). trainNative drives either through this interface, so
 * the training loop, the record points and the divergence rules are written
 * once. The two agree to float32 rounding.
 */
import type { Split } from "../data/types.js";
import type { TargetKind } from "./heads.js";
import type { MLP } from "./mlp.js";
import { Optimizer } from "./optimizer.js";
import { EVAL_CHUNK, evaluate, layerRecords, norm, probeLayers, type Evaluation } from "./probes.js";
import type { LayerRecord, OptimizerSpec } from "./types.js";
import { createWasmTrainer } from "./wasm/index.js";

export interface ComputePath {
  /** Batch buffers the training loop gathers rows into: inputs (batch x features) and targets. */
  readonly x: Float32Array;
  readonly y: Float32Array;
  /**
   * One training step on the gathered `rows`: returns the batch's mean loss
   * before the update, and adds each weight layer's gradient norm to
   * `stepNorms` when given.
   */
  step(rows: number, stepNorms: Float64Array | null): number;
  /** Make `mlp` hold the trained parameters (a no-op where training happens in place). */
  sync(): void;
  /** Full evaluation pass over a split (after sync()). */
  evaluate(split: Split): Evaluation;
  /** Per-layer figures on the probe set (after sync()). */
  probe(): LayerRecord[];
}

/** What both paths need to know about the run. */
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
}

/** Rows per evaluation chunk: EVAL_CHUNK, or fewer for small splits. */
function evalRows(o: PathOptions): number {
  return Math.min(EVAL_CHUNK, o.largestSplit);
}

export function typescriptCompute(mlp: MLP, o: PathOptions): ComputePath {
  const opt = new Optimizer(o.optimizer, mlp.parameters());
  const grads = mlp.newGradients();
  const gradTensors = mlp.gradientTensors(grads);
  const ws = mlp.workspace(o.batch);
  // Probe state of its own: probing never touches training's buffers.
  const probeWs = mlp.workspace(o.probeRows);
  const probeGrads = mlp.newGradients();
  const evalWs = mlp.workspace(evalRows(o));
  const sortScratch = new Float32Array(o.probeRows * Math.max(...mlp.sizes));
  return {
    x: ws.x,
    y: ws.y,
    step(rows, stepNorms) {
      const loss = mlp.lossInto(ws, ws.x, ws.y, o.kind, rows, grads);
      if (!Number.isFinite(loss)) return loss; // the caller stops; no update from a non-finite gradient
      if (stepNorms) for (let k = 0; k < stepNorms.length; k++) stepNorms[k] += norm(grads.weights[k]);
      opt.step(gradTensors);
      return loss;
    },
    sync() {},
    evaluate: (split) => evaluate(mlp, evalWs, split, o.kind, o.classification),
    probe: () => probeLayers(mlp, probeWs, probeGrads, o.probeX, o.probeY, o.kind, o.probeRows, sortScratch),
  };
}

export function wasmCompute(mlp: MLP, o: PathOptions): ComputePath {
  const trainer = createWasmTrainer(mlp, o.optimizer, o.batch);
  // Probes and evaluation on an instance of their own (no optimizer state; capacity for the probe set
  // and for evaluation chunks), loaded with the trained weights at each record point.
  const prober = createWasmTrainer(mlp, { name: "sgd", lr: 0 }, Math.max(o.probeRows, evalRows(o)));
  const y = new Float32Array(trainer.capacity * (o.kind === "class" ? 1 : mlp.outputs));
  const layerNorms = new Float64Array(mlp.layerCount);
  const sortScratch = new Float32Array(o.probeRows * Math.max(...mlp.sizes));
  const dScratch = new Float32Array(o.probeRows * Math.max(...mlp.sizes));
  return {
    x: trainer.input,
    y,
    step(rows, stepNorms) {
      // One call: forward, head, backward and the (fused) update, in wasm.
      const loss = trainer.step(trainer.input, y, rows, o.kind, stepNorms ? layerNorms : undefined);
      if (stepNorms) for (let k = 0; k < stepNorms.length; k++) stepNorms[k] += layerNorms[k];
      return loss;
    },
    sync() {
      trainer.syncTo(mlp);
      prober.syncFrom(mlp);
    },
    evaluate: (split) => prober.evaluate(split, o.kind, o.classification),
    probe: () => layerRecords(mlp, prober.probe(o.probeX, o.probeY, o.probeRows, o.kind), o.probeRows, sortScratch, dScratch),
  };
}
