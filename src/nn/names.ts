/**
 * The fixed lists a config may name, each written once: output heads,
 * optimizers, engines, native kernels, training-metric modes, and brain.js's
 * own names for the activations it has. The types derive from the lists; the config schema,
 * validation, the CLI and the engines import them, so adding a name here is
 * the whole change to what configs accept. (Init schemes have theirs in
 * init.ts beside their formulas.) A leaf module: it imports nothing.
 */

/** Output heads: the last layer's nonlinearity with its loss (heads.ts computes them). */
export const HEADS = [
  "softmax_ce", // softmax + cross-entropy, mean over the batch (classification)
  "linear_mse", // linear + mean squared error, mean over samples and outputs (regression)
  "sigmoid_bce", // sigmoid + binary cross-entropy (binary or multi-label targets)
  "brainjs", // brain.js's own: the hidden activation on the output layer, loss 1/2 sum of squared errors
] as const;
export type Head = (typeof HEADS)[number];

/** Optimizers, with torch.optim's update rules (optimizer.ts). */
export const OPTIMIZERS = ["sgd", "momentum", "nesterov", "adam", "adamw"] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** The optimizers brain.js itself has (its momentum rule, sgd being momentum 0, and its Adam). */
export const BRAINJS_OPTIMIZERS = ["sgd", "momentum", "adam"] as const satisfies readonly OptimizerName[];

/** Engines: native (batched, on a native kernel) and brainjs (brain.js's NeuralNetwork, one sample at a time). */
export const ENGINES = ["native", "brainjs"] as const;
export type EngineName = (typeof ENGINES)[number];

/** The native engine's kernels: WebAssembly SIMD, the TypeScript reference, or auto (wasm when it runs). */
export const KERNELS = ["auto", "wasm", "ts"] as const;
export type Kernel = (typeof KERNELS)[number];

/**
 * How a record point gets train_loss and train_acc: `running` (the default),
 * the means over the epoch's batches of the losses and accuracies the steps
 * computed anyway (no extra pass); `full`, an evaluation pass over the whole
 * training split with the end-of-epoch weights. Epoch 0 is always a full pass.
 */
export const TRAIN_METRICS = ["running", "full"] as const;
export type TrainMetrics = (typeof TRAIN_METRICS)[number];

/** brain.js's names for the four activations it has itself (registry name -> brain.js name). */
export const BRAINJS_ACTIVATION_NAMES: Readonly<Record<string, string>> = { sigmoid: "sigmoid", relu: "relu", leaky_relu: "leaky-relu", tanh: "tanh" };

/** A registry activation name for brain.js's name (the inverse of BRAINJS_ACTIVATION_NAMES; other names pass through). */
export function fromBrainjsName(name: string): string {
  for (const [ours, theirs] of Object.entries(BRAINJS_ACTIVATION_NAMES)) if (theirs === name) return ours;
  return name;
}
