/**
 * brain.js's NeuralNetwork (v2, CPU) with any activation in the registry.
 *
 * The subclass keeps brain.js's data layout (weights[layer][unit][input] as
 * Float32Arrays, layer 0 empty), its per-sample update rule (adjustWeights,
 * momentum as brain.js does it) and its trainPattern; it replaces only
 * setActivation(), installing a generic runInput/calculateDeltas that call the
 * registry and keep the pre-activations. Known brain.js pitfalls are handled
 * here rather than inherited:
 * - Adam updated biases with the previous step's moments: _adjustWeightsAdam
 *   is overridden with the moments of the current step.
 * - Option validation rejected momentum 0 (plain SGD) and learning rate >= 1:
 *   validation is replaced by checks of what actually breaks (lr > 0,
 *   0 <= momentum < 1).
 * - A plain fromJSON() forgets a custom activation: toJSON() stores it under
 *   `actbench`, and RegistryNeuralNetwork.fromJSON() reloads it.
 */
import brainjs from "brain.js";
import { getActivation, isBuiltin } from "../../activations/index.js";
import type { Activation, ActivationSpec, InitScheme } from "../../activations/types.js";
import type { ModelJSON } from "../modelJson.js";
import { BRAINJS_ACTIVATION_NAMES, fromBrainjsName, type Head } from "../names.js";

const { NeuralNetwork } = brainjs;

type BrainDelta = (y: number, error: number, p: Record<string, number>) => number;

/**
 * brain.js's delta kernels for the four activations it has, in its expression
 * order (from its float32 output y and the float64 error), so that training
 * matches stock brain.js bit for bit. Every other activation takes
 * f'(sum) * error from the registry.
 */
const BRAINJS_DELTAS: Readonly<Record<keyof typeof BRAINJS_ACTIVATION_NAMES, BrainDelta>> = {
  sigmoid: (y, e) => e * y * (1 - y),
  relu: (y, e) => (y > 0 ? e : 0),
  leaky_relu: (y, e, p) => (y > 0 ? e : p.alpha * e),
  tanh: (y, e) => (1 - y * y) * e,
};

/** Output heads the brain.js engine offers: all of them. */
export type BrainHead = Head;

export interface RegistryNetworkOptions {
  sizes: number[];
  activation: ActivationSpec;
  head: BrainHead;
  learningRate: number;
  momentum?: number;
  praxis?: "adam";
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

type BrainJSON = ReturnType<InstanceType<typeof NeuralNetwork>["toJSON"]>;


export class RegistryNeuralNetwork extends NeuralNetwork<Float32Array, Float32Array> {
  /** The resolved activation of the hidden layers (and of the output layer under head `brainjs`). */
  act!: Activation;
  head: BrainHead = "brainjs";
  /** Pre-activations of the last runInput, per layer, in float64 (exactly what f was applied to). */
  sums: Float64Array[] = [];
  /** Back-propagated errors of the last calculateDeltas, in float64 (brain.js keeps them unrounded too). */
  error64: Float64Array[] = [];
  /** Per-unit values of learnable activation parameters: unitParams[layer][param][unit]. */
  unitParams: Array<Record<string, Float64Array>> = [];
  /** Init scheme the starting weights were drawn with (recorded in model files). */
  init: InitScheme = "brainjs";

  constructor(opts?: RegistryNetworkOptions) {
    super(
      opts
        ? {
            inputSize: opts.sizes[0],
            hiddenLayers: opts.sizes.slice(1, -1),
            outputSize: opts.sizes[opts.sizes.length - 1],
            learningRate: opts.learningRate,
            momentum: opts.momentum ?? 0,
            praxis: opts.praxis,
            beta1: opts.beta1 ?? 0.9,
            beta2: opts.beta2 ?? 0.999,
            epsilon: opts.epsilon ?? 1e-8,
            // brain.js reads the activation name from trainOpts; ours lives in this.act.
            activation: "sigmoid",
          }
        : {},
    );
    if (opts) this.useActivation(opts.activation, opts.head);
  }

