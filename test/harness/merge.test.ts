/**
 * actbench merge: shard folders joined equal a one-machine run of the same
 * config (every column but timing, model files byte for byte), a shard killed
 * with SIGKILL and resumed included; mismatched configs, missing and
 * duplicated runs, a whole sweep's folder, a running shard and a foreign
 * output folder are refused with nothing written; --partial says so.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadExperiment, type Experiment } from "../../src/harness/config.js";
import { expandShardArgs, mergeShards } from "../../src/harness/merge.js";
import { runSweep } from "../../src/harness/sweep.js";
import { expectSameResults, readCsv, runCli, startCli, tmp, withoutTiming, writeConfig } from "./helpers.js";

// 2 activations x 3 seeds x 2 grid points = 12 runs of a few epochs each.
const CONFIG = `name: merge
seeds: 3
activations: [relu, tanh]
dataset: {name: moons, n: 200, noise: 0.2}
train: {epochs: 4, batchSize: 16, optimizer: {name: adam, lr: 0.01}}
record: {every: 2, probeSize: 32, models: [final]}
grid:
  model.hidden: [[8], [8, 8]]
`;
const TOTAL = 12;

const quiet = () => ({ start() {}, done() {}, stop() {} });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dir: string;
let file: string;
let exp: Experiment;
let whole: string;

/** Shard i/n of the config, in this process, into dir/<name>. */
async function shard(index: number, count: number, name = `s${index}of${count}`): Promise<string> {
  const out = join(dir, name);
  await runSweep(exp, { out, shard: { index, count }, workers: 1, progress: quiet });
  return out;
}

function expectSameAsWhole(merged: string): void {
  expect(readdirSync(join(whole, "models"))).toHaveLength(TOTAL);
  expectSameResults(merged, whole);
  const statuses = (d: string) => (JSON.parse(readFileSync(join(d, "manifest.json"), "utf8")) as { runs: unknown[] }).runs;
  expect(statuses(merged)).toEqual(statuses(whole));
}

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

beforeAll(async () => {
  dir = tmp("actbench-merge-");
  file = writeConfig(dir, CONFIG);
  exp = await loadExperiment(file);
  whole = join(dir, "whole");
  const s = await runSweep(exp, { out: whole, workers: 1, progress: quiet });
  expect(s.ok).toBe(TOTAL);
});

