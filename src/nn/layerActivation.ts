/**
 * One layer's activation applied to a whole batch (rows x units, row-major):
 * forward, backward (dL/dz from dL/da) and the derivative the probes read.
 *
 * Three shapes of activation, one interface:
 *   - elementwise with fixed parameters: the registry's Float32Array loops;
 *   - elementwise with learnable parameters (PReLU's slope, swish_beta's
 *     beta, PELU's a and b, PAU's coefficients): one value per unit, or one
 *     per layer (`share: layer`), trained like a weight; scalar f/df/dParam
 *     per element (slower, but only these activations pay for it);
 *   - vector (softmax as a hidden layer): row-wise forward and its
 *     Jacobian-vector product backward.
 */
import type { Activation, ActivationDef, Params } from "../activations/types.js";

/** Where canDie() looks for an exactly flat derivative: both sides, away from 0 and from underflow. */
const FLAT_PROBES = [-4, -1, -0.25, 0.25, 1, 4];

export class LayerActivation {
  /** The resolved activation (registry entry plus parameter values). */
  readonly activation: Activation;
  readonly def: ActivationDef;
  readonly units: number;
  /** Names of the learnable parameters (empty for most activations). */
  readonly learnable: readonly string[];
  /** Values per learnable parameter: `units` long, or 1 long when shared per layer. */
  readonly paramWidth: number;
  /** Current values of each learnable parameter (the trained state), paramWidth long. */
  readonly unitParams: Record<string, Float32Array>;
  /** Mutable parameter objects handed to the scalar forms, one per value (kept in sync with unitParams). */
  private readonly perUnit: Array<Record<string, number>>;
  /** Lower bounds restored after each optimizer step (PELU's a, b >= 0.1), by parameter name. */
  private readonly bounds: ReadonlyArray<{ name: string; min: number }>;
  /** df/dparam scratch for def.gradients (one slot per learnable parameter). */
  private readonly dp: Float64Array;
  /** Per-batch sums of dL/dparam, parameter-major (learnable x paramWidth). */
  private readonly sums: Float64Array;
  /** maxAbsDf memo for a layer-shared parameter set: its parameter values and the result. */
  private maxMemo: { values: number[]; max: number } | null = null;

  constructor(activation: Activation, units: number) {
    this.activation = activation;
    this.def = activation.def;
    this.units = units;
    const defs = (this.def.params ?? []).filter((p) => p.learnable);
    this.learnable = defs.map((p) => p.name);
    this.paramWidth = activation.share === "layer" ? 1 : units;
    this.unitParams = {};
    for (const name of this.learnable) this.unitParams[name] = new Float32Array(this.paramWidth).fill(activation.params[name]);
    this.perUnit = this.learnable.length ? Array.from({ length: this.paramWidth }, () => ({ ...activation.params })) : [];
    this.bounds = defs.filter((p) => p.min !== undefined).map((p) => ({ name: p.name, min: p.min! }));
    this.dp = new Float64Array(this.learnable.length);
    this.sums = new Float64Array(this.learnable.length * this.paramWidth);
  }

  /**
   * Put every learnable parameter back within its bounds after an optimizer
   * step (a projection; the wasm trainer's form of what Optimizer.step does
   * for the TypeScript path). NaN stays NaN, for the divergence check.
   */
  project(): void {
    for (const { name, min } of this.bounds) {
      const v = this.unitParams[name];
      const m = Math.fround(min);
      for (let i = 0; i < v.length; i++) if (v[i] < m) v[i] = m;
    }
  }

  get isVector(): boolean {
    return this.def.vector !== undefined;
  }

  /** Parameter values of unit j (current learnable values filled in). */
  paramsOf(j: number): Params {
    if (!this.learnable.length) return this.activation.params;
    const i = this.paramWidth === 1 ? 0 : j;
    const p = this.perUnit[i];
    for (const name of this.learnable) p[name] = this.unitParams[name][i];
    return p;
  }

  private syncPerUnit(): void {
    for (let j = 0; j < this.paramWidth; j++) this.paramsOf(j);
  }

  /** The parameter object of column j (after syncPerUnit). */
  private unitObject(j: number): Record<string, number> {
    return this.perUnit[this.paramWidth === 1 ? 0 : j];
  }

  /** a = f(z) over `rows` rows (the arrays may be longer). */
  forward(z: Float32Array, a: Float32Array, rows: number): void {
    const cols = this.units;
    const n = rows * cols;
    if (this.def.vector) {
      this.def.vector.forward(z, a, rows, cols);
      return;
    }
    if (!this.learnable.length) {
      this.def.fArray(view(z, n), view(a, n), this.activation.params);
      return;
    }
    this.syncPerUnit();
    const f = this.def.f;
    for (let r = 0, o = 0; r < rows; r++)
      for (let j = 0; j < cols; j++, o++) a[o] = f(z[o], this.unitObject(j));
  }

  /**
   * Forward for training: a = f(z) and, when the activation gives f' from
   * f(x) (ActivationDef.dfFromOutput), d = f'(z) from the same float64 value:
   * the bits of dfArray, half the transcendental calls. Returns whether d was filled.
   */
  forwardTrain(z: Float32Array, a: Float32Array, d: Float32Array, rows: number): boolean {
    const fromValue = this.learnable.length || this.def.vector ? undefined : this.def.dfFromOutput;
    if (!fromValue) {
      this.forward(z, a, rows);
      return false;
    }
    const f = this.def.f;
    const p = this.activation.params;
    const n = rows * this.units;
    for (let i = 0; i < n; i++) {
      const y = f(z[i], p);
      a[i] = y;
      d[i] = fromValue(y, p);
    }
    return true;
  }

