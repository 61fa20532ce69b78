/**
 * A run that throws is recorded as failed (the others go on, exit code 1); a
 * run whose loss blows up is a result, recorded as diverged. Missing values
 * are empty cells, never the text NaN.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { copyModule, OUTPUT_CSVS, readCsv, runCli, tmp, writeConfig } from "./helpers.js";

describe("failed and diverged runs", () => {
  it("records both, keeps going, exits 1, and writes no NaN", async () => {
    const dir = tmp();
    copyModule("throws-in-training.js", dir);
    const file = writeConfig(
      dir,
      `name: outcomes
seeds: 2
activations: [relu, {module: ./throws-in-training.js, name: boom_softsign}]
dataset: {name: moons, n: 200, noise: 0.2}
model: {hidden: [8]}
train: {epochs: 4, batchSize: 16, optimizer: {name: sgd, lr: 0.05}}
record: {every: 1, probeSize: 32}
grid: {train.optimizer.lr: [0.05, 1.0e+6]}
`,
    );
    const out = join(dir, "out");
    const r = await runCli(["run", file, "--out", out, "--workers", "2", "--no-report"]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/done: 8 of 8 runs \(2 ok, 2 diverged, 4 failed\)/);

    const { columns, rows } = readCsv(join(out, "runs.csv"));
    expect(columns).toEqual([
      "run_id", "activation", "seed", "train.optimizer.lr", "status", "diverged_epoch", "message",
      "train_loss", "val_loss", "val_acc", "best_val_acc", "best_val_loss", "best_epoch", "test_loss", "test_acc", "best_test_loss", "best_test_acc", "collapsed", "wall_s",
    ]);
    const by = (act: string, lr: string) => rows.filter((x) => x.activation === act && x["train.optimizer.lr"] === lr);

    for (const row of [...by("boom_softsign", "0.05"), ...by("boom_softsign", "1000000")]) {
      expect(row.status).toBe("failed");
      expect(row.message).toMatch(/boom: this activation refuses to train/);
      for (const c of ["train_loss", "val_loss", "val_acc", "best_val_acc", "best_epoch", "diverged_epoch", "collapsed", "test_loss", "test_acc", "best_test_loss", "best_test_acc"]) expect(row[c]).toBe("");
    }
    for (const row of by("relu", "0.05")) {
      expect(row.status).toBe("ok");
      expect(Number(row.val_acc)).toBeGreaterThan(0.5);
    }
    for (const row of by("relu", "1000000")) {
      expect(row.status).toBe("diverged");
      expect(Number(row.diverged_epoch)).toBeGreaterThanOrEqual(1);
      expect(row.message).toMatch(/NaN|Infinity|non-finite|exceed/i);
      expect(row.train_loss).toBe(""); // no final figures after a divergence
    }

    // Failed runs contribute no curve rows; the others one per record point (epochs 0..4 for ok runs).
    const curves = readCsv(join(out, "curves.csv")).rows;
    const failedIds = new Set(rows.filter((x) => x.status === "failed").map((x) => x.run_id));
    expect(curves.some((c) => failedIds.has(c.run_id))).toBe(false);
    for (const row of by("relu", "0.05")) {
      const mine = curves.filter((c) => c.run_id === row.run_id);
      expect(mine.map((c) => c.epoch)).toEqual(["0", "1", "2", "3", "4"]);
      // runs.csv's final and best figures agree with the curve they summarise.
      expect(row.val_acc).toBe(mine[4].val_acc);
      const best = Math.max(...mine.map((c) => Number(c.val_acc)));
      expect(Number(row.best_val_acc)).toBe(best);
      expect(mine[Number(row.best_epoch)].val_acc).toBe(row.best_val_acc);
    }

    // The output layer's hidden-unit columns are empty cells.
    const layers = readCsv(join(out, "layers.csv")).rows.filter((l) => l.layer === "2");
    expect(layers.length).toBeGreaterThan(0);
    for (const l of layers) for (const c of ["dead_units", "dead_frac", "act_mean", "act_p95"]) expect(l[c]).toBe("");

    for (const name of OUTPUT_CSVS) expect(readFileSync(join(out, name), "utf8")).not.toMatch(/(^|,)NaN(,|$)/m);

    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { runs: Array<{ status: string; message?: string }> };
    expect(manifest.runs.filter((x) => x.status === "failed")).toHaveLength(4);
    expect(readdirSync(join(out, "runs"))).toHaveLength(8);

    // Resuming retries the failed runs (they fail again here) and keeps the others.
    const again = await runCli(["run", file, "--out", out, "--workers", "2", "--no-report"]);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/resuming: 4 of 8 runs already done/);
  });
});