// Each test runs several shards (some through the CLI): minutes on a loaded 2-core machine.
describe("merge", { timeout: 180_000 }, () => {
  it("joins 3 shards into the files of a one-machine run, and records each shard's host, kernel, start and end", async () => {
    const shards = [await shard(0, 3), await shard(1, 3), await shard(2, 3)];
    // Every run in exactly one shard folder.
    const perShard = shards.map((s) => readdirSync(join(s, "runs")).filter((f) => f.endsWith(".json")));
    expect(perShard.flat().sort()).toEqual(readdirSync(join(whole, "runs")).sort());
    const out = join(dir, "merged3");
    // Given in another order, and one of them twice: the result does not depend on it.
    const m = mergeShards(out, [shards[2], shards[0], shards[1], `${shards[0]}/`]);
    expect(m).toMatchObject({ total: TOTAL, missing: 0, shards: 3, counts: { ok: TOTAL, failed: 0 } });
    expectSameAsWhole(out);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(manifest.state).toBe("complete");
    expect(manifest.config_hash).toBe(exp.hash);
    expect(manifest.merged_from.map((s: { shard: string }) => s.shard)).toEqual(["0/3", "1/3", "2/3"]);
    // Its files list is exactly what it wrote.
    const listed = (sub: string) => readdirSync(join(whole, sub)).map((f) => `${sub}/${f}`);
    expect([...manifest.files].sort()).toEqual(["manifest.json", "runs.csv", "curves.csv", "layers.csv", "params.csv", "activations.csv", ...listed("runs"), ...listed("models")].sort());
    for (const s of manifest.merged_from) {
      expect(s.host).toBeTypeOf("string");
      expect(s.kernel).toMatch(/^(wasm \(simd(\+fma)?\)|ts)$/);
      expect(Date.parse(s.started_at)).toBeLessThanOrEqual(Date.parse(s.ended_at));
    }
    // Merging again into the same folder replaces the earlier merge.
    expect(mergeShards(out, shards).warnings).toEqual([]);
    expectSameAsWhole(out);

    // A shard whose runs took another compute path (a machine without wasm): merged, with a note saying so.
    const elsewhere = join(dir, "s2of3-ts");
    cpSync(shards[2], elsewhere, { recursive: true });
    for (const f of readdirSync(join(elsewhere, "runs"))) {
      const run = JSON.parse(readFileSync(join(elsewhere, "runs", f), "utf8"));
      writeFileSync(join(elsewhere, "runs", f), JSON.stringify({ ...run, compute: { path: "ts" } }));
    }
    const noted = mergeShards(join(dir, "merged-mixed"), [shards[0], shards[1], elsewhere]);
    expect(noted.warnings).toHaveLength(1);
    expect(noted.warnings[0]).toMatch(/^the shards ran on different compute kernels \(wasm \(simd(\+fma)?\): 0\/3, 1\/3; ts: 2\/3\): wasm and ts agree to float32 rounding, not bit for bit$/);
  });

  it("a shard killed with SIGKILL and resumed merges equal to a one-machine run (CLI)", async () => {
    const first = await shard(0, 2);
    const killed = join(dir, "killed-1of2");
    const child = startCli(["run", file, "--shard", "1/2", "--out", killed, "--workers", "1"], dir);
    let exited = false;
    child.on("exit", () => (exited = true));
    const committed = () => (existsSync(join(killed, "runs")) ? readdirSync(join(killed, "runs")).filter((f) => /^[0-9a-f]{12}\.json$/.test(f)).length : 0);
    const deadline = Date.now() + 60_000;
    while (committed() < 2 && !exited && Date.now() < deadline) await sleep(20);
    child.kill("SIGKILL");
    await new Promise((r) => (exited ? r(null) : child.on("exit", r)));
    const before = committed();
    expect(before).toBeGreaterThanOrEqual(2);
    expect(before).toBeLessThan(6);

    // Merging now is refused: the killed shard lacks runs, and the message names them and the shard.
    const early = await runCli(["merge", join(dir, "early"), first, killed], dir);
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(new RegExp(`merge: ${6 - before} of 12 runs are missing: shard 1/2, .*killed-1of2 \\(state running\\): ${6 - before} runs? \\(`));
    expect(existsSync(join(dir, "early"))).toBe(false);

    const resumed = await runCli(["run", file, "--shard", "1/2", "--out", killed, "--workers", "1"], dir);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`resuming: ${before} of 6 runs already done`));
    expect(resumed.stdout).toMatch(/done: 6 of 6 runs of shard 1\/2 \(6 ok/);

    const out = join(dir, "merged2");
    const r = await runCli(["merge", out, first, killed, "--no-report"], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/merged 2 shard folders: 12 of 12 runs \(12 ok, 0 diverged, 0 failed\)/);
    expectSameAsWhole(out);
  }, 240_000);

  it("refuses missing runs naming the shard, unless --partial, which the manifest and report say", async () => {
    const a = await shard(0, 4);
    const b = await shard(2, 4);
    const err = errorOf(() => mergeShards(join(dir, "gap"), [a, b]));
    // Shards 1/4 and 3/4 were never run: named with their runs.
    expect(err.message).toMatch(/merge: \d+ of 12 runs are missing: shard 1\/4, no folder given \(actbench run \S*exp\.yaml --shard 1\/4\): \d+ runs? \(.*seed.*\); shard 3\/4, no folder given/);
    expect(existsSync(join(dir, "gap"))).toBe(false);

    const out = join(dir, "partial");
    const r = await runCli(["merge", out, a, b, "--partial"], dir);
    expect(r.code, r.stderr).toBe(0);
    const present = readCsv(join(out, "runs.csv")).rows.map((row) => row.run_id);
    expect(r.stdout).toMatch(new RegExp(`${present.length} of 12 runs .*PARTIAL: ${12 - present.length} missing`));
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(manifest.state).toBe("partial");
    expect(manifest.partial.planned).toBe(12);
    expect(manifest.partial.missing).toHaveLength(12 - present.length);
    expect(manifest.runs.filter((s: { status: string }) => s.status === "pending")).toHaveLength(12 - present.length);
    // The rows present are those of the one-machine run, in its order.
    const wholeRows = withoutTiming(join(whole, "runs.csv")).filter((row) => present.includes(row.run_id));
    expect(withoutTiming(join(out, "runs.csv"))).toEqual(wholeRows);
    const md = readFileSync(join(out, "report.md"), "utf8");
    expect(md).toMatch(/^# actbench report: merge \(partial\)/);
    expect(md).toMatch(/\*\*Merged from:\*\* `2 shard folders, run on /);
    expect(md).toMatch(new RegExp(`\\*\\*PARTIAL:\\*\\* \`${present.length} of 12 planned runs`));
  }, 180_000);

  it("refuses shards of another config, and runs present twice, naming runs and folders", async () => {
    const a = await shard(0, 2, "cfg-a");
    const otherExp = await loadExperiment(file, { set: ["train.epochs=3"] });
    const other = join(dir, "cfg-b");
    await runSweep(otherExp, { out: other, shard: { index: 1, count: 2 }, workers: 1, progress: quiet });
    const mixed = errorOf(() => mergeShards(join(dir, "mixed"), [a, other]));
    expect(mixed.message).toContain(`merge: the folders come from different configs: hash ${exp.hash} (${a}); hash ${otherExp.hash} (${other})`);

    // Shard 0/3 overlaps shard 0/2: the runs in both are named with both folders.
    const b = await shard(1, 2, "cfg-a1");
    const c = await shard(0, 3, "cfg-c");
    const twice = errorOf(() => mergeShards(join(dir, "twice"), [a, b, c]));
    expect(twice.message).toMatch(/merge: \d+ runs? (is|are) in more than one folder: (relu|tanh) seed \d \{"model.hidden":\[8(,8)?\]\} \([0-9a-f]{12}\) in .*(cfg-a|cfg-a1) \(shard [01]\/2\) and .*cfg-c \(shard 0\/3\)/);
    for (const d of ["mixed", "twice"]) expect(existsSync(join(dir, d))).toBe(false);
  }, 180_000);

  it("refuses a whole sweep's folder, a shard still running, and an output folder that is not its own", async () => {
    const a = await shard(0, 2, "r0");
    const b = await shard(1, 2, "r1");
    expect(errorOf(() => mergeShards(join(dir, "w"), [a, whole])).message).toMatch(/whole sweep's folder, not a shard's/);
    expect(errorOf(() => mergeShards(join(dir, "w"), [a, join(dir, "nope")])).message).toMatch(/nope: no such folder/);

    // A live process holds b's lock (this test's parent, vitest): still running.
    writeFileSync(join(b, ".actbench.lock"), `${process.ppid}\n`);
    expect(errorOf(() => mergeShards(join(dir, "w"), [a, b])).message).toMatch(/in use by another actbench run/);
    writeFileSync(join(b, ".actbench.lock"), "999999999\n"); // a dead pid: a stale lock, no longer in the way

    // OUT holding a user's file is refused, and the file is untouched.
    const theirs = join(dir, "theirs");
    mkdirSync(theirs);
    writeFileSync(join(theirs, "notes.txt"), "mine");
    expect(errorOf(() => mergeShards(theirs, [a, b])).message).toMatch(/theirs is not empty \(notes.txt\) and is not an earlier merge/);
    expect(readdirSync(theirs)).toEqual(["notes.txt"]);
    // Nor may OUT be a shard folder.
    expect(errorOf(() => mergeShards(a, [a, b])).message).toMatch(/is \(inside\) the shard folder/);
    for (const d of ["w"]) expect(existsSync(join(dir, d))).toBe(false);
  });

  it("merges into the sweep's own folder, beside its shard-i-of-n folders (the default layout)", async () => {
    const root = join(dir, "layout");
    const shards = [await shard(0, 2, "layout/shard-0-of-2"), await shard(1, 2, "layout/shard-1-of-2")];
    mergeShards(root, shards);
    expectSameAsWhole(root);
    expect(readdirSync(root).filter((e) => e.startsWith("shard-"))).toEqual(["shard-0-of-2", "shard-1-of-2"]);
    // Again, the folders given as a glob no shell expanded: the earlier merge is replaced, the shard folders are left alone.
    expect(expandShardArgs([join(root, "shard-*-of-2")])).toEqual(shards);
    expect(() => expandShardArgs([join(root, "shard-*-of-3")])).toThrow(/shard-\*-of-3 matches no folder/);
    mergeShards(root, expandShardArgs([join(root, "shard-*-of-2")]));
    expectSameAsWhole(root);
    expect(readdirSync(join(shards[0], "runs")).length).toBeGreaterThan(0);
  });

  it("a merge over an earlier merge removes only what that merge's manifest lists: a folder a user put where a claimed file was is refused, never deleted", async () => {
    const out = join(dir, "remerge");
    const shards = [await shard(0, 2, "rm0"), await shard(1, 2, "rm1")];
    mergeShards(out, shards);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { files: string[] };
    const claimed = manifest.files.find((f) => f.startsWith("models/"))!;
    // The user replaced a claimed model file by a folder of their own (it used to be deleted with it, recursively).
    const mine = join(out, claimed);
    rmSync(mine);
    mkdirSync(mine);
    writeFileSync(join(mine, "notes.txt"), "mine");
    expect(errorOf(() => mergeShards(out, shards)).message).toMatch(new RegExp(`holds files an earlier merge did not write \\(${claimed.replace(/\./g, "\\.")}\\)`));
    expect(readFileSync(join(mine, "notes.txt"), "utf8")).toBe("mine");
    // Without it, the earlier merge is replaced: a file it listed but this merge does not write is gone, the rest rewritten.
    rmSync(mine, { recursive: true });
    writeFileSync(join(out, "runs", "stale.json"), "{}");
    manifest.files.push("runs/stale.json");
    writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest));
    mergeShards(out, shards);
    expect(existsSync(join(out, "runs", "stale.json"))).toBe(false);
    expectSameAsWhole(out);
  });
});
