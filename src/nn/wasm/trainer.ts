/**
 * The MLP's training step on WebAssembly SIMD kernels, with the observable
 * semantics of the TypeScript engine (src/nn/mlp.ts + optimizer.ts): from the
 * same weights, on the same batches, with the same optimizer, it produces the
 * same weights to float32 rounding.
 *
 * Everything a step touches lives in one wasm instance's memory, laid out once
 * at construction (the memory never grows afterwards, so the Float32Array
 * views made here stay attached):
 *   per weight layer  WT (inputs x P, the weights transposed, units padded to
 *                     P = a multiple of 4, padding zero), bias (P), their
 *                     gradients, float64 optimizer state, and the learnable
 *                     activation parameters (PReLU slopes, one per unit padded
 *                     to P, or one per layer) with theirs;
 *   per batch         X (capacity x inputs), and per layer Z, A, dA, dZ
 *                     (capacity x P).
 * The GEMMs, the elementwise activations that have a wasm form (ReLU fused
 * into the GEMMs; PReLU and Swish-beta with their parameter gradients) and
 * the optimizer run in wasm. The head, and activations without a wasm form
 * (softmax, PELU, PAU, mixtures, softplus, mish, user activations), run
 * the engine's own TypeScript on views of that memory, once per layer: the
 * head is rows x outputs numbers, and the same code means the same losses.
 *
 * Where the two paths differ, and why the tests allow float32 rounding: the
 * GEMMs accumulate in float32 lanes (the TypeScript loops in float64 locals),
 * in another order; the wasm activations compute in float32 (the registry's
 * loops in float64, rounded once). The optimizer matches exactly: float64
 * state and arithmetic, as optimizer.ts.
 */
import { isBuiltin } from "../../activations/index.js";
import { LayerActivation } from "../layerActivation.js";
import { headLoss, lossDivisor, type TargetKind } from "../heads.js";
import type { MLP } from "../mlp.js";
import { countCorrect, type Evaluation, type ProbePass } from "../probes.js";
import type { Split } from "../../data/types.js";
import type { Head, OptimizerSpec } from "../types.js";
import { OPTIMIZERS } from "../names.js";
import { instantiateKernels, WASM_ACTIVATION_PARAM, WASM_ACTIVATIONS, WASM_LEARNABLE, WASM_OPTIMIZERS, type Kernels } from "./kernels.js";

const F32 = 4;
const F64 = 8;

/** One trainable tensor in wasm memory (byte offsets) and its place in the MLP. */
interface Tensor {
  kind: "weight" | "bias" | "activation";
  layer: number;
  name?: string;
  /** float32 count, padding included. */
  n: number;
  w: number;
  g: number;
  m: number;
  v: number;
}

interface Layer {
  nin: number;
  nout: number;
  /** nout rounded up to a multiple of 4. */
  P: number;
  WT: number;
  b: number;
  gW: number;
  gb: number;
  Z: number;
  A: number;
  G: number;
  DZ: number;
  /** The weight matrix's tensor (its optimizer state for the fused update). */
  weight: Tensor;
  /** wasm activation kind (-1: none; null act: output layer). */
  kind: number;
  param: number;
  /** wasm learnable-parameter kind (WASM_LEARNABLE; -1: none). Both -1: the LayerActivation runs in JS. */
  learn: number;
  /** Its parameter and gradient (byte offsets) and whether they hold one value per unit (1) or one per layer (0). */
  par: number;
  parGrad: number;
  perUnit: number;
  act: LayerActivation | null;
  /** Per learnable activation parameter: its gradient, a view of wasm memory. */
  pg: Record<string, Float32Array>;
}

export interface WasmTrainerOptions {
  /** Largest batch step() will be given. */
  batchCapacity: number;
}

/** Byte allocator over the instance's memory, 16-byte aligned (v128 loads). */
class Arena {
  top: number;
  constructor(base: number) {
    this.top = align(base);
  }
  take(bytes: number): number {
    const p = this.top;
    this.top = align(p + bytes);
    return p;
  }
}

