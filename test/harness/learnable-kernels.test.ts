// A sweep on the wasm path with PReLU and Swish-beta (their wasm kernels) and
// PELU (no kernel: TypeScript on wasm memory): the manifest says per run and
// hidden layer where each activation ran, and the numbers do not depend on
// the worker count (every column but timing, 1 worker against 2).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadExperiment } from "../../src/harness/config.js";
import { runSweep } from "../../src/harness/sweep.js";
import { OUTPUT_CSVS, readCsv, tmp, withoutTiming, writeConfig } from "./helpers.js";

const quiet = () => ({ start() {}, done() {}, stop() {} });

describe("learnable activations with wasm kernels in a sweep", () => {
  it("the manifest records activation_kernels per run; 1 and 2 workers give the same numbers", async () => {
    const dir = tmp();
    const file = writeConfig(
      dir,
      `name: k
seeds: 1
activations: [prelu, {name: swish_beta, share: layer}, pelu]
dataset: {name: moons, n: 200, noise: 0.2}
model: {hidden: [7, 5]}
train: {epochs: 3, batchSize: 16, kernel: wasm, optimizer: {name: adam, lr: 0.01}}
record: {every: 1, probeSize: 64}
`,
    );
    const exp = await loadExperiment(file);
    const one = await runSweep(exp, { out: join(dir, "one"), workers: 1, progress: quiet });
    const two = await runSweep(exp, { out: join(dir, "two"), workers: 2, progress: quiet });
    expect(one.ok).toBe(3);
    expect(two.ok).toBe(3);
    const manifest = JSON.parse(readFileSync(join(one.dir, "manifest.json"), "utf8")) as {
      runs: Array<{ activation: string; path?: string; activation_kernels?: string[] }>;
    };
    expect(manifest.runs.map((r) => [r.activation, r.path, r.activation_kernels])).toEqual([
      ["prelu", "wasm", ["wasm", "wasm"]],
      ["swish_beta(share=layer)", "wasm", ["wasm", "wasm"]],
      ["pelu", "wasm", ["ts", "ts"]],
    ]);
    for (const name of OUTPUT_CSVS) expect(withoutTiming(join(two.dir, name)), name).toEqual(withoutTiming(join(one.dir, name)));
    // The learned parameters moved (params.csv has them for every run and epoch).
    const params = readCsv(join(one.dir, "params.csv")).rows;
    for (const activation of ["prelu", "swish_beta(share=layer)"]) {
      const rows = params.filter((r) => r.activation === activation && r.layer === "1");
      expect(rows.length, activation).toBeGreaterThan(1);
      expect(rows[rows.length - 1].mean, activation).not.toBe(rows[0].mean);
    }
  });
});
