// An activation of your own, for `activations: [{module: ./bent-identity.js, name: bent_identity}]`.
// Bent identity: f(x) = (sqrt(x^2 + 1) - 1) / 2 + x, smooth, unbounded both ways,
// slope between 0.5 (x -> -inf) and 1.5 (x -> +inf), never zero: no unit can die.
// A module exports at least f(x, params) and df(x, params); actbench checks df
// against a finite difference of f before any run. The rest is optional.

export function f(x) {
  return (Math.sqrt(x * x + 1) - 1) / 2 + x;
}

export function df(x) {
  return x / (2 * Math.sqrt(x * x + 1)) + 1;
}

/** Optional: shown by the report and `list`. */
export const description = "bent identity: (sqrt(x^2+1)-1)/2 + x";
export const source = "experiments/bent-identity.js (example of a user activation)";
export const zeroDerivative = "never";
export const canDie = false;
/** Optional: the init scheme layers using it get with `init: auto` (default xavier_normal). */
export const init = "lecun_normal";
/** Optional: largest |f'(x)| (else estimated on a grid). */
export const maxAbsDf = () => 1.5;
