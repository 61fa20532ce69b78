/**
 * Shards: the partition (every run in exactly one shard, balanced by the cost
 * model, the same in another process with another locale and time zone, and
 * equal to a hand-worked longest-first assignment), `--shard i/n` and
 * `--shard auto` for SLURM job arrays and Kubernetes Indexed Jobs, and
 * `actbench plan --shards`.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Dataset } from "../../src/data/index.js";
import { UserError } from "../../src/errors.js";
import { loadExperiment } from "../../src/harness/config.js";
import { runCost } from "../../src/harness/cost.js";
import { planRuns, type RunSpec } from "../../src/harness/plan.js";
import { detectShard, parseShard, partition, shardFromOptions } from "../../src/harness/shard.js";
import { checkDatasets, runSweep } from "../../src/harness/sweep.js";
import { ROOT, TSX, runCli, tmp, writeConfig } from "./helpers.js";

/** A run whose cost is set by its hidden widths and epochs (on a 2-in, 2-out dataset of 100 rows below). */
function fakeRun(index: number, hidden: number[], epochs: number): RunSpec {
  return {
    runId: `r${index}`,
    index,
    activation: "relu",
    seed: index,
    grid: {},
    engine: "native",
    dataset: { name: "moons" },
    config: { seed: index, activation: "relu", model: { hidden }, train: { epochs } },
    baseDir: ".",
  } as unknown as RunSpec;
}
const DATA = { features: 2, outputs: 2, train: { n: 80 }, val: { n: 20 } } as unknown as Dataset;
const dataOf = () => DATA;

const GOLDEN = `name: golden
seeds: [1, 2, 3]
activations: [relu, tanh]
dataset: {name: moons, n: 100}
train: {epochs: 2, optimizer: {name: sgd, lr: 0.1}}
grid:
  model.hidden: [[4], [16, 16]]
`;

