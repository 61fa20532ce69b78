/**
 * The multi-layer perceptron: weights in brain.js's layout (W_k[unit][input],
 * stored row-major units x inputs in a Float32Array), hidden layers
 * affine + activation, an affine output layer and a head.
 *
 * Numbering: `weights[k]` is weight layer k + 1 (brain.js's `layers[k + 1]`),
 * mapping sizes[k] inputs to sizes[k + 1] units.
 *
 * The batch work happens in a Workspace (buffers for one batch capacity, made
 * once), so the training loop allocates nothing per batch.
 */
import { getActivation } from "../activations/index.js";
import type { Activation, ActivationSpec, InitScheme, NetworkActivation } from "../activations/types.js";
import { UserError } from "../errors.js";
import type { Head } from "./types.js";
import { headLoss, lossDivisor, type TargetKind } from "./heads.js";
import { initWeights } from "./init.js";
import { LayerActivation } from "./layerActivation.js";
import { gemmABt, transpose } from "./matmul.js";
import { runStreams, type Rng } from "./rng.js";

/** What defines a network's shape and behaviour (not its weights). */
export interface MLPSpec {
  /** Units per layer, inputs first, outputs last (brain.js `sizes`). */
  sizes: number[];
  /** One activation on every hidden layer, or `{layers: [...]}`: one per hidden layer, the last one also on deeper layers. */
  activation: NetworkActivation;
  head: Head;
  /** Init scheme; `auto` (default) = each layer's activation's recommended one. */
  init?: InitScheme | "auto";
  /** Initial bias value (default 0). */
  biasInit?: number;
}

/** Gradients of the mean loss, one entry per weight layer. */
export interface Gradients {
  loss: number;
  /** dL/dW_k, units x inputs row-major (brain.js layout). */
  weights: Float32Array[];
  /** dL/db_k. */
  biases: Float32Array[];
  /** dL/d(learnable activation parameter), per unit, by parameter name ({} when none). */
  params: Array<Record<string, Float32Array>>;
}

/** One trainable tensor, for optimizers and norms. */
export interface ParamRef {
  kind: "weight" | "bias" | "activation";
  /** Weight layer index (0-based). */
  layer: number;
  /** Parameter name for kind `activation`. */
  name?: string;
  /** Lower bound the optimizer restores after each step (PELU's a, b >= 0.1). */
  min?: number;
  value: Float32Array;
}

/** Per-batch buffers for batches of up to `capacity` rows. */
export class Workspace {
  readonly capacity: number;
  /** Pre-activations per weight layer (rows x units). */
  readonly z: Float32Array[];
  /** Activations per weight layer; the last is the head's output. */
  readonly a: Float32Array[];
  /** dL/da per weight layer (the last is scratch for the brainjs head). */
  readonly g: Float32Array[];
  /** dL/dz per weight layer. */
  readonly dz: Float32Array[];
  /** f'(z) per weight layer when the forward pass produced it (see LayerActivation.forwardTrain). */
  readonly d: Float32Array[];
  /** Whether d[k] holds this batch's derivative. */
  readonly hasD: boolean[];
  /** Derivative scratch (rows x widest layer). */
  readonly df: Float32Array;
  /** Transposed layer input (inputs x rows) and dz (units x rows) for weight gradients. */
  readonly xT: Float32Array;
  readonly dzT: Float32Array;
  /** Transposed weights (inputs x units) per weight layer, for the input gradient. */
  readonly wT: Float32Array[];
  /** Gathered batch inputs and targets (rows x features; rows or rows x outputs). */
  readonly x: Float32Array;
  readonly y: Float32Array;

  constructor(sizes: readonly number[], capacity: number) {
    this.capacity = capacity;
    const L = sizes.length - 1;
    const widest = Math.max(...sizes);
    this.z = [];
    this.a = [];
    this.g = [];
    this.dz = [];
    this.wT = [];
    this.d = [];
    this.hasD = [];
    for (let k = 0; k < L; k++) {
      this.d.push(new Float32Array(k < L - 1 ? capacity * sizes[k + 1] : 0));
      this.hasD.push(false);
      const n = capacity * sizes[k + 1];
      this.z.push(new Float32Array(n));
      this.a.push(new Float32Array(n));
      this.g.push(new Float32Array(n));
      this.dz.push(new Float32Array(n));
      this.wT.push(new Float32Array(k === 0 ? 0 : sizes[k] * sizes[k + 1]));
    }
    this.df = new Float32Array(capacity * widest);
    this.xT = new Float32Array(capacity * widest);
    this.dzT = new Float32Array(capacity * widest);
    this.x = new Float32Array(capacity * sizes[0]);
    this.y = new Float32Array(capacity * sizes[L]);
  }
}

