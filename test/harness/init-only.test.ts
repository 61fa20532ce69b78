// Init-only studies: train.epochs 0 records the untrained network and stops;
// runs.csv's collapsed says when some hidden layer passes nothing on.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCsv, runCli, tmp, writeConfig } from "./helpers.js";

describe("train.epochs: 0", () => {
  it("records epoch 0 only; collapsed is 1 exactly where a relu layer is all zero", async () => {
    const dir = tmp();
    const file = writeConfig(
      dir,
      `seeds: 2
activations: [relu, tanh]
dataset: {name: moons, n: 100}
model: {hidden: [8, 8], init: standard}
train: {epochs: 0}
record: {probeSize: 16}
grid: {model.biasInit: [0, -100]}
claims:
  - {kind: fraction, activation: relu, figure: collapsed, expected: 1, where: {model.biasInit: -100}}
  - {kind: fraction, activation: tanh, figure: collapsed, expected: 1, says: "tanh collapses too (it does not)"}
`,
    );
    const out = join(dir, "out");
    const r = await runCli(["run", file, "--out", out, "--workers", "1"]);
    // A claim that does not hold is a finding, not a failure: the exit code stays 0.
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/claims: 1 hold, 1 do not hold, 0 inconclusive\n  holds: relu: the collapsed fraction is 1 .*\n    .*2 of 2 runs \(1\) against 1 expected/);
    expect(r.stdout).toMatch(/  does not hold: tanh collapses too \(it does not\)\n/);
    expect(readFileSync(join(out, "report.md"), "utf8")).toMatch(/## Claims[\s\S]*\*\*does not hold\*\*: tanh collapses too/);
    const curves = readCsv(join(out, "curves.csv")).rows;
    expect(curves.length).toBe(8);
    expect(new Set(curves.map((c) => c.epoch))).toEqual(new Set(["0"]));
    const layers = readCsv(join(out, "layers.csv")).rows;
    expect(new Set(layers.map((l) => l.epoch))).toEqual(new Set(["0"]));
    const runs = readCsv(join(out, "runs.csv")).rows;
    for (const run of runs) {
      // A bias of -100 puts every relu pre-activation below 0 (inputs are within a few units of 0):
      // the layers output exactly 0. tanh(-100) is -1, never 0; with bias 0, all 8 units of a layer would have
      // to be inactive on all 16 rows, which these seeds do not draw.
      const expected = run.activation === "relu" && run["model.biasInit"] === "-100" ? "1" : "0";
      expect(run.collapsed, `${run.activation} ${run["model.biasInit"]}`).toBe(expected);
      const mine = layers.filter((l) => l.run_id === run.run_id && l.layer !== "3");
      expect(mine.some((l) => l.zero_frac === "1")).toBe(expected === "1");
    }
  });
});
