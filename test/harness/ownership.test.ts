/**
 * Nothing lost (issue 19): actbench deletes or replaces only what its own
 * manifest says it wrote in the folder. A folder holding anything else is
 * refused, naming what is in the way, --overwrite included; a folder that is
 * not actbench's is never answered with a suggestion to --overwrite it; an
 * input of the sweep (config, data file, activation module) is never an output.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { copyModule, exists, runCli, tmp, writeConfig } from "./helpers.js";

const CONFIG = (epochs: number, extra = "") => `name: own
seeds: 1
activations: [relu]
dataset: {name: moons, n: 100}
model: {hidden: [4]}
train: {epochs: ${epochs}, batchSize: 16}
record: {every: 1, probeSize: 16, models: [final]}
${extra}`;

const run = (args: string[]) => runCli(["run", ...args, "--workers", "1", "--no-report"]);

describe("folder ownership", () => {
  it("the manifest lists every file the sweep wrote, and nothing else is there", async () => {
    const dir = tmp();
    const out = join(dir, "out");
    const r = await runCli(["run", writeConfig(dir, CONFIG(1)), "--out", out, "--workers", "1"]);
    expect(r.code, r.stderr).toBe(0);
    const files = (JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { files: string[] }).files;
    const onDisk = readdirSync(out, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(out.length + 1));
    expect(onDisk.length).toBeGreaterThan(8);
    for (const f of onDisk) expect(files).toContain(f);
  });

  it("--overwrite replaces another config's results but refuses, touching nothing, when the folder holds a user's files", async () => {
    const dir = tmp();
    const out = join(dir, "out");
    expect((await run([writeConfig(dir, CONFIG(1), "a.yaml"), "--out", out])).code).toBe(0);
    writeFileSync(join(out, "models", "best.pt"), "weights");
    writeFileSync(join(out, "notes.md"), "my notes");
    const b = writeConfig(dir, CONFIG(2), "b.yaml");
    const r = await run([b, "--out", out, "--overwrite"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("models/best.pt");
    expect(r.stderr).toContain("notes.md");
    expect(readFileSync(join(out, "models", "best.pt"), "utf8")).toBe("weights");
    expect(readFileSync(join(out, "notes.md"), "utf8")).toBe("my notes");
    expect(exists(join(out, "runs.csv"))).toBe(true);
    // Moved away, the same command replaces actbench's own files.
    const { rmSync } = await import("node:fs");
    rmSync(join(out, "models", "best.pt"));
    rmSync(join(out, "notes.md"));
    const ok = await run([b, "--out", out, "--overwrite"]);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it("a folder that is not an actbench results folder is refused, --overwrite included, and --overwrite is never suggested", async () => {
    const dir = tmp();
    const out = join(dir, "thesis");
    mkdirSync(join(out, "models"), { recursive: true });
    writeFileSync(join(out, "report.md"), "chapter 1");
    writeFileSync(join(out, "runs.csv"), "a,b\n1,2\n");
    writeFileSync(join(out, "models", "best.pt"), "weights");
    const file = writeConfig(dir, CONFIG(1));
    for (const extra of [[], ["--overwrite"]]) {
      const r = await run([file, "--out", out, ...extra]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/not an actbench results folder/);
      expect(r.stderr).toContain("report.md");
      expect(r.stderr).not.toContain("--overwrite");
    }
    expect(readFileSync(join(out, "report.md"), "utf8")).toBe("chapter 1");
    expect(readFileSync(join(out, "runs.csv"), "utf8")).toBe("a,b\n1,2\n");
    expect(readFileSync(join(out, "models", "best.pt"), "utf8")).toBe("weights");
  });

  it("report never replaces a report.md or chart the user put in a results folder", async () => {
    const dir = tmp();
    const out = join(dir, "out");
    expect((await run([writeConfig(dir, CONFIG(1)), "--out", out])).code).toBe(0);
    writeFileSync(join(out, "report.md"), "my thesis");
    const r = await runCli(["report", out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/report\.md is not actbench's/);
    expect(readFileSync(join(out, "report.md"), "utf8")).toBe("my thesis");
  });

  it("--out / is refused without suggesting --overwrite", async () => {
    const dir = tmp();
    const r = await run([writeConfig(dir, CONFIG(1)), "--out", "/"]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain("--overwrite");
  });

  it("an input of the sweep is never an output: data files named runs.csv and activations.csv in the output folder", async () => {
    const dir = tmp();
    const rows = ["x1,x2,label", ...Array.from({ length: 40 }, (_, i) => `${i % 7},${(i * 3) % 5},${i % 2 ? "a" : "b"}`)].join("\n") + "\n";
    writeFileSync(join(dir, "runs.csv"), rows);
    writeFileSync(join(dir, "activations.csv"), rows);
    const file = writeConfig(
      dir,
      `name: inputs
seeds: 1
activations: [relu]
dataset: {csv: {train: runs.csv, val: activations.csv, target: label, task: classification}}
model: {hidden: [4]}
train: {epochs: 1, batchSize: 8}
`,
    );
    for (const extra of [[], ["--overwrite"]]) {
      const r = await run([file, "--out", dir, ...extra]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/runs\.csv/);
      expect(r.stderr).not.toContain("--overwrite");
    }
    expect(readFileSync(join(dir, "runs.csv"), "utf8")).toBe(rows);
    expect(readFileSync(join(dir, "activations.csv"), "utf8")).toBe(rows);
    expect(exists(join(dir, "manifest.json"))).toBe(false);
  });

  it("an output of an earlier sweep used as this sweep's input is refused in that folder", async () => {
    const dir = tmp();
    const out = join(dir, "out");
    expect((await run([writeConfig(dir, CONFIG(1)), "--out", out])).code).toBe(0);
    copyModule("scaled-tanh.js", dir);
    // A module living in the results folder (say, copied next to the results).
    writeFileSync(join(out, "scaled.mjs"), readFileSync(join(dir, "scaled-tanh.js")));
    const file = writeConfig(dir, CONFIG(1).replace("activations: [relu]", "activations: [relu, {module: out/scaled.mjs, name: scaled_tanh}]"), "m.yaml");
    const r = await run([file, "--out", out, "--overwrite"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/scaled\.mjs/);
    expect(exists(join(out, "scaled.mjs"))).toBe(true);
  });
});