  /** brain.js's own delta kernel when the activation is one brain.js has (the registry's, with fixed parameters). */
  private brainDelta: BrainDelta | undefined;

  /** Set the activation (from the registry) and the head; takes effect at the next initialize(). */
  useActivation(spec: ActivationSpec, head: BrainHead): void {
    this.act = getActivation(spec);
    this.brainDelta = isBuiltin(this.act.def) ? BRAINJS_DELTAS[this.act.name] : undefined;
    if (this.act.share === "layer") throw new Error(`engine brainjs keeps learnable activation parameters per unit; ${this.act.label} needs engine native`);
    this.head = head;
    this.trainOpts.activation = BRAINJS_ACTIVATION_NAMES[this.act.name] ?? this.act.name;
    if (this.act.name === "leaky_relu") this.trainOpts.leakyReluAlpha = this.act.params.alpha;
  }

  override initialize(): void {
    if (!this.act) this.useActivation(fromBrainjsName(this.trainOpts.activation), "brainjs");
    super.initialize();
    this.sums = this.sizes.map((n) => new Float64Array(n));
    this.error64 = this.sizes.map((n) => new Float64Array(n));
    const learnable = (this.act.def.params ?? []).filter((p) => p.learnable);
    this.unitParams = this.sizes.map((n) =>
      Object.fromEntries(learnable.map((p) => [p.name, new Float64Array(n).fill(this.act.params[p.name])])),
    );
  }

  override setActivation(): void {
    this.runInput = (input) => this.runInputRegistry(input);
    this.calculateDeltas = (target) => this.calculateDeltasRegistry(target);
  }

  /** brain.js validation, minus the rules that reject valid settings (see the file comment). */
  override validateTrainingOptions(options: Parameters<InstanceType<typeof NeuralNetwork>["validateTrainingOptions"]>[0]): void {
    const { learningRate, momentum } = options;
    if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new Error(`learning rate must be > 0, found ${learningRate}`);
    if (!(momentum >= 0 && momentum < 1)) throw new Error(`momentum must be in [0, 1), found ${momentum}`);
    super.validateTrainingOptions({ ...options, activation: "sigmoid", learningRate: 0.5, momentum: 0.5 });
  }

  /** Whether layer `layer` applies the registry activation (hidden layers; the output too under head brainjs). */
  private activated(layer: number): boolean {
    return layer < this.outputLayer || this.head === "brainjs";
  }

  /** Parameters of unit `node` of `layer`: the fixed ones, with learned per-unit values on top. */
  private paramsAt(layer: number, node: number): Record<string, number> {
    const learned = this.unitParams[layer];
    const keys = learned ? Object.keys(learned) : [];
    if (!keys.length) return this.act.params;
    const p: Record<string, number> = { ...this.act.params };
    for (const k of keys) p[k] = learned[k][node];
    return p;
  }

  runInputRegistry(input: Float32Array): Float32Array {
    this.outputs[0] = input;
    const def = this.act.def;
    for (let layer = 1; layer <= this.outputLayer; layer++) {
      const size = this.sizes[layer];
      const weights = this.weights[layer];
      const biases = this.biases[layer];
      const outputs = this.outputs[layer];
      const sums = this.sums[layer];
      // Same summation order as brain.js: bias first, then inputs in order, in float64.
      for (let node = 0; node < size; node++) {
        const w = weights[node];
        let sum = biases[node];
        for (let k = 0; k < w.length; k++) sum += w[k] * input[k];
        sums[node] = sum;
      }
      if (this.activated(layer)) {
        if (def.vector) vectorForward(def.vector.forward, sums, outputs);
        else for (let node = 0; node < size; node++) outputs[node] = def.f(sums[node], this.paramsAt(layer, node));
      } else if (this.head === "softmax_ce") softmax(sums, outputs);
      else if (this.head === "sigmoid_bce") for (let node = 0; node < size; node++) outputs[node] = sigmoid(sums[node]);
      else for (let node = 0; node < size; node++) outputs[node] = sums[node];
      input = outputs;
    }
    return this.outputs[this.outputLayer];
  }

