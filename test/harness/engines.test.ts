/**
 * The brain.js engine through the harness, with a user's TypeScript module:
 * workers import both themselves, and the numbers do not depend on the
 * worker count.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadExperiment } from "../../src/harness/config.js";
import { runSweep } from "../../src/harness/sweep.js";
import { copyModule, OUTPUT_CSVS, readCsv, tmp, withoutTiming, writeConfig } from "./helpers.js";

const quiet = () => ({ start() {}, done() {}, stop() {} });

describe("brain.js engine and a .ts activation module in workers", () => {
  it("trains, and gives the same numbers on 1 and 2 workers", async () => {
    const dir = tmp();
    copyModule("softsign-ts.ts", dir);
    const exp = await loadExperiment(
      writeConfig(
        dir,
        `engine: brainjs
seeds: 2
activations: [sigmoid, {module: ./softsign-ts.ts, name: softsign_ts}]
dataset: {name: moons, n: 120}
model: {hidden: [6]}
train: {epochs: 2, batchSize: 1, optimizer: {name: sgd, lr: 0.1}}
record: {probeSize: 16}
`,
      ),
    );
    const one = await runSweep(exp, { out: join(dir, "one"), workers: 1, progress: quiet });
    const two = await runSweep(exp, { out: join(dir, "two"), workers: 2, progress: quiet });
    const rows = readCsv(join(one.dir, "runs.csv")).rows;
    expect(rows.map((r) => `${r.activation}:${r.status}${r.message}`)).toEqual(["sigmoid:ok", "sigmoid:ok", "softsign_ts:ok", "softsign_ts:ok"]);
    for (const name of OUTPUT_CSVS) expect(withoutTiming(join(two.dir, name))).toEqual(withoutTiming(join(one.dir, name)));
  });

  it("writes the same CSV columns as the native engine, with every cell filled alike", async () => {
    const dir = tmp();
    const config = (engine: string) =>
      loadExperiment(
        writeConfig(
          dir,
          `engine: ${engine}
name: cols-${engine}
seeds: 1
activations: [tanh, relu]
dataset: {name: blobs, n: 90}
model: {hidden: [5, 4]}
train: {epochs: 2, batchSize: 1, optimizer: {name: momentum, lr: 0.05}}
record: {probeSize: 16, stepGradNorms: true}
`,
          `${engine}.yaml`,
        ),
      );
    const native = await runSweep(await config("native"), { out: join(dir, "native"), workers: 1, progress: quiet });
    const brain = await runSweep(await config("brainjs"), { out: join(dir, "brainjs"), workers: 1, progress: quiet });
    for (const name of OUTPUT_CSVS) {
      const a = readCsv(join(native.dir, name));
      const b = readCsv(join(brain.dir, name));
      expect(b.columns, name).toEqual(a.columns);
      expect(b.rows.length, name).toBe(a.rows.length);
      // The same cells are empty (e.g. the output layer's activation columns) in both.
      const empties = (rows: typeof a.rows) => rows.map((r) => Object.keys(r).filter((k) => r[k] === "").join(","));
      expect(empties(b.rows), name).toEqual(empties(a.rows));
    }
  });
});