/**
 * The activation of each hidden layer: the same one everywhere, or the
 * entries of `{layers: [...]}` in order, the last one repeated for deeper
 * layers (so a depth sweep can keep one entry). More entries than hidden
 * layers is a mistake.
 */
export function hiddenActivations(spec: NetworkActivation, hidden: number): Activation[] {
  if (spec && typeof spec === "object" && "layers" in spec) {
    const list = spec.layers;
    if (!Array.isArray(list) || list.length === 0) throw new UserError(`layers must list at least one activation, found ${JSON.stringify(list)}`);
    if (list.length > hidden)
      throw new UserError(`layers lists ${list.length} activations for a network with ${hidden} hidden layer${hidden === 1 ? "" : "s"}; give at most one per hidden layer`);
    const acts = list.map((s) => getActivation(s));
    return Array.from({ length: hidden }, (_, k) => acts[Math.min(k, acts.length - 1)]);
  }
  const act = getActivation(spec);
  return Array.from({ length: hidden }, () => act);
}

/** True when a network activation gives its hidden layers different activations (`{layers: [...]}`). */
export function isPerLayer(spec: NetworkActivation): spec is { layers: ActivationSpec[] } {
  return spec !== null && typeof spec === "object" && "layers" in spec;
}

export class MLP {
  readonly sizes: readonly number[];
  readonly head: Head;
  /** The network activation as given (one spec, or `{layers: [...]}`). */
  readonly spec: NetworkActivation;
  /** The first hidden layer's activation (every layer's, unless the spec is per layer: see acts). */
  readonly activation: Activation;
  /** The scheme of the first weight layer (`auto` resolved); `inits` has every layer's. */
  readonly init: InitScheme;
  /** Init scheme per weight layer (`auto`: the recommended scheme of the activation the layer feeds; the output layer takes the last hidden one's). */
  readonly inits: InitScheme[];
  /** The label of the whole network's activation ("relu", "layers(tanh,relu)"). */
  readonly label: string;
  readonly biasInit: number;
  readonly weights: Float32Array[];
  readonly biases: Float32Array[];
  /** Activation of each weight layer: hidden layers, and the output layer for the brainjs head; else null. */
  readonly acts: Array<LayerActivation | null>;

  constructor(spec: MLPSpec) {
    if (spec.sizes.length < 2 || spec.sizes.some((s) => !Number.isInteger(s) || s < 1))
      throw new Error(`MLP sizes must be at least two positive integers, got [${spec.sizes.join(", ")}]`);
    this.sizes = [...spec.sizes];
    this.head = spec.head;
    this.spec = spec.activation;
    const L = this.sizes.length - 1;
    // A network without hidden layers still has an activation (the brainjs head's, the model file's).
    const hidden = hiddenActivations(spec.activation, Math.max(1, L - 1));
    this.activation = hidden[0];
    this.label = isPerLayer(spec.activation) ? `layers(${spec.activation.layers.map((s) => getActivation(s).label).join(",")})` : this.activation.label;
    // Weight layer k feeds hidden layer k; the output layer is initialised (and, under head brainjs, activated) like the last hidden one.
    const actOf = (k: number) => hidden[Math.min(k, hidden.length - 1)];
    this.inits = Array.from({ length: L }, (_, k) => (!spec.init || spec.init === "auto" ? actOf(k).def.init : spec.init));
    this.init = this.inits[0];
    this.biasInit = spec.biasInit ?? 0;
    this.weights = [];
    this.biases = [];
    this.acts = [];
    for (let k = 0; k < L; k++) {
      this.weights.push(new Float32Array(this.sizes[k + 1] * this.sizes[k]));
      this.biases.push(new Float32Array(this.sizes[k + 1]).fill(this.biasInit));
      const hasAct = k < L - 1 || this.head === "brainjs";
      this.acts.push(hasAct ? new LayerActivation(actOf(k), this.sizes[k + 1]) : null);
    }
  }

