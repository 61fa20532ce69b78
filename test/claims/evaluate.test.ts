// Claim verdicts on hand-made results whose answers are known by construction:
// each verdict (holds, does not hold, inconclusive) of each kind, and the numbers behind it.
import { describe, expect, it } from "vitest";
import { evaluateClaims } from "../../src/claims/evaluate.js";
import { claimSchema, type Claim } from "../../src/claims/schema.js";
import type { CurveRow, LayerRow, Results, RunRow } from "../../src/report/results.js";

interface RunSpec {
  activation: string;
  seed: number;
  grid?: Record<string, string>;
  status?: RunRow["status"];
  collapsed?: number;
  /** runs.csv figures of the run (test_acc, ...) */
  figures?: Record<string, number>;
  /** epoch -> train_loss */
  loss?: Record<number, number>;
  /** epoch -> layer values of one column, layers 1..n (the last is the output layer) */
  layers?: Record<number, Record<string, number[]>>;
}

function results(specs: RunSpec[], points?: unknown[]): Results {
  const runs: RunRow[] = [];
  const curves: CurveRow[] = [];
  const layers: LayerRow[] = [];
  specs.forEach((s, i) => {
    const run_id = `r${i}`;
    runs.push({ run_id, activation: s.activation, seed: s.seed, grid: s.grid ?? {}, status: s.status ?? "ok", collapsed: s.collapsed ?? 0, ...s.figures } as unknown as RunRow);
    const epochs = new Set([...Object.keys(s.loss ?? {}), ...Object.keys(s.layers ?? {})].map(Number));
    for (const epoch of [...epochs].sort((a, b) => a - b)) {
      curves.push({ run_id, activation: s.activation, seed: s.seed, epoch, train_loss: s.loss?.[epoch] ?? NaN } as unknown as CurveRow);
      for (const [column, values] of Object.entries(s.layers?.[epoch] ?? {}))
        values.forEach((v, l) => {
          let row = layers.find((r) => r.run_id === run_id && r.epoch === epoch && r.layer === l + 1);
          if (!row) layers.push((row = { run_id, activation: s.activation, seed: s.seed, epoch, layer: l + 1 } as unknown as LayerRow));
          (row as unknown as Record<string, number>)[column] = v;
        });
    }
  });
  return { dir: "", manifest: { config: { points: points ?? [{ values: {} }] } }, runs, curves, layers, params: [], activationSamples: [], gridKeys: [] };
}

const claim = (c: unknown): Claim => claimSchema.parse(c);

describe("order claims (paired sign-flip test over seeds)", () => {
  const lossesOf = (base: number, seeds: number) =>
    Array.from({ length: seeds }, (_, s) => ({ 1: base + s * 0.1, 2: base + s * 0.1 - 0.05 }));
  const sweep = (seeds: number, gap: number) =>
    results([
      ...lossesOf(1, seeds).map((loss, seed) => ({ activation: "gelu", seed, loss })),
      ...lossesOf(1 + gap, seeds).map((loss, seed) => ({ activation: "relu", seed, loss })),
    ]);
  it("holds with 5 seeds all in the claimed order (p = 1/32), inconclusive with 4 (p >= 1/16)", async () => {
    const c = claim({ kind: "order", activations: ["gelu", "relu"], metric: "train_loss", epoch: "mean" });
    const [five] = await evaluateClaims(sweep(5, 0.01), [c]);
    expect(five.verdict).toBe("holds");
    expect(five.statistic).toMatch(/5 paired seeds, one-sided sign-flip p = 0\.031/);
    const [four] = await evaluateClaims(sweep(4, 0.01), [c]);
    expect(four.verdict).toBe("inconclusive");
    expect(four.statistic).toMatch(/smallest p 4 seeds allow is 0\.063/);
  });
  it("does not hold when the opposite order is significant; the means are the curves' means", async () => {
    const c = claim({ kind: "order", activations: ["relu", "gelu"], metric: "train_loss", epoch: "mean" });
    const [r] = await evaluateClaims(sweep(6, 0.01), [c]);
    expect(r.verdict).toBe("does not hold");
    // relu's mean over epochs 1 and 2 and seeds 0..5: 1.01 + 0.25 - 0.025.
    expect(r.statistic).toMatch(/relu < gelu: 1\.235 vs 1\.225, 6 paired seeds, one-sided sign-flip p = 0\.016 for the opposite order/);
  });
  it("reads a single epoch, and layer metrics averaged over the chosen layers, as absolute values", async () => {
    const rs = results(
      [0, 1, 2, 3, 4].flatMap((seed) => [
        { activation: "elu", seed, layers: { 0: { unit_mean_median: [0.1, -0.1, 9] } } },
        { activation: "relu", seed, layers: { 0: { unit_mean_median: [0.3, 0.2, -9] } } },
      ]),
    );
    const c = claim({ kind: "order", activations: ["elu", "relu"], metric: "unit_mean_median", epoch: 0, abs: true });
    const [r] = await evaluateClaims(rs, [c]);
    expect(r.verdict).toBe("holds");
    expect(r.statistic).toMatch(/0\.1 vs 0\.25/); // the output layer (layer 3) is not a hidden layer
  });
});

