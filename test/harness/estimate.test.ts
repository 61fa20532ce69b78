import { describe, expect, it } from "vitest";
import { loadExperiment } from "../../src/harness/config.js";
import { estimateSweep, predictSeconds, recordPoints, shapeTiming } from "../../src/harness/estimate.js";
import { planRuns } from "../../src/harness/plan.js";
import { checkDatasets } from "../../src/harness/sweep.js";
import type { EpochRecord } from "../../src/nn/types.js";
import { copyModule, runCli, tmp, writeConfig } from "./helpers.js";

const rec = (epoch: number, wall_ms: number, eval_ms: number, probe_ms: number) => ({ epoch, wall_ms, eval_ms, probe_ms }) as EpochRecord;

describe("validate's time estimate", () => {
  it("counts record points as the training loop records them (epoch 0, every k-th, the last)", () => {
    expect(recordPoints(5, 1)).toBe(6);
    expect(recordPoints(5, 2)).toBe(4); // 0, 2, 4, 5
    expect(recordPoints(6, 3)).toBe(3); // 0, 3, 6
    expect(recordPoints(0, 1)).toBe(1);
  });

  it("scales a calibration run's timing columns to the full run (hand-computed)", () => {
    // 1 epoch on 100 training + 25 validation rows: training 10 ms; two record points, 4 ms of evaluation and 1 ms of probes each; 20 ms wall.
    const t = shapeTiming([rec(0, 0, 4, 1), rec(1, 10, 4, 1)], 100, 25, 0.02);
    expect(t.trainPerRow).toBeCloseTo(0.0001, 15);
    expect(t.evalPerRow).toBeCloseTo(0.004 / 125, 15);
    expect(t.probePerPoint).toBeCloseTo(0.001, 15);
    expect(t.fixed).toBeCloseTo(0.02 - 0.01 - 0.008 - 0.002, 15);
    // 5 epochs on 1,000 + 250 rows, recording every 2nd: 5 x 0.1 ms x 1,000 = 0.5 s of training, 4 points x (4/125 ms x 1,250 + 1 ms) = 0.164 s.
    const s = predictSeconds(t, { train: { epochs: 5 }, record: { every: 2 } } as never, { train: { n: 1000 }, val: { n: 250 } } as never);
    expect(s).toBeCloseTo(0.5 + 0.164 + t.fixed, 12);
  });

  it("times each network shape once and plays the sweep over the workers", async () => {
    const dir = tmp();
    const file = writeConfig(dir, `seeds: 2
activations: [relu, tanh]
dataset: {name: moons, n: 200}
train: {epochs: 3, batchSize: 16}
record: {probeSize: 32}
grid: {model.hidden: [[4], [16, 16]], train.epochs: [2, 4]}
`);
    const runs = planRuns(await loadExperiment(file));
    const e = await estimateSweep(runs, await checkDatasets(runs), 2);
    // Activation, seed and epochs do not change a shape: two hidden layouts are two shapes.
    expect(e.calibrated).toBe(2);
    expect(e.predicted).toBe(0);
    expect(e.seconds).toBeGreaterThan(0);
    expect(Number.isFinite(e.seconds)).toBe(true);
  });

  it("never runs the user's activation module in this thread (a shape of module runs is timed with relu)", async () => {
    const dir = tmp();
    copyModule("counts-calls.js", dir);
    const file = writeConfig(dir, "seeds: 1\nactivations: [{module: ./counts-calls.js, name: counted}]\ndataset: {name: xor, n: 64}\nmodel: {hidden: [4]}\ntrain: {epochs: 2}\n");
    const runs = planRuns(await loadExperiment(file));
    const g = globalThis as { __countsCalls?: number };
    const e = await estimateSweep(runs, await checkDatasets(runs), 1);
    expect(e.calibrated).toBe(1);
    expect(g.__countsCalls).toBeUndefined(); // neither the load (its checks run in a thread of their own) nor the estimate ran it
  });

  it("validate prints the estimate (and --no-estimate skips it)", async () => {
    const dir = tmp();
    const file = writeConfig(dir, "seeds: 1\nactivations: [relu]\ndataset: {name: xor, n: 64}\nmodel: {hidden: [4]}\ntrain: {epochs: 2}\n");
    const r = await runCli(["validate", file, "--workers", "2"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\nestimated time: about \d+s on 1 worker \(1 network shape timed here, in \d+\.\ds\)\n$/);
    const skip = await runCli(["validate", file, "--no-estimate"]);
    expect(skip.stdout).not.toMatch(/estimated/);
  });
});
