/**
 * End to end on the real Fashion-MNIST files (Debian's dataset-fashion-mnist,
 * which .ci/run installs): a short sweep on a subsample of the 60,000
 * training images, its test split (the 10,000 test images) reported in
 * runs.csv and ranked on by the report. Skipped, saying so, where the files
 * are absent.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadExperiment } from "../../src/harness/config.js";
import { runSweep } from "../../src/harness/sweep.js";
import { buildDocument, loadResults } from "../../src/report/index.js";
import { readCsv, tmp, withoutTiming, writeConfig } from "./helpers.js";

const FILES = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";
const present = existsSync(FILES);
const quiet = () => ({ start() {}, done() {}, stop() {} });

describe.skipIf(!present)(`a sweep over the real Fashion-MNIST${present ? "" : ` [SKIPPED: ${FILES} is absent; apt-get install dataset-fashion-mnist]`}`, () => {
  it("trains on a subsample, reports the 10,000 test images' figures, the same on 1 and 2 workers, and the report ranks on them", async () => {
    const dir = tmp("actbench-fashion-");
    const exp = await loadExperiment(
      writeConfig(
        dir,
        `name: fashion-e2e
seeds: 1
activations: [relu, tanh]
dataset: {name: fashion-mnist, n: 1500, pool: 4}
model: {hidden: [32]}
train: {epochs: 3, batchSize: 32, optimizer: {name: adam, lr: 0.003}}
record: {every: 1, probeSize: 128}
`,
      ),
    );
    const one = await runSweep(exp, { out: join(dir, "one"), workers: 1, progress: quiet });
    const two = await runSweep(exp, { out: join(dir, "two"), workers: 2, progress: quiet });
    expect(one.ok).toBe(2);
    expect(withoutTiming(join(two.dir, "runs.csv"))).toEqual(withoutTiming(join(one.dir, "runs.csv")));

    const { rows } = readCsv(join(one.dir, "runs.csv"));
    for (const r of rows) {
      // Accuracies over 10,000 test images are multiples of 1/10,000; chance is 0.1, and a
      // 49-input MLP on 1,200 images does far better (about 0.7).
      for (const c of ["test_acc", "best_test_acc"]) {
        const v = Number(r[c]);
        expect(Number.isInteger(Math.round(v * 10000)) && Math.abs(v * 10000 - Math.round(v * 10000)) < 1e-6, `${c} ${v}`).toBe(true);
        expect(v, c).toBeGreaterThan(0.5);
      }
      expect(Number(r.test_loss)).toBeGreaterThan(0);
      expect(Number(r.best_epoch)).toBeGreaterThanOrEqual(1);
    }
    const doc = await buildDocument(loadResults(one.dir), { measureCost: false });
    expect(doc.board.primary).toBe("best_test_acc");
    expect(doc.board.rows[0].test!.mean).toBe(Math.max(...rows.map((r) => Number(r.best_test_acc))));
  });
});