describe("bounds claims (95% interval of the mean over seeds)", () => {
  const rs = results(
    [0, 1, 2, 3].map((seed) => ({ activation: "selu", seed, layers: { 0: { act_std: [2, 1 + 0.01 * seed, 1 - 0.01 * seed, 0], act_mean: [0, 0.3, 0.5, 0] } } })),
  );
  it("holds inside the bounds for the selected layers only", async () => {
    const [r] = await evaluateClaims(rs, [claim({ kind: "bounds", activation: "selu", layers: { from: 2 }, within: { act_std: [0.9, 1.1] } })]);
    expect(r.verdict).toBe("holds");
    expect(r.details).toHaveLength(2); // layers 2 and 3 (4 is the output layer)
  });
  it("does not hold when the whole interval is outside; inconclusive when it straddles a bound", async () => {
    const [out] = await evaluateClaims(rs, [claim({ kind: "bounds", activation: "selu", layers: [1, 2], within: { act_std: [0.9, 1.1] } })]);
    expect(out.verdict).toBe("does not hold");
    expect(out.statistic).toMatch(/act_std at layer 1 = 2 \[95% CI 2, 2\] over 4 seeds/);
    // layer 2: mean 1.015, s = 0.01291, t(0.975, 3) = 3.182: CI [0.99446, 1.03554] straddles 1.02.
    const [mid] = await evaluateClaims(rs, [claim({ kind: "bounds", activation: "selu", layers: [2], within: { act_std: [0.9, 1.02] } })]);
    expect(mid.verdict).toBe("inconclusive");
    expect(mid.statistic).toMatch(/\[95% CI 0\.9945, 1\.036\]/);
  });
  it("bounds a ratio of two layers, on the log2 scale", async () => {
    const [r] = await evaluateClaims(rs, [claim({ kind: "bounds", activation: "selu", ratio: { of: 3, to: 2, log2: true }, within: { act_mean: [-0.8, -0.7] } })]);
    // log2(0.5 / 0.3) = 0.737: outside [-0.8, -0.7] on every seed.
    expect(r.verdict).toBe("does not hold");
    expect(r.statistic).toMatch(/log2 act_mean\[layer 3\] \/ act_mean\[layer 2\] = 0\.737/);
  });
});

