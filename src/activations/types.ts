/** Values of an activation's parameters, by name (e.g. `{alpha: 0.2}`). */
export type Params = Readonly<Record<string, number>>;

/** A parameter of an activation, with its default. */
export interface ParamDef {
  /** Parameter name as written in configs (`{name: leaky_relu, alpha: 0.2}`). */
  name: string;
  /** Value used when the config does not set it. */
  default: number;
  /** True when the engine trains it like a weight (PReLU's slope: one per unit, or one per layer). */
  learnable?: boolean;
  /**
   * Lower bound of a learnable parameter, restored after every optimizer step
   * (a projection onto the allowed set: PELU's a, b >= 0.1).
   */
  min?: number;
  /** One line for `actbench list activations`. */
  description: string;
}

/** Init schemes an activation may recommend (the engine implements all of them). */
export type InitScheme =
  | "he_normal"
  | "he_uniform"
  | "xavier_normal"
  | "xavier_uniform"
  | "lecun_normal"
  | "lecun_uniform"
  | "standard"
  | "brainjs";

/**
 * One registry entry. Elementwise activations give scalar `f`/`df` and the
 * Float32Array loops the engine runs; the vector activation (softmax) gives
 * `vector` instead, and its scalar forms treat x as a one-element vector.
 */
export interface ActivationDef {
  /** Canonical name (snake_case). */
  name: string;
  /** Other names that resolve to this one (`swish` -> `silu`). */
  aliases?: readonly string[];
  /** One-line description. */
  description: string;
  /** Paper or origin it comes from. */
  source: string;
  /** Parameters with defaults; absent when the activation has none. */
  params?: readonly ParamDef[];
  /** Value at x, in float64. */
  f(x: number, p: Params): number;
  /** Derivative with respect to x, in float64. */
  df(x: number, p: Params): number;
  /** out[i] = f(z[i]) over a Float32Array (the engine's hot path). */
  fArray(z: Float32Array, out: Float32Array, p: Params): void;
  /** out[i] = df(z[i]) over a Float32Array. */
  dfArray(z: Float32Array, out: Float32Array, p: Params): void;
  /**
   * Optional: f'(x) computed from y = f(x) (the float64 value) with the same
   * operations df performs on it, so equal to df(x) bit for bit (sigmoid
   * s (1 - s), tanh (1 - t)(1 + t)). Give it when f is costly and f' cheap
   * from f: training then evaluates f once per element and takes f' from it
   * (LayerActivation.forwardTrain). Without it, f' comes from df(x).
   */
  dfFromOutput?(y: number, p: Params): number;
  /** Derivative with respect to each learnable parameter, at x. */
  dParam?: Readonly<Record<string, (x: number, p: Params) => number>>;
  /**
   * Optional one-pass form for activations with learnable parameters: returns
   * df/dx and writes df/d(parameter) into `dp` in the order of the learnable
   * entries of `params` (a rational function computes its polynomials once
   * instead of once per parameter). Must equal df and dParam.
   */
  gradients?(x: number, p: Params, dp: Float64Array): number;
  /**
   * Figures derived from the learnable parameters that params.csv records
   * beside them, by name (a mixture's weights, softmax of its logits).
   */
  derivedParams?(p: Params): Record<string, number>;
  /** Where the derivative is exactly zero, in words ("x <= 0", "never"). */
  zeroDerivative: string;
  /** True when df can be exactly zero on an open set, so a unit can die. */
  canDie: boolean;
  /** Largest |f'(x)| over all x, for the saturation threshold. */
  maxAbsDf(p: Params): number;
  /** Init scheme recommended for layers using this activation. */
  init: InitScheme;
  /** Present for vector activations (softmax): row-wise forms. */
  vector?: VectorForms;
}

/** Row-wise forms of a vector activation over a row-major rows x cols matrix. */
export interface VectorForms {
  /** out = f(z) row by row. */
  forward(z: Float32Array, out: Float32Array, rows: number, cols: number): void;
  /**
   * Backward as a Jacobian-vector product: given the outputs s = f(z) and the
   * upstream gradient g, out = J(z)^T g row by row (softmax: s * (g - <g, s>)).
   */
  backward(s: Float32Array, g: Float32Array, out: Float32Array, rows: number, cols: number): void;
}

/**
 * An activation as a config names it: a name, or a name with parameters
 * (`share: layer` makes the learnable ones one per layer instead of one per unit).
 */
export type ActivationSpec = string | ({ name: string } & Record<string, number | string>) | MixSpec;

/** A learned mixture of fixed activations (see mixture.ts): `{mix: [relu, tanh, identity]}`. */
export interface MixSpec {
  mix: ActivationSpec[];
  share?: ParamSharing;
}

/**
 * What a network's hidden layers run: one activation on every hidden layer,
 * or `{layers: [tanh, relu]}`, one per hidden layer in order (the last one
 * also runs every deeper layer).
 */
export type NetworkActivation = ActivationSpec | { layers: ActivationSpec[] };

/** How learnable parameters are held: one value per unit (default) or one per layer. */
export type ParamSharing = "unit" | "layer";

/** An activation resolved against the registry, its parameters fixed. */
export interface Activation {
  /** Canonical name (`mix` for a mixture). */
  name: string;
  /** The spec this activation is carried as (run configs, model files); resolving it gives the same activation. */
  spec: ActivationSpec;
  /** Label used in reports ("leaky_relu(alpha=0.2)", or the name when all defaults). */
  label: string;
  /** Every parameter's value (defaults filled in); learnable ones are their initial values. */
  params: Params;
  /** Learnable parameters one per unit or one per layer (`unit` when there are none). */
  share: ParamSharing;
  /** The registry entry. */
  def: ActivationDef;
  /** Scalar value. */
  f(x: number): number;
  /** Scalar derivative. */
  df(x: number): number;
  /** Largest |f'| with these parameters. */
  maxAbsDf: number;
}
