/**
 * The built-in activations, one definition each. Formulas follow PyTorch's
 * CPU kernels (the reference the tests check against), in their numerically
 * stable forms: sigmoid, softplus, silu and mish never overflow, and every
 * finite input gives a finite output. At x = +/-Infinity each function returns
 * its limit where one exists (relu(Inf) = Inf, sigmoid(-Inf) = 0, tanh(Inf) = 1),
 * and derivatives return their limits (0 or the slope of the linear part).
 *
 * Each entry gives scalar f/df in float64 and the Float32Array loops the engine
 * runs; the loops compute in float64 and round once on store, so they equal
 * the scalar forms to float32 rounding.
 */
import { erf } from "./erf.js";
import type { ActivationDef, Params } from "./types.js";

type Scalar = (x: number, p: Params) => number;

/**
 * A Float32Array loop from a scalar function. Used where an activation is not
 * worth a hand-written loop; the hot ones below inline their formula instead,
 * because a call through a shared loop is not inlined by V8 once it has seen
 * several functions.
 */
function loop(fn: Scalar): (z: Float32Array, out: Float32Array, p: Params) => void {
  return (z, out, p) => {
    for (let i = 0; i < z.length; i++) out[i] = fn(z[i], p);
  };
}

/** Largest |f'| found on a dense grid, for smooth activations with no closed form for it. */
function gridMaxAbs(df: Scalar): (p: Params) => number {
  const cache = new Map<string, number>();
  return (p) => {
    const key = JSON.stringify(p);
    let m = cache.get(key);
    if (m === undefined) {
      m = 0;
      // Step 1e-3 over [-20, 20]: the maxima of these smooth derivatives lie
      // within [-5, 5] and are flat there, so the grid value is exact to ~1e-7.
      for (let i = -20000; i <= 20000; i++) m = Math.max(m, Math.abs(df(i / 1000, p)));
      cache.set(key, m);
    }
    return m;
  };
}

/** Stable logistic function: never exp of a large positive number. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** softplus with PyTorch's threshold: linear above x = 20; log1p(exp(x)) otherwise. */
function softplus(x: number): number {
  return x > 20 ? x : Math.log1p(Math.exp(x));
}

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 0.3989422804014327; // 1 / sqrt(2 pi)
const SQRT_2_OVER_PI = 0.7978845608028654; // sqrt(2 / pi)
const GELU_KAPPA = 0.044715;
// PyTorch's hardsigmoid backward multiplies by 1.0f / 6.0f, a float32 constant,
// even in float64; the reference values carry it, so the slope here is the same.
const ONE_SIXTH_F32 = Math.fround(1 / 6);
const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_LAMBDA = 1.0507009873554804934193349852946;

const sigmoidDf: Scalar = (x) => {
  const s = sigmoid(x);
  return s * (1 - s);
};
// (1 - t)(1 + t), not 1 - t^2: exact 1 +/- t keeps the relative accuracy near saturation (and is PyTorch's form).
const tanhDf: Scalar = (x) => {
  const t = Math.tanh(x);
  return (1 - t) * (1 + t);
};
const geluF: Scalar = (x) => x * 0.5 * (1 + erf(x * SQRT1_2));
const geluDf: Scalar = (x) => 0.5 * (1 + erf(x * SQRT1_2)) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x);
const geluTanhF: Scalar = (x) => 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_KAPPA * x * x * x)));
const geluTanhDf: Scalar = (x) => {
  // PyTorch's GeluBackward (approximate='tanh').
  const t = Math.tanh(SQRT_2_OVER_PI * (x + GELU_KAPPA * x * x * x));
  const sech2 = 1 - t * t;
  // Once tanh has saturated the second term is exactly 0; skipping it avoids 0 * Infinity for |x| > 1e154.
  if (sech2 === 0) return 0.5 * (1 + t);
  return 0.5 * (1 + t) + 0.5 * x * sech2 * SQRT_2_OVER_PI * (1 + 3 * GELU_KAPPA * x * x);
};
const siluF: Scalar = (x) => x * sigmoid(x);
const siluDf: Scalar = (x) => {
  const s = sigmoid(x);
  return s * (1 + x * (1 - s));
};
/** Largest |silu'| (about 1.0998, at x ~ 2.3994), from the same grid as silu's entry. */
export const siluMaxAbsDf = (): number => siluMax({});
const siluMax = gridMaxAbs(siluDf);
const mishF: Scalar = (x) => x * Math.tanh(softplus(x));
const mishDf: Scalar = (x) => {
  // d/dx x tanh(sp(x)) = tanh(sp) + x sigmoid(x) (1 - tanh(sp)^2), PyTorch's MishBackward.
  const t = Math.tanh(softplus(x));
  return t + x * sigmoid(x) * (1 - t * t);
};
const eluF: Scalar = (x, p) => (x > 0 ? x : p.alpha * Math.expm1(x));
const eluDf: Scalar = (x, p) => (x > 0 ? 1 : p.alpha * Math.exp(x));
const celuF: Scalar = (x, p) => (x > 0 ? x : p.alpha * Math.expm1(x / p.alpha));
const celuDf: Scalar = (x, p) => (x > 0 ? 1 : Math.exp(x / p.alpha));
// x relu6(x + 3) / 6 as PyTorch computes it (so hardswish(-5) = -0), without -Infinity * 0.
const hardswishF: Scalar = (x) => (x <= -3 ? -0 : x >= 3 ? x : (x * (x + 3)) / 6);
const hardswishDf: Scalar = (x) => (x < -3 ? 0 : x <= 3 ? x / 3 + 0.5 : 1);

