/**
 * A real SLURM: scripts/slurm-cluster.sh brings up a one-node cluster, and
 * examples/slurm/sweep.sbatch submits a 4-shard job array (on this machine's
 * CPUs, one per task) and the merge job that depends on it (afterok). The
 * merged folder must equal a one-machine run of the same config, every
 * column but timing, model files byte for byte.
 *
 * The sweep (8 tiny runs) takes seconds; SLURM's start-up dominates.
 *
 * Runs only with ACTBENCH_SLURM=1 (.ci/run sets it, as root, after installing
 * slurm-wlm and munge): a cluster binds fixed ports and runs jobs as root, so
 * it is never started behind a developer's back. With ACTBENCH_SLURM=1 a
 * cluster that does not come up is a failure, with the daemons' logs.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadExperiment } from "../../src/harness/config.js";
import { runSweep } from "../../src/harness/sweep.js";
import { expectSameResults, ROOT, TINY_SWEEP, tmp, writeConfig } from "../harness/helpers.js";

const ENABLED = process.env.ACTBENCH_SLURM === "1";
const CLUSTER = join(ROOT, "scripts", "slurm-cluster.sh");
const SBATCH = join(ROOT, "examples", "slurm", "sweep.sbatch");


let state = "";
let env: NodeJS.ProcessEnv = {};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the cluster script; a failure throws with what it printed (the cause, the daemons' log tails). */
function cluster(cmd: "up" | "down", timeout: number): void {
  const r = spawnSync(CLUSTER, [cmd, state], { env: { ...env, ACTBENCH_SLURM_TIMEOUT: "60" }, encoding: "utf8", timeout });
  process.stderr.write(r.stderr ?? "");
  if (r.status !== 0) throw new Error(`scripts/slurm-cluster.sh ${cmd} ${state} failed (exit ${r.status ?? r.signal ?? r.error?.message}):\n${r.stderr}`);
}

function scontrol(job: string): string {
  return spawnSync("scontrol", ["show", "job", job], { env, encoding: "utf8" }).stdout ?? "";
}