function align(n: number): number {
  return (n + 15) & ~15;
}

export class WasmTrainer {
  readonly sizes: readonly number[];
  readonly head: Head;
  readonly capacity: number;
  readonly optimizer: OptimizerSpec;
  private readonly k: Kernels;
  private readonly f32: Float32Array;
  private readonly layers: Layer[];
  private readonly tensors: Tensor[];
  /** Gradients are contiguous from gradStart for gradFloats float32s (for the clipping norm). */
  private readonly gradStart: number;
  private readonly gradFloats: number;
  private readonly X: number;
  /** Scratch for 4 rows of a weight gradient (the fused update's tile). */
  private readonly tile: number;
  /** Compact scratch for the head and the JS activations (rows x widest layer each). */
  private readonly zc: Float32Array;
  private readonly ac: Float32Array;
  private readonly gc: Float32Array;
  private readonly dzc: Float32Array;
  private readonly dfc: Float32Array;
  private t = 0;

  constructor(mlp: MLP, optimizer: OptimizerSpec, options: WasmTrainerOptions) {
    if (!(OPTIMIZERS as readonly string[]).includes(optimizer.name))
      throw new Error(`unknown optimizer ${String(optimizer.name)}; expected one of ${OPTIMIZERS.join(", ")}`);
    const cap = Math.floor(options.batchCapacity);
    if (!(cap >= 1)) throw new Error(`batchCapacity must be a positive integer, got ${options.batchCapacity}`);
    this.sizes = [...mlp.sizes];
    this.head = mlp.head;
    this.capacity = cap;
    this.optimizer = { ...optimizer };
    this.k = instantiateKernels();
    const L = mlp.layerCount;
    const needsM = optimizer.name !== "sgd";
    const needsV = optimizer.name === "adam" || optimizer.name === "adamw";

    // Lay out: parameters, then all gradients contiguously, then state, then batch buffers.
    const arena = new Arena(this.k.heapBase());
    const shapes = [];
    for (let l = 0; l < L; l++) {
      const nin = mlp.sizes[l];
      const nout = mlp.sizes[l + 1];
      const P = (nout + 3) & ~3;
      const src = mlp.acts[l];
      const act = src ? new LayerActivation(src.activation, nout) : null;
      shapes.push({ nin, nout, P, act });
    }
    const tensors: Tensor[] = [];
    const addTensor = (kind: Tensor["kind"], layer: number, n: number, name?: string): Tensor => {
      const t: Tensor = { kind, layer, n, w: arena.take(n * F32), g: 0, m: 0, v: 0 };
      if (name !== undefined) t.name = name;
      tensors.push(t);
      return t;
    };
    // Parameters in the order of MLP.parameters(): per layer W, b, activation parameters.
    for (let l = 0; l < L; l++) {
      const s = shapes[l];
      addTensor("weight", l, s.nin * s.P);
      addTensor("bias", l, s.P);
      // Per-unit values padded to P (zeros that stay zero: their gradient is 0), for the wasm loops' vector loads.
      for (const name of s.act?.learnable ?? []) addTensor("activation", l, s.act!.paramWidth === 1 ? 1 : s.P, name);
    }
    this.gradStart = arena.top;
    for (const t of tensors) t.g = arena.take(t.n * F32);
    this.gradFloats = (arena.top - this.gradStart) / F32;
    for (const t of tensors) {
      t.m = needsM ? arena.take(t.n * F64) : 0;
      t.v = needsV ? arena.take(t.n * F64) : 0;
    }
    this.X = arena.take(cap * mlp.sizes[0] * F32);
    this.tile = arena.take(4 * Math.max(...shapes.map((s) => s.P)) * F32);
    const batchBufs = shapes.map((s) => ({
      Z: arena.take(cap * s.P * F32),
      A: arena.take(cap * s.P * F32),
      G: arena.take(cap * s.P * F32),
      DZ: arena.take(cap * s.P * F32),
    }));
    // Grow once, before any view exists (growth would detach views).
    const mem = this.k.memory;
    const need = arena.top - mem.buffer.byteLength;
    if (need > 0) mem.grow(Math.ceil(need / 65536));
    this.f32 = new Float32Array(mem.buffer);
    this.tensors = tensors;

    this.layers = shapes.map((s, l) => {
      const [W, b] = tensors.filter((t) => t.layer === l);
      const act = s.act;
      const actTensors = tensors.filter((t) => t.layer === l && t.kind === "activation");
      let kind = -1;
      let param = 0;
      let learn = -1;
      // A user module that redefines a built-in name gets its own code, never these kernels.
      if (act && l < L - 1 && !act.isVector && isBuiltin(act.def)) {
        const code = WASM_ACTIVATIONS.get(act.def.name);
        const learnable = WASM_LEARNABLE.get(act.def.name);
        if (code !== undefined && act.learnable.length === 0) {
          kind = code;
          const pname = WASM_ACTIVATION_PARAM[act.def.name];
          if (pname) param = act.activation.params[pname];
        } else if (learnable && act.learnable.length === 1 && act.learnable[0] === learnable.param) learn = learnable.kind;
      }
      const pg: Record<string, Float32Array> = {};
      if (act)
        for (const t of actTensors) {
          // The layer's trained per-unit values live in wasm memory; LayerActivation reads them from there.
          act.unitParams[t.name!] = this.view(t.w, act.paramWidth);
          pg[t.name!] = this.view(t.g, act.paramWidth);
        }
      const learned = { learn, par: actTensors[0]?.w ?? 0, parGrad: actTensors[0]?.g ?? 0, perUnit: act && act.paramWidth > 1 ? 1 : 0 };
      return { nin: s.nin, nout: s.nout, P: s.P, weight: W, WT: W.w, b: b.w, gW: W.g, gb: b.g, ...batchBufs[l], kind, param, ...learned, act, pg };
    });
    const widest = Math.max(...mlp.sizes);
    this.zc = new Float32Array(cap * widest);
    this.ac = new Float32Array(cap * widest);
    this.gc = new Float32Array(cap * widest);
    this.dzc = new Float32Array(cap * widest);
    this.dfc = new Float32Array(cap * widest);
    this.syncFrom(mlp);
  }

