/**
 * Learned mixtures of activations, in the manner of Manessi & Rozza 2018
 * ("Learning Combinations of Activation Functions"): a unit's activation is
 * a convex combination of base activations from the registry,
 *
 *   f(x) = sum_i w_i g_i(x),   w = softmax(l),
 *
 * with one logit l_i per base learned with the weights (per unit, or per
 * layer with `share: layer`). The softmax keeps the weights non-negative and
 * summing to 1 without any projection step; every logit starts at 0, so every
 * base starts with weight 1/K. Derivatives: f' = sum_i w_i g_i'(x) and
 * df/dl_i = w_i (g_i(x) - f(x)).
 *
 * A mixture is resolved into an ActivationDef built for its bases (not
 * registered: its name is `mix`, its label `mix(relu,tanh,identity)`).
 */
import { UserError } from "../errors.js";
import type { Activation, ActivationDef, Params } from "./types.js";
import { elementwise } from "./elementwise.js";

/** The logit parameter of a base, by its label ("logit_relu", "logit_leaky_relu(alpha=0.2)"). */
export function logitName(label: string): string {
  return `logit_${label}`;
}

/** Mixture weights softmax(l) of the logits in p, into w (one per base). */
function weights(names: readonly string[], p: Params, w: Float64Array): void {
  let max = -Infinity;
  for (const n of names) max = Math.max(max, p[n]);
  let sum = 0;
  for (let i = 0; i < names.length; i++) {
    w[i] = Math.exp(p[names[i]] - max);
    sum += w[i];
  }
  for (let i = 0; i < names.length; i++) w[i] /= sum;
}

export function mixtureDef(bases: readonly Activation[]): ActivationDef {
  if (bases.length < 1) throw new UserError("a mixture needs at least one base activation");
  const seen = new Set<string>();
  for (const b of bases) {
    if (b.def.vector) throw new UserError(`${b.label} is a vector activation; a mixture combines elementwise ones`);
    if ((b.def.params ?? []).some((p) => p.learnable)) throw new UserError(`${b.label} has learnable parameters; a mixture's bases must be fixed functions`);
    if (seen.has(b.label)) throw new UserError(`${b.label} is listed twice in the mixture`);
    seen.add(b.label);
  }
  const names = bases.map((b) => logitName(b.label));
  const K = bases.length;
  const w = new Float64Array(K);
  const g = new Float64Array(K);
  const f = (x: number, p: Params): number => {
    weights(names, p, w);
    let s = 0;
    for (let i = 0; i < K; i++) s += w[i] * bases[i].f(x);
    return s;
  };
  const df = (x: number, p: Params): number => {
    weights(names, p, w);
    let s = 0;
    for (let i = 0; i < K; i++) s += w[i] * bases[i].df(x);
    return s;
  };
  /** df/dl_i = w_i (g_i(x) - f(x)). */
  const gradients = (x: number, p: Params, dp: Float64Array): number => {
    weights(names, p, w);
    let fx = 0;
    let d = 0;
    for (let i = 0; i < K; i++) {
      g[i] = bases[i].f(x);
      fx += w[i] * g[i];
      d += w[i] * bases[i].df(x);
    }
    for (let i = 0; i < K; i++) dp[i] = w[i] * (g[i] - fx);
    return d;
  };
  const dp = new Float64Array(K);
  return {
    name: "mix",
    description: `Learned convex mixture of ${bases.map((b) => b.label).join(", ")} (weights = softmax of learned logits, starting equal)`,
    source: "Manessi & Rozza 2018, Learning Combinations of Activation Functions",
    params: names.map((name, i) => ({ name, default: 0, learnable: true, description: `logit of ${bases[i].label}'s weight (learned; weights = softmax of the logits)` })),
    f,
    df,
    fArray: elementwise(f),
    dfArray: elementwise(df),
    dParam: Object.fromEntries(
      names.map((name, i) => [
        name,
        (x: number, p: Params) => {
          gradients(x, p, dp);
          return dp[i];
        },
      ]),
    ),
    gradients,
    derivedParams: (p) => {
      weights(names, p, w);
      return Object.fromEntries(bases.map((b, i) => [`weight_${b.label}`, w[i]]));
    },
    zeroDerivative: bases.every((b) => b.def.canDie) ? "where every base's derivative is zero" : "where the weighted derivatives cancel (points, not regions, unless every base is flat there)",
    canDie: false,
    // |f'| <= sum_i w_i |g_i'| <= max_i max |g_i'|: a bound, reached where the bases' maxima coincide.
    maxAbsDf: (p) => {
      weights(names, p, w);
      let m = 0;
      for (let i = 0; i < K; i++) m += w[i] * bases[i].maxAbsDf;
      return m;
    },
    init: bases[0].def.init,
  };
}
