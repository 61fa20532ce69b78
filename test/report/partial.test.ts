/**
 * The report of an interrupted sweep says so at its top (issue 19): "partial:
 * 1 of 4 runs" in the title of report.md and report.html, and first in the
 * setup, because every figure covers only the runs that finished; and its
 * leaderboard counts the planned seeds ("seeds ok/run 2/3", not 2/2) and
 * lists an activation none of whose runs finished, at every grid point.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadExperiment } from "../../src/harness/config.js";
import { runSweep } from "../../src/harness/sweep.js";
import { writeReport } from "../../src/report/index.js";
import { buildLeaderboard } from "../../src/report/leaderboard.js";
import { loadResults } from "../../src/report/results.js";
import { leaderboardTable } from "../../src/report/tables.js";
import { readCsv, tmp, writeConfig } from "../harness/helpers.js";

describe("partial sweeps", () => {
  it("an interrupted sweep's report says how many of the planned runs it covers, at the top", async () => {
    const dir = tmp();
    const exp = await loadExperiment(
      writeConfig(dir, `seeds: 2\nactivations: [relu, tanh]\ndataset: {name: moons, n: 100}\nmodel: {hidden: [4]}\ntrain: {epochs: 2, batchSize: 16}\n`),
    );
    const stop = new AbortController();
    const out = join(dir, "out");
    const summary = await runSweep(exp, {
      out,
      workers: 1,
      signal: stop.signal,
      progress: () => ({ start() {}, done: () => stop.abort(), stop() {} }),
    });
    expect(summary.interrupted).toBe(true);
    expect(summary.ok).toBe(1);
    const r = await writeReport(out);
    const md = readFileSync(r.md, "utf8");
    expect(md.split("\n")[0]).toMatch(/\(partial: 1 of 4 runs\)/);
    expect(md).toMatch(/\*\*PARTIAL:\*\* `partial: 1 of 4 runs/);
    expect(readFileSync(r.html, "utf8")).toMatch(/<title>[^<]*partial: 1 of 4 runs/);
  });

  it("the leaderboard counts planned seeds and lists the activations with no finished run, at each grid point", async () => {
    const dir = tmp();
    const exp = await loadExperiment(
      writeConfig(dir, `seeds: 3\nactivations: [relu, tanh, sigmoid]\ndataset: {name: moons, n: 100}\nmodel: {hidden: [4]}\ntrain: {epochs: 1, batchSize: 16}\ngrid: {train.optimizer.lr: [0.01, 0.1]}\n`),
    );
    const stop = new AbortController();
    let done = 0;
    const out = join(dir, "out");
    const summary = await runSweep(exp, {
      out,
      workers: 1,
      signal: stop.signal,
      progress: () => ({ start() {}, done: () => void (++done === 4 && stop.abort()), stop() {} }),
    });
    expect(summary.interrupted).toBe(true);
    // What finished, from runs.csv: per (activation, lr), the runs there.
    const ran = readCsv(join(out, "runs.csv")).rows;
    expect(ran).toHaveLength(4);
    const board = buildLeaderboard(loadResults(out));
    expect(board.gridLabels).toHaveLength(2);
    for (const gridLabel of board.gridLabels) {
      const table = leaderboardTable(board, gridLabel);
      const col = table.header.indexOf("seeds ok/run");
      const lr = gridLabel.replace("train.optimizer.lr=", "");
      const cells = new Map(table.rows.map((row) => [row[1], row[col]]));
      // Every activation is a row, each of 3 planned seeds, with the runs that finished ok.
      expect([...cells.keys()].sort()).toEqual(["relu", "sigmoid", "tanh"]);
      for (const act of ["relu", "tanh", "sigmoid"]) {
        const ok = ran.filter((r) => r.activation === act && r["train.optimizer.lr"] === lr && r.status === "ok").length;
        expect(cells.get(act), `${act} at ${gridLabel}`).toBe(`${ok}/3`);
      }
    }
    // The activations none of whose runs finished are rows with nothing finished.
    expect(board.rows.filter((r) => r.ok === 0).length).toBeGreaterThanOrEqual(2);
    await writeReport(out); // and the report builds with them
  }, 60_000);
});