  private view(byteOffset: number, n: number): Float32Array {
    return this.f32.subarray(byteOffset / F32, byteOffset / F32 + n);
  }

  get layerCount(): number {
    return this.layers.length;
  }

  /** Per hidden layer: whether its activation runs in a wasm kernel or as the TypeScript LayerActivation on wasm memory. */
  activationKernels(): Array<"wasm" | "ts"> {
    return this.layers.slice(0, -1).map((ly) => (ly.kind >= 0 || ly.learn >= 0 ? "wasm" : "ts"));
  }

  /** The batch input buffer (capacity x inputs): a training loop may gather rows straight into it. */
  get input(): Float32Array {
    return this.view(this.X, this.capacity * this.sizes[0]);
  }

  /** Copy the MLP's weights, biases and learnable activation parameters in (optimizer state is kept). */
  syncFrom(mlp: MLP): void {
    this.checkShape(mlp);
    const f = this.f32;
    this.layers.forEach((ly, l) => {
      const W = mlp.weights[l];
      const base = ly.WT / F32;
      for (let i = 0; i < ly.nin; i++) {
        const row = base + i * ly.P;
        for (let j = 0; j < ly.nout; j++) f[row + j] = W[j * ly.nin + i];
        for (let j = ly.nout; j < ly.P; j++) f[row + j] = 0;
      }
      f.fill(0, ly.b / F32, ly.b / F32 + ly.P);
      f.set(mlp.biases[l], ly.b / F32);
      const src = mlp.acts[l];
      if (ly.act && src) for (const name of ly.act.learnable) ly.act.unitParams[name].set(src.unitParams[name]);
    });
  }

