/**
 * A user's activation module never runs in the CLI's main thread (issue 19):
 * one that calls process.exit() at import or in f, loops forever, or whose df
 * throws outside [-5, 5] is refused by validate and run with exit 2 and a
 * message naming the module file (it used to end the CLI with exit 0 and
 * nothing written, hang, or print a stack trace); one that misbehaves only
 * beyond [-5, 5] passes its checks and fails its runs, and the CLI still
 * finishes the sweep and writes the report (the report's cost column and its
 * decision maps used to evaluate it in the main thread: exit 0 without a
 * report, or a hang).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { getActivation } from "../../src/activations/index.js";
import { loadExperiment } from "../../src/harness/config.js";
import { runSweep } from "../../src/harness/sweep.js";
import { writeReport } from "../../src/report/index.js";
import { copyModule, readCsv, runCli, tmp, writeConfig } from "./helpers.js";

const quiet = () => ({ start() {}, done() {}, stop() {} });

/** A folder with the fixture module and a config whose second activation is it. */
function configWith(module: string, extra = ""): { dir: string; file: string } {
  const dir = tmp();
  copyModule(module, dir);
  const file = writeConfig(dir, `seeds: 1\nactivations: [relu, {module: ./${module}, name: mine}]\ndataset: {name: moons, n: 64}\nmodel: {hidden: [4]}\ntrain: {epochs: 1, batchSize: 16}\n${extra}`);
  return { dir, file };
}

describe("a user's activation module cannot take the CLI down", () => {
  it("validate refuses a module that exits at import or in f, loops forever, or whose df throws beyond [-5, 5]: exit 2 naming the module and what it was doing", async () => {
    const cases: Array<[string, RegExp]> = [
      ["exits-at-import.js", /activation module \.\/exits-at-import\.js: the module ended its thread \(exit code 0, process\.exit\?\) during its import/],
      ["exits-in-f.js", /activation module \.\/exits-in-f\.js: the module ended its thread \(exit code 0, process\.exit\?\) during the check of f and df/],
      ["loops-forever.js", /activation module \.\/loops-forever\.js: the check of f and df .* did not finish within 2 s \(does it loop forever\?\)/],
      ["df-throws-beyond-5.js", /activation module \.\/df-throws-beyond-5\.js: df threw at x=-20 while its largest \|df\| on \[-20, 20\] was sampled .*: df: -20 is out of range/],
    ];
    const results = await Promise.all(
      cases.map(([module]) => runCli(["validate", configWith(module).file, "--no-estimate"], undefined, { ACTBENCH_MODULE_TIMEOUT: "2" })),
    );
    results.forEach((r, i) => {
      expect(r.code, `${cases[i][0]}: ${r.stdout}${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(cases[i][1]);
      expect(r.stderr).toMatch(/exp\.yaml:2:\d+: activations\[1\]/); // the config's line and field
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(r.stdout).not.toMatch(/ok\./);
    });
  }, 120_000);

  it("run refuses a module that exits in f before anything is written", async () => {
    const { dir, file } = configWith("exits-in-f.js");
    const out = join(dir, "out");
    const r = await runCli(["run", file, "--out", out]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/activation module \.\/exits-in-f\.js: the module ended its thread/);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it("a module that exits or loops only beyond [-5, 5] fails its runs; the sweep ends and the report is written (exit 1)", async () => {
    const dir = tmp();
    copyModule("exits-beyond-5.js", dir);
    copyModule("loops-beyond-5.js", dir);
    // biasInit 10 puts every pre-activation of the first layer beyond 5 at once.
    const file = writeConfig(
      dir,
      `seeds: 1
activations: [relu, {module: ./exits-beyond-5.js, name: exits5}, {module: ./loops-beyond-5.js, name: loops5}]
dataset: {name: moons, n: 64}
model: {hidden: [4], biasInit: 10}
train: {epochs: 1, batchSize: 16, timeout: 5}
`,
    );
    const out = join(dir, "out");
    const r = await runCli(["run", file, "--out", out, "--workers", "2"]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/done: 3 of 3 runs \(1 ok, 0 diverged, 2 failed\)/);
    const rows = readCsv(join(out, "runs.csv")).rows;
    const row = (a: string) => rows.find((x) => x.activation === a)!;
    expect(row("relu").status).toBe("ok");
    expect(row("exits5").status).toBe("failed");
    expect(row("exits5").message).toMatch(/its worker thread ended \(.*did the activation module call process\.exit\?\)/);
    expect(row("loops5").status).toBe("failed");
    expect(row("loops5").message).toMatch(/timed out: stopped after 5 s/);
    expect(existsSync(join(out, "report.html"))).toBe(true);
    expect(r.stdout).toMatch(/report: .*report\.html/);
  }, 120_000);

  it("nothing in this thread evaluates the module: loading, the sweep, activations.csv and the report (a module counting its calls)", async () => {
    // With final models of a 2-D dataset, the report draws decision maps: by running each model, so not the module's.
    const { dir, file } = configWith("counts-calls.js", "record: {models: [final]}\n");
    const g = globalThis as { __countsCalls?: number };
    const exp = await loadExperiment(file);
    const out = join(dir, "out");
    await runSweep(exp, { out, workers: 1, progress: quiet });
    const report = await writeReport(out);
    expect(g.__countsCalls).toBeUndefined();
    expect(readFileSync(report.md, "utf8")).toContain("mine (from your module) is not drawn: the report never runs a user's module.");
    expect(report.charts.some((c) => c.endsWith("boundaries.svg"))).toBe(true); // relu's map is
    // Its curve in activations.csv was sampled where it was checked: softsign x / (1 + |x|) and 1 / (1 + |x|)^2.
    const samples = readCsv(join(out, "activations.csv")).rows.filter((x) => x.activation === "mine");
    expect(samples).toHaveLength(201);
    for (const s of samples) {
      const x = Number(s.x);
      expect(Number(s.f)).toBeCloseTo(x / (1 + Math.abs(x)), 14);
      expect(Number(s.df)).toBeCloseTo(1 / (1 + Math.abs(x)) ** 2, 14);
    }
    // Here it is a stub: evaluating it is an error, not a run of the user's code.
    expect(() => getActivation("mine").f(1)).toThrow(/runs only in worker threads/);
  }, 60_000);

  it("a module's activation named in a mix, in layers or alone by name is refused (a run imports only its own entry's module; the sweep's end crashed sampling it here)", async () => {
    const dir = tmp();
    copyModule("counts-calls.js", dir);
    const file = writeConfig(dir, "activations: [{module: ./counts-calls.js, name: borrowed}, {mix: [borrowed, relu]}, {layers: [borrowed, relu]}, borrowed]\ndataset: {name: moons}\nmodel: {hidden: [4, 4]}\n");
    const message = await loadExperiment(file).then(
      () => "",
      (e: Error) => e.message,
    );
    for (const i of [1, 2, 3]) expect(message).toMatch(new RegExp(`activations\\[${i}\\]: borrowed comes from an activation module: such an activation runs only as its own entry`));
    expect(message).not.toMatch(/activations\[0\]/);
  }, 60_000);
});
