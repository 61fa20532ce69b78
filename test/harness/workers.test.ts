import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadExperiment } from "../../src/harness/config.js";
import { runSweep } from "../../src/harness/sweep.js";
import { OUTPUT_CSVS, readCsv, tmp, withoutTiming, writeConfig } from "./helpers.js";

const quiet = () => ({ start() {}, done() {}, stop() {} });

describe("worker count", () => {
  it("gives identical numbers on 1 and 2 workers (every column but timing)", async () => {
    const dir = tmp();
    const file = writeConfig(
      dir,
      `name: w
seeds: 2
activations: [relu, tanh, {name: leaky_relu, alpha: 0.1}]
dataset: {name: moons, n: 200, noise: 0.2}
model: {hidden: [8, 8]}
train: {epochs: 3, batchSize: 16, optimizer: {name: adam, lr: 0.01}}
record: {every: 1, probeSize: 64}
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
  });
});
