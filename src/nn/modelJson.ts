/**
 * Model files in the layout of brain.js NeuralNetwork.toJSON(): `sizes`,
 * `layers[0]` empty, `layers[k]` = {weights[unit][input], biases[unit]}, the
 * options/trainOpts fields brain.js writes, plus an `actbench` field holding
 * what brain.js cannot express (any activation with its parameters, learned
 * PReLU slopes, the head, the init scheme). A file written by brain.js itself
 * (no `actbench` field) loads too, as a network with the brainjs head.
 */
import { getActivation } from "../activations/index.js";
import type { ActivationSpec, InitScheme, NetworkActivation } from "../activations/types.js";
import type { OptimizerSpec } from "./types.js";
import { BRAINJS_ACTIVATION_NAMES, fromBrainjsName, type Head } from "./names.js";
import { isPerLayer, MLP } from "./mlp.js";


/** Optimizer facts to record in brain.js's trainOpts (when known). */
export interface TrainOptsInfo {
  /** The run's optimizer, recorded verbatim in `actbench.optimizer`. */
  optimizer?: OptimizerSpec;
  learningRate?: number;
  momentum?: number;
  iterations?: number;
  praxis?: "adam";
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export interface ModelJSONLayer {
  weights: number[][];
  biases: number[];
}

export interface ModelJSON {
  type: "NeuralNetwork";
  sizes: number[];
  layers: ModelJSONLayer[];
  inputLookup: null;
  inputLookupLength: number;
  outputLookup: null;
  outputLookupLength: number;
  options: { inputSize: number; outputSize: number; binaryThresh: number; hiddenLayers: number[] };
  trainOpts: Record<string, unknown>;
  actbench: {
    version: 1;
    /** The activation as a config writes it, every parameter filled in (`{layers: [...]}` when per layer). */
    activation: Exclude<NetworkActivation, string>;
    label: string;
    head: Head;
    /** The first weight layer's init scheme; `inits` has every layer's when they differ (per-layer activations, init auto). */
    init: InitScheme;
    inits?: InitScheme[];
    biasInit: number;
    /** The optimizer exactly as configured, when the model comes from a training run. */
    optimizer?: OptimizerSpec;
    /** Learned activation parameters (PReLU slopes, ...; one value per unit, or one when shared per layer), by weight layer (1-based, brain.js numbering). */
    learned: Array<{ layer: number; name: string; values: number[] }>;
    /**
     * The feature scaling the model was trained behind (fitted on the training
     * split): feed it (x[j] - offset[j]) / scale[j], so a saved model maps raw
     * inputs without reloading the dataset. Absent when the model was not
     * saved from a run.
     */
    scaling?: FeatureScaling;
  };
}

/** x' = (x - offset[j]) / scale[j] for feature j. */
export interface FeatureScaling {
  method: "standardize" | "minmax" | "none";
  offset: number[];
  scale: number[];
}

/** The model file of a run: the snapshot (ModelJSON from every compute path) with the run's feature scaling beside it. */
export function withScaling(json: unknown, scaling: FeatureScaling | undefined): unknown {
  if (!scaling || !isRecord(json) || !isRecord(json.actbench)) return json;
  return { ...json, actbench: { ...json.actbench, scaling } };
}

export function modelToJSON(mlp: MLP, info: TrainOptsInfo = {}): ModelJSON {
  const layers: ModelJSONLayer[] = [{ weights: [], biases: [] }];
  const learned: ModelJSON["actbench"]["learned"] = [];
  for (let k = 0; k < mlp.layerCount; k++) {
    const units = mlp.sizes[k + 1];
    const nin = mlp.sizes[k];
    const w = mlp.weights[k];
    const weights: number[][] = [];
    for (let j = 0; j < units; j++) weights.push(Array.from(w.subarray(j * nin, (j + 1) * nin)));
    layers.push({ weights, biases: Array.from(mlp.biases[k]) });
    const act = mlp.acts[k];
    if (act) for (const name of act.learnable) learned.push({ layer: k + 1, name, values: Array.from(act.unitParams[name]) });
  }
  const params = mlp.activation.params;
  return {
    type: "NeuralNetwork",
    sizes: [...mlp.sizes],
    layers,
    inputLookup: null,
    inputLookupLength: 0,
    outputLookup: null,
    outputLookupLength: 0,
    options: {
      inputSize: mlp.inputs,
      outputSize: mlp.outputs,
      binaryThresh: 0.5,
      hiddenLayers: mlp.sizes.slice(1, -1),
    },
    trainOpts: {
      activation: BRAINJS_ACTIVATION_NAMES[mlp.activation.name] ?? mlp.activation.name,
      iterations: Math.max(1, info.iterations ?? 1),
      errorThresh: 0.005,
      log: false,
      logPeriod: 10,
      leakyReluAlpha: inOpen01(mlp.activation.name === "leaky_relu" ? params.alpha : undefined, 0.01),
      learningRate: inOpen01(info.learningRate, 0.3),
      momentum: inOpen01(info.momentum, 0.1),
      callbackPeriod: 10,
      timeout: "Infinity",
      ...(info.praxis ? { praxis: info.praxis } : {}),
      beta1: inOpen01(info.beta1, 0.9),
      beta2: inOpen01(info.beta2, 0.999),
      epsilon: inOpen01(info.epsilon, 1e-8),
    },
    actbench: {
      version: 1,
      activation: specObject(mlp),
      label: mlp.label,
      head: mlp.head,
      init: mlp.init,
      ...(mlp.inits.some((s) => s !== mlp.init) ? { inits: [...mlp.inits] } : {}),
      biasInit: mlp.biasInit,
      ...(info.optimizer ? { optimizer: info.optimizer } : {}),
      learned,
    },
  };
}

/** The network's activation as an object: `{name, ...params}`, `{mix: [...]}` or `{layers: [...]}`, every parameter filled in. */
function specObject(mlp: MLP): Exclude<NetworkActivation, string> {
  if (isPerLayer(mlp.spec)) return { layers: mlp.spec.layers.map((s) => getActivation(s).spec) };
  const s = mlp.activation.spec;
  return typeof s === "string" ? { name: s } : s;
}

/**
 * brain.js's fromJSON validates trainOpts (learning rate, momentum, alpha, betas
 * in (0, 1), iterations > 0) and refuses the file otherwise; values outside take
 * brain.js's defaults here, the exact optimizer being in `actbench.optimizer`.
 */
function inOpen01(v: number | undefined, fallback: number): number {
  return v !== undefined && v > 0 && v < 1 ? v : fallback;
}

function fail(what: string): never {
  throw new Error(`model JSON: ${what}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function modelFromJSON(json: unknown): MLP {
  if (!isRecord(json)) fail("expected an object");
  const sizes = json.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s > 0))
    fail("`sizes` must be an array of at least two positive integers");
  const layers = json.layers;
  if (!Array.isArray(layers) || layers.length !== sizes.length)
    fail(`\`layers\` must have ${sizes.length} entries (layer 0 empty), got ${Array.isArray(layers) ? layers.length : typeof layers}`);
  let activation: NetworkActivation;
  let head: Head = "brainjs";
  let init: InitScheme | "auto" = "brainjs";
  let biasInit = 0;
  let learned: Array<{ layer: number; name: string; values: number[] }> = [];
  const meta = json.actbench;
  if (isRecord(meta)) {
    const a = meta.activation;
    if (!isRecord(a) || (typeof a.name !== "string" && !Array.isArray(a.mix) && !Array.isArray(a.layers)))
      fail("`actbench.activation` must be {name, ...params}, {mix: [...]} or {layers: [...]}");
    activation = a as NetworkActivation;
    head = meta.head as Head;
    init = meta.init as InitScheme;
    biasInit = typeof meta.biasInit === "number" ? meta.biasInit : 0;
    learned = Array.isArray(meta.learned) ? (meta.learned as typeof learned) : [];
  } else {
    // A plain brain.js file: its activation on every layer, its loss.
    const t = isRecord(json.trainOpts) ? json.trainOpts : {};
    const name = fromBrainjsName(typeof t.activation === "string" ? t.activation : "sigmoid");
    activation = name === "leaky_relu" ? { name, alpha: typeof t.leakyReluAlpha === "number" ? t.leakyReluAlpha : 0.01 } : name;
  }
  const mlp = new MLP({ sizes: sizes as number[], activation, head, init, biasInit });
  for (let k = 0; k < mlp.layerCount; k++) {
    const layer: unknown = layers[k + 1];
    const units = mlp.sizes[k + 1];
    const nin = mlp.sizes[k];
    if (!isRecord(layer) || !Array.isArray(layer.weights) || !Array.isArray(layer.biases))
      fail(`layers[${k + 1}] must have weights and biases arrays`);
    if (layer.weights.length !== units || layer.biases.length !== units)
      fail(`layers[${k + 1}] must have ${units} weight rows and biases`);
    const w = mlp.weights[k];
    layer.weights.forEach((row: unknown, j: number) => {
      if (!Array.isArray(row) || row.length !== nin) fail(`layers[${k + 1}].weights[${j}] must hold ${nin} numbers`);
      for (let i = 0; i < nin; i++) w[j * nin + i] = Number(row[i]);
    });
    mlp.biases[k].set((layer.biases as unknown[]).map(Number));
  }
  for (const l of learned) {
    const act = mlp.acts[l.layer - 1];
    const arr = act?.unitParams[l.name];
    if (!arr || l.values.length !== arr.length) fail(`actbench.learned: no per-unit parameter ${l.name} of size ${l.values.length} on layer ${l.layer}`);
    arr.set(l.values);
  }
  return mlp;
}
