/**
 * train.timeout (issue 19): a run that does not end (an activation module
 * looping forever outside [-5, 5], which the derivative check never visits)
 * is stopped after its time limit and recorded as failed with a message that
 * says so; the sweep goes on and ends.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadExperiment } from "../../src/harness/config.js";
import { runSweep } from "../../src/harness/sweep.js";
import { copyModule, readCsv, tmp, writeConfig } from "./helpers.js";

const quiet = () => ({ start() {}, done() {}, stop() {} });

describe("train.timeout", () => {
  it("stops a run that hangs, records it as failed, and finishes the sweep", async () => {
    const dir = tmp();
    copyModule("loops-beyond-5.js", dir);
    const exp = await loadExperiment(
      writeConfig(
        dir,
        `seeds: 1
activations: [relu, {module: ./loops-beyond-5.js, name: loops5}]
dataset: {name: moons, n: 64}
model: {hidden: [4], biasInit: 10}
train: {epochs: 1, batchSize: 16, timeout: 20}
`,
      ),
    );
    const s = await runSweep(exp, { out: join(dir, "out"), workers: 2, progress: quiet });
    expect(s.ok).toBe(1);
    expect(s.failed).toBe(1);
    const rows = readCsv(join(dir, "out", "runs.csv")).rows;
    const hung = rows.find((r) => r.activation === "loops5")!;
    expect(hung.status).toBe("failed");
    expect(hung.message).toMatch(/timed out: stopped after 20 s \(train\.timeout/);
    expect(rows.find((r) => r.activation === "relu")!.status).toBe("ok");
  }, 120_000); // the hung run waits out its 20 s (a cold worker on a loaded machine needs seconds for relu alone)

  it("is not part of the run id or the config hash", async () => {
    const dir = tmp();
    const text = (t: string) => `name: t\nseeds: 1\nactivations: [relu]\ndataset: {name: moons, n: 64}\ntrain: {epochs: 1${t}}\n`;
    const a = await loadExperiment(writeConfig(dir, text(""), "a.yaml"));
    const b = await loadExperiment(writeConfig(dir, text(", timeout: 5"), "b.yaml"));
    expect(b.hash).toBe(a.hash);
    expect(b.points[0].timeout).toBe(5);
    expect(a.points[0].timeout).toBe(3600);
  });
});
