/**
 * The Kubernetes and GitHub Actions examples, run as far as this machine
 * allows: their files are parsed, their counts checked against each other,
 * and their own commands executed as the cluster or the runners would (the
 * Indexed Job's args with $(JOB_COMPLETION_INDEX) expanded and the volume
 * mapped to a folder; the workflow's steps with the matrix substituted and
 * artifacts copied), on a tiny config. The merged folder must equal a
 * one-machine run (every column but timing). examples/slurm/ has a real
 * SLURM in slurm.test.ts.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { loadExperiment } from "../../src/harness/config.js";
import { planRuns } from "../../src/harness/plan.js";
import { runSweep } from "../../src/harness/sweep.js";
import { expectSameResults, ROOT, TINY_SWEEP, tmp, writeConfig } from "../harness/helpers.js";

const ACTBENCH = join(ROOT, "bin", "actbench.js");

let tiny: string;
let whole: string;

/** The environment of a pod or a runner: no scheduler variables of this machine's. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("SLURM_") && k !== "JOB_COMPLETION_INDEX" && k !== "ACTBENCH_SHARDS"));
  return { ...env, NODE_OPTIONS: "", ...extra };
}

function sh(command: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", command], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", (code) => resolve({ code, out }));
  });
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

function expectSameAsWhole(merged: string): void {
  expectSameResults(merged, whole);
  expect(readdirSync(merged)).toContain("report.html");
  // A complete merge's report is not marked partial.
  expect(readFileSync(join(merged, "report.md"), "utf8")).not.toMatch(/partial/i);
}

beforeAll(async () => {
  const dir = tmp("actbench-examples-");
  tiny = writeConfig(dir, TINY_SWEEP, "tiny.yaml");
  const s = await runSweep(await loadExperiment(tiny), { out: join(dir, "whole"), workers: 1, progress: () => ({ start() {}, done() {}, stop() {} }) });
  expect(s.ok).toBe(8);
  whole = s.dir;
});

describe("examples/k8s", () => {
  it("the Indexed Job's pods and the merge Job, run with the volume as a folder, equal a one-machine run", async () => {
    const docs = parseAllDocuments(readFileSync(join(ROOT, "examples", "k8s", "sweep.yaml"), "utf8")).map((d) => d.toJS());
    const job = docs.find((d) => d.kind === "Job");
    expect(job.spec.completionMode).toBe("Indexed");
    const n = job.spec.completions as number;
    const container = job.spec.template.spec.containers[0];
    const env: Record<string, string> = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, e.value]));
    expect(Number(env.ACTBENCH_SHARDS), "ACTBENCH_SHARDS must equal completions").toBe(n);
    // The image's entry point is the one the merge Job calls by path.
    expect(readFileSync(join(ROOT, "examples", "k8s", "Dockerfile"), "utf8")).toMatch(/^ENTRYPOINT \["node", "\/actbench\/bin\/actbench\.js"\]$/m);
    // The ConfigMap's config is a valid sweep that fills every shard.
    const configMap = docs.find((d) => d.kind === "ConfigMap");
    const own = await loadExperiment(writeConfig(tmp(), configMap.data["sweep.yaml"], "sweep.yaml"));
    expect(planRuns(own).length).toBeGreaterThanOrEqual(n);

    // The volume and the config as folders; the tiny config in the ConfigMap's place.
    const vol = tmp("actbench-k8s-");
    mkdirSync(join(vol, "results"));
    mkdirSync(join(vol, "config"));
    cpSync(tiny, join(vol, "config", "sweep.yaml"));
    const mounts = (s: string) => s.replace(/^\/results/, join(vol, "results")).replace(/^\/config/, join(vol, "config"));
    const pods = Array.from({ length: n }, (_, i) => {
      const podEnv: Record<string, string> = { ...env, JOB_COMPLETION_INDEX: String(i) };
      // Kubernetes expands $(VAR) in args from the container's environment.
      const args = (container.args as string[]).map((a) => mounts(a.replace(/\$\((\w+)\)/g, (_, v: string) => podEnv[v] ?? `$(${v})`)));
      return sh([process.execPath, ACTBENCH, ...args].map(quote).join(" "), vol, cleanEnv(podEnv));
    });
    for (const [i, pod] of (await Promise.all(pods)).entries()) {
      expect(pod.code, pod.out).toBe(0);
      expect(pod.out).toContain(`--shard auto: shard ${i}/${n} of the sweep, from the Kubernetes Indexed Job (JOB_COMPLETION_INDEX=${i}, ACTBENCH_SHARDS=${n})`);
    }

    const merge = parse(readFileSync(join(ROOT, "examples", "k8s", "merge.yaml"), "utf8"));
    const mc = merge.spec.template.spec.containers[0];
    expect(mc.command).toEqual(["sh", "-c"]);
    const script = (mc.args[0] as string).replaceAll("node /actbench/bin/actbench.js", `${quote(process.execPath)} ${quote(ACTBENCH)}`).replaceAll("/results", join(vol, "results"));
    const merged = await sh(script, vol, cleanEnv({}));
    expect(merged.code, merged.out).toBe(0);
    expect(merged.out).toMatch(new RegExp(`merged ${n} shard folders: 8 of 8 runs`));
    expectSameAsWhole(join(vol, "results", "sweep"));
  }, 240_000);
});

describe("examples/github", () => {
  it("the matrix jobs and the merge job, with artifacts copied as upload/download-artifact do, equal a one-machine run", async () => {
    const wf = parse(readFileSync(join(ROOT, "examples", "github", "sweep.yml"), "utf8"));
    const shards = wf.jobs.shard.strategy.matrix.shard as number[];
    expect(wf.jobs.merge.needs).toBe("shard");
    const runStep = (wf.jobs.shard.steps as Array<{ run?: string }>).find((s) => s.run?.includes("--shard"))!;
    const count = Number(/--shard \$\{\{ matrix\.shard \}\}\/(\d+)/.exec(runStep.run!)?.[1]);
    expect(shards, "the matrix lists shards 0..n-1 of the --shard count").toEqual([...Array(count).keys()]);

    const world = tmp("actbench-gha-");
    const artifacts = join(world, "artifacts");
    mkdirSync(artifacts);
    const expand = (s: string, shard?: number) =>
      s
        .replaceAll("${{ inputs.config }}", tiny)
        .replaceAll("${{ matrix.shard }}", String(shard))
        .replaceAll("node bin/actbench.js", `${quote(process.execPath)} ${quote(ACTBENCH)}`);
    type Step = { run?: string; uses?: string; with?: Record<string, string> };
    /** Runs a job's steps in its own runner folder: run steps in sh (npm ci skipped: this checkout has node_modules), artifacts as copies. */
    const runJob = async (steps: Step[], runner: string, shard?: number): Promise<string> => {
      mkdirSync(runner);
      let log = "";
      for (const step of steps) {
        if (step.run && step.run.trim() !== "npm ci") {
          const r = await sh(expand(step.run, shard), runner, cleanEnv({}));
          log += r.out;
          expect(r.code, r.out).toBe(0);
        } else if (step.uses?.startsWith("actions/upload-artifact@")) {
          cpSync(join(runner, step.with!.path), join(artifacts, expand(step.with!.name, shard)), { recursive: true, filter: (src) => !src.split("/").at(-1)!.startsWith(".") });
        } else if (step.uses?.startsWith("actions/download-artifact@")) {
          const pattern = new RegExp(`^${step.with!.pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
          for (const name of readdirSync(artifacts).filter((a) => pattern.test(a))) cpSync(join(artifacts, name), join(runner, step.with!.path, name), { recursive: true });
        }
      }
      return log;
    };
    const logs = await Promise.all(shards.map((i) => runJob(wf.jobs.shard.steps, join(world, `runner-${i}`), i)));
    for (const [i, log] of logs.entries()) expect(log).toMatch(new RegExp(`done: \\d+ of \\d+ runs of shard ${i}/${count}`));
    const mergeLog = await runJob(wf.jobs.merge.steps, join(world, "runner-merge"));
    expect(mergeLog).toMatch(new RegExp(`merged ${count} shard folders: 8 of 8 runs`));
    expectSameAsWhole(join(artifacts, "results"));
  }, 240_000);
});