  /**
   * Deltas as brain.js defines them: delta = -dLoss/dz for the sample, so
   * that adjustWeights' `w += lr * delta * input` descends the loss. The
   * loss is the head's: 1/2 sum of squared errors under head brainjs
   * (brain.js's own), cross-entropy for softmax_ce and sigmoid_bce, mean
   * squared error over the outputs for linear_mse.
   */
  calculateDeltasRegistry(target: Float32Array): void {
    const def = this.act.def;
    for (let layer = this.outputLayer; layer >= 1; layer--) {
      const size = this.sizes[layer];
      const outputs = this.outputs[layer];
      // brain.js multiplies the float64 error before it is stored in the Float32Array errors; so do we.
      const error = this.error64[layer];
      const deltas = this.deltas[layer];
      const sums = this.sums[layer];
      if (layer === this.outputLayer) {
        for (let node = 0; node < size; node++) error[node] = target[node] - outputs[node];
      } else {
        const nextDeltas = this.deltas[layer + 1];
        const nextWeights = this.weights[layer + 1];
        for (let node = 0; node < size; node++) {
          let e = 0;
          for (let k = 0; k < nextDeltas.length; k++) e += nextDeltas[k] * nextWeights[k][node];
          error[node] = e;
        }
      }
      this.errors[layer].set(error);
      if (!this.activated(layer)) {
        // Linear output with softmax + CE or sigmoid + BCE: -dL/dz = y - p (BCE and MSE averaged over outputs).
        const scale = this.head === "linear_mse" ? 2 / size : this.head === "sigmoid_bce" ? 1 / size : 1;
        for (let node = 0; node < size; node++) deltas[node] = scale * error[node];
      } else if (def.vector) {
        def.vector.backward(outputs, Float32Array.from(error), deltas, 1, size);
      } else if (this.brainDelta) {
        const p = this.act.params;
        const delta = this.brainDelta;
        for (let node = 0; node < size; node++) deltas[node] = delta(outputs[node], error[node], p);
      } else {
        for (let node = 0; node < size; node++) deltas[node] = def.df(sums[node], this.paramsAt(layer, node)) * error[node];
      }
    }
  }

  /** brain.js's per-sample step, then the step of the learnable activation parameters (from the same pass). */
  override trainPattern(value: { input: Float32Array; output: Float32Array }, logErrorRate?: boolean): number | null {
    const error = super.trainPattern(value, logErrorRate);
    this.adjustUnitParams();
    return error;
  }

  /**
   * Learnable activation parameters (PReLU slopes, PELU's a and b, ...) take a plain SGD step,
   * p += lr * error * df/dp, every partial taken at the values before the step; a bounded
   * parameter (PELU's a, b >= 0.1) is put back within its bound, as the native engine does.
   */
  private adjustUnitParams(): void {
    const dParam = this.act.def.dParam;
    if (!dParam) return;
    const lr = this.trainOpts.learningRate;
    const defs = (this.act.def.params ?? []).filter((p) => p.learnable);
    for (let layer = 1; layer < this.outputLayer + (this.head === "brainjs" ? 1 : 0); layer++) {
      const learned = this.unitParams[layer];
      if (!defs.length) continue;
      for (let node = 0; node < this.sizes[layer]; node++) {
        const p = this.paramsAt(layer, node); // a fresh object: the partials below all see the values before the step
        const step = lr * this.error64[layer][node];
        for (const d of defs) learned[d.name][node] = Math.max(d.min ?? -Infinity, p[d.name] + step * dParam[d.name](this.sums[layer][node], p));
      }
    }
  }

