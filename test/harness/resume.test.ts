/**
 * Nothing lost: a sweep killed with a real SIGKILL in the middle is resumed by
 * running the same command again, and ends with the same files as a sweep
 * that was never interrupted (every column but timing).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadExperiment } from "../../src/harness/config.js";
import { runSweep } from "../../src/harness/sweep.js";
import { OUTPUT_CSVS, exists, expectSameResults, runCli, startCli, tmp, withoutTiming, writeConfig, lockFiles } from "./helpers.js";

const CONFIG = `name: resume
seeds: 3
activations: [relu, tanh, gelu, elu]
dataset: {name: moons, n: 400, noise: 0.2}
model: {hidden: [16, 16]}
train: {epochs: 8, batchSize: 16, optimizer: {name: adam, lr: 0.01}}
record: {every: 2, probeSize: 64, models: [final]}
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function committed(dir: string): string[] {
  try {
    return readdirSync(join(dir, "runs")).filter((f) => /^[0-9a-f]{12}\.json$/.test(f));
  } catch {
    return [];
  }
}

describe("resume after kill -9", () => {
  it("finishes the rest and ends with the files of an uninterrupted sweep", async () => {
    const dir = tmp();
    const file = writeConfig(dir, CONFIG);
    const total = 12;

    const killed = join(dir, "killed");
    const child = startCli(["run", file, "--out", killed, "--workers", "1", "--no-report"]);
    let exited = false;
    child.on("exit", () => (exited = true));
    // Wait until some (not all) runs are committed, then SIGKILL: no handler runs, nothing is tidied.
    const deadline = Date.now() + 60_000;
    while (committed(killed).length < 3 && !exited && Date.now() < deadline) await sleep(20);
    child.kill("SIGKILL");
    await new Promise((r) => (exited ? r(null) : child.on("exit", r)));
    const before = committed(killed).length;
    expect(before).toBeGreaterThanOrEqual(3);
    expect(before).toBeLessThan(total);
    // The dead process's lock is left behind; the next run must take it over.
    expect(lockFiles(killed)).toHaveLength(1);
    expect(exists(join(killed, "runs.csv"))).toBe(false);

    const resumed = await runCli(["run", file, "--out", killed, "--workers", "2", "--no-report"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const skipped = Number(/resuming: (\d+) of 12 runs already done/.exec(resumed.stdout)?.[1]);
    expect(skipped).toBeGreaterThanOrEqual(before);
    expect(resumed.stdout).toMatch(/done: 12 of 12 runs \(12 ok/);
    expect(lockFiles(killed)).toEqual([]);

    // The reference: the same config, never interrupted (in this process).
    const exp = await loadExperiment(file);
    const clean = await runSweep(exp, { out: join(dir, "clean"), workers: 1, progress: () => ({ start() {}, done() {}, stop() {} }) });
    expect(clean.ok).toBe(total);
    for (const name of OUTPUT_CSVS) expect(withoutTiming(join(killed, name)), name).toEqual(withoutTiming(join(clean.dir, name)));
    // Model files too (no timing in them): byte for byte.
    const models = readdirSync(join(clean.dir, "models")).sort();
    expect(models).toHaveLength(total);
    expect(readdirSync(join(killed, "models")).filter((f) => f.endsWith(".json")).sort()).toEqual(models);
    for (const m of models) expect(readFileSync(join(killed, "models", m), "utf8")).toBe(readFileSync(join(clean.dir, "models", m), "utf8"));

    const manifest = JSON.parse(readFileSync(join(killed, "manifest.json"), "utf8")) as { state: string; runs: Array<{ status: string }> };
    expect(manifest.state).toBe("complete");
    expect(manifest.runs.map((r) => r.status)).toEqual(Array(total).fill("ok"));

    // A third run finds everything done and changes nothing.
    const again = await runCli(["run", file, "--out", killed, "--workers", "1", "--no-report"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/resuming: 12 of 12 runs already done/);
    for (const name of OUTPUT_CSVS) expect(withoutTiming(join(killed, name))).toEqual(withoutTiming(join(clean.dir, name)));
  }, 180_000); // four CLI processes and a 12-run sweep: near a minute alone on this machine, more under a full suite
});

describe("resume with either record.trainMetrics", () => {
  const quiet = () => ({ start() {}, done() {}, stop() {} });
  for (const trainMetrics of ["running", "full"] as const)
    it(`a sweep stopped after one run and resumed on 2 workers ends with the files of an uninterrupted one (${trainMetrics})`, async () => {
      const dir = tmp();
      const exp = await loadExperiment(
        writeConfig(
          dir,
          `name: resume-${trainMetrics}
seeds: 2
activations: [relu, tanh]
dataset: {name: moons, n: 120, noise: 0.2}
model: {hidden: [6]}
train: {epochs: 4, batchSize: 16, optimizer: {name: adam, lr: 0.01}}
record: {every: 1, probeSize: 32, trainMetrics: ${trainMetrics}, models: [final]}
`,
        ),
      );
      const clean = await runSweep(exp, { out: join(dir, "clean"), workers: 1, progress: quiet });
      expect(clean.ok).toBe(4);
      const stop = new AbortController();
      const out = join(dir, "stopped");
      const first = await runSweep(exp, { out, workers: 1, signal: stop.signal, progress: () => ({ start() {}, done: () => stop.abort(), stop() {} }) });
      expect([first.interrupted, first.ok]).toEqual([true, 1]);
      const resumed = await runSweep(exp, { out, workers: 2, progress: quiet });
      expect([resumed.skipped, resumed.ok]).toEqual([1, 4]); // ok counts the skipped run too
      expectSameResults(out, clean.dir);
    });
});