  /**
   * d = |effective f'(z)| per element, for the probes (dead units, saturation).
   * Vector activations report the Jacobian's diagonal, s (1 - s) for softmax.
   */
  derivative(z: Float32Array, a: Float32Array, d: Float32Array, rows: number): void {
    const cols = this.units;
    const n = rows * cols;
    if (this.def.vector) {
      for (let i = 0; i < n; i++) d[i] = a[i] * (1 - a[i]);
      return;
    }
    if (!this.learnable.length) {
      this.def.dfArray(view(z, n), view(d, n), this.activation.params);
      return;
    }
    this.syncPerUnit();
    const df = this.def.df;
    for (let r = 0, o = 0; r < rows; r++)
      for (let j = 0; j < cols; j++, o++) d[o] = df(z[o], this.unitObject(j));
  }

  /**
   * Whether unit j can die: its derivative is exactly zero on a whole interval
   * (relu's x <= 0; leaky_relu with alpha 0; a PReLU slope learned to 0; a
   * user's activation with a flat piece). The registry's canDie says so for
   * the activations that always can; for the rest, a derivative exactly zero
   * at one of a few moderate points reveals a flat piece, since a smooth
   * derivative is zero there only by coincidence. A derivative that is zero
   * only by floating-point underflow (sigmoid or tanh far out, elu below
   * about -745) does not make a unit dead: the "elu, selu and
   * leaky_relu never die"; such units show up as saturated instead.
   */
  canDie(j: number): boolean {
    if (this.def.canDie) return true;
    if (this.def.vector) return false;
    const p = this.paramsOf(j);
    return FLAT_PROBES.some((x) => this.def.df(x, p) === 0);
  }

  /** Largest |f'| of unit j (per unit because learned slopes differ). */
  maxAbsDf(j: number): number {
    if (this.def.vector) return 0.25; // max of s (1 - s)
    if (!this.learnable.length) return this.activation.maxAbsDf;
    if (this.paramWidth > 1) return this.def.maxAbsDf(this.paramsOf(j));
    // One shared parameter set: computed once per set of values, not once per unit.
    const values = this.learnable.map((name) => this.unitParams[name][0]);
    if (!this.maxMemo || this.maxMemo.values.some((v, i) => v !== values[i])) this.maxMemo = { values, max: this.def.maxAbsDf(this.paramsOf(0)) };
    return this.maxMemo.max;
  }

  /**
   * dz = J^T g (elementwise: g * f'(z)); adds dL/dparam per unit into `pg`
   * when the activation has learnable parameters. `scratch` holds rows*units;
   * `pre` is f'(z) when forwardTrain already computed it.
   */
  backward(
    z: Float32Array,
    a: Float32Array,
    g: Float32Array,
    dz: Float32Array,
    rows: number,
    scratch: Float32Array,
    pg: Record<string, Float32Array> | null,
    pre: Float32Array | null = null,
  ): void {
    const cols = this.units;
    const n = rows * cols;
    if (this.def.vector) {
      this.def.vector.backward(a, g, dz, rows, cols);
      return;
    }
    if (!this.learnable.length) {
      if (pre) {
        for (let i = 0; i < n; i++) dz[i] = g[i] * pre[i];
        return;
      }
      this.def.dfArray(view(z, n), view(scratch, n), this.activation.params);
      for (let i = 0; i < n; i++) dz[i] = g[i] * scratch[i];
      return;
    }
    this.syncPerUnit();
    const width = this.paramWidth;
    const np = this.learnable.length;
    // df/dparam sums per parameter value in float64, added into pg once (rows in order, as a dot product).
    const sums = this.sums;
    sums.fill(0);
    const gradients = this.def.gradients;
    if (gradients) {
      const dp = this.dp;
      for (let r = 0, o = 0; r < rows; r++)
        for (let j = 0; j < cols; j++, o++) {
          const gi = g[o];
          dz[o] = gi * gradients(z[o], this.unitObject(j), dp);
          const base = width === 1 ? 0 : j;
          for (let q = 0; q < np; q++) sums[q * width + base] += gi * dp[q];
        }
    } else {
      const dParam = this.def.dParam ?? {};
      this.learnable.forEach((name, q) => {
        const dpf = dParam[name];
        if (!dpf) throw new Error(`activation ${this.def.name}: learnable parameter ${name} has no dParam`);
        for (let j = 0; j < cols; j++) {
          const p = this.unitObject(j);
          let s = 0;
          for (let r = 0, o = j; r < rows; r++, o += cols) s += g[o] * dpf(z[o], p);
          sums[q * width + (width === 1 ? 0 : j)] += s;
        }
      });
      const df = this.def.df;
      for (let r = 0, o = 0; r < rows; r++)
        for (let j = 0; j < cols; j++, o++) dz[o] = g[o] * df(z[o], this.unitObject(j));
    }
    if (!pg) return;
    this.learnable.forEach((name, q) => {
      const acc = pg[name];
      if (acc) for (let i = 0; i < width; i++) acc[i] += sums[q * width + i];
    });
  }
}

/** The first n elements, without a copy when the array is exactly that long. */
export function view(a: Float32Array, n: number): Float32Array {
  return a.length === n ? a : a.subarray(0, n);
}
