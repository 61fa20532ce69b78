/**
 * The report of an interrupted sweep says so at its top (issue 19): "partial:
 * 1 of 4 runs" in the title of report.md and report.html, and first in the
 * setup, because every figure covers only the runs that finished.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadExperiment } from "../../src/harness/config.js";
import { runSweep } from "../../src/harness/sweep.js";
import { writeReport } from "../../src/report/index.js";
import { tmp, writeConfig } from "../harness/helpers.js";

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
});
