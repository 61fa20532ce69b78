import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { CostClock, finishTime, formatDuration, runCost } from "../../src/harness/cost.js";
import { formatGridPoint, gridCells, varyingColumns } from "../../src/harness/grid-cells.js";
import type { RunOutcome } from "../../src/harness/outcome.js";
import type { RunSpec } from "../../src/harness/plan.js";
import { createProgress, SweepTracker, type ProgressPlan } from "../../src/harness/progress.js";
import type { EpochRecord } from "../../src/nn/types.js";

/** A run as the progress display sees it (what it trains does not matter here). */
function run(i: number, activation: string, grid: Record<string, unknown> = {}): RunSpec {
  return { runId: `r${i}`, index: i, activation, seed: i % 2, grid, engine: "native", dataset: { name: "xor" }, baseDir: ".", config: {} as RunSpec["config"] };
}

function outcome(r: RunSpec, wall_s: number, last: Partial<EpochRecord> = {}, status: RunOutcome["status"] = "ok"): RunOutcome {
  return { runId: r.runId, status, records: [{ epoch: 1, train_loss: 0.5, ...last } as EpochRecord], models: {}, wall_s };
}

/** A stream that keeps what is written. */
function capture(tty: boolean): NodeJS.WriteStream & { text: string } {
  const s = new Writable({
    write(chunk, _enc, cb) {
      s.text += chunk.toString();
      cb();
    },
  }) as unknown as NodeJS.WriteStream & { text: string };
  s.text = "";
  Object.assign(s, { isTTY: tty, columns: 300, rows: 40, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return s;
}

describe("the cost model", () => {
  it("counts multiply-adds per row x rows x epochs, brain.js 10x", () => {
    const config = { model: { hidden: [32, 32] }, train: { epochs: 3 } } as RunSpec["config"];
    const data = { features: 2, outputs: 3, train: { n: 80 }, val: { n: 20 } } as Parameters<typeof runCost>[1];
    // 2*32 + 32*32 + 32*3 = 1,184 multiply-adds per row, by hand.
    expect(runCost({ config, engine: "native" }, data)).toBe(1184 * 100 * 3);
    expect(runCost({ config, engine: "brainjs" }, data)).toBe(1184 * 100 * 3 * 10);
  });

  it("plays the schedule forward: each free lane takes the next run (hand-computed)", () => {
    // Lanes busy for 3 s and 1 s; then 4 -> lane 2 (free at 1, ends 5), 2 -> lane 1 (3 -> 5), 2 -> lane 1 (5 -> 7).
    expect(finishTime(2, [3, 1], [4, 2, 2])).toBe(7);
    expect(finishTime(3, [], [5, 1, 1, 1])).toBe(5);
    expect(finishTime(1, [], [1, 2, 3])).toBe(6);
    expect(finishTime(2, [], [])).toBe(0);
  });

  it("predicts a timed shape by its median, any other by the median seconds per cost", () => {
    const c = new CostClock();
    expect(c.predict(100)).toBeNaN();
    c.observe(100, 2);
    c.observe(100, 4);
    c.observe(1000, 12);
    expect(c.predict(100)).toBe(3);
    expect(c.predict(1000)).toBe(12);
    // Seconds per unit 0.02, 0.04, 0.012: median 0.02.
    expect(c.predict(400)).toBeCloseTo(8, 12);
    // A slow first run (a worker compiling) does not stay in the estimate.
    c.observe(100, 3);
    c.observe(100, 3);
    expect(c.predict(100)).toBe(3);
  });

  it("formats durations", () => {
    expect(formatDuration(44.6)).toBe("45s");
    expect(formatDuration(187)).toBe("3m07s");
    expect(formatDuration(7500)).toBe("2h05m");
    expect(formatDuration(NaN)).toBe("?");
  });
});

describe("grid points as dotted key=value cells", () => {
  const points = [
    { dataset: { name: "spirals", n: 2000, noise: 0.1, split: { val: 0.2 } }, "model.hidden": [32, 32] },
    { dataset: { name: "mnist", n: 1000, split: { val: 0.2 } }, "model.hidden": [32, 32] },
    { dataset: { name: "mnist", n: 1000, split: { val: 0.2 } }, "model.hidden": [64] },
  ];

  it("opens objects into dotted keys and writes widths as a network is written", () => {
    expect(gridCells(points[0])).toEqual({ "dataset.name": "spirals", "dataset.n": 2000, "dataset.noise": 0.1, "dataset.split.val": 0.2, "model.hidden": "32-32" });
    expect(gridCells({ "train.optimizer": { name: "sgd", lr: 0.1 }, "record.models": ["init", "final"] })).toEqual({
      "train.optimizer.name": "sgd",
      "train.optimizer.lr": 0.1,
      "record.models": '["init","final"]',
    });
  });

  it("a later grid key reaching into an earlier one's object wins, as in the run's config", () => {
    expect(gridCells({ dataset: { name: "moons", n: 100 }, "dataset.n": 300 })).toEqual({ "dataset.name": "moons", "dataset.n": 300 });
  });

  it("names only the keys that vary", () => {
    expect(varyingColumns(points)).toEqual(["dataset.name", "dataset.n", "dataset.noise", "model.hidden"]);
    expect(formatGridPoint(points[1], varyingColumns(points))).toBe("dataset.name=mnist dataset.n=1000 model.hidden=32-32");
    expect(varyingColumns([{}])).toEqual([]);
  });
});

describe("progress", () => {
  const grid = (name: string) => ({ dataset: { name, split: { val: 0.2 } } });
  const runs = [run(0, "relu", grid("spirals")), run(1, "gelu", grid("spirals")), run(2, "relu", grid("mnist")), run(3, "gelu", grid("mnist"))];
  const costs: Record<string, number> = { r0: 100, r1: 100, r2: 400, r3: 400 };
  const plan = (over: Partial<ProgressPlan> = {}): ProgressPlan => ({
    total: 4,
    skipped: 0,
    todo: [runs[2], runs[3], runs[0], runs[1]],
    workers: 2,
    cost: (r) => costs[r.runId],
    gridKeys: ["dataset.name"],
    ...over,
  });

  it("estimates the time left from the cost model, calibrated by finished runs", () => {
    let now = 0;
    const t = new SweepTracker(plan(), () => now);
    t.start(runs[2]);
    t.start(runs[3]);
    expect(t.eta()).toBe("?");
    now = 8000;
    t.finish(runs[2], outcome(runs[2], 8));
    t.start(runs[0]);
    // Cost 400 took 8 s: 0.02 s per unit. gelu/mnist, same shape, has run 8 s of its predicted 8;
    // relu/spirals predicted 2 s; gelu/spirals (2 s) goes to whichever lane frees first: 2 s from now.
    expect(t.etaSeconds()).toBeCloseTo(2, 12);
    now = 9000;
    // Overdue runs count as ending now; relu/spirals has 1 s left, then gelu/spirals 2 s.
    expect(t.etaSeconds()).toBeCloseTo(2, 12);
  });

  it("prints each run with its grid point and result, and the ETA, in plain lines", () => {
    let now = 0;
    const s = capture(false);
    const p = createProgress(plan(), s, () => now);
    p.start(runs[2]);
    p.start(runs[3]);
    now = 8000;
    p.done(runs[2], outcome(runs[2], 8, { val_acc: 0.91254, val_loss: 0.3 }));
    p.start(runs[0]);
    p.done(runs[3], outcome(runs[3], 8, { val_loss: 0.1234567 }));
    p.done(runs[0], { ...outcome(runs[0], 1), status: "diverged", divergedEpoch: 3, message: "loss is NaN" });
    const lines = s.text.trim().split("\n");
    expect(lines[0]).toBe("[1/4] relu seed 0 dataset.name=mnist ok val_acc 0.9125 (8.0s; running 1, failed 0, ETA 2s)");
    expect(lines[1]).toMatch(/^\[2\/4\] gelu seed 1 dataset\.name=mnist ok val_loss 0\.1235 \(8\.0s; running 1, failed 0, ETA \d+s\)$/);
    expect(lines[2]).toMatch(/^\[3\/4\] relu seed 0 dataset\.name=spirals diverged at epoch 3: loss is NaN /);
    expect(s.text).not.toContain("{");
  });

  it("on a terminal, the bar shows the best result so far and the runs in flight", () => {
    const s = capture(true);
    const p = createProgress(plan(), s, () => 0);
    p.start(runs[2]);
    p.start(runs[3]);
    p.done(runs[2], outcome(runs[2], 8, { val_acc: 0.8 }));
    p.start(runs[0]);
    p.start(runs[1]);
    p.done(runs[3], outcome(runs[3], 8, { val_acc: 0.85 }));
    // The bar redraws at most 10 times a second; stopping draws the last state.
    p.stop();
    expect(s.text).toContain("2/4 runs | best val_acc 0.85 (gelu seed 1 dataset.name=mnist) | running relu s0, gelu s1 | failed 0 | ETA");
    // The best line stays on screen after the bar.
    expect(s.text.trimEnd().split("\n").pop()).toContain("best val_acc 0.85 (gelu seed 1 dataset.name=mnist)");
  });

  it("ranks accuracy above loss, and a failed run is no result", () => {
    const t = new SweepTracker(plan(), () => 0);
    t.finish(runs[0], outcome(runs[0], 1, { val_loss: 0.01 }));
    t.finish(runs[1], outcome(runs[1], 1, { val_acc: 0.5 }));
    t.finish(runs[2], { ...outcome(runs[2], 1, { val_acc: 0.99 }), status: "failed" });
    expect(t.bestText()).toBe("best val_acc 0.5 (gelu seed 1 dataset.name=spirals)");
    expect(t.failed).toBe(1);
  });
});
