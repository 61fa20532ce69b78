import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadExperiment } from "../../src/harness/config.js";
import { runSweep } from "../../src/harness/sweep.js";
import { OUTPUT_CSVS, readCsv, tmp, withoutTiming, writeConfig } from "./helpers.js";

const quiet = () => ({ start() {}, done() {}, stop() {} });
/** Each setting's final train_loss per run, to check that the two settings differ. */
const trainLoss = new Map<string, unknown[]>();

describe("worker count", () => {
  for (const trainMetrics of ["running", "full"] as const)
    it(`gives identical numbers on 1 and 2 workers (every column but timing), record.trainMetrics ${trainMetrics}`, async () => {
      const dir = tmp();
      const file = writeConfig(
        dir,
        `name: w
seeds: 2
activations: [relu, tanh, {name: leaky_relu, alpha: 0.1}]
dataset: {name: moons, n: 200, noise: 0.2}
model: {hidden: [8, 8]}
train: {epochs: 3, batchSize: 16, optimizer: {name: adam, lr: 0.01}}
record: {every: 1, probeSize: 64, trainMetrics: ${trainMetrics}}
`,
      );
      const exp = await loadExperiment(file);
      const one = await runSweep(exp, { out: join(dir, "one"), workers: 1, progress: quiet });
      const two = await runSweep(exp, { out: join(dir, "two"), workers: 2, progress: quiet });
      expect(one.ok).toBe(6);
      expect(two.ok).toBe(6);
      for (const name of OUTPUT_CSVS) {
        const a = withoutTiming(join(one.dir, name));
        // params.csv is a header alone here: none of these activations learns a parameter.
        if (name !== "params.csv") expect(a.length).toBeGreaterThan(0);
        expect(withoutTiming(join(two.dir, name))).toEqual(a);
      }
      // Rows are in plan order (activation, then seed), not completion order.
      const runs = readCsv(join(two.dir, "runs.csv")).rows;
      expect(runs.map((r) => `${r.activation}/${r.seed}`)).toEqual([
        "relu/0",
        "relu/1",
        "tanh/0",
        "tanh/1",
        "leaky_relu(alpha=0.1)/0",
        "leaky_relu(alpha=0.1)/1",
      ]);
      // The setting took effect (the manifest names it; running and full differ, so neither is tested twice).
      const manifest = JSON.parse(readFileSync(join(two.dir, "manifest.json"), "utf8")) as { config: { record: { trainMetrics: string } } };
      expect(manifest.config.record.trainMetrics).toBe(trainMetrics);
      trainLoss.set(trainMetrics, runs.map((r) => r.train_loss));
      if (trainLoss.size === 2) expect(trainLoss.get("running")).not.toEqual(trainLoss.get("full"));
    });
});
