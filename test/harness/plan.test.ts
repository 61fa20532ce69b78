import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadExperiment } from "../../src/harness/config.js";
import { planRuns } from "../../src/harness/plan.js";
import { longestFirst } from "../../src/harness/cost.js";
import { checkDatasets } from "../../src/harness/sweep.js";
import { ROOT, TSX, tmp, writeConfig } from "./helpers.js";

const BASE = `name: plan
seeds: [3, 7]
activations: [relu, {name: leaky_relu, alpha: 0.2}]
dataset: {name: moons, n: 100}
train: {epochs: 2, optimizer: {name: sgd, lr: 0.1}}
grid:
  model.hidden: [[4], [4, 4]]
  train.optimizer.lr: [0.1, 0.01]
`;

async function plan(text: string, dir = tmp(), name = "exp.yaml") {
  return planRuns(await loadExperiment(writeConfig(dir, text, name)));
}

describe("plan", () => {
  it("expands grid points x activations x seeds in that order, the last grid key fastest", async () => {
    const runs = await plan(BASE);
    expect(runs).toHaveLength(2 * 2 * 2 * 2);
    const key = (r: (typeof runs)[number]) =>
      `${JSON.stringify(r.grid["model.hidden"])} ${r.grid["train.optimizer.lr"]} ${r.activation} ${r.seed}`;
    expect(runs.slice(0, 6).map(key)).toEqual([
      "[4] 0.1 relu 3",
      "[4] 0.1 relu 7",
      "[4] 0.1 leaky_relu(alpha=0.2) 3",
      "[4] 0.1 leaky_relu(alpha=0.2) 7",
      "[4] 0.01 relu 3",
      "[4] 0.01 relu 7",
    ]);
    expect(key(runs[15])).toBe("[4,4] 0.01 leaky_relu(alpha=0.2) 7");
    expect(runs.map((r) => r.index)).toEqual([...Array(16).keys()]);
    // The grid values are applied to the run config; everything else keeps the base and the defaults.
    const last = runs[15].config;
    expect(last.model.hidden).toEqual([4, 4]);
    expect(last.train.optimizer).toEqual({ name: "sgd", lr: 0.01 });
    expect(last.train.epochs).toBe(2);
    expect(last.train.batchSize).toBe(32);
    expect(last.activation).toEqual({ name: "leaky_relu", alpha: 0.2 });
    expect(last.seed).toBe(7);
  });

  it("gives each run a 12-hex-digit id, unique within the sweep", async () => {
    const runs = await plan(BASE);
    for (const r of runs) expect(r.runId).toMatch(/^[0-9a-f]{12}$/);
    expect(new Set(runs.map((r) => r.runId)).size).toBe(runs.length);
  });

  it("keeps run ids across folders, key order, JSON vs YAML, aliases and spelled-out defaults", async () => {
    const ids = (await plan(BASE)).map((r) => r.runId);
    expect((await plan(BASE, tmp("elsewhere-"))).map((r) => r.runId)).toEqual(ids);
    const reordered = `grid:
  model.hidden: [[4], [4, 4]]
  train.optimizer.lr: [0.1, 0.01]
train: {optimizer: {lr: 0.1, name: sgd}, epochs: 2, batchSize: 32}
dataset: {n: 100, name: moons}
activations: ["relu", {alpha: 0.2, name: leaky_relu}]
seeds: [3, 7]
name: plan
model: {init: auto, head: auto}
`;
    expect((await plan(reordered)).map((r) => r.runId)).toEqual(ids);
    const json = JSON.stringify({
      name: "plan",
      seeds: [3, 7],
      activations: [{ name: "relu" }, { name: "leaky_relu", alpha: 0.2 }],
      dataset: { name: "moons", n: 100 },
      train: { epochs: 2, optimizer: { name: "sgd", lr: 0.1 } },
      grid: { "model.hidden": [[4], [4, 4]], "train.optimizer.lr": [0.1, 0.01] },
    });
    expect((await plan(json, tmp(), "exp.json")).map((r) => r.runId)).toEqual(ids);
    // swish is an alias of silu: the same runs.
    const a = await plan(BASE.replace("[relu,", "[silu,"));
    const b = await plan(BASE.replace("[relu,", "[swish,"));
    expect(b.map((r) => r.runId)).toEqual(a.map((r) => r.runId));
  });

  it("changes exactly the ids of the runs a change touches", async () => {
    const ids = (await plan(BASE)).map((r) => r.runId);
    const changed = (await plan(BASE.replace("seeds: [3, 7]", "seeds: [3, 8]"))).map((r) => r.runId);
    ids.forEach((id, i) => (i % 2 === 0 ? expect(changed[i]).toBe(id) : expect(changed[i]).not.toBe(id)));
    const other = (await plan(BASE.replace("{name: moons, n: 100}", "{name: moons, n: 101}"))).map((r) => r.runId);
    other.forEach((id, i) => expect(id).not.toBe(ids[i]));
  });

  it("gives the same ids in another process, from another working directory", async () => {
    const dir = tmp();
    const file = writeConfig(dir, BASE);
    const ids = planRuns(await loadExperiment(file)).map((r) => r.runId);
    const script = `const { loadExperiment } = await import(${JSON.stringify(join(ROOT, "src/harness/config.ts"))});
const { planRuns } = await import(${JSON.stringify(join(ROOT, "src/harness/plan.ts"))});
process.stdout.write(JSON.stringify(planRuns(await loadExperiment("exp.yaml")).map((r) => r.runId)));`;
    const r = spawnSync(process.execPath, ["--import", TSX, "--input-type=module", "-e", script], {
      cwd: dir,
      env: { ...process.env, TZ: "Pacific/Chatham", LANG: "de_DE.UTF-8", NODE_OPTIONS: "" },
    });
    expect(r.stderr.toString()).toBe("");
    expect(JSON.parse(r.stdout.toString())).toEqual(ids);
  });

  it("refuses a grid that repeats a run", async () => {
    await expect(plan(BASE.replace("train.optimizer.lr: [0.1, 0.01]", "train.optimizer.lr: [0.1, 0.1]"))).rejects.toThrow(/give identical runs/);
  });

  it("--set overrides any key, read as YAML, and a grid entry", async () => {
    const dir = tmp();
    const file = writeConfig(dir, BASE);
    const exp = await loadExperiment(file, { set: ["train.epochs=5", "grid.model.hidden=[[8, 8, 8]]", "seeds=1", "dataset.noise=0.3"] });
    const runs = planRuns(exp);
    expect(runs).toHaveLength(1 * 2 * 1 * 2);
    expect(runs[0].config.train.epochs).toBe(5);
    expect(runs[0].config.model.hidden).toEqual([8, 8, 8]);
    expect(runs[0].seed).toBe(0);
    expect(runs[0].dataset).toEqual({ name: "moons", n: 100, noise: 0.3 });
  });

  it("hands runs to the workers longest first (multiply-adds x rows x epochs), ties in plan order", async () => {
    const runs = await plan(`name: order
seeds: [1, 2]
activations: [relu]
dataset: {name: moons, n: 100}
train: {epochs: 2, optimizer: {name: sgd, lr: 0.1}}
grid:
  model.hidden: [[4], [32, 32], [8]]
  train.epochs: [1, 3]
`);
    const order = longestFirst(runs, await checkDatasets(runs));
    const key = (r: (typeof runs)[number]) => `${JSON.stringify(r.grid["model.hidden"])} x${r.grid["train.epochs"]} s${r.seed}`;
    // moons: 2 features, 2 classes; multiply-adds per row: [4] 16, [32,32] 1,152, [8] 32.
    expect(order.map(key)).toEqual([
      "[32,32] x3 s1", "[32,32] x3 s2", "[32,32] x1 s1", "[32,32] x1 s2",
      "[8] x3 s1", "[8] x3 s2", "[4] x3 s1", "[4] x3 s2",
      "[8] x1 s1", "[8] x1 s2", "[4] x1 s1", "[4] x1 s2",
    ]);
    expect([...order].sort((a, b) => a.index - b.index)).toEqual(runs);
  });
});
