/**
 * Adaptive activations: their shape parameters are learned with the weights
 * (one value per unit, or one per layer with `share: layer`), starting from
 * the values their papers start from. Like PReLU (in builtin.ts), each gives
 * its derivative with respect to every learnable parameter; the engines train
 * those parameters through the same optimizer as the weights (no weight decay),
 * and a parameter with a `min` is put back to it after every step.
 *
 *   swish_beta  x sigmoid(beta x)                      Ramachandran, Zoph & Le 2017; beta = 1 is silu
 *   pelu        (a/b) x for x >= 0, a (e^(x/b) - 1)    Trottier, Giguere & Chaib-draa 2017; a = b = 1 is elu
 *   pau         P(x) / (1 + |b1 x + ... + b4 x^4|)     Molina, Schramowski & Kersting 2020 ("safe" PAU, 5/4)
 *               P(x) = a0 + a1 x + ... + a5 x^5
 */
import { sigmoid, siluMaxAbsDf } from "./builtin.js";
import type { ActivationDef, Params } from "./types.js";
import { elementwise } from "./elementwise.js";

/**
 * PAU's starting coefficients: the rational fit of leaky ReLU (slope 0.01)
 * that the authors' PAU() module starts from ("pade_optimized_leakyrelu" in
 * ml-research/pau, pau/cuda/python_imp/Pade.py). Their code sums |b_k| |x|^k
 * in the denominator; the paper's safe form used here takes |sum b_k x^k|.
 * With these b (b1, b3 ~ 1e-6, b2, b4 > 0) the two differ by under 1e-5
 * on [-3, 3], where the fit is within 0.01 of leaky ReLU.
 */
export const PAU_LEAKY_RELU_INIT = {
  a: [3.35583603e-2, 5.05000375e-1, 1.65343934, 2.01001052, 9.31901999e-1, 1.52424124e-1],
  b: [3.30847488e-6, 3.98021568, 5.12471206e-7, 3.01830109e-1],
} as const;

const PAU_A = ["a0", "a1", "a2", "a3", "a4", "a5"] as const;
const PAU_B = ["b1", "b2", "b3", "b4"] as const;

/** Scratch for pau's powers (one thread runs one activation call at a time). */
const xs = new Float64Array(6);

/**
 * Powers x^j for j = 0..5, all scaled by s = 1 (|x| <= 1) or s = x^-4
 * (|x| > 1), so that nothing overflows before the division: P s / (Q s) is
 * the same ratio, and x^5 s = x stays finite up to the largest double.
 * Returns s.
 */
function scaledPowers(x: number): number {
  if (Math.abs(x) <= 1) {
    xs[0] = 1;
    for (let j = 1; j < 6; j++) xs[j] = xs[j - 1] * x;
    return 1;
  }
  const t = 1 / x;
  xs[4] = 1;
  xs[3] = t;
  xs[2] = t * t;
  xs[1] = xs[2] * t;
  xs[0] = xs[2] * xs[2];
  xs[5] = x;
  return xs[0];
}

