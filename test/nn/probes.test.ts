// Probe figures on hand-built networks whose answers are known in closed form.
import { describe, expect, it } from "vitest";
import { MLP, probeLayers, quantiles } from "../../src/nn/index.js";

function probe(mlp: MLP, x: Float32Array, rows: number) {
  const y = new Float32Array(rows * mlp.outputs);
  return probeLayers(mlp, mlp.workspace(rows), mlp.newGradients(), x, y, "values", rows, new Float32Array(rows * 8));
}

describe("probes", () => {
  it("activation mean, std and percentiles of an identity unit fed 0..100", () => {
    const mlp = new MLP({ sizes: [1, 1, 1], activation: "identity", head: "linear_mse" });
    mlp.weights[0][0] = 1;
    const x = Float32Array.from({ length: 101 }, (_, i) => 100 - i); // order must not matter
    const [h] = probe(mlp, x, 101);
    expect(h.act_mean).toBeCloseTo(50, 10);
    expect(h.act_std).toBeCloseTo(Math.sqrt((101 * 101 - 1) / 12), 10); // population std of 0..100
    expect(h.act_p05).toBeCloseTo(5, 10);
    expect(h.act_p50).toBeCloseTo(50, 10);
    expect(h.act_p95).toBeCloseTo(95, 10);
    expect(h.dead_units).toBe(0);
    expect(h.saturated_frac).toBe(0);
  });
  it("dead relu units: derivative zero for every probe sample", () => {
    const mlp = new MLP({ sizes: [1, 3, 1], activation: "relu", head: "linear_mse" });
    mlp.weights[0].set([1, -1, 1]);
    mlp.biases[0].set([0.5, -5, -0.5]); // unit 2 never positive on x in [0, 1]; unit 3 positive only for x > 0.5
    const x = Float32Array.from({ length: 11 }, (_, i) => i / 10);
    const layers = probe(mlp, x, 11);
    expect(layers[0].dead_units).toBe(1);
    expect(layers[0].dead_frac).toBeCloseTo(1 / 3, 12);
    // relu's zero-derivative pairs are inactive (on its flat piece), not saturated: unit 2 all 11,
    // unit 3 for x <= 0.5 (6 of them); unit 1 has f' = 1 throughout.
    expect(layers[0].inactive_frac).toBeCloseTo(17 / 33, 12);
    expect(layers[0].saturated_frac).toBe(0);
    expect(layers[1].dead_units).toBeUndefined();
    expect(layers[1].weight_norm).toBeCloseTo(Math.abs(mlp.weights[1][0] ?? 0), 6);
  });
  it("saturated sigmoid units: |f'| below 1% of 1/4", () => {
    const mlp = new MLP({ sizes: [1, 2, 1], activation: "sigmoid", head: "linear_mse" });
    mlp.weights[0].set([10, 0.1]); // z = +-10: f' = 4.5e-5 < 0.0025; z = +-0.1: f' ~ 0.25
    const x = Float32Array.from([1, -1, 1, -1]);
    const [h] = probe(mlp, x, 4);
    expect(h.saturated_frac).toBe(0.5);
    expect(h.inactive_frac).toBe(0);
    expect(h.dead_units).toBe(0);
  });
  it("grad_rms is the gradient norm per weight: sqrt(sum g^2 / count)", () => {
    // sizes [2, 3, 1]: 6 weights in layer 1, 3 in layer 2.
    const mlp = new MLP({ sizes: [2, 3, 1], activation: "tanh", head: "linear_mse" });
    mlp.weights[0].set([0.5, -0.2, 0.3, 0.1, -0.4, 0.2]);
    mlp.weights[1].set([0.7, -0.6, 0.5]);
    const rows = 4;
    const x = Float32Array.from([1, 0, 0, 1, -1, 0.5, 0.3, -0.7]);
    const y = Float32Array.from([0.5, -0.5, 1, 0]);
    const grads = mlp.newGradients();
    const layers = probeLayers(mlp, mlp.workspace(rows), grads, x, y, "values", rows, new Float32Array(rows * 8));
    const rms = (g: Float32Array): number => Math.sqrt(g.reduce((s, v) => s + v * v, 0) / g.length);
    expect(layers[0].grad_rms).toBeCloseTo(rms(grads.weights[0]), 12);
    expect(layers[1].grad_rms).toBeCloseTo(rms(grads.weights[1]), 12);
    expect(layers[0].grad_rms).toBeGreaterThan(0);
  });
  it("units die only on a flat piece: elu, selu, sigmoid and tanh far out are saturated, not dead", () => {
    // Pre-activations of -1000 (and +1000): every derivative below underflows to exactly 0 in float64,
    // yet none of these is zero on an interval (elu, selu and leaky_relu never die).
    for (const activation of ["elu", "selu", "celu", "sigmoid", "tanh", "leaky_relu", "softplus", "gelu", "silu"]) {
      const mlp = new MLP({ sizes: [1, 2, 1], activation, head: "linear_mse" });
      mlp.weights[0].set([0, 0]);
      mlp.biases[0].set([-1000, activation === "sigmoid" || activation === "tanh" ? 1000 : -1000]);
      const [h] = probe(mlp, Float32Array.from([0.5, 1]), 2);
      expect(h.dead_units, activation).toBe(0);
      // leaky_relu's f' = 0.01 on this side is exactly 1% of its largest |f'|: not below it.
      // An underflowed f' = 0 off a flat piece is saturated, never inactive.
      expect(h.saturated_frac, activation).toBe(activation === "leaky_relu" ? 0 : 1);
      expect(h.inactive_frac, activation).toBe(0);
    }
  });
  it("units with a flat piece die: relu family, and leaky_relu with alpha 0", () => {
    for (const [activation, bias] of [["relu", -3], ["relu6", 10], ["hardtanh", -3], ["hardsigmoid", -5], ["hardswish", -5]] as const) {
      const mlp = new MLP({ sizes: [1, 1, 1], activation, head: "linear_mse" });
      mlp.weights[0].set([0]);
      mlp.biases[0].set([bias]);
      const [h] = probe(mlp, Float32Array.from([0, 1]), 2);
      expect(h.dead_units, activation).toBe(1);
      // Dead on a flat piece: every pair inactive, none saturated.
      expect([h.inactive_frac, h.saturated_frac], activation).toEqual([1, 0]);
    }
    const flat = new MLP({ sizes: [1, 2, 1], activation: { name: "leaky_relu", alpha: 0 }, head: "linear_mse" });
    flat.weights[0].set([0, 0]);
    flat.biases[0].set([-1, 1]);
    expect(probe(flat, Float32Array.from([0, 1]), 2)[0].dead_units).toBe(1);
  });
  it("zero_frac, the median of the unit means and the pre-activations' second moment, by hand", () => {
    // 4 relu units, weights 1, -1, 2, 0.5 and biases 0, 0, -3, 1, on x = 1, 2, 3:
    // z rows: [1, -1, -1, 1.5], [2, -2, 1, 2], [3, -3, 3, 2.5]; a = relu(z).
    const mlp = new MLP({ sizes: [1, 4, 1], activation: "relu", head: "linear_mse" });
    mlp.weights[0].set([1, -1, 2, 0.5]);
    mlp.biases[0].set([0, 0, -3, 1]);
    const [h] = probe(mlp, Float32Array.from([1, 2, 3]), 3);
    // Unit means 2, 0, 4/3, 2: median of {0, 4/3, 2, 2} = (4/3 + 2) / 2.
    expect(h.unit_mean_median).toBeCloseTo((4 / 3 + 2) / 2, 6);
    expect(h.zero_frac).toBeCloseTo(4 / 12, 12); // unit 2 on all rows, unit 3 on row 1
    const zs = [1, -1, -1, 1.5, 2, -2, 1, 2, 3, -3, 3, 2.5];
    expect(h.preact_sq_mean).toBeCloseTo(zs.reduce((s, v) => s + v * v, 0) / 12, 6);
    // An odd number of units: the middle unit mean.
    const odd = new MLP({ sizes: [1, 3, 1], activation: "identity", head: "linear_mse" });
    odd.weights[0].set([1, 5, -2]);
    const [o] = probe(odd, Float32Array.from([1, 3]), 2); // unit means 2, 10, -4
    expect(o.unit_mean_median).toBeCloseTo(2, 6);
    expect(o.zero_frac).toBe(0);
  });
  it("weight_norm is the Frobenius norm", () => {
    const mlp = new MLP({ sizes: [2, 2, 1], activation: "tanh", head: "linear_mse" });
    mlp.weights[0].set([3, 0, 0, 4]);
    const [h] = probe(mlp, new Float32Array(2), 1);
    expect(h.weight_norm).toBe(5);
  });
});