  /** A network initialised from the run seed's init stream. */
  static create(spec: MLPSpec, seed: number): MLP {
    const mlp = new MLP(spec);
    mlp.initialize(runStreams(seed).init);
    return mlp;
  }

  /** Draw all weight matrices, layer by layer, row-major; biases set to biasInit. */
  initialize(rng: Rng): void {
    for (let k = 0; k < this.weights.length; k++) {
      initWeights(this.inits[k], this.sizes[k + 1], this.sizes[k], rng, this.weights[k]);
      this.biases[k].fill(this.biasInit);
    }
  }

  /**
   * Set every weight layer from brain.js-style rows: `layers[k].weights[unit][input]`
   * and `layers[k].biases[unit]` for weight layer k + 1 (no empty layer 0), as
   * plain arrays or as brain.js's own Float32Array rows (`net.weights[k + 1]`).
   */
  setLayers(layers: ReadonlyArray<{ weights: ArrayLike<ArrayLike<number>>; biases: ArrayLike<number> }>): this {
    if (layers.length !== this.layerCount) throw new Error(`setLayers: expected ${this.layerCount} layers, got ${layers.length}`);
    layers.forEach((l, k) => {
      const units = this.sizes[k + 1];
      const nin = this.sizes[k];
      if (l.weights.length !== units || l.biases.length !== units) throw new Error(`setLayers: layer ${k + 1} must have ${units} units`);
      for (let j = 0; j < units; j++) {
        const row = l.weights[j];
        if (row.length !== nin) throw new Error(`setLayers: layer ${k + 1} unit ${j} must have ${nin} weights`);
        for (let i = 0; i < nin; i++) this.weights[k][j * nin + i] = row[i];
      }
      for (let j = 0; j < units; j++) this.biases[k][j] = l.biases[j];
    });
    return this;
  }

  get layerCount(): number {
    return this.weights.length;
  }

  get inputs(): number {
    return this.sizes[0];
  }

  get outputs(): number {
    return this.sizes[this.sizes.length - 1];
  }

  /** Every trainable tensor, in a fixed order: per layer W, b, then learnable activation parameters. */
  parameters(): ParamRef[] {
    const out: ParamRef[] = [];
    for (let k = 0; k < this.weights.length; k++) {
      out.push({ kind: "weight", layer: k, value: this.weights[k] });
      out.push({ kind: "bias", layer: k, value: this.biases[k] });
      const act = this.acts[k];
      if (act)
        for (const name of act.learnable) {
          const min = act.def.params?.find((p) => p.name === name)?.min;
          out.push({ kind: "activation", layer: k, name, ...(min !== undefined ? { min } : {}), value: act.unitParams[name] });
        }
    }
    return out;
  }

  /** Gradient tensors in the order of parameters(). */
  gradientTensors(g: Gradients): Float32Array[] {
    const out: Float32Array[] = [];
    for (let k = 0; k < this.weights.length; k++) {
      out.push(g.weights[k], g.biases[k]);
      const act = this.acts[k];
      if (act) for (const name of act.learnable) out.push(g.params[k][name]);
    }
    return out;
  }

  newGradients(): Gradients {
    const params: Array<Record<string, Float32Array>> = this.acts.map((act) => {
      const rec: Record<string, Float32Array> = {};
      if (act) for (const name of act.learnable) rec[name] = new Float32Array(act.paramWidth);
      return rec;
    });
    return {
      loss: NaN,
      weights: this.weights.map((w) => new Float32Array(w.length)),
      biases: this.biases.map((b) => new Float32Array(b.length)),
      params,
    };
  }

  workspace(capacity: number): Workspace {
    return new Workspace(this.sizes, capacity);
  }

