/** The MLP engine: model, the training loop and its compute paths, probes, model files (brain.js's path: ./brainjs). */
import type { Engine } from "./types.js";
import { trainNative } from "./train.js";

export type { Engine, EpochRecord, Head, LayerRecord, OptimizerSpec, PathInfo, RunConfig, RunResult } from "./types.js";
export type { NetworkActivation } from "../activations/types.js";
export { MLP, Workspace, type Gradients, type MLPSpec, type ParamRef } from "./mlp.js";
export { lossDivisor, type TargetKind } from "./heads.js";
export { BRAINJS_ACTIVATION_NAMES, BRAINJS_OPTIMIZERS, ENGINES, HEADS, KERNELS, OPTIMIZERS, fromBrainjsName, type EngineName, type Kernel, type OptimizerName } from "./names.js";
export { initSchemes, initDistribution, initWeights } from "./init.js";
export { modelFromJSON, modelToJSON, type ModelJSON, type TrainOptsInfo } from "./modelJson.js";
export { Optimizer } from "./optimizer.js";
export { evaluate, probeLayers, quantiles, type Evaluation } from "./probes.js";
export { normal, runStreams, shuffleInPlace, uniform, uniform01, type Rng, type RunStreams } from "./rng.js";
export { nativeCompute, resolveHead, resolveKernel, runEpoch, train, trainNative, type BadBatch, type EpochSums } from "./train.js";
export { mirrorProbes, typescriptCompute, wasmCompute, type ComputePath, type PathFactory, type PathOptions } from "./computePath.js";

/** The engine every run uses unless the config asks for brain.js. */
export const nativeEngine: Engine = { name: "native", train: trainNative };
