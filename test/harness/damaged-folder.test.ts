/**
 * A results folder damaged after the fact (issue 19): a table cut short, a
 * manifest holding `null`, a run file of valid JSON but the wrong shape. The
 * report and a rerun say which file is wrong (exit 2, no stack trace), or,
 * for a run file (actbench's own), redo the run and replace it; none of them
 * crashes, and a bad run file no longer makes every rerun crash.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadExperiment, type Experiment } from "../../src/harness/config.js";
import { runSweep } from "../../src/harness/sweep.js";
import { readCsv, runCli, tmp, writeConfig } from "./helpers.js";

const quiet = () => ({ start() {}, done() {}, stop() {} });

let exp: Experiment;
let finished: string;

beforeAll(async () => {
  const dir = tmp();
  exp = await loadExperiment(writeConfig(dir, "seeds: 2\nactivations: [relu, tanh]\ndataset: {name: moons, n: 64}\nmodel: {hidden: [4]}\ntrain: {epochs: 2, batchSize: 16}\n"));
  finished = join(dir, "finished");
  await runSweep(exp, { out: finished, workers: 1, progress: quiet });
}, 60_000);

/** A copy of the finished folder to damage. */
function copy(): string {
  const dir = join(tmp(), "copy");
  cpSync(finished, dir, { recursive: true });
  return dir;
}

describe("a damaged results folder is named, never a crash", () => {
  it("report on a runs.csv or curves.csv cut mid-line, or with a row cut short, and on a manifest holding null: exit 2 naming the file", async () => {
    const cut = (name: string, keep: (text: string) => string) => {
      const dir = copy();
      writeFileSync(join(dir, name), keep(readFileSync(join(dir, name), "utf8")));
      return dir;
    };
    const midLine = (t: string) => t.slice(0, t.indexOf("\n", t.indexOf("\n") + 1) + 20); // the header, a row, 20 characters of the next
    const shortRow = (t: string) => `${t.split("\n").slice(0, 2).join("\n")}\nabc,relu\n`; // a row of 2 cells, ending in a newline
    const cases: Array<[string, string, RegExp]> = [
      [cut("runs.csv", midLine), "runs.csv", /runs\.csv: ends in the middle of a line: the file is truncated; run the same `actbench run` command again/],
      [cut("curves.csv", midLine), "curves.csv", /curves\.csv: ends in the middle of a line: the file is truncated/],
      [cut("runs.csv", shortRow), "runs.csv", /runs\.csv: Invalid Record Length: .*on line 3/],
      [cut("manifest.json", () => "null\n"), "manifest.json", /manifest\.json: found null, expected an actbench manifest/],
    ];
    const results = await Promise.all(cases.map(([dir]) => runCli(["report", dir])));
    results.forEach((r, i) => {
      const [dir, file, message] = cases[i];
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(join(dir, file));
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(readdirSync(dir)).not.toContain("report.html");
    });
  }, 120_000);

  it("run into a folder whose manifest holds null: exit 2 naming it, nothing touched", async () => {
    const dir = copy();
    writeFileSync(join(dir, "manifest.json"), "null\n");
    const before = readFileSync(join(dir, "runs.csv"), "utf8");
    const r = await runCli(["run", exp.file, "--out", dir, "--no-report"]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${join(dir, "manifest.json")}: found null, expected an actbench manifest`);
    expect(readFileSync(join(dir, "runs.csv"), "utf8")).toBe(before);
    expect(readFileSync(join(dir, "manifest.json"), "utf8")).toBe("null\n");
  }, 60_000);

  it("a run file of valid JSON but the wrong shape is redone and replaced, on every rerun (it used to make each one crash)", async () => {
    const dir = copy();
    const files = readdirSync(join(dir, "runs")).sort();
    expect(files).toHaveLength(4);
    const bad = ['{"hello": 1}', "[1, 2]", '{"status": "ok"}'];
    bad.forEach((text, i) => writeFileSync(join(dir, "runs", files[i]), text));
    const s = await runSweep(exp, { out: dir, workers: 1, progress: quiet });
    expect(s.skipped).toBe(1); // only the intact run is kept
    expect(s.ok).toBe(4);
    // The redone runs equal the original ones (timing aside): same seeds, same numbers.
    const strip = (rows: Array<Record<string, string>>) => rows.map(({ wall_s: _, ...r }) => r);
    expect(strip(readCsv(join(dir, "runs.csv")).rows)).toEqual(strip(readCsv(join(finished, "runs.csv")).rows));
    for (const f of files.slice(0, 3)) expect(JSON.parse(readFileSync(join(dir, "runs", f), "utf8")).status).toBe("ok");
  }, 60_000);
});
