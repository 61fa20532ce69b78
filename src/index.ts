/**
 * actbench as a library: the same stages the CLI runs, as plain functions
 * over plain data (config -> Experiment -> RunSpec[] -> output folder).
 */
export { getActivation, activations, activationNames, defineActivation } from "./activations/index.js";
export type { Activation, ActivationDef, ActivationSpec, InitScheme, ParamDef, Params } from "./activations/index.js";
export { UserError } from "./errors.js";

export { loadExperiment, type Experiment, type ExperimentActivation, type GridPoint, type LoadOptions } from "./harness/config.js";
export { configSchema, configJsonSchema } from "./harness/config-schema.js";
export { planRuns, runIdentity, type RunSpec } from "./harness/plan.js";
export { runPool, defaultWorkers, type PoolOptions } from "./harness/pool.js";
export { ResultStore, type StoreOptions } from "./harness/store.js";
export { runSweep, checkDatasets, defaultOutDir, type SweepOptions, type SweepSummary } from "./harness/sweep.js";
export { partition, parseShard, detectShard, shardDirName, type Shard, type ShardPart, type DetectedShard } from "./harness/shard.js";
export { runCost, longestFirst } from "./harness/cost.js";
export { mergeShards, expandShardArgs, type MergeOptions, type MergeSummary } from "./harness/merge.js";
export { checkDerivative, registerModuleActivation, type ModuleRef } from "./harness/custom-activation.js";
export type { RunOutcome } from "./harness/outcome.js";
export { RUN_COLUMNS, CURVE_COLUMNS, LAYER_COLUMNS, ACTIVATION_COLUMNS, TIMING_COLUMNS, runColumns, curveColumns, layerColumns } from "./results/schema.js";
export { canonicalJson, shortHash } from "./harness/hash.js";

export type { Engine, RunConfig, RunResult, EpochRecord, LayerRecord } from "./nn/types.js";
export { nativeEngine, MLP, modelFromJSON, modelToJSON } from "./nn/index.js";
export { brainjsEngine, RegistryNeuralNetwork } from "./nn/brainjs/index.js";
export type { Dataset, Split, Task } from "./data/types.js";
export { loadDataset, listDatasets } from "./data/index.js";
export { writeReport } from "./report/index.js";
