/**
 * Nothing stale (issue 19): a results folder is tied to the contents of its
 * data (not the CSV file's path) and to the numerics-relevant versions. Edit
 * the data, or resume with another actbench version, and the finished runs
 * are not silently reused: the sweep is refused with a message naming what
 * changed, and recomputed only when asked (--overwrite).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCsv, runCli, tmp, writeConfig } from "./helpers.js";

const rows = (shift: number) =>
  ["x1,x2,label", ...Array.from({ length: 60 }, (_, i) => `${(i % 7) + shift},${(i * 3) % 5},${i % 2 ? "a" : "b"}`)].join("\n") + "\n";

const CONFIG = `name: stale
seeds: 2
activations: [relu, tanh]
dataset: {csv: {train: data/train.csv, target: label, task: classification}}
model: {hidden: [4]}
train: {epochs: 2, batchSize: 8}
`;

/** A folder with the config and its data file (version 0), and where the results go. */
function setup(): { dir: string; file: string; out: string } {
  const dir = tmp();
  mkdirSync(join(dir, "data"));
  writeFileSync(join(dir, "data", "train.csv"), rows(0));
  return { dir, file: writeConfig(dir, CONFIG), out: join(dir, "out") };
}

const run = (file: string, out: string, ...extra: string[]) => runCli(["run", file, "--out", out, "--workers", "1", "--no-report", ...extra]);

describe("stale results", () => {
  it("edited data: the rerun is refused naming the file, --overwrite recomputes every run", async () => {
    const { dir, file, out } = setup();
    const first = await run(file, out);
    expect(first.code, first.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { datasets: Array<{ sha256: string }> };
    expect(manifest.datasets.map((d) => d.sha256)).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
    const ids = readCsv(join(out, "runs.csv")).rows.map((r) => r.run_id);

    writeFileSync(join(dir, "data", "train.csv"), rows(1)); // same path, other contents
    const again = await run(file, out);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/data\/train\.csv/);
    expect(again.stderr).toMatch(/changed/);
    expect(again.stderr).toMatch(/--overwrite/);
    expect(readCsv(join(out, "runs.csv")).rows.map((r) => r.run_id)).toEqual(ids);

    const redo = await run(file, out, "--overwrite");
    expect(redo.code, redo.stderr).toBe(0);
    expect(redo.stdout).not.toMatch(/from an earlier sweep/);
    const newIds = readCsv(join(out, "runs.csv")).rows.map((r) => r.run_id);
    // The run ids cover the data's contents: none is reused.
    for (const id of newIds) expect(ids).not.toContain(id);
  });

  it("a resume by another actbench version is refused, naming both versions", async () => {
    const { dir, file, out } = setup();
    expect((await run(file, out)).code).toBe(0);
    const path = join(out, "manifest.json");
    const manifest = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    writeFileSync(path, JSON.stringify({ ...manifest, numerics: { ...(manifest.numerics as object), actbench: "0.0.1-old" } }));
    const again = await run(file, out);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/actbench 0\.0\.1-old/);
  });
});
