/**
 * Optimizers over the MLP's flat list of parameter tensors. Update rules are
 * PyTorch's (torch.optim.SGD with momentum/nesterov, Adam, AdamW):
 *   sgd        w -= lr g
 *   momentum   v = mu v + g;            w -= lr v
 *   nesterov   v = mu v + g;            w -= lr (g + mu v)
 *   adam       m = b1 m + (1-b1) g; s = b2 s + (1-b2) g^2;
 *              w -= (lr / c1) m / (sqrt(s) / sqrt(c2) + eps), c1 = 1 - b1^t, c2 = 1 - b2^t
 *              (PyTorch's arithmetic: two divisions and a square root per weight)
 *   adamw      w *= 1 - lr wd (decoupled), then the adam step without L2
 * Weight decay (L2, g += wd w, or decoupled for adamw) applies to weight
 * matrices only, not to biases or activation parameters (PReLU slopes would
 * otherwise be pulled towards ReLU).
 * A parameter with a lower bound (PELU's a, b >= 0.1) is set back to it
 * after the update when it went below: a projected gradient step.
 * clipNorm scales all gradients by clipNorm / (norm + 1e-6) when their global
 * L2 norm exceeds clipNorm (torch.nn.utils.clip_grad_norm_).
 * State is float64 (Float64Array) so that small updates are not lost.
 */
import type { OptimizerSpec } from "./types.js";
import type { ParamRef } from "./mlp.js";
import { OPTIMIZERS } from "./names.js";

export class Optimizer {
  readonly spec: OptimizerSpec;
  private readonly params: ParamRef[];
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private t = 0;

  constructor(spec: OptimizerSpec, params: ParamRef[]) {
    if (!(OPTIMIZERS as readonly string[]).includes(spec.name))
      throw new Error(`unknown optimizer ${String(spec.name)}; expected one of ${OPTIMIZERS.join(", ")}`);
    this.spec = spec;
    this.params = params;
    const needsM = spec.name !== "sgd";
    const needsV = spec.name === "adam" || spec.name === "adamw";
    this.m = params.map((p) => new Float64Array(needsM ? p.value.length : 0));
    this.v = params.map((p) => new Float64Array(needsV ? p.value.length : 0));
  }

  /** One update from gradients given in the order of the parameters. */
  step(grads: Float32Array[]): void {
    const s = this.spec;
    const lr = s.lr;
    const wd = s.weightDecay ?? 0;
    let scale = 1;
    if (s.clipNorm !== undefined) {
      let sq = 0;
      for (const g of grads) for (let i = 0; i < g.length; i++) sq += g[i] * g[i];
      const norm = Math.sqrt(sq);
      if (norm > s.clipNorm) scale = s.clipNorm / (norm + 1e-6);
    }
    this.t++;
    const mu = s.momentum ?? 0.9;
    const b1 = s.beta1 ?? 0.9;
    const b2 = s.beta2 ?? 0.999;
    const eps = s.eps ?? 1e-8;
    const c1 = 1 - Math.pow(b1, this.t);
    const c2 = 1 - Math.pow(b2, this.t);
    for (let p = 0; p < this.params.length; p++) {
      const w = this.params[p].value;
      const g = grads[p];
      const l2 = this.params[p].kind === "weight" ? wd : 0;
      const m = this.m[p];
      const v = this.v[p];
      const n = w.length;
      switch (s.name) {
        case "sgd":
          for (let i = 0; i < n; i++) w[i] -= lr * (g[i] * scale + l2 * w[i]);
          break;
        case "momentum":
          for (let i = 0; i < n; i++) {
            const mi = mu * m[i] + g[i] * scale + l2 * w[i];
            m[i] = mi;
            w[i] -= lr * mi;
          }
          break;
        case "nesterov":
          for (let i = 0; i < n; i++) {
            const gi = g[i] * scale + l2 * w[i];
            const mi = mu * m[i] + gi;
            m[i] = mi;
            w[i] -= lr * (gi + mu * mi);
          }
          break;
        case "adam":
        case "adamw": {
          const decoupled = s.name === "adamw";
          const stepSize = lr / c1;
          const c2Sqrt = Math.sqrt(c2);
          const keep = 1 - lr * l2;
          for (let i = 0; i < n; i++) {
            let wi = w[i];
            let gi = g[i] * scale;
            if (decoupled) wi *= keep;
            else gi += l2 * wi;
            const mi = b1 * m[i] + (1 - b1) * gi;
            const vi = b2 * v[i] + (1 - b2) * gi * gi;
            m[i] = mi;
            v[i] = vi;
            w[i] = wi - stepSize * (mi / (Math.sqrt(vi) / c2Sqrt + eps));
          }
          break;
        }
      }
      const min = this.params[p].min;
      if (min !== undefined) {
        const m = Math.fround(min);
        for (let i = 0; i < n; i++) if (w[i] < m) w[i] = m;
      }
    }
  }
}