describe("quantiles (selection)", () => {
  // Reference: sort a copy and interpolate (numpy's default definition).
  const byHand = (v: number[], q: number) => {
    const s = [...v].sort((p, r) => p - r);
    const h = (s.length - 1) * q;
    const lo = Math.floor(h);
    return s[lo] + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] ?? s[lo]) - s[lo]);
  };
  it("equals sort-and-interpolate on random, duplicated, constant and tiny arrays", () => {
    let seed = 12345;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const cases: number[][] = [[3], [2, 1], [5, 5, 5, 5], Array.from({ length: 1000 }, () => Math.floor(next() * 7) - 3)];
    for (let c = 0; c < 30; c++) cases.push(Array.from({ length: 1 + Math.floor(next() * 300) }, () => Math.fround(next() * 10 - 5)));
    cases.push(Array.from({ length: 500 }, (_, i) => i)); // sorted
    cases.push(Array.from({ length: 500 }, (_, i) => 500 - i)); // reversed
    // Signs, zeros of both signs, magnitudes from 1e-30 to 1e30, infinities, values one ulp apart.
    cases.push([-0, 0, -1e-30, 1e-30, -1e30, 1e30, -Infinity, Infinity, 1, Math.fround(1 + 2 ** -23), -1, -Math.fround(1 + 2 ** -23)]);
    cases.push(Array.from({ length: 3000 }, () => (next() < 0.5 ? 0 : Math.fround((next() - 0.3) * 10 ** Math.floor(next() * 12 - 6))))); // relu-like: half zeros
    cases.push(Array.from({ length: 20000 }, () => Math.fround(Math.tanh(next() * 8 - 4)))); // tanh-like, crowded near +-1
    for (const v of cases) {
      const qs = [0, 0.05, 0.25, 0.5, 0.95, 1];
      const got = quantiles(Float32Array.from(v), qs);
      qs.forEach((q, i) => expect(got[i]).toBe(byHand(v.map(Math.fround), q)));
    }
  });
});
