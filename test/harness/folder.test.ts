/**
 * The output folder belongs to one config and one running sweep: another
 * config is refused (unless --out elsewhere or --overwrite), a live lock is
 * refused, a stale lock (dead pid) is taken over. Refusals write nothing.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exists, readCsv, runCli, tmp, writeConfig, lockFiles } from "./helpers.js";

const CONFIG = (epochs: number) => `name: folder
seeds: 1
activations: [relu]
dataset: {name: moons, n: 100}
model: {hidden: [4]}
train: {epochs: ${epochs}, batchSize: 16}
record: {every: 1, probeSize: 16}
`;

/** name -> mtime of every entry, to prove a refusal touched nothing. */
function snapshot(dir: string): Record<string, number> {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs]));
}

describe("output folder", () => {
  it("refuses another config's folder, then --overwrite replaces it", async () => {
    const dir = tmp();
    const out = join(dir, "out");
    const first = await runCli(["run", writeConfig(dir, CONFIG(1), "a.yaml"), "--out", out, "--workers", "1", "--no-report"]);
    expect(first.code, first.stderr).toBe(0);
    const before = snapshot(out);

    const other = writeConfig(dir, CONFIG(2), "b.yaml");
    const refused = await runCli(["run", other, "--out", out, "--workers", "1", "--no-report"]);
    expect(refused.code).toBe(2);
    // It says what changed, not two hashes.
    expect(refused.stderr).toMatch(/holds results of a different config \(train\.epochs: 1 -> 2\); use --out for another folder, or --overwrite/);
    expect(snapshot(out)).toEqual(before);

    // --set changes the config too, so it is refused the same way.
    const viaSet = await runCli(["run", join(dir, "a.yaml"), "--out", out, "--set", "train.epochs=2", "--no-report"]);
    expect(viaSet.code).toBe(2);

    const replaced = await runCli(["run", other, "--out", out, "--workers", "1", "--no-report", "--overwrite"]);
    expect(replaced.code, replaced.stderr).toBe(0);
    const epochs = readCsv(join(out, "curves.csv")).rows.map((r) => r.epoch);
    expect(epochs).toEqual(["0", "1", "2"]);
  });

  it("refuses a folder in use by a live process, and takes over a dead one's lock", async () => {
    const dir = tmp();
    const file = writeConfig(dir, CONFIG(1));
    const out = join(dir, "out");
    const first = await runCli(["run", file, "--out", out, "--workers", "1", "--no-report"]);
    expect(first.code).toBe(0);
    const before = snapshot(out);

    // This test process is alive: its pid in the lock means "in use".
    writeFileSync(join(out, ".actbench.lock"), `${process.pid}\n`);
    const refused = await runCli(["run", file, "--out", out, "--workers", "1", "--no-report"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`in use by another actbench run \\(pid ${process.pid}; lock file .*\\.actbench\\.lock\\)`));
    expect(readFileSync(join(out, ".actbench.lock"), "utf8")).toBe(`${process.pid}\n`);
    const { [".actbench.lock"]: _lock, ...rest } = snapshot(out);
    const { [".actbench.lock"]: _none, ...restBefore } = before;
    expect(rest).toEqual(restBefore);

    // A pid that has exited: the lock is stale and taken over.
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
    writeFileSync(join(out, ".actbench.lock"), `${dead}\n`);
    const resumed = await runCli(["run", file, "--out", out, "--workers", "1", "--no-report"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/resuming: 1 of 1 runs already done/);
    expect(lockFiles(out)).toEqual([]);
  });

  it("refuses a non-empty folder that is not a results folder", async () => {
    const dir = tmp();
    const out = join(dir, "out");
    const file = writeConfig(dir, CONFIG(1));
    mkdirSync(out);
    writeFileSync(join(out, "thesis.tex"), "precious");
    const r = await runCli(["run", file, "--out", out, "--no-report"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not an actbench results folder \(no manifest\.json\) and is not empty: it holds thesis\.tex/);
    expect(readdirSync(out)).toEqual(["thesis.tex"]);
  });
});