/** sign(A) with PyTorch's sign(0) = 0 (the subgradient torch.abs uses at 0). */
function sgn(v: number): number {
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

/** pau at x: value, and (when dp is given) df/dx returned and the 10 coefficient partials written. */
function pauEval(x: number, p: Params, dp: Float64Array | null): number {
  const s = scaledPowers(x);
  let P = 0;
  for (let j = 0; j < 6; j++) P += p[PAU_A[j]] * xs[j];
  let A = 0;
  for (let k = 1; k <= 4; k++) A += p[PAU_B[k - 1]] * xs[k];
  const Q = s + Math.abs(A);
  if (!dp) return P / Q;
  // Derivatives of the scaled P and A: x^(j-1) s is xs[j - 1] in both ranges (x^(j-5) = t^(5-j) for |x| > 1).
  const sa = sgn(A);
  let dP = 0;
  let dA = 0;
  for (let j = 1; j < 6; j++) dP += j * p[PAU_A[j]] * xs[j - 1];
  for (let k = 1; k <= 4; k++) dA += k * p[PAU_B[k - 1]] * xs[k - 1];
  const Q2 = Q * Q;
  for (let j = 0; j < 6; j++) dp[j] = xs[j] / Q;
  for (let k = 1; k <= 4; k++) dp[5 + k] = (-P * sa * xs[k]) / Q2;
  return (dP * Q - P * sa * dA) / Q2;
}

const pauScratch = new Float64Array(10);
const pauF = (x: number, p: Params): number => pauEval(x, p, null);
const pauDf = (x: number, p: Params): number => pauEval(x, p, pauScratch);

/** Largest |pau'| on [-20, 20] (step 0.01) and at infinity (slope a5 / |b4|): bounds the saturation threshold. */
function pauMaxAbsDf(p: Params): number {
  let m = p.b4 !== 0 ? Math.abs(p.a5 / p.b4) : 0;
  for (let i = -2000; i <= 2000; i++) {
    const v = Math.abs(pauEval(i / 100, p, pauScratch));
    if (Number.isFinite(v) && v > m) m = v;
  }
  return m;
}

const swishBetaF = (x: number, p: Params): number => x * sigmoid(p.beta * x);
const swishBetaDf = (x: number, p: Params): number => {
  const s = sigmoid(p.beta * x);
  // s + beta x s (1 - s); x s (1 - s) is 0 once s has saturated, also at x = +/-1e308.
  const q = s * (1 - s);
  return q === 0 ? s : s + p.beta * x * q;
};

const peluF = (x: number, p: Params): number => (x >= 0 ? (p.a / p.b) * x : p.a * Math.expm1(x / p.b));
const peluDf = (x: number, p: Params): number => (x >= 0 ? p.a / p.b : (p.a / p.b) * Math.exp(x / p.b));

export const adaptiveActivations: ActivationDef[] = [
  {
    name: "swish_beta",
    description: "Swish x sigmoid(beta x) with beta learned (per unit or per layer); beta = 1 is silu, large beta approaches relu.",
    source: "Ramachandran, Zoph & Le 2017, Searching for Activation Functions",
    params: [{ name: "beta", default: 1, learnable: true, description: "initial beta (learned; 1 = silu)" }],
    f: swishBetaF,
    df: swishBetaDf,
    fArray: elementwise(swishBetaF),
    dfArray: elementwise(swishBetaDf),
    dParam: {
      beta: (x, p) => {
        const s = sigmoid(p.beta * x);
        const q = s * (1 - s);
        return q === 0 ? 0 : x * x * q;
      },
    },
    zeroDerivative: "at one point (x ~ -1.2785 / beta), not a region",
    canDie: false,
    // f'(x) = silu'(beta x), so the largest |f'| is silu's for any beta != 0; beta = 0 is x / 2.
    maxAbsDf: (p) => (p.beta === 0 ? 0.5 : siluMaxAbsDf()),
    init: "he_normal",
  },
  {
    name: "pelu",
    description: "Parametric ELU: (a/b) x for x >= 0, a (e^(x/b) - 1) below, a and b learned and kept >= 0.1; a = b = 1 is elu.",
    source: "Trottier, Giguere & Chaib-draa 2017, Parametric Exponential Linear Unit for Deep Convolutional Neural Networks",
    params: [
      { name: "a", default: 1, learnable: true, min: 0.1, description: "initial a: negative saturation -a, positive slope a/b (learned, >= 0.1)" },
      { name: "b", default: 1, learnable: true, min: 0.1, description: "initial b: scale of the exponential decay (learned, >= 0.1)" },
    ],
    f: peluF,
    df: peluDf,
    fArray: elementwise(peluF),
    dfArray: elementwise(peluDf),
    dParam: {
      a: (x, p) => (x >= 0 ? x / p.b : Math.expm1(x / p.b)),
      b: (x, p) => (x >= 0 ? (-p.a * x) / (p.b * p.b) : (-p.a * x * Math.exp(x / p.b)) / (p.b * p.b)),
    },
    zeroDerivative: "never (underflows to 0 far below 0)",
    canDie: false,
    maxAbsDf: (p) => Math.abs(p.a / p.b),
    init: "he_normal",
  },
  {
    name: "pau",
    description: "Pade activation unit (safe, degree 5/4): P(x) / (1 + |b1 x + ... + b4 x^4|), all 10 coefficients learned; starts as a fit of leaky ReLU.",
    source: "Molina, Schramowski & Kersting 2020, Pade Activation Units (ICLR)",
    params: [
      ...PAU_A.map((name, j) => ({ name, default: PAU_LEAKY_RELU_INIT.a[j], learnable: true, description: `initial numerator coefficient of x^${j} (learned)` })),
      ...PAU_B.map((name, k) => ({ name, default: PAU_LEAKY_RELU_INIT.b[k], learnable: true, description: `initial denominator coefficient of x^${k + 1} (learned)` })),
    ],
    f: pauF,
    df: pauDf,
    fArray: elementwise(pauF),
    dfArray: elementwise(pauDf),
    dParam: Object.fromEntries(
      [...PAU_A, ...PAU_B].map((name, i) => [
        name,
        (x: number, p: Params) => {
          pauEval(x, p, pauScratch);
          return pauScratch[i];
        },
      ]),
    ),
    gradients: (x, p, dp) => pauEval(x, p, dp),
    zeroDerivative: "depends on the learned coefficients (none at the start)",
    canDie: false,
    maxAbsDf: pauMaxAbsDf,
    init: "he_normal",
  },
];