  /** brain.js's Adam, with the bias moments of the current step (brain.js used the previous step's). */
  override _adjustWeightsAdam(): void {
    this.iterations++;
    const t = this.iterations;
    const { beta1, beta2, epsilon, learningRate } = this.trainOpts;
    const c1 = 1 - Math.pow(beta1, t);
    const c2 = 1 - Math.pow(beta2, t);
    for (let layer = 1; layer <= this.outputLayer; layer++) {
      const incoming = this.outputs[layer - 1];
      const deltas = this.deltas[layer];
      for (let node = 0; node < this.sizes[layer]; node++) {
        const delta = deltas[node];
        const mW = this.changesLow[layer][node];
        const vW = this.changesHigh[layer][node];
        const w = this.weights[layer][node];
        for (let k = 0; k < incoming.length; k++) {
          const g = delta * incoming[k];
          const m = mW[k] * beta1 + (1 - beta1) * g;
          const v = vW[k] * beta2 + (1 - beta2) * g * g;
          mW[k] = m;
          vW[k] = v;
          w[k] += (learningRate * (m / c1)) / (Math.sqrt(v / c2) + epsilon);
        }
        const m = this.biasChangesLow[layer][node] * beta1 + (1 - beta1) * delta;
        const v = this.biasChangesHigh[layer][node] * beta2 + (1 - beta2) * delta * delta;
        this.biasChangesLow[layer][node] = m;
        this.biasChangesHigh[layer][node] = v;
        this.biases[layer][node] += (learningRate * (m / c1)) / (Math.sqrt(v / c2) + epsilon);
      }
    }
  }

  /** brain.js's layout plus the `actbench` field of the native engine's model files (src/nn/modelJson.ts), so either engine loads the other's models. */
  override toJSON(): BrainJSON & { actbench: ModelJSON["actbench"] } {
    const json = super.toJSON();
    const learned: ModelJSON["actbench"]["learned"] = [];
    this.unitParams.forEach((byName, layer) => {
      if (layer > 0 && this.activated(layer))
        for (const [name, v] of Object.entries(byName)) learned.push({ layer, name, values: Array.from(v) });
    });
    return {
      ...json,
      actbench: {
        version: 1,
        activation: { name: this.act.name, ...this.act.params },
        label: this.act.label,
        head: this.head,
        init: this.init,
        biasInit: 0,
        learned,
      },
    };
  }

  /** Reload a model saved by either engine (or by stock brain.js), with its activation, head and learned parameters. */
  static fromJSON(json: BrainJSON & { actbench?: Partial<ModelJSON["actbench"]> }): RegistryNeuralNetwork {
    const net = new RegistryNeuralNetwork();
    const meta = json.actbench;
    const brainName = json.trainOpts.activation;
    const ours = fromBrainjsName(brainName);
    const fallback: ActivationSpec = ours === "leaky_relu" ? { name: ours, alpha: json.trainOpts.leakyReluAlpha } : ours;
    const spec = meta?.activation ?? fallback;
    if (typeof spec === "object" && "layers" in spec) throw new Error("engine brainjs runs one activation on every layer; this model has one per layer (load it with the native engine)");
    net.useActivation(spec, (meta?.head as BrainHead | undefined) ?? "brainjs");
    if (meta?.init) net.init = meta.init;
    net.fromJSON(json);
    for (const l of meta?.learned ?? []) net.unitParams[l.layer][l.name] = Float64Array.from(l.values);
    return net;
  }
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}


function softmax(z: Float64Array, out: Float32Array): void {
  let max = -Infinity;
  for (let i = 0; i < z.length; i++) max = Math.max(max, z[i]);
  let sum = 0;
  for (let i = 0; i < z.length; i++) sum += Math.exp(z[i] - max);
  for (let i = 0; i < z.length; i++) out[i] = Math.exp(z[i] - max) / sum;
}

type Forward = (z: Float32Array, out: Float32Array, rows: number, cols: number) => void;

function vectorForward(forward: Forward, sums: Float64Array, out: Float32Array): void {
  forward(Float32Array.from(sums), out, 1, out.length);
}