describe("partition", () => {
  it("puts every run in exactly one shard, in plan order, and no shard more than the costliest run above the mean", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 50 })), { maxLength: 60 }),
        fc.integer({ min: 1, max: 9 }),
        (shapes, n) => {
          const runs = shapes.map(([h, e], i) => fakeRun(i, h, e));
          const parts = partition(runs, n, dataOf);
          expect(parts.map((p) => p.index)).toEqual([...Array(n).keys()]);
          const ids = parts.flatMap((p) => p.runs.map((r) => r.index));
          expect([...ids].sort((a, b) => a - b)).toEqual(runs.map((r) => r.index));
          for (const p of parts) {
            expect(p.runs.map((r) => r.index)).toEqual([...p.runs.map((r) => r.index)].sort((a, b) => a - b));
            expect(p.cost).toBe(p.runs.reduce((s, r) => s + runCost(r, DATA), 0));
          }
          // Graham's list-scheduling bound: max load <= total/n + (1 - 1/n) * largest job.
          const costs = runs.map((r) => runCost(r, DATA));
          const total = costs.reduce((a, b) => a + b, 0);
          const biggest = Math.max(0, ...costs);
          for (const p of parts) expect(p.cost).toBeLessThanOrEqual(total / n + (1 - 1 / n) * biggest + 1e-9);
          // A pure function of the plan: the order runs are passed in does not matter.
          const again = partition([...runs].reverse(), n, dataOf);
          expect(again.map((p) => p.runs.map((r) => r.index))).toEqual(parts.map((p) => p.runs.map((r) => r.index)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("deals equal runs round-robin, so shard sizes differ by at most one", () => {
    const runs = Array.from({ length: 10 }, (_, i) => fakeRun(i, [8], 3));
    expect(partition(runs, 4, dataOf).map((p) => p.runs.map((r) => r.index))).toEqual([[0, 4, 8], [1, 5, 9], [2, 6], [3, 7]]);
  });

  it("matches a longest-first assignment worked by hand", async () => {
    // moons, 2 features, 2 classes, 100 rows, 2 epochs: [4] costs (2*4 + 4*2) * 100 * 2 = 3,200,
    // [16,16] costs (2*16 + 16*16 + 16*2) * 100 * 2 = 64,000. Plan order: [4] relu s1..s3 (0-2),
    // [4] tanh (3-5), [16,16] relu (6-8), [16,16] tanh (9-11). The six big runs go to shards
    // 0,1,2,3,0,1 (ties: fewer runs, then lower index); the six small ones to the two lighter shards, alternately.
    const runs = planRuns(await loadExperiment(writeConfig(tmp(), GOLDEN)));
    const datasetOf = await checkDatasets(runs);
    expect(runs.map((r) => runCost(r, datasetOf(r)))).toEqual([...Array(6).fill(3200), ...Array(6).fill(64000)]);
    const parts = partition(runs, 4, datasetOf);
    expect(parts.map((p) => p.runs.map((r) => r.index))).toEqual([[6, 10], [7, 11], [0, 2, 4, 8], [1, 3, 5, 9]]);
    expect(parts.map((p) => p.cost)).toEqual([128000, 128000, 73600, 73600]);
  });

  it("gives the same shards in another process, folder, time zone and locale", async () => {
    const dir = tmp();
    const file = writeConfig(dir, GOLDEN);
    const runs = planRuns(await loadExperiment(file));
    const mine = partition(runs, 3, await checkDatasets(runs)).map((p) => p.runs.map((r) => r.runId));
    const script = `const { loadExperiment } = await import(${JSON.stringify(join(ROOT, "src/harness/config.ts"))});
const { planRuns } = await import(${JSON.stringify(join(ROOT, "src/harness/plan.ts"))});
const { checkDatasets } = await import(${JSON.stringify(join(ROOT, "src/harness/sweep.ts"))});
const { partition } = await import(${JSON.stringify(join(ROOT, "src/harness/shard.ts"))});
const runs = planRuns(await loadExperiment("exp.yaml"));
process.stdout.write(JSON.stringify(partition(runs, 3, await checkDatasets(runs)).map((p) => p.runs.map((r) => r.runId))));`;
    const r = spawnSync(process.execPath, ["--import", TSX, "--input-type=module", "-e", script], {
      cwd: dir,
      env: { ...process.env, TZ: "Asia/Kathmandu", LANG: "tr_TR.UTF-8", LC_ALL: "tr_TR.UTF-8", NODE_OPTIONS: "" },
    });
    expect(r.stderr.toString()).toBe("");
    expect(JSON.parse(r.stdout.toString())).toEqual(mine);
  });
});

describe("--shard", () => {
  it("reads i/n, 0-based", () => {
    expect(parseShard("0/4")).toEqual({ index: 0, count: 4 });
    expect(parseShard(" 3 / 4 ")).toEqual({ index: 3, count: 4 });
    for (const bad of ["4/4", "1/0", "-1/4", "1", "a/b", "1/4/2", ""]) expect(() => parseShard(bad), bad).toThrow(/--shard: found .*expected i\/n/);
  });

  it("auto: a SLURM job array from 0, from 1, with a step, with COUNT only", () => {
    expect(detectShard({ SLURM_ARRAY_TASK_ID: "2", SLURM_ARRAY_TASK_MIN: "0", SLURM_ARRAY_TASK_MAX: "3", SLURM_ARRAY_TASK_COUNT: "4" })).toEqual({
      shard: { index: 2, count: 4 },
      source: "SLURM job array (SLURM_ARRAY_TASK_ID=2, MIN=0, MAX=3, COUNT=4)",
    });
    expect(detectShard({ SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_MAX: "4" }).shard).toEqual({ index: 0, count: 4 });
    expect(detectShard({ SLURM_ARRAY_TASK_ID: "8", SLURM_ARRAY_TASK_MIN: "0", SLURM_ARRAY_TASK_MAX: "12", SLURM_ARRAY_TASK_STEP: "4", SLURM_ARRAY_TASK_COUNT: "4" }).shard).toEqual({ index: 2, count: 4 });
    expect(detectShard({ SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_COUNT: "5" }).shard).toEqual({ index: 3, count: 5 });
    // --shards, when given, must agree.
    expect(detectShard({ SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_COUNT: "5" }, 5).shard).toEqual({ index: 3, count: 5 });
    expect(() => detectShard({ SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_COUNT: "5" }, 4)).toThrow(/gives 5 shards but --shards says 4/);
  });

  it("auto: refuses SLURM arrays that do not map onto shards", () => {
    // --array=1,3,7: MIN 1, MAX 7, COUNT 3.
    expect(() => detectShard({ SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_MAX: "7", SLURM_ARRAY_TASK_COUNT: "3" })).toThrow(/not one range/);
    expect(() => detectShard({ SLURM_ARRAY_TASK_ID: "5" })).toThrow(/number of shards is unknown/);
    expect(() => detectShard({ SLURM_ARRAY_TASK_ID: "5", SLURM_ARRAY_TASK_COUNT: "4" })).toThrow(/index 5, not below the count 4/);
    expect(() => detectShard({ SLURM_ARRAY_TASK_ID: "x", SLURM_ARRAY_TASK_COUNT: "4" })).toThrow(/SLURM_ARRAY_TASK_ID="x"/);
  });

  it("auto: a Kubernetes Indexed Job with --shards or ACTBENCH_SHARDS", () => {
    expect(detectShard({ JOB_COMPLETION_INDEX: "1" }, 3)).toEqual({ shard: { index: 1, count: 3 }, source: "Kubernetes Indexed Job (JOB_COMPLETION_INDEX=1, --shards 3)" });
    expect(detectShard({ JOB_COMPLETION_INDEX: "0", ACTBENCH_SHARDS: "2" }).shard).toEqual({ index: 0, count: 2 });
    expect(() => detectShard({ JOB_COMPLETION_INDEX: "0" })).toThrow(/pass --shards N or set ACTBENCH_SHARDS/);
    expect(() => detectShard({ JOB_COMPLETION_INDEX: "2", ACTBENCH_SHARDS: "2" })).toThrow(/index 2, not below the count 2/);
    expect(() => detectShard({ JOB_COMPLETION_INDEX: "0", ACTBENCH_SHARDS: "2" }, 3)).toThrow(/ACTBENCH_SHARDS=2 but --shards says 3/);
  });

  it("auto: none found is a UserError naming both engines' variables", () => {
    const err = (() => {
      try {
        detectShard({ HOME: "/root" });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/neither SLURM_ARRAY_TASK_ID .* nor JOB_COMPLETION_INDEX/);
  });

  it("--shards alone, or disagreeing with i/n, is refused", () => {
    expect(shardFromOptions(undefined, undefined, {})).toBeUndefined();
    expect(shardFromOptions("1/4", undefined, {})).toEqual({ shard: { index: 1, count: 4 }, source: "--shard" });
    expect(() => shardFromOptions(undefined, 4, {})).toThrow(/only with --shard auto/);
    expect(() => shardFromOptions("1/4", 3, {})).toThrow(/disagree/);
    expect(shardFromOptions("auto", 2, { JOB_COMPLETION_INDEX: "1" })?.shard).toEqual({ index: 1, count: 2 });
  });
});

describe("actbench run --shard / plan --shards", () => {
  it("run --shard auto with no scheduler exits 2 and writes nothing", async () => {
    const dir = tmp();
    const file = writeConfig(dir, GOLDEN);
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("SLURM_") && k !== "JOB_COMPLETION_INDEX"));
    const r = spawnSync(process.execPath, ["--import", TSX, join(ROOT, "src", "cli.ts"), "run", file, "--shard", "auto"], { cwd: dir, env: { ...env, NODE_OPTIONS: "" } });
    expect(r.status).toBe(2);
    expect(r.stderr.toString()).toMatch(/--shard auto: no shard in the environment/);
    expect(spawnSync("ls", [dir]).stdout.toString().trim()).toBe("exp.yaml");
  });

  it("run --shard auto says what it found, and runs that shard into results/<name>/shard-i-of-n", async () => {
    const dir = tmp();
    const file = writeConfig(dir, GOLDEN);
    const r = spawnSync(process.execPath, ["--import", TSX, join(ROOT, "src", "cli.ts"), "run", file, "--shard", "auto", "--workers", "1"], {
      cwd: dir,
      env: { ...process.env, NODE_OPTIONS: "", SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_MIN: "0", SLURM_ARRAY_TASK_MAX: "3", SLURM_ARRAY_TASK_COUNT: "4" },
    });
    expect(r.status, r.stderr.toString()).toBe(0);
    const stdout = r.stdout.toString();
    expect(stdout).toMatch(/--shard auto: shard 1\/4 of the sweep, from the SLURM job array \(SLURM_ARRAY_TASK_ID=1/);
    expect(stdout).toMatch(/done: 2 of 2 runs of shard 1\/4 \(2 ok/);
    const folder = join(dir, "results", "golden", "shard-1-of-4");
    const manifest = JSON.parse(readFileSync(join(folder, "manifest.json"), "utf8"));
    expect(manifest.shard).toEqual({ index: 1, count: 4 });
    // The whole plan with each run's shard: the hand-worked assignment above.
    expect(manifest.plan.map((p: { shard: number }) => p.shard)).toEqual([2, 3, 2, 3, 2, 3, 0, 1, 2, 3, 0, 1]);
    expect(manifest.runs.map((p: { run_id: string }) => p.run_id)).toEqual([manifest.plan[7].run_id, manifest.plan[11].run_id]);
    expect(manifest.host).toBeTypeOf("string");

    // The folder belongs to shard 1/4: another shard (or the whole sweep) is refused there, nothing changed
    // (in this process: the CLI turns the UserError into exit 2 like any other).
    const exp = await loadExperiment(file);
    const quiet = () => ({ start() {}, done() {}, stop() {} });
    await expect(runSweep(exp, { out: folder, shard: { index: 2, count: 4 }, workers: 1, progress: quiet })).rejects.toThrow(/holds shard 1\/4 of this config, not shard 2\/4/);
    await expect(runSweep(exp, { out: folder, workers: 1, progress: quiet })).rejects.toThrow(/holds shard 1\/4 of this config, not the whole sweep/);
    expect(JSON.parse(readFileSync(join(folder, "manifest.json"), "utf8")).ended_at).toBe(manifest.ended_at);
  });

  it("plan --shards prints runs and cost per shard", async () => {
    const dir = tmp();
    const file = writeConfig(dir, GOLDEN);
    const r = await runCli(["plan", file, "--shards", "4"], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/12 runs in 4 shards/);
    // 403,200 in all: 128,000 is 31.7%, 73,600 is 18.25%.
    const rows = r.stdout.split("\n").filter((l) => /^\d\/4 /.test(l)).map((l) => l.split(/\s+/).slice(0, 4));
    expect(rows).toEqual([
      ["0/4", "2", "128k", "31.7%"],
      ["1/4", "2", "128k", "31.7%"],
      ["2/4", "4", "73.6k", "18.3%"],
      ["3/4", "4", "73.6k", "18.3%"],
    ]);
    const json = JSON.parse((await runCli(["plan", file, "--shards", "2", "--json"], dir)).stdout);
    expect(json.shards.map((s: { runs: unknown[] }) => s.runs.length)).toEqual([6, 6]);
    expect(json.cost).toBe(6 * 3200 + 6 * 64000);
  });
});
