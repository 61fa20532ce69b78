/** The plain-JSON shapes the engine works on: a run's config, its result, the Engine interface. */
import type { InitScheme, NetworkActivation } from "../activations/types.js";
import type { Dataset } from "../data/types.js";
import type { EpochRecord, TestFigures } from "../results/schema.js";
import type { EngineName, Head, Kernel, OptimizerName, TrainMetrics } from "./names.js";

export type { Head } from "./names.js";

// The record types live with the columns that hold them (results/schema.ts).
export type { EpochRecord, LayerRecord } from "../results/schema.js";

export interface OptimizerSpec {
  name: OptimizerName;
  lr: number;
  momentum?: number; // momentum, nesterov (default 0.9)
  beta1?: number; // adam, adamw (default 0.9)
  beta2?: number; // adam, adamw (default 0.999)
  eps?: number; // adam, adamw (default 1e-8)
  weightDecay?: number; // L2 for sgd/momentum/nesterov/adam, decoupled for adamw (default 0)
  clipNorm?: number; // clip by global gradient norm when set
}

/** Everything one training run needs, as plain JSON (it crosses to a worker). */
export interface RunConfig {
  /** Model seed: init weights (with the init scheme) and the shuffle stream derive from it. */
  seed: number;
  /** One activation for every hidden layer, or `{layers: [...]}`, one per hidden layer. */
  activation: NetworkActivation;
  model: {
    hidden: number[];
    /** `auto` = the activation's recommended scheme. */
    init: InitScheme | "auto";
    /** `auto` = softmax_ce for classification, linear_mse for regression. */
    head: Head | "auto";
    /** Initial bias value (default 0). */
    biasInit?: number;
  };
  train: {
    epochs: number;
    batchSize: number;
    optimizer: OptimizerSpec;
    /** Stop and mark diverged when the loss exceeds this (default: only non-finite values diverge). */
    divergeAbove?: number;
    /**
     * Native engine's compute path: `wasm` (WebAssembly SIMD kernels), `ts`
     * (the TypeScript reference), or `auto` (default: wasm when this machine
     * runs it). The two agree to float32 rounding, not bit for bit.
     */
    kernel?: Kernel;
  };
  record: {
    /** Probe every this many epochs (epoch 0 and the last epoch always). */
    every: number;
    /** Probe set size: the first min(probeSize, n) training rows, in split order. */
    probeSize: number;
    /** train_loss / train_acc: means over the epoch's batches (`running`, the default) or a full pass (`full`); see names.ts. */
    trainMetrics?: TrainMetrics;
    /** Also record the mean over the epoch's batches of each layer's gradient norm. */
    stepGradNorms?: boolean;
    /** Model snapshots to return as brain.js-layout JSON. */
    models?: Array<"init" | "final">;
  };
}

/** What ran a run: the manifest records it per run. */
export interface PathInfo {
  /** The compute path: `ts`, `wasm` or `brainjs`. */
  path: "ts" | "wasm" | "brainjs";
  /** The wasm build that ran (`simd+fma` or `simd`), on the wasm path. */
  wasm_variant?: string;
  /**
   * On the wasm path, per hidden layer, where its activation runs: `wasm`
   * (a wasm kernel) or `ts` (the TypeScript LayerActivation on the wasm
   * memory: activations without a kernel, such as pau, mixtures, user modules).
   */
  activation_kernels?: Array<"wasm" | "ts">;
}

/** What one run returns. */
export interface RunResult {
  status: "ok" | "diverged";
  /** Epoch at which the loss or a parameter stopped being finite (or exceeded divergeAbove). */
  divergedEpoch?: number;
  /** Cause of divergence, in words. */
  message?: string;
  records: EpochRecord[];
  /** brain.js-layout model JSON by snapshot name, when asked. */
  models: Partial<Record<"init" | "final", unknown>>;
  /** The compute path that ran (and its wasm build), as the worker that ran it saw it. */
  compute: PathInfo;
  /** Test-split figures, when the dataset has a test split (nn/heldOut.ts). */
  test?: TestFigures;
}

/** An engine trains one run on one dataset. */
export interface Engine {
  name: EngineName;
  train(config: RunConfig, data: Dataset): RunResult;
}