  /** Copy the weights, biases and learnable activation parameters back into the MLP (for probes and model files). */
  syncTo(mlp: MLP): void {
    this.checkShape(mlp);
    const f = this.f32;
    this.layers.forEach((ly, l) => {
      const W = mlp.weights[l];
      const base = ly.WT / F32;
      for (let j = 0; j < ly.nout; j++) {
        const row = j * ly.nin;
        for (let i = 0; i < ly.nin; i++) W[row + i] = f[base + i * ly.P + j];
      }
      mlp.biases[l].set(this.view(ly.b, ly.nout));
      const dst = mlp.acts[l];
      if (ly.act && dst) for (const name of ly.act.learnable) dst.unitParams[name].set(ly.act.unitParams[name]);
    });
  }

  private checkShape(mlp: MLP): void {
    if (mlp.sizes.length !== this.sizes.length || mlp.sizes.some((s, i) => s !== this.sizes[i]) || mlp.head !== this.head)
      throw new Error(`MLP [${mlp.sizes.join(", ")}] ${mlp.head} does not match this trainer's [${this.sizes.join(", ")}] ${this.head}`);
  }

  /** Rows x units of a padded batch matrix, as compact rows x units (a view when no padding). */
  private compact(ptr: number, rows: number, units: number, P: number, into: Float32Array): Float32Array {
    if (P === units) return this.view(ptr, rows * units);
    const f = this.f32;
    const base = ptr / F32;
    // Element loops: rows are short (a padded output layer), where a subarray per row costs more than the copy.
    for (let r = 0, o = 0; r < rows; r++) for (let j = 0, i = base + r * P; j < units; j++) into[o++] = f[i++];
    return into;
  }

  /** Write compact rows x units back into a padded batch matrix (no-op when `from` is already the view). */
  private expand(from: Float32Array, ptr: number, rows: number, units: number, P: number): void {
    if (P === units) return;
    const base = ptr / F32;
    const f = this.f32;
    for (let r = 0, o = 0; r < rows; r++) for (let j = 0, i = base + r * P; j < units; j++) f[i++] = from[o++];
  }

  /** Forward pass of rows already in the input buffer; leaves Z and A of every layer. */
  private forward(rows: number): void {
    const k = this.k;
    let input = this.X;
    let stride = this.sizes[0];
    const L = this.layers.length;
    for (let l = 0; l < L; l++) {
      const ly = this.layers[l];
      const hidden = l < L - 1;
      const relu = hidden && ly.kind === 1 ? 1 : 0;
      k.forward(input, stride, rows, ly.nin, ly.WT, ly.P, ly.b, ly.Z, ly.A, relu);
      if (hidden && !relu) {
        if (ly.kind >= 0) k.actForward(ly.kind, ly.Z, ly.A, rows * ly.P, ly.param);
        else if (ly.learn >= 0) k.paramForward(ly.learn, ly.Z, ly.A, rows, ly.P, ly.par, ly.perUnit);
        else {
          const z = this.compact(ly.Z, rows, ly.nout, ly.P, this.zc);
          const a = ly.P === ly.nout ? this.view(ly.A, rows * ly.nout) : this.ac;
          ly.act!.forward(z, a, rows);
          this.expand(a, ly.A, rows, ly.nout, ly.P);
        }
      }
      input = ly.A;
      stride = ly.P;
    }
  }

  /** The head on the output layer: returns the loss sum; with grads, leaves d(mean loss)/dz in the last DZ. */
  private headStep(y: Float32Array, kind: TargetKind, rows: number, grads: boolean): number {
    const out = this.layers[this.layers.length - 1];
    const cols = out.nout;
    const z = this.compact(out.Z, rows, cols, out.P, this.zc);
    const a = this.ac; // head outputs (probabilities, values, f(z)): evaluate() reads them
    const dz = grads ? (out.P === cols ? this.view(out.DZ, rows * cols) : this.dzc) : null;
    const sum = headLoss({ head: this.head, z, out: a, rows, cols, y, kind, dz, outAct: out.act, scratch: this.gc });
    if (!dz) return sum;
    for (const name in out.pg) out.pg[name].fill(0);
    if (out.act) out.act.backward(z, a, this.gc, dz, rows, this.dfc, out.pg);
    this.expand(dz, out.DZ, rows, cols, out.P);
    return sum;
  }

