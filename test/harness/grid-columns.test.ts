/**
 * CSVs that need no joins: every row of runs.csv, curves.csv, layers.csv and params.csv
 * carries its run's grid point as scalar columns named by dotted key, and
 * runs.csv has best_val_loss. Checked against the run files and the curves
 * themselves, and the report still reads the folder.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadExperiment } from "../../src/harness/config.js";
import { runSweep } from "../../src/harness/sweep.js";
import { loadResults } from "../../src/report/results.js";
import { readCsv, tmp, writeConfig } from "./helpers.js";

const quiet = () => ({ start() {}, done() {}, stop() {} });

describe("grid columns", () => {
  it("flatten each grid point into dotted scalar columns on every table, and runs.csv has best_val_loss", async () => {
    const dir = tmp();
    const file = writeConfig(
      dir,
      `seeds: 1
activations: [relu, prelu]
dataset: {name: moons, n: 100}
model: {hidden: [4]}
train: {epochs: 3, batchSize: 16, optimizer: {name: adam, lr: 0.01}}
record: {probeSize: 16}
grid:
  dataset:
    - {name: moons, n: 100}
    - {name: xor, n: 80, noise: 0.1}
  model.hidden: [[4], [6, 3]]
`,
    );
    const out = join(dir, "out");
    await runSweep(await loadExperiment(file), { out, workers: 1, progress: quiet });

    const runs = readCsv(join(out, "runs.csv"));
    // Grid key by grid key; dataset.noise, which only the second point has, beside its section's other keys.
    const grid = ["dataset.name", "dataset.n", "dataset.noise", "model.hidden"];
    expect(runs.columns.slice(0, 7)).toEqual(["run_id", "activation", "seed", ...grid]);
    expect(runs.columns).toContain("best_val_loss");
    expect(runs.rows.map((r) => grid.map((k) => r[k]).join(" "))).toEqual([
      "moons 100  4", "moons 100  4", "moons 100  6-3", "moons 100  6-3",
      "xor 80 0.1 4", "xor 80 0.1 4", "xor 80 0.1 6-3", "xor 80 0.1 6-3",
    ]);
    // No JSON blobs anywhere in the grid cells.
    for (const r of runs.rows) for (const k of grid) expect(r[k]).not.toMatch(/[{["]/);

    const byRun = new Map(runs.rows.map((r) => [r.run_id, r]));
    for (const table of ["curves.csv", "layers.csv", "params.csv"]) {
      const t = readCsv(join(out, table));
      // prelu learns its slopes, so params.csv has rows.
      expect(t.rows.length, table).toBeGreaterThan(0);
      expect(t.columns.slice(0, 7), table).toEqual(["run_id", "activation", "seed", ...grid]);
      expect(t.columns[7], table).toBe("epoch");
      // Each row carries exactly its run's grid point.
      for (const row of t.rows) for (const k of grid) expect(row[k], `${table} ${row.run_id} ${k}`).toBe(byRun.get(row.run_id)![k]);
    }

    // best_val_loss is the lowest validation loss among the run's curve rows (computed here from curves.csv).
    const curves = readCsv(join(out, "curves.csv")).rows;
    for (const r of runs.rows) {
      const lowest = Math.min(...curves.filter((c) => c.run_id === r.run_id).map((c) => Number(c.val_loss)));
      expect(Number(r.best_val_loss)).toBe(lowest);
      expect(Number(r.best_val_loss)).toBeLessThanOrEqual(Number(r.val_loss));
    }

    // The report's reader takes the flattened columns as the grid.
    const results = loadResults(out);
    expect(results.gridKeys).toEqual(grid);
    expect(results.runs[4].grid).toEqual({ "dataset.name": "xor", "dataset.n": "80", "dataset.noise": "0.1", "model.hidden": "4" });
    expect(results.runs[0].best_val_loss).toBe(Number(runs.rows[0].best_val_loss));
  });
});
