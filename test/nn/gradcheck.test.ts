// Finite-difference check of the whole network's gradient (weights, biases and
// learnable activation parameters: PReLU slopes, swish_beta's beta, PELU's a and
// b, PAU's coefficients, per unit and shared per layer) for every activation in
// the registry and every head.
//
// The reference loss below is an independent, plain float64 implementation
// (scalar f from the registry, softmax written out here), so central
// differences with h = 1e-6 are accurate to ~1e-9. The engine's analytic
// gradient is float32 with float64 accumulators, so each element must agree to
// 1e-3 relative to max(|fd|, 1e-2 * largest |fd| of the network), and the
// whole vector to 1e-4 relative in L2 norm.
import { describe, expect, it } from "vitest";
import { activationNames, activations } from "../../src/activations/index.js";
import type { NetworkActivation } from "../../src/activations/index.js";
import { MLP, HEADS, runStreams, normal, uniform01 } from "../../src/nn/index.js";
import type { Head } from "../../src/nn/index.js";

const sizes = [3, 5, 4, 3];
const n = 6;

/** Plain float64 forward + mean loss; params read from the MLP's arrays (as float64). */
function referenceLoss(mlp: MLP, W: Float64Array[], b: Float64Array[], slopes: Array<Record<string, Float64Array>>, x: number[][], y: number[][]): number {
  const L = W.length;
  let total = 0;
  for (let s = 0; s < x.length; s++) {
    let a = x[s];
    let z: number[] = [];
    for (let k = 0; k < L; k++) {
      const nin = sizes[k];
      const nout = sizes[k + 1];
      z = [];
      for (let j = 0; j < nout; j++) {
        let v = b[k][j];
        for (let i = 0; i < nin; i++) v += W[k][j * nin + i] * a[i];
        z.push(v);
      }
      const act = mlp.acts[k];
      if (act) {
        if (act.def.vector) {
          const m = Math.max(...z);
          const e = z.map((v) => Math.exp(v - m));
          const se = e.reduce((p, q) => p + q, 0);
          a = e.map((v) => v / se);
        } else {
          a = z.map((v, j) => {
            const p: Record<string, number> = { ...act.activation.params };
            for (const name in slopes[k]) p[name] = slopes[k][name][slopes[k][name].length === 1 ? 0 : j]; // one value: shared per layer
            return act.def.f(v, p);
          });
        }
      } else a = z;
    }
    const t = y[s];
    const C = t.length;
    switch (mlp.head) {
      case "softmax_ce": {
        const m = Math.max(...z);
        const lse = m + Math.log(z.reduce((p, v) => p + Math.exp(v - m), 0));
        total += t.reduce((p, tc, c) => p + tc * (lse - z[c]), 0);
        break;
      }
      case "linear_mse":
        total += z.reduce((p, v, c) => p + (v - t[c]) ** 2, 0) / C;
        break;
      case "sigmoid_bce":
        total += z.reduce((p, v, c) => {
          const q = 1 / (1 + Math.exp(-v));
          return p - (t[c] * Math.log(q) + (1 - t[c]) * Math.log(1 - q));
        }, 0) / C;
        break;
      case "brainjs":
        total += a.reduce((p, v, c) => p + 0.5 * (v - t[c]) ** 2, 0);
        break;
    }
  }
  return total / x.length;
}

function targetsFor(head: Head, rng: ReturnType<typeof runStreams>["init"]): number[][] {
  return Array.from({ length: n }, (_, s) =>
    Array.from({ length: 3 }, (_, c) => (head === "softmax_ce" || head === "brainjs" ? (c === s % 3 ? 1 : 0) : head === "sigmoid_bce" ? uniform01(rng) : normal(rng))),
  );
}