  /** How y is laid out for `rows` rows (class indices or rows x outputs values), as MLP.targetKind. */
  targetKind(y: Float32Array, rows: number): TargetKind {
    const outputs = this.sizes[this.sizes.length - 1];
    if (y.length === rows * outputs) return "values";
    if (y.length === rows) return "class";
    throw new Error(`targets: expected ${rows} class indices or ${rows} x ${outputs} values, got ${y.length} numbers`);
  }

  private load(x: Float32Array, rows: number): void {
    if (rows < 1 || rows > this.capacity) throw new Error(`batch of ${rows} rows: must be 1..${this.capacity}`);
    const n = rows * this.sizes[0];
    if (x.length < n) throw new Error(`inputs: expected ${n} numbers, got ${x.length}`);
    const input = this.input;
    if (x.buffer !== input.buffer || x.byteOffset !== input.byteOffset) input.set(x.subarray(0, n));
  }

  /** Mean loss of `rows` rows without training (targets as in step). */
  loss(x: Float32Array, y: Float32Array, rows: number, kind: TargetKind = this.targetKind(y, rows)): number {
    this.load(x, rows);
    this.forward(rows);
    const cols = this.sizes[this.sizes.length - 1];
    return this.headStep(y, kind, rows, false) / lossDivisor(this.head, rows, cols);
  }

  /**
   * Loss and (classification) accuracy over a whole split, in chunks of the
   * batch capacity: probes.ts's evaluate() on the wasm forward pass (same
   * head code, float64 sums, first maximum wins the argmax). Reads the
   * weights only; the batch buffers it overwrites are scratch between steps.
   */
  evaluate(split: Split, kind: TargetKind, classification: boolean): Evaluation {
    const nin = this.sizes[0];
    const cols = this.sizes[this.sizes.length - 1];
    const ycols = kind === "class" ? 1 : cols;
    let sum = 0;
    let correct = 0;
    const out = this.ac;
    for (let r0 = 0; r0 < split.n; r0 += this.capacity) {
      const rows = Math.min(this.capacity, split.n - r0);
      const y = split.y.subarray(r0 * ycols, (r0 + rows) * ycols);
      this.load(split.x.subarray(r0 * nin, (r0 + rows) * nin), rows);
      this.forward(rows);
      sum += this.headStep(y, kind, rows, false);
      if (classification) correct += countCorrect(out, y, rows, cols);
    }
    const loss = sum / lossDivisor(this.head, split.n, cols);
    return classification ? { loss, acc: correct / split.n } : { loss };
  }

  /** Compact copies of the hidden layers' Z and A for probe(), made on first use. */
  private probeBufs: { z: Float32Array[]; a: Float32Array[] } | null = null;