describe.skipIf(!ENABLED)("scripts/slurm-cluster.sh", () => {
  it("fails within its timeout, with the daemons' logs, and stops what it started, when the node never becomes idle", () => {
    const dir = tmp("actbench-slurm-fail-");
    // A sinfo that always reports the node down.
    writeFileSync(join(dir, "sinfo"), "#!/bin/sh\necho down\n");
    chmodSync(join(dir, "sinfo"), 0o755);
    const t0 = Date.now();
    const r = spawnSync(CLUSTER, ["up", join(dir, "state")], {
      env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, ACTBENCH_SLURM_TIMEOUT: "2" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(1);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(r.stderr).toMatch(/the node did not become idle within 2s \(state: down\)/);
    expect(r.stderr).toMatch(/--- last lines of .*slurmctld\.log/);
    const stopped = [...r.stderr.matchAll(/stopping (munged|slurmctld|slurmd) \(pid (\d+)\)/g)];
    expect(stopped.map((m) => m[1])).toEqual(["munged", "slurmctld", "slurmd"]);
    for (const [, name, pid] of stopped) expect(() => process.kill(Number(pid), 0), `${name} ${pid} still alive`).toThrow();
  }, 90_000);
});

describe.skipIf(!ENABLED)("SLURM job array + afterok merge (examples/slurm/sweep.sbatch)", () => {
  beforeAll(() => {
    state = process.env.ACTBENCH_SLURM_STATE ?? tmp("actbench-slurm-");
    env = { ...process.env, SLURM_CONF: join(state, "slurm.conf"), NODE_OPTIONS: "" };
    // The script fails, naming the cause and showing the daemons' logs, if the node is not idle within its timeout.
    cluster("up", 120_000);
  }, 150_000);

  // Stops exactly the daemons `up` started, whatever the test's outcome (and after a failed `up`, nothing is left).
  afterAll(() => cluster("down", 60_000), 90_000);

  it("merges a 4-shard array into the files of a one-machine run", async () => {
    const dir = tmp("actbench-slurm-sweep-");
    const file = writeConfig(dir, TINY_SWEEP, "tiny.yaml");
    const submitted = spawnSync("bash", [SBATCH, file, "4", join(dir, "out")], {
      cwd: dir,
      env: { ...env, ACTBENCH: `${process.execPath} ${join(ROOT, "bin", "actbench.js")}`, CPUS_PER_SHARD: "1" },
      encoding: "utf8",
    });
    expect(submitted.status, submitted.stderr).toBe(0);
    const ids = /submitted: shards (\d+) \(array of 4\), merge (\d+)/.exec(submitted.stdout);
    expect(ids, submitted.stdout).not.toBeNull();
    const [, array, merge] = ids!;

    // The reference, meanwhile: the same config on one machine, in this process.
    const whole = await runSweep(await loadExperiment(file), { out: join(dir, "whole"), workers: 1, progress: () => ({ start() {}, done() {}, stop() {} }) });
    expect(whole.ok).toBe(8);

    const deadline = Date.now() + 240_000;
    let jobState = "";
    while (Date.now() < deadline) {
      jobState = /JobState=(\S+)/.exec(scontrol(merge))?.[1] ?? "";
      if (["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY"].includes(jobState)) break;
      await sleep(500);
    }
    if (jobState !== "COMPLETED") spawnSync("scancel", [array, merge], { env });
    const logs = readdirSync(dir)
      .filter((f) => f.startsWith("slurm-"))
      .map((f) => `--- ${f}\n${readFileSync(join(dir, f), "utf8")}`)
      .join("\n");
    expect(jobState, `merge job ${merge}: ${scontrol(merge)}\narray ${array}: ${scontrol(array)}\n${logs}`).toBe("COMPLETED");

    // Each array task ran its shard, found by --shard auto from SLURM's variables.
    for (let i = 0; i < 4; i++) expect(readFileSync(join(dir, `slurm-actbench-${array}_${i}.out`), "utf8")).toMatch(new RegExp(`--shard auto: shard ${i}/4 of the sweep, from the SLURM job array \\(SLURM_ARRAY_TASK_ID=${i}, MIN=0, MAX=3`));

    const out = join(dir, "out");
    expectSameResults(out, whole.dir);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(manifest.state).toBe("complete");
    expect(manifest.merged_from.map((s: { shard: string }) => s.shard)).toEqual(["0/4", "1/4", "2/4", "3/4"]);
    for (const s of manifest.merged_from) expect(s.host).toBe(hostname());
    expect(readFileSync(join(out, "report.md"), "utf8")).toMatch(/\*\*Merged from:\*\* `4 shard folders/);
  }, 360_000);

  it("a failed shard cancels the merge job instead of leaving it pending (afterok + kill_invalid_depend)", async () => {
    const dir = tmp("actbench-slurm-fail-");
    const file = writeConfig(dir, TINY_SWEEP, "tiny.yaml");
    // Every task's command exits 1 at once (`false run ...`).
    const submitted = spawnSync("bash", [SBATCH, file, "2", join(dir, "out")], { cwd: dir, env: { ...env, ACTBENCH: "false", CPUS_PER_SHARD: "1" }, encoding: "utf8" });
    expect(submitted.status, submitted.stderr).toBe(0);
    const merge = /merge (\d+)/.exec(submitted.stdout)![1];
    const deadline = Date.now() + 60_000;
    let text = "";
    while (Date.now() < deadline) {
      text = scontrol(merge);
      if (/JobState=(CANCELLED|COMPLETED|FAILED)/.test(text)) break;
      await sleep(500);
    }
    expect(text).toMatch(/JobState=CANCELLED Reason=DependencyNeverSatisfied/);
    expect(existsSync(join(dir, "out"))).toBe(false);
  }, 120_000);
});