describe("bounds claims on a runs.csv column (one value per run)", () => {
  // Test accuracies of 4 seeds: mean 0.8825, sample sd sqrt(1.25e-4 / 3) = 0.0064550,
  // t(0.975, 3) = 3.18245: 95% CI 0.8825 -/+ 3.18245 * 0.0064550 / 2 = [0.87223, 0.89277].
  const accs = [0.88, 0.885, 0.89, 0.875];
  const sweep = (values: number[], extra: RunSpec[] = []) =>
    results([...values.map((test_acc, seed) => ({ activation: "relu", seed, figures: { test_acc }, loss: { 0: 2.3, 10: 0.3 } })), ...extra]);
  const within = (lo: number, hi: number) => claim({ kind: "bounds", activation: "relu", within: { test_acc: [lo, hi] } });
  it("holds when the 95% interval of the mean over seeds lies inside; epoch and layers do not apply", async () => {
    // A diverged run (its test_acc empty) does not count: only finished runs do.
    const [r] = await evaluateClaims(sweep(accs, [{ activation: "relu", seed: 4, status: "diverged", figures: { test_acc: NaN } }]), [within(0.8683, 0.8983)]);
    expect(r.verdict).toBe("holds");
    expect(r.statistic).toBe("test_acc = 0.8825 [95% CI 0.8722, 0.8928] over 4 seeds, bounds [0.8683, 0.8983]");
    expect(r.text).toBe("relu: test_acc in [0.8683, 0.8983]");
  });
  it("does not hold when the interval is wholly outside, is inconclusive when it straddles a bound", async () => {
    // [0.80, 0.81, 0.79, 0.80]: mean 0.80, sd 0.0081650, CI [0.78701, 0.81299], below 0.8683.
    const [below] = await evaluateClaims(sweep([0.8, 0.81, 0.79, 0.8]), [within(0.8683, 0.8983)]);
    expect(below.verdict).toBe("does not hold");
    expect(below.statistic).toMatch(/^test_acc = 0\.8 \[95% CI 0\.787, 0\.813\] over 4 seeds/);
    // The first interval [0.87223, 0.89277] straddles 0.875.
    const [mid] = await evaluateClaims(sweep(accs), [within(0.875, 0.9)]);
    expect(mid.verdict).toBe("inconclusive");
  });
  it("is inconclusive, saying why, when the column is empty (no test split)", async () => {
    const [r] = await evaluateClaims(sweep([NaN, NaN, NaN]), [within(0.8683, 0.8983)]);
    expect(r.verdict).toBe("inconclusive");
    expect(r.statistic).toMatch(/runs\.csv's test_acc is empty for 3 of 3 runs \(test_\* columns need a test split\)/);
  });
  it("combines with a layers.csv column in one claim, each read its own way", async () => {
    const rs = results(accs.map((test_acc, seed) => ({ activation: "relu", seed, figures: { test_acc }, layers: { 0: { act_mean: [0.5, 0] } } })));
    const [r] = await evaluateClaims(rs, [claim({ kind: "bounds", activation: "relu", within: { test_acc: [0.8683, 0.8983], act_mean: [0.4, 0.6] } })]);
    expect(r.verdict).toBe("holds");
    expect(r.details).toEqual([
      "holds: test_acc = 0.8825 [95% CI 0.8722, 0.8928] over 4 seeds, bounds [0.8683, 0.8983]",
      "holds: act_mean at layer 1 = 0.5 [95% CI 0.5, 0.5] over 4 seeds, bounds [0.4, 0.6]",
    ]);
    expect(r.text).toBe("relu: test_acc in [0.8683, 0.8983] and act_mean in [0.4, 0.6] for hidden layers at epoch 0");
  });
});

describe("trend claims (Page's L over seeds)", () => {
  const lrs = ["0.01", "1", "0.1"]; // grid order is not numeric order
  const dead = (lr: string, seed: number) => ({ "0.01": 0, "0.1": 0.1, "1": 0.4 })[lr]! + seed * 0.01;
  const rs = results(
    [0, 1, 2].flatMap((seed) => lrs.map((lr) => ({ activation: "relu", seed, grid: { "train.optimizer.lr": lr }, layers: { 5: { dead_frac: [dead(lr, seed), dead(lr, seed), NaN] } } }))),
  );
  it("a rising trend over a numeric grid key, in numeric order: p = 1/(3!)^3", async () => {
    const [r] = await evaluateClaims(rs, [claim({ kind: "trend", activation: "relu", metric: "dead_frac", over: "train.optimizer.lr", direction: "rising" })]);
    expect(r.verdict).toBe("holds");
    expect(r.statistic).toMatch(/p = 0\.0046/); // 1/216
    expect(r.statistic).toMatch(/0\.01: 0\.01, 0\.1: 0\.11, 1: 0\.41/);
    const [f] = await evaluateClaims(rs, [claim({ kind: "trend", activation: "relu", metric: "dead_frac", over: "train.optimizer.lr", direction: "falling" })]);
    expect(f.verdict).toBe("does not hold");
  });
  it("a trend over the layers of each run", async () => {
    const shrinking = results([0, 1, 2, 3].map((seed) => ({ activation: "relu", seed, layers: { 0: { preact_sq_mean: [1, 0.5, 0.26, 0.12, 1] } } })));
    const [r] = await evaluateClaims(shrinking, [claim({ kind: "trend", activation: "relu", metric: "preact_sq_mean", over: "layer", direction: "falling", epoch: 0 })]);
    expect(r.verdict).toBe("holds");
    expect(r.statistic).toMatch(/4 blocks .* of 4 steps/); // the hidden layers 1-4
  });
});

describe("fraction claims (binomial standard error of the expected fraction)", () => {
  it("compares each grid point's fraction with the formula there", async () => {
    const points = [2, 4].map((w) => ({ values: { "model.hidden": [w, w] }, model: { hidden: [w, w] } }));
    // Width 2, depth 2: expected 1 - (3/4)^2 = 0.4375; 44 of 100 collapsed. Width 4: 0.1211; 30 of 100.
    const specs: RunSpec[] = [];
    for (let seed = 0; seed < 100; seed++) {
      specs.push({ activation: "relu", seed, grid: { "model.hidden": "[2,2]" }, collapsed: seed < 44 ? 1 : 0, loss: { 0: 1 } });
      specs.push({ activation: "relu", seed, grid: { "model.hidden": "[4,4]" }, collapsed: seed < 30 ? 1 : 0, loss: { 0: 1 } });
    }
    const rs = results(specs, points);
    const [r] = await evaluateClaims(rs, [claim({ kind: "fraction", activation: "relu", figure: "collapsed", expected: "1 - (1 - 2^-width)^depth" })]);
    const p4 = 1 - (1 - 1 / 16) ** 2;
    const z4 = (0.3 - p4) / Math.sqrt((p4 * (1 - p4)) / 100);
    expect(r.verdict).toBe("does not hold");
    expect(r.details[0]).toMatch(/^holds: model\.hidden=\[2,2\]: 44 of 100 runs \(0\.44\) against 0\.4375 expected/);
    expect(r.statistic).toContain(`z = ${Number(z4.toPrecision(3))}`);
    const [loose] = await evaluateClaims(rs, [claim({ kind: "fraction", activation: "relu", figure: "collapsed", expected: "1 - (1 - 2^-width)^depth", within: 6 })]);
    expect(loose.verdict).toBe("holds");
  });
});