  /**
   * One forward and backward pass over `rows` rows WITHOUT any update, for the
   * probes: the norms of the gradient of the mean loss per weight layer, and
   * each hidden layer's pre-activations and activations (compact rows x
   * units, valid until the next call). Reads the weights only.
   */
  probe(x: Float32Array, y: Float32Array, rows: number, kind: TargetKind = this.targetKind(y, rows)): ProbePass & { loss: number } {
    this.load(x, rows);
    this.forward(rows);
    const cols = this.sizes[this.sizes.length - 1];
    const loss = this.headStep(y, kind, rows, true) / lossDivisor(this.head, rows, cols);
    this.backward(rows, false);
    const L = this.layers.length;
    if (!this.probeBufs) {
      const hidden = this.layers.slice(0, L - 1);
      this.probeBufs = {
        z: hidden.map((ly) => new Float32Array(this.capacity * ly.nout)),
        a: hidden.map((ly) => new Float32Array(this.capacity * ly.nout)),
      };
    }
    const z: Float32Array[] = [];
    const a: Float32Array[] = [];
    for (let l = 0; l < L - 1; l++) {
      const ly = this.layers[l];
      const n = rows * ly.nout;
      // Copies, not views of wasm memory: the caller may keep them past the next pass.
      const zb = this.probeBufs.z[l].subarray(0, n);
      const ab = this.probeBufs.a[l].subarray(0, n);
      zb.set(this.compact(ly.Z, rows, ly.nout, ly.P, zb).subarray(0, n));
      ab.set(this.compact(ly.A, rows, ly.nout, ly.P, ab).subarray(0, n));
      z.push(zb);
      a.push(ab);
    }
    return {
      loss,
      weightGradNorms: this.layers.map((ly) => Math.sqrt(this.k.sumSquares(ly.gW, ly.nin * ly.P))),
      biasGradNorms: this.layers.map((ly) => Math.sqrt(this.k.sumSquares(ly.gb, ly.P))),
      z,
      a,
    };
  }

  /**
   * One training step on `rows` rows of x (rows x inputs, row-major; may be
   * `input` itself): forward, head, backward, optimizer update. Returns the
   * batch's mean loss before the update, as MLP.lossInto does.
   *
   * With `weightGradNorms` (length >= layers) it also writes the L2 norm of
   * each layer's weight gradient (before clipping), what trainNative records
   * as step_grad_norm; that step stores every gradient instead of fusing the
   * update into the gradient kernel.
   */
  /** When set, step() counts the rows whose largest head output is at their class (lastCorrect). */
  trackCorrect = false;
  /** The last step's correctly classified rows (before its update), when countCorrect is set. */
  lastCorrect = 0;

  step(x: Float32Array, y: Float32Array, rows: number, kind: TargetKind = this.targetKind(y, rows), weightGradNorms?: Float64Array): number {
    this.load(x, rows);
    this.forward(rows);
    const cols = this.sizes[this.sizes.length - 1];
    const mean = this.headStep(y, kind, rows, true) / lossDivisor(this.head, rows, cols);
    // Read the head's outputs now: the backward pass below reuses their buffer.
    if (this.trackCorrect) this.lastCorrect = countCorrect(this.ac, y, rows, cols);
    if (weightGradNorms) {
      this.backward(rows, false);
      this.layers.forEach((ly, l) => (weightGradNorms[l] = Math.sqrt(this.k.sumSquares(ly.gW, ly.nin * ly.P))));
      this.beginUpdate(true);
      this.updateStored(false);
    } else if (this.optimizer.clipNorm === undefined) {
      this.beginUpdate(false);
      this.backward(rows, true);
      this.updateStored(true);
    } else {
      // Clipping needs the global norm of every gradient before any update.
      this.backward(rows, false);
      this.beginUpdate(true);
      this.updateStored(false);
    }
    // Bounded activation parameters (PELU's a, b >= 0.1) back within bounds, as the TypeScript path does.
    for (const ly of this.layers) ly.act?.project();
    return mean;
  }

