/**
 * The experiment config's schema (zod 4): what a YAML or JSON config may hold,
 * with its defaults. `actbench schema` prints it as JSON Schema for editors.
 * Objects are strict so a misspelt key is an error with a "did you mean".
 */
import { z } from "zod";
import { datasetSpecSchema } from "../data/spec.js";
import { initSchemes } from "../nn/init.js";
import { ENGINES, HEADS, KERNELS, OPTIMIZERS, TRAIN_METRICS } from "../nn/names.js";
import { claimsSchema } from "../claims/schema.js";
import { DEFAULT_TIMEOUT_S, MAX_SEEDS } from "./limits.js";

const initScheme = z.enum(["auto", ...initSchemes]);

const head = z.enum(["auto", ...HEADS]);

/** An activation: a registry name, or a name with parameters (`share: layer` for learnable ones). */
const namedActivation = z.union([
  z.string().min(1).describe("registry name, e.g. relu"),
  z
    .object({ name: z.string().min(1).describe("registry name") })
    .catchall(z.union([z.number(), z.string()]))
    .describe("{name, ...parameters}; share: layer makes learnable parameters one per layer"),
]);

/** A learned mixture of fixed activations (Manessi & Rozza 2018). */
const mixActivation = z
  .strictObject({
    mix: z.array(namedActivation).min(1).describe("the base activations, e.g. [relu, tanh, identity]"),
    share: z.enum(["unit", "layer"]).optional().describe("mixture weights per unit (default) or per layer"),
  })
  .describe("{mix: [relu, tanh, identity]}: a convex combination of the bases, its weights learned");

/** An activation of a hidden layer. */
const layerActivation = z.union([mixActivation, namedActivation]);

/** An entry of `activations`: an activation, one from the user's module, or one per hidden layer. */
export const activationItem = z.union([
  mixActivation,
  z
    .strictObject({ layers: z.array(layerActivation).min(1).describe("one per hidden layer, in order; the last one also runs deeper layers") })
    .describe("{layers: [tanh, relu]}: each hidden layer its own activation"),
  z.string().min(1).describe("registry name, e.g. relu"),
  z
    .object({
      name: z.string().min(1).describe("registry name, or the name a module's activation is registered under"),
      module: z.string().min(1).optional().describe("path of a JS/TS module exporting f(x) and df(x), relative to the config file"),
    })
    .catchall(z.union([z.number(), z.string()]))
    .describe("{name, ...parameters} or {module, name, ...parameters}"),
]);

const optimizer = z.strictObject({
  name: z.enum(OPTIMIZERS).default("adam"),
  lr: z.number().positive().default(0.001),
  momentum: z.number().min(0).max(1).optional(),
  beta1: z.number().min(0).lt(1).optional(),
  beta2: z.number().min(0).lt(1).optional(),
  eps: z.number().positive().optional(),
  weightDecay: z.number().min(0).optional(),
  clipNorm: z.number().positive().optional(),
});

export const modelSchema = z.strictObject({
  hidden: z.array(z.number().int().positive()).min(1).default([32, 32]).describe("hidden layer widths"),
  init: initScheme.default("auto").describe("weight init; auto = the activation's recommended scheme"),
  head: head.default("auto").describe("output head; auto = softmax_ce (classification) or linear_mse (regression)"),
  biasInit: z.number().optional(),
});

export const trainSchema = z.strictObject({
  epochs: z.number().int().min(0).default(20).describe("training epochs; 0 records the untrained network (epoch 0) and stops"),
  batchSize: z.number().int().positive().default(32),
  optimizer: optimizer.default({ name: "adam", lr: 0.001 }),
  loss: z
    .enum(["auto", "cross_entropy", "mse", "bce"])
    .default("auto")
    .describe("auto = from the head; cross_entropy, mse, bce choose the head when it is auto"),
  divergeAbove: z.number().positive().optional().describe("mark a run diverged when the loss exceeds this"),
  kernel: z
    .enum(KERNELS)
    .default("auto")
    .describe("native engine's compute path: wasm (SIMD kernels), ts (the TypeScript reference), auto = wasm when available"),
  timeout: z
    .number()
    .positive()
    .default(DEFAULT_TIMEOUT_S)
    .describe(`seconds a run may take before it is stopped and recorded as failed (default ${DEFAULT_TIMEOUT_S}: an endless loop in an activation ends the run, not the sweep); not part of the run id`),
});

export const recordSchema = z.strictObject({
  every: z.number().int().positive().default(1).describe("probe every this many epochs (epoch 0 and the last always)"),
  probeSize: z.number().int().positive().default(512),
  trainMetrics: z
    .enum(TRAIN_METRICS)
    .default("running")
    .describe("train_loss/train_acc: running = means over the epoch's batches (no extra pass); full = a pass over the training split with the end-of-epoch weights; epoch 0 is always full"),
  stepGradNorms: z.boolean().default(false),
  models: z.array(z.enum(["init", "final"])).default([]).describe("model snapshots to save under models/"),
});

export const reportSchema = z.strictObject({
  margin: z
    .number()
    .min(0)
    .lt(1)
    .optional()
    .describe("practical margin: an accuracy difference (default 0.005, half a point) or a relative loss difference (default 0.01) below which activations count as equivalent"),
});

export const configSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "letters, digits, '.', '_' or '-' (it names the output folder)")
    .optional()
    .describe("names the default output folder results/<name>; default: the config file's base name"),
  engine: z.enum(ENGINES).default("native"),
  seeds: z
    .union([z.number().int().positive().max(MAX_SEEDS), z.array(z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)).min(1).max(MAX_SEEDS)])
    .default(3)
    .describe("n (seeds 0..n-1) or a list of seeds"),
  activations: z.array(activationItem).min(1),
  dataset: datasetSpecSchema,
  model: modelSchema.default({ hidden: [32, 32], init: "auto", head: "auto" }),
  train: trainSchema.default({ epochs: 20, batchSize: 32, optimizer: { name: "adam", lr: 0.001 }, loss: "auto", kernel: "auto", timeout: DEFAULT_TIMEOUT_S }),
  record: recordSchema.default({ every: 1, probeSize: 512, trainMetrics: "running", stepGradNorms: false, models: [] }),
  grid: z
    .record(z.string(), z.array(z.unknown()).min(1))
    .default({})
    .describe("dotted key -> values; the runs cover every combination (e.g. train.optimizer.lr: [0.01, 0.001])"),
  report: reportSchema.default({}).describe("how the report judges the results (does not change any run)"),
  claims: claimsSchema,
});

export type RawConfig = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;

/** JSON Schema of the config, for editors (`actbench schema`). */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
}