describe("finite-difference gradient check", () => {
  const names = activationNames();
  it("covers the whole registry, prelu and softmax included", () => {
    expect(names).toContain("prelu");
    expect(names).toContain("softmax");
    expect(names.length).toBeGreaterThanOrEqual(15);
  });
  const learnable = names.filter((n) => (activations.get(n)!.params ?? []).some((p) => p.learnable));
  it("checks the adaptive activations, per unit and per layer", () => {
    expect(learnable).toEqual(expect.arrayContaining(["prelu", "swish_beta", "pelu", "pau"]));
  });
  // Combinations: one activation per hidden layer, and learned mixtures (their logits are learnable parameters).
  const combos: NetworkActivation[] = [
    { layers: ["tanh", "relu"] },
    { layers: [{ mix: ["relu", "tanh", "identity"] }, { name: "pelu", share: "layer" }] },
    { mix: ["relu", "tanh", "identity"] },
    { mix: ["sigmoid", { name: "leaky_relu", alpha: 0.2 }, "gelu"], share: "layer" },
  ];
  const specs: NetworkActivation[] = [...names, ...learnable.map((name) => ({ name, share: "layer" })), ...combos];
  for (const spec of specs)
    for (const head of HEADS)
      it(`${JSON.stringify(spec)} with ${head}`, () => {
        const rng = runStreams(7).init;
        const mlp = new MLP({ sizes, activation: spec, head, init: "xavier_normal" });
        mlp.initialize(rng);
        // Non-zero biases and larger inputs so that pre-activations cover both sides of every kink.
        for (const bk of mlp.biases) for (let j = 0; j < bk.length; j++) bk[j] = 0.3 * normal(rng);
        for (const act of mlp.acts) if (act) for (const p of act.learnable) for (let j = 0; j < act.units; j++) act.unitParams[p][j] = 0.1 + 0.3 * uniform01(rng);
        const x = Array.from({ length: n }, () => Array.from({ length: 3 }, () => 1.5 * normal(rng)));
        const y = targetsFor(head, rng);
        const g = mlp.lossAndGradients(Float32Array.from(x.flat()), Float32Array.from(y.flat()), n);

        const W = mlp.weights.map((w) => Float64Array.from(w));
        const b = mlp.biases.map((v) => Float64Array.from(v));
        const slopes = mlp.acts.map((act) => {
          const rec: Record<string, Float64Array> = {};
          if (act) for (const p of act.learnable) rec[p] = Float64Array.from(act.unitParams[p]);
          return rec;
        });
        const loss0 = referenceLoss(mlp, W, b, slopes, x, y);
        expect(Math.abs(g.loss - loss0)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(loss0)));

        const analytic: number[] = [];
        const numeric: number[] = [];
        const h = 1e-6;
        const check = (arr: Float64Array, grad: Float32Array) => {
          for (let i = 0; i < arr.length; i++) {
            const v = arr[i];
            arr[i] = v + h;
            const up = referenceLoss(mlp, W, b, slopes, x, y);
            arr[i] = v - h;
            const down = referenceLoss(mlp, W, b, slopes, x, y);
            arr[i] = v;
            numeric.push((up - down) / (2 * h));
            analytic.push(grad[i]);
          }
        };
        for (let k = 0; k < W.length; k++) {
          check(W[k], g.weights[k]);
          check(b[k], g.biases[k]);
          for (const p in slopes[k]) check(slopes[k][p], g.params[k][p]);
        }
        if (mlp.acts.some((a) => a && a.learnable.length)) expect(numeric.length).toBeGreaterThan(W.reduce((s, w) => s + w.length, 0) + 12);
        const scale = Math.max(...numeric.map(Math.abs));
        expect(scale).toBeGreaterThan(0);
        numeric.forEach((fd, i) => {
          expect(Math.abs(analytic[i] - fd), `parameter ${i}: analytic ${analytic[i]} vs fd ${fd}`).toBeLessThanOrEqual(
            1e-3 * Math.max(Math.abs(fd), 1e-2 * scale),
          );
        });
        let diff = 0;
        let ref = 0;
        numeric.forEach((fd, i) => {
          diff += (analytic[i] - fd) ** 2;
          ref += fd * fd;
        });
        expect(Math.sqrt(diff / ref)).toBeLessThan(1e-4);
      });
});
