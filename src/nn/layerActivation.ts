/**
 * One layer's activation applied to a whole batch (rows x units, row-major):
 * forward, backward (dL/dz from dL/da) and the derivative the probes read.
 *
 * Three shapes of activation, one interface:
 *   - elementwise with fixed parameters: the registry's Float32Array loops;
 *   - elementwise with learnable parameters (PReLU's slope): one value per
 *     unit, trained like a weight; scalar f/df/dParam per element (slower,
 *     but only these activations pay for it);
 *   - vector (softmax as a hidden layer): row-wise forward and its
 *     Jacobian-vector product backward.
 */
import { isBuiltin } from "../activations/index.js";
import type { Activation, ActivationDef, Params } from "../activations/types.js";

/**
 * Activations whose registry derivative is, operation for operation, a function
 * of the float64 value f(x) (registry: sigmoidDf = s (1 - s), tanhDf =
 * (1 - t)(1 + t)). Training computes f once per element and takes f' from the
 * float64 value: the same bits as dfArray, half the transcendental calls.
 */
const derivativeFromValue: Readonly<Record<string, (y: number) => number>> = {
  sigmoid: (y) => y * (1 - y),
  tanh: (t) => (1 - t) * (1 + t),
};

/** Where canDie() looks for an exactly flat derivative: both sides, away from 0 and from underflow. */
const FLAT_PROBES = [-4, -1, -0.25, 0.25, 1, 4];

export class LayerActivation {
  /** The resolved activation (registry entry plus parameter values). */
  readonly activation: Activation;
  readonly def: ActivationDef;
  readonly units: number;
  /** Names of the parameters trained per unit (empty for most activations). */
  readonly learnable: readonly string[];
  /** Per-unit values of each learnable parameter (the trained state). */
  readonly unitParams: Record<string, Float32Array>;
  /** Mutable per-unit parameter objects handed to the scalar forms (kept in sync with unitParams). */
  private readonly perUnit: Array<Record<string, number>>;

  constructor(activation: Activation, units: number) {
    this.activation = activation;
    this.def = activation.def;
    this.units = units;
    this.learnable = (this.def.params ?? []).filter((p) => p.learnable).map((p) => p.name);
    this.unitParams = {};
    for (const name of this.learnable) this.unitParams[name] = new Float32Array(units).fill(activation.params[name]);
    this.perUnit = this.learnable.length ? Array.from({ length: units }, () => ({ ...activation.params })) : [];
  }

  get isVector(): boolean {
    return this.def.vector !== undefined;
  }

  /** Parameter values of unit j (current learnable values filled in). */
  paramsOf(j: number): Params {
    if (!this.learnable.length) return this.activation.params;
    const p = this.perUnit[j];
    for (const name of this.learnable) p[name] = this.unitParams[name][j];
    return p;
  }

  private syncPerUnit(): void {
    for (let j = 0; j < this.units; j++) this.paramsOf(j);
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
      for (let j = 0; j < cols; j++, o++) a[o] = f(z[o], this.perUnit[j]);
  }

  /**
   * Forward for training: a = f(z) and, when it can be had for free (see
   * derivativeFromValue), d = f'(z). Returns whether d was filled.
   */
  forwardTrain(z: Float32Array, a: Float32Array, d: Float32Array, rows: number): boolean {
    // Only for the built-in definitions: a user module may register other formulas under the same name.
    const fromValue = this.learnable.length || this.def.vector || !isBuiltin(this.def) ? undefined : derivativeFromValue[this.def.name];
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
      d[i] = fromValue(y);
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
      for (let j = 0; j < cols; j++, o++) d[o] = df(z[o], this.perUnit[j]);
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
    return this.learnable.length ? this.def.maxAbsDf(this.paramsOf(j)) : this.activation.maxAbsDf;
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
    const df = this.def.df;
    const dParam = this.def.dParam ?? {};
    for (const name of this.learnable) {
      const dp = dParam[name];
      if (!dp) throw new Error(`activation ${this.def.name}: learnable parameter ${name} has no dParam`);
      const acc = pg ? pg[name] : null;
      if (!acc) continue;
      for (let j = 0; j < cols; j++) {
        let s = 0;
        const p = this.perUnit[j];
        for (let r = 0, o = j; r < rows; r++, o += cols) s += g[o] * dp(z[o], p);
        acc[j] += s;
      }
    }
    for (let r = 0, o = 0; r < rows; r++)
      for (let j = 0; j < cols; j++, o++) dz[o] = g[o] * df(z[o], this.perUnit[j]);
  }
}

/** The first n elements, without a copy when the array is exactly that long. */
export function view(a: Float32Array, n: number): Float32Array {
  return a.length === n ? a : a.subarray(0, n);
}