  /**
   * Backward pass. With `fused` (no clipping: no step needs all gradients
   * first) each layer's weight gradient goes straight into its optimizer
   * update and is never stored; the input gradient is taken first, from the
   * weights before their update.
   */
  private backward(rows: number, fused: boolean): void {
    const k = this.k;
    const L = this.layers.length;
    for (let l = 0; l < L - 1; l++) for (const name in this.layers[l].pg) this.layers[l].pg[name].fill(0);
    for (let l = L - 1; l >= 0; l--) {
      const ly = this.layers[l];
      if (l > 0) {
        const prev = this.layers[l - 1];
        if (prev.kind === 1) k.inputGrad(ly.DZ, ly.P, rows, ly.WT, ly.nin, prev.DZ, prev.P, prev.Z, 1);
        else {
          k.inputGrad(ly.DZ, ly.P, rows, ly.WT, ly.nin, prev.G, prev.P, prev.Z, 0);
          if (prev.kind >= 0) k.actBackward(prev.kind, prev.Z, prev.G, prev.DZ, rows * prev.P, prev.param);
          else if (prev.learn >= 0) k.paramBackward(prev.learn, prev.Z, prev.G, prev.DZ, rows, prev.P, prev.par, prev.perUnit, prev.parGrad);
          else {
            const z = this.compact(prev.Z, rows, prev.nout, prev.P, this.zc);
            const a = this.compact(prev.A, rows, prev.nout, prev.P, this.ac);
            const g = this.compact(prev.G, rows, prev.nout, prev.P, this.gc);
            const dz = prev.P === prev.nout ? this.view(prev.DZ, rows * prev.nout) : this.dzc;
            prev.act!.backward(z, a, g, dz, rows, this.dfc, prev.pg);
            this.expand(dz, prev.DZ, rows, prev.nout, prev.P);
          }
        }
      }
      const input = l === 0 ? this.X : this.layers[l - 1].A;
      const stride = l === 0 ? this.sizes[0] : this.layers[l - 1].P;
      k.biasGrad(ly.DZ, ly.P, rows, ly.gb);
      if (fused) {
        const W = ly.weight;
        this.hyper(W);
        k.weightGrad(input, stride, rows, ly.nin, ly.DZ, ly.P, this.tile, W.w, W.m, W.v, 1);
      } else k.weightGrad(input, stride, rows, ly.nin, ly.DZ, ly.P, ly.gW, 0, 0, 0, 0);
    }
  }

  /** Hyperparameters of this step, set by beginUpdate. */
  private hp = { code: 0, lr: 0, wd: 0, scale: 1, mu: 0, b1: 0, b2: 0, eps: 0, c1: 1, c2: 1 };

  /** Step count, clipping scale and bias corrections of this step, as Optimizer.step computes them. */
  private beginUpdate(clip: boolean): void {
    const s = this.optimizer;
    let scale = 1;
    if (clip && s.clipNorm !== undefined) {
      const norm = Math.sqrt(this.k.sumSquares(this.gradStart, this.gradFloats));
      if (norm > s.clipNorm) scale = s.clipNorm / (norm + 1e-6);
    }
    this.t++;
    const b1 = s.beta1 ?? 0.9;
    const b2 = s.beta2 ?? 0.999;
    const hp = this.hp;
    hp.code = WASM_OPTIMIZERS[s.name];
    hp.lr = s.lr;
    hp.wd = s.weightDecay ?? 0;
    hp.scale = scale;
    hp.mu = s.momentum ?? 0.9;
    hp.b1 = b1;
    hp.b2 = b2;
    hp.eps = s.eps ?? 1e-8;
    hp.c1 = 1 - Math.pow(b1, this.t);
    hp.c2 = 1 - Math.pow(b2, this.t);
  }

  /** Set the kernels' hyperparameters for tensor t (weight decay on weight matrices only). */
  private hyper(t: Tensor): void {
    const h = this.hp;
    this.k.setHyper(h.code, h.lr, t.kind === "weight" ? h.wd : 0, h.scale, h.mu, h.b1, h.b2, h.eps, h.c1, h.c2);
  }

  /** Update every tensor whose gradient is stored (all of them, or all but the fused weight matrices). */
  private updateStored(skipWeights: boolean): void {
    const h = this.hp;
    for (const t of this.tensors) {
      if (skipWeights && t.kind === "weight") continue;
      this.k.update(h.code, t.w, t.g, t.m, t.v, t.n, h.lr, t.kind === "weight" ? h.wd : 0, h.scale, h.mu, h.b1, h.b2, h.eps, h.c1, h.c2);
    }
  }
}

/** A wasm trainer for `mlp` with its weights copied in; train with step(), copy back with syncTo(). */
export function createWasmTrainer(mlp: MLP, optimizer: OptimizerSpec, batchCapacity: number): WasmTrainer {
  return new WasmTrainer(mlp, optimizer, { batchCapacity });
}