  /** Forward pass of `rows` rows of x (row-major, rows x inputs) into ws.z / ws.a. */
  forwardInto(ws: Workspace, x: Float32Array, rows: number, training = false): void {
    let input = x;
    const L = this.weights.length;
    for (let k = 0; k < L; k++) {
      const nin = this.sizes[k];
      const nout = this.sizes[k + 1];
      gemmABt(input, rows, nin, this.weights[k], nout, ws.z[k], this.biases[k]);
      const act = this.acts[k];
      ws.hasD[k] = false;
      if (k < L - 1 && act) {
        if (training) ws.hasD[k] = act.forwardTrain(ws.z[k], ws.a[k], ws.d[k], rows);
        else act.forward(ws.z[k], ws.a[k], rows);
      }
      input = ws.a[k];
    }
  }

  /**
   * Forward, head loss and (when grads is given) backward for `rows` rows.
   * Returns the mean loss; grads are overwritten with those of the mean loss.
   */
  lossInto(
    ws: Workspace,
    x: Float32Array,
    y: Float32Array,
    kind: TargetKind,
    rows: number,
    grads: Gradients | null,
  ): number {
    this.forwardInto(ws, x, rows, grads !== null);
    const L = this.weights.length;
    const out = L - 1;
    const cols = this.outputs;
    const outAct = this.acts[out];
    const sum = headLoss({ head: this.head, z: ws.z[out], out: ws.a[out], rows, cols, y, kind, dz: grads ? ws.dz[out] : null, outAct, scratch: ws.g[out] });
    const mean = sum / lossDivisor(this.head, rows, cols);
    if (!grads) return mean;
    grads.loss = mean;
    for (const rec of grads.params) for (const name in rec) rec[name].fill(0);
    if (outAct) outAct.backward(ws.z[out], ws.a[out], ws.g[out], ws.dz[out], rows, ws.df, grads.params[out]);
    for (let k = L - 1; k >= 0; k--) {
      const nin = this.sizes[k];
      const nout = this.sizes[k + 1];
      const input = k === 0 ? x : ws.a[k - 1];
      const dz = ws.dz[k];
      // dW = dz^T x as a rows-long dot product per (unit, input).
      transpose(dz, rows, nout, ws.dzT);
      transpose(input, rows, nin, ws.xT);
      gemmABt(ws.dzT, nout, rows, ws.xT, nin, grads.weights[k], null);
      const gb = grads.biases[k];
      for (let j = 0; j < nout; j++) {
        let s = 0;
        for (let r = 0, o = j; r < rows; r++, o += nout) s += dz[o];
        gb[j] = s;
      }
      if (k === 0) break; // no gradient needed for the inputs
      transpose(this.weights[k], nout, nin, ws.wT[k]);
      gemmABt(dz, rows, nout, ws.wT[k], nin, ws.g[k - 1], null);
      const act = this.acts[k - 1];
      if (!act) throw new Error("hidden layer without activation");
      act.backward(ws.z[k - 1], ws.a[k - 1], ws.g[k - 1], ws.dz[k - 1], rows, ws.df, grads.params[k - 1], ws.hasD[k - 1] ? ws.d[k - 1] : null);
    }
    return mean;
  }

  /** How `y` is laid out for n rows: value rows when it holds n x outputs numbers, else class indices. */
  targetKind(y: Float32Array, n: number): TargetKind {
    if (y.length === n * this.outputs) return "values";
    if (y.length === n) return "class";
    throw new Error(`targets: expected ${n} class indices or ${n} x ${this.outputs} values, got ${y.length} numbers`);
  }

  /** Head outputs (probabilities, values, sigmoid or f(z)) for n rows, n x outputs. */
  forward(x: Float32Array, n: number): Float32Array {
    const ws = this.workspace(n);
    const y = new Float32Array(n); // class 0 placeholder: outputs do not depend on targets
    this.lossInto(ws, x, y, "class", n, null);
    return ws.a[this.weights.length - 1].slice(0, n * this.outputs);
  }

  /** Mean loss over n rows (targets: class indices or n x outputs values). */
  loss(x: Float32Array, y: Float32Array, n: number): number {
    return this.lossInto(this.workspace(n), x, y, this.targetKind(y, n), n, null);
  }

  /** Mean loss over n rows and its gradients with respect to every parameter (fresh arrays). */
  lossAndGradients(x: Float32Array, y: Float32Array, n: number): Gradients {
    const grads = this.newGradients();
    this.lossInto(this.workspace(n), x, y, this.targetKind(y, n), n, grads);
    return grads;
  }
}
