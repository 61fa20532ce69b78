import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { activationNames } from "../../src/activations/index.js";
import { datasetNames } from "../../src/data/index.js";
import { exists, readCsv, runCli, startCli, collect, tmp, writeConfig, lockFiles } from "./helpers.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("cli", () => {
  it("schema prints the config's JSON Schema", async () => {
    const r = await runCli(["schema"]);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as { properties: Record<string, unknown>; additionalProperties: boolean; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["name", "engine", "seeds", "activations", "dataset", "model", "train", "record", "grid"]),
    );
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(["activations", "dataset"]));
  });

  it("list activations and datasets, as tables and JSON", async () => {
    const acts = await runCli(["list", "activations", "--json"]);
    expect(acts.code).toBe(0);
    expect((JSON.parse(acts.stdout) as Array<{ name: string }>).map((a) => a.name)).toEqual(activationNames());
    const table = await runCli(["list", "activations"]);
    expect(table.stdout.split("\n")[0]).toMatch(/^name\s+aliases\s+params\s+zero derivative\s+init\s+source$/);
    expect(table.stdout).toMatch(/\nrelu\s+-\s+-\s+x <= 0\s+he_normal/);
    const data = await runCli(["list", "datasets", "--json"]);
    expect((JSON.parse(data.stdout) as Array<{ name: string }>).map((d) => d.name)).toEqual(datasetNames());
  });

  it("run writes the report at the end; report rebuilds it; report on a non-results folder is a usage error", async () => {
    const dir = tmp();
    const file = writeConfig(
      dir,
      `seeds: 2
activations: [relu, tanh]
dataset: {name: moons, n: 100}
model: {hidden: [4]}
train: {epochs: 2, batchSize: 16}
record: {probeSize: 16}
`,
    );
    const out = join(dir, "out");
    const r = await runCli(["run", file, "--out", out, "--workers", "2"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/report: .*report\.html/);
    expect(exists(join(out, "report.html"))).toBe(true);
    expect(exists(join(out, "report.md"))).toBe(true);
    const again = await runCli(["report", out]);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(out, "report.md"), "utf8")).not.toMatch(/epochs to/);
    const target = await runCli(["report", out, "--target", "0.5"]);
    expect(target.code, target.stderr).toBe(0);
    expect(readFileSync(join(out, "report.md"), "utf8")).toMatch(/epochs to val acc ≥ 0\.5/);
    const unreachable = await runCli(["report", out, "--target", "2"]);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/--target: found 2, but the sweep is judged by validation accuracy/);
    const bad = await runCli(["report", dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no runs\.csv/);
  }, 180_000); // three CLI processes, two reports (vega): about 50 s alone on this machine, more under a full suite's load

  it("Ctrl-C stops cleanly: finished runs kept and tabled, lock released, the rest resumable", async () => {
    const dir = tmp();
    const file = writeConfig(
      dir,
      `seeds: 4
activations: [relu, tanh, gelu]
dataset: {name: moons, n: 400}
model: {hidden: [16, 16]}
train: {epochs: 8, batchSize: 16}
record: {every: 4, probeSize: 32}
`,
    );
    const out = join(dir, "out");
    const child = startCli(["run", file, "--out", out, "--workers", "1", "--no-report"]);
    const done = collect(child);
    const committed = () => (exists(join(out, "runs")) ? readdirSync(join(out, "runs")).filter((f) => /^[0-9a-f]{12}\.json$/.test(f)).length : 0);
    const deadline = Date.now() + 60_000;
    while (committed() < 2 && Date.now() < deadline) await sleep(20);
    child.kill("SIGINT");
    const r = await done;
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/stopping: .*run the same command again to resume/);
    const kept = committed();
    expect(kept).toBeLessThan(12);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { state: string; runs: Array<{ status: string }> };
    expect(manifest.state).toBe("interrupted");
    expect(manifest.runs.filter((x) => x.status === "ok")).toHaveLength(kept);
    expect(readCsv(join(out, "runs.csv")).rows).toHaveLength(kept);
    expect(lockFiles(out)).toEqual([]);

    const resumed = await runCli(["run", file, "--out", out, "--workers", "2", "--no-report"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`resuming: ${kept} of 12 runs already done`));
    expect(readCsv(join(out, "runs.csv")).rows).toHaveLength(12);
  });
});