export const builtinActivations: ActivationDef[] = [
  {
    name: "sigmoid",
    aliases: ["logistic"],
    description: "Logistic function 1 / (1 + e^-x); saturates at both ends, max slope 1/4.",
    source: "Classic; e.g. Rumelhart, Hinton & Williams 1986",
    f: (x) => sigmoid(x),
    df: sigmoidDf,
    fArray(z, out) {
      for (let i = 0; i < z.length; i++) {
        const x = z[i];
        if (x >= 0) out[i] = 1 / (1 + Math.exp(-x));
        else {
          const e = Math.exp(x);
          out[i] = e / (1 + e);
        }
      }
    },
    dfArray: loop(sigmoidDf),
    dfFromOutput: (s) => s * (1 - s), // sigmoidDf's operations on the same value
    zeroDerivative: "never (underflows to 0 for |x| > ~37 in float64)",
    canDie: false,
    maxAbsDf: () => 0.25,
    init: "xavier_uniform",
  },
  {
    name: "tanh",
    description: "Hyperbolic tangent; zero-centred, saturates at both ends, max slope 1.",
    source: "Classic; LeCun et al. 1998, Efficient BackProp",
    f: (x) => Math.tanh(x),
    df: tanhDf,
    fArray(z, out) {
      for (let i = 0; i < z.length; i++) out[i] = Math.tanh(z[i]);
    },
    dfArray(z, out) {
      for (let i = 0; i < z.length; i++) {
        const t = Math.tanh(z[i]);
        out[i] = (1 - t) * (1 + t);
      }
    },
    dfFromOutput: (t) => (1 - t) * (1 + t), // tanhDf's operations on the same value
    zeroDerivative: "never (1 - tanh^2 rounds to 0 for |x| > ~19 in float64, ~9 in float32)",
    canDie: false,
    maxAbsDf: () => 1,
    init: "xavier_uniform",
  },
  {
    name: "relu",
    description: "Rectified linear unit max(0, x); units die when their input stays negative.",
    source: "Nair & Hinton 2010; Glorot, Bordes & Bengio 2011",
    f: (x) => (x > 0 ? x : 0),
    df: (x) => (x > 0 ? 1 : 0),
    fArray(z, out) {
      for (let i = 0; i < z.length; i++) out[i] = z[i] > 0 ? z[i] : 0;
    },
    dfArray(z, out) {
      for (let i = 0; i < z.length; i++) out[i] = z[i] > 0 ? 1 : 0;
    },
    zeroDerivative: "x <= 0",
    canDie: true,
    maxAbsDf: () => 1,
    init: "he_normal",
  },
  {
    name: "leaky_relu",
    description: "ReLU with a small fixed slope alpha for x < 0, so units cannot die.",
    source: "Maas, Hannun & Ng 2013",
    params: [{ name: "alpha", default: 0.01, description: "slope for x <= 0" }],
    f: (x, p) => (x > 0 ? x : p.alpha * x),
    df: (x, p) => (x > 0 ? 1 : p.alpha),
    fArray(z, out, p) {
      const a = p.alpha;
      for (let i = 0; i < z.length; i++) out[i] = z[i] > 0 ? z[i] : a * z[i];
    },
    dfArray(z, out, p) {
      const a = p.alpha;
      for (let i = 0; i < z.length; i++) out[i] = z[i] > 0 ? 1 : a;
    },
    zeroDerivative: "never (unless alpha = 0)",
    canDie: false,
    maxAbsDf: (p) => Math.max(1, Math.abs(p.alpha)),
    init: "he_normal",
  },
  {
    name: "prelu",
    description: "Parametric ReLU: leaky ReLU whose negative slope is learned, one per unit.",
    source: "He, Zhang, Ren & Sun 2015, Delving Deep into Rectifiers",
    params: [{ name: "slope", default: 0.25, learnable: true, description: "initial negative slope (learned per unit)" }],
    f: (x, p) => (x > 0 ? x : p.slope * x),
    df: (x, p) => (x > 0 ? 1 : p.slope),
    fArray(z, out, p) {
      const a = p.slope;
      for (let i = 0; i < z.length; i++) out[i] = z[i] > 0 ? z[i] : a * z[i];
    },
    dfArray(z, out, p) {
      const a = p.slope;
      for (let i = 0; i < z.length; i++) out[i] = z[i] > 0 ? 1 : a;
    },
    dParam: { slope: (x) => (x > 0 ? 0 : x) },
    zeroDerivative: "never (unless a slope is learned to 0)",
    canDie: false,
    maxAbsDf: (p) => Math.max(1, Math.abs(p.slope)),
    init: "he_normal",
  },
  {
    name: "elu",
    description: "Exponential linear unit: x for x > 0, alpha (e^x - 1) below; smooth negative saturation.",
    source: "Clevert, Unterthiner & Hochreiter 2016",
    params: [{ name: "alpha", default: 1, description: "negative saturation value" }],
    f: eluF,
    df: eluDf,
    fArray(z, out, p) {
      const a = p.alpha;
      for (let i = 0; i < z.length; i++) out[i] = z[i] > 0 ? z[i] : a * Math.expm1(z[i]);
    },
    dfArray(z, out, p) {
      const a = p.alpha;
      for (let i = 0; i < z.length; i++) out[i] = z[i] > 0 ? 1 : a * Math.exp(z[i]);
    },
    zeroDerivative: "never (underflows to 0 for x < ~-745)",
    canDie: false,
    maxAbsDf: (p) => Math.max(1, Math.abs(p.alpha)),
    init: "he_normal",
  },
  {
    name: "selu",
    description: "Scaled ELU with fixed lambda and alpha that keep activations self-normalizing.",
    source: "Klambauer, Unterthiner, Mayr & Hochreiter 2017",
    f: (x) => SELU_LAMBDA * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
    df: (x) => (x > 0 ? SELU_LAMBDA : SELU_LAMBDA * SELU_ALPHA * Math.exp(x)),
    fArray(z, out) {
      for (let i = 0; i < z.length; i++) out[i] = SELU_LAMBDA * (z[i] > 0 ? z[i] : SELU_ALPHA * Math.expm1(z[i]));
    },
    dfArray(z, out) {
      for (let i = 0; i < z.length; i++) out[i] = z[i] > 0 ? SELU_LAMBDA : SELU_LAMBDA * SELU_ALPHA * Math.exp(z[i]);
    },
    zeroDerivative: "never (underflows to 0 for x < ~-745)",
    canDie: false,
    maxAbsDf: () => SELU_LAMBDA * SELU_ALPHA,
    init: "lecun_normal",
  },
  {
    name: "celu",
    description: "Continuously differentiable ELU: max(0, x) + min(0, alpha (e^(x/alpha) - 1)).",
    source: "Barron 2017, Continuously Differentiable Exponential Linear Units",
    params: [{ name: "alpha", default: 1, description: "negative saturation value and scale" }],
    f: celuF,
    df: celuDf,
    fArray: loop(celuF),
    dfArray: loop(celuDf),
    zeroDerivative: "never (underflows to 0 for x < ~-745 alpha)",
    canDie: false,
    maxAbsDf: () => 1,
    init: "he_normal",
  },
  {
    name: "gelu",
    description: "Gaussian error linear unit x Phi(x), exact (with erf).",
    source: "Hendrycks & Gimpel 2016",
    f: geluF,
    df: geluDf,
    fArray(z, out) {
      for (let i = 0; i < z.length; i++) out[i] = z[i] * 0.5 * (1 + erf(z[i] * SQRT1_2));
    },
    dfArray: loop(geluDf),
    zeroDerivative: "never (rounds to 0 for x < ~-38)",
    canDie: false,
    maxAbsDf: gridMaxAbs(geluDf),
    init: "he_normal",
  },
  {
    name: "gelu_tanh",
    description: "GELU's tanh approximation 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).",
    source: "Hendrycks & Gimpel 2016 (approximation used by BERT and GPT-2)",
    f: geluTanhF,
    df: geluTanhDf,
    fArray: loop(geluTanhF),
    dfArray: loop(geluTanhDf),
    zeroDerivative: "never (rounds to 0 for x < ~-10)",
    canDie: false,
    maxAbsDf: gridMaxAbs(geluTanhDf),
    init: "he_normal",
  },
  {
    name: "silu",
    aliases: ["swish"],
    description: "Sigmoid linear unit x sigmoid(x) (Swish with beta = 1); smooth, non-monotonic.",
    source: "Elfwing, Uchibe & Doya 2018; Ramachandran, Zoph & Le 2017 (Swish)",
    f: siluF,
    df: siluDf,
    fArray(z, out) {
      for (let i = 0; i < z.length; i++) {
        const x = z[i];
        out[i] = x >= 0 ? x / (1 + Math.exp(-x)) : (x * Math.exp(x)) / (1 + Math.exp(x));
      }
    },
    dfArray: loop(siluDf),
    zeroDerivative: "at x ~ -1.2785 only (a point, not a region)",
    canDie: false,
    maxAbsDf: siluMax,
    init: "he_normal",
  },
  {
    name: "mish",
    description: "x tanh(softplus(x)); smooth, non-monotonic, unbounded above.",
    source: "Misra 2019, Mish: A Self Regularized Non-Monotonic Activation Function",
    f: mishF,
    df: mishDf,
    fArray: loop(mishF),
    dfArray: loop(mishDf),
    zeroDerivative: "at x ~ -1.1924 only (a point, not a region)",
    canDie: false,
    maxAbsDf: gridMaxAbs(mishDf),
    init: "he_normal",
  },
  {
    name: "softplus",
    description: "log(1 + e^x), a smooth ReLU; linear above x = 20 (PyTorch's threshold).",
    source: "Dugas et al. 2001; Glorot, Bordes & Bengio 2011",
    f: (x) => softplus(x),
    df: (x) => (x > 20 ? 1 : sigmoid(x)),
    fArray: loop((x) => softplus(x)),
    dfArray: loop((x) => (x > 20 ? 1 : sigmoid(x))),
    zeroDerivative: "never (underflows to 0 for x < ~-745)",
    canDie: false,
    maxAbsDf: () => 1,
    init: "he_normal",
  },
  {
    name: "softsign",
    description: "x / (1 + |x|); like tanh but with polynomial tails.",
    source: "Bergstra et al. 2009; Glorot & Bengio 2010",
    f: (x) => x / (1 + Math.abs(x)),
    df: (x) => 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x))),
    fArray: loop((x) => x / (1 + Math.abs(x))),
    dfArray: loop((x) => 1 / ((1 + Math.abs(x)) * (1 + Math.abs(x)))),
    zeroDerivative: "never",
    canDie: false,
    maxAbsDf: () => 1,
    init: "xavier_uniform",
  },
  {
    name: "hardsigmoid",
    description: "Piecewise-linear sigmoid relu6(x + 3) / 6; flat (zero slope) outside [-3, 3].",
    source: "Courbariaux, Bengio & David 2015; Howard et al. 2019 (MobileNetV3)",
    f: (x) => Math.min(Math.max(x + 3, 0), 6) / 6,
    df: (x) => (x > -3 && x < 3 ? ONE_SIXTH_F32 : 0),
    fArray: loop((x) => Math.min(Math.max(x + 3, 0), 6) / 6),
    dfArray: loop((x) => (x > -3 && x < 3 ? ONE_SIXTH_F32 : 0)),
    zeroDerivative: "x <= -3 or x >= 3",
    canDie: true,
    maxAbsDf: () => 1 / 6,
    init: "xavier_uniform",
  },
  {
    name: "hardswish",
    description: "x relu6(x + 3) / 6, a cheap piecewise Swish.",
    source: "Howard et al. 2019, Searching for MobileNetV3",
    f: hardswishF,
    df: hardswishDf,
    fArray: loop(hardswishF),
    dfArray: loop(hardswishDf),
    zeroDerivative: "x < -3",
    canDie: true,
    maxAbsDf: () => 1.5,
    init: "he_normal",
  },
  {
    name: "hardtanh",
    description: "clamp(x, -1, 1); flat outside [-1, 1].",
    source: "Collobert 2004 (Torch)",
    f: (x) => Math.min(Math.max(x, -1), 1),
    df: (x) => (x > -1 && x < 1 ? 1 : 0),
    fArray: loop((x) => Math.min(Math.max(x, -1), 1)),
    dfArray: loop((x) => (x > -1 && x < 1 ? 1 : 0)),
    zeroDerivative: "x <= -1 or x >= 1",
    canDie: true,
    maxAbsDf: () => 1,
    init: "xavier_uniform",
  },
  {
    name: "relu6",
    description: "clamp(x, 0, 6), ReLU capped at 6.",
    source: "Krizhevsky 2010; Howard et al. 2017 (MobileNets)",
    f: (x) => Math.min(Math.max(x, 0), 6),
    df: (x) => (x > 0 && x < 6 ? 1 : 0),
    fArray: loop((x) => Math.min(Math.max(x, 0), 6)),
    dfArray: loop((x) => (x > 0 && x < 6 ? 1 : 0)),
    zeroDerivative: "x <= 0 or x >= 6",
    canDie: true,
    maxAbsDf: () => 1,
    init: "he_normal",
  },
  {
    name: "identity",
    aliases: ["linear"],
    description: "f(x) = x; a deep linear network, the baseline with no nonlinearity.",
    source: "Baseline",
    f: (x) => x,
    df: () => 1,
    fArray(z, out) {
      out.set(z);
    },
    dfArray(_z, out) {
      out.fill(1);
    },
    zeroDerivative: "never",
    canDie: false,
    maxAbsDf: () => 1,
    init: "xavier_uniform",
  },
  {
    name: "softmax",
    description: "Row-wise exp(z_i) / sum_j exp(z_j) (max subtracted); a vector function with a full Jacobian.",
    source: "Bridle 1990",
    // Scalar forms treat x as a one-element vector: softmax([x]) = [1], Jacobian 0.
    f: () => 1,
    df: () => 0,
    fArray(_z, out) {
      out.fill(1);
    },
    dfArray(_z, out) {
      out.fill(0);
    },
    zeroDerivative: "never as a vector function (the Jacobian s_i (delta_ij - s_j) is not zero)",
    canDie: false,
    // |ds_i/dz_i| = s_i (1 - s_i) <= 1/4: the largest diagonal entry of the Jacobian.
    maxAbsDf: () => 0.25,
    init: "xavier_uniform",
    vector: {
      forward(z, out, rows, cols) {
        for (let r = 0; r < rows; r++) {
          const o = r * cols;
          let max = -Infinity;
          for (let j = 0; j < cols; j++) if (z[o + j] > max) max = z[o + j];
          if (max === Infinity || Number.isNaN(max)) {
            // A row with +Infinity (or NaN) has no finite softmax; share equally among the maxima.
            let count = 0;
            for (let j = 0; j < cols; j++) if (z[o + j] === max) count++;
            for (let j = 0; j < cols; j++) out[o + j] = z[o + j] === max ? 1 / count : Number.isNaN(max) ? NaN : 0;
            continue;
          }
          let sum = 0;
          for (let j = 0; j < cols; j++) {
            const e = Math.exp(z[o + j] - max);
            out[o + j] = e;
            sum += e;
          }
          for (let j = 0; j < cols; j++) out[o + j] /= sum;
        }
      },
      backward(s, g, out, rows, cols) {
        for (let r = 0; r < rows; r++) {
          const o = r * cols;
          let dot = 0;
          for (let j = 0; j < cols; j++) dot += g[o + j] * s[o + j];
          for (let j = 0; j < cols; j++) out[o + j] = s[o + j] * (g[o + j] - dot);
        }
      },
    },
  },
];
