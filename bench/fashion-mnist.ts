/**
 * Fashion-MNIST at full size (issue 17): how long the whole set takes to load,
 * how much memory a 2-worker sweep over it takes, and whether training slows
 * down per sample on 60,000 rows against 10,000 (a cliff from the data's size:
 * cache misses in the batch gather, a copy per worker).
 *
 *   npm run build && npx tsx bench/fashion-mnist.ts      (needs /usr/share/datasets/fashion-mnist)
 *
 * 1. Load: the full set (60,000 + 10,000 images, split, scaled, in shared
 *    memory) in a fresh process each time, REPEATS times: wall and CPU seconds
 *    (CPU time is what the load costs; wall time adds this shared machine's
 *    waiting), medians.
 * 2. Memory: peak resident memory (GNU time) of `actbench run` over the full
 *    set on 2 workers (2 runs of 784-256-128-10, 1 epoch), the whole process.
 * 3. Throughput: training samples per second of one epoch of 784-64-10 (a
 *    small network, so that a cost of the data's size, which does not grow
 *    with the network, shows the more; the epoch's wall_ms: training only, no
 *    evaluation) on 60,000 and on 10,000 rows, alternating, in one process;
 *    the ratio per round and its median.
 * PARTS=load,sweep,throughput (default: all) picks the parts.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadDataset } from "../src/data/index.js";
import { nativeEngine } from "../src/nn/index.js";
import type { RunConfig } from "../src/nn/types.js";
import { median } from "./common.js";

const REPEATS = Number(process.env.REPEATS ?? 5);
const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "bin", "actbench.js");
const dir = mkdtempSync(join(tmpdir(), "actbench-fashion-bench-"));
const parts = new Set((process.env.PARTS ?? "load,sweep,throughput").split(","));

// 1. Load time, each in a fresh process of the built package (no module cache, no warm JIT).
const loadScript = `
const t0 = performance.now(); const c0 = process.cpuUsage();
const { loadDataset, shareDataset } = await import(${JSON.stringify(join(root, "dist", "data", "index.js"))});
const t1 = performance.now(); const c1 = process.cpuUsage();
const d = shareDataset(loadDataset({ name: "fashion-mnist" }));
const t2 = performance.now(); const c2 = process.cpuUsage(c1);
console.log(JSON.stringify({ wall: (t2 - t1) / 1000, cpu: (c2.user + c2.system) / 1e6, rows: d.train.n + d.val.n + d.test.n, rss: process.memoryUsage().rss / 2 ** 20 }));
`;
if (parts.has("load")) {
const loads = Array.from({ length: REPEATS }, () => JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", loadScript], { encoding: "utf8" })) as { wall: number; cpu: number; rows: number; rss: number });
console.log(
  `load: the full Fashion-MNIST (${loads[0].rows.toLocaleString("en-US")} images, split, scaled, shared) in ${median(loads.map((l) => l.wall)).toFixed(2)} s wall, ` +
    `${median(loads.map((l) => l.cpu)).toFixed(2)} s CPU (medians of ${REPEATS} fresh processes; wall per run: ${loads.map((l) => l.wall.toFixed(2)).join(", ")}); ` +
    `resident memory after the load ${median(loads.map((l) => l.rss)).toFixed(0)} MB`,
);

}

// 2. Peak memory of a 2-worker sweep over the full set.
if (parts.has("sweep")) {
const sweep = `name: fashion-bench
seeds: 1
activations: [relu, tanh]
dataset: {name: fashion-mnist}
model: {hidden: [256, 128]}
train: {epochs: 1, batchSize: 64, optimizer: {name: adam, lr: 0.001}}
record: {every: 1, probeSize: 512, models: [init, final]}
`;
const config = join(dir, "fashion.yaml");
writeFileSync(config, sweep);
const peaks: number[] = [];
const secs: number[] = [];
for (let r = 0; r < Math.min(REPEATS, 3); r++) {
  const stats = join(dir, "time.txt");
  execFileSync("/usr/bin/time", ["-f", "%e %M", "-o", stats, process.execPath, cli, "run", config, "--workers", "2", "--out", join(dir, "out"), "--overwrite", "--no-report"], { stdio: "ignore" });
  const [s, kb] = execFileSync("cat", [stats], { encoding: "utf8" }).trim().split("\n").at(-1)!.split(" ").map(Number);
  secs.push(s);
  peaks.push(kb / 1024);
}
console.log(`sweep: 2 runs of 784-256-128-10 over the full set (48,000 training rows, 1 epoch) on 2 workers: peak memory ${median(peaks).toFixed(0)} MB for the whole process (runs: ${peaks.map((p) => p.toFixed(0)).join(", ")} MB), ${median(secs).toFixed(0)} s`);

}

// 3. Samples per second on 60,000 against 10,000 rows, alternating.
if (parts.has("throughput")) {
const big = loadDataset({ name: "fashion-mnist", n: 60000, split: { val: 0 } });
const small = loadDataset({ name: "fashion-mnist", n: 10000, split: { val: 0 } });
const run: RunConfig = {
  seed: 0,
  activation: "relu",
  model: { hidden: [64], init: "auto", head: "auto" },
  train: { epochs: 1, batchSize: 64, optimizer: { name: "adam", lr: 0.001 } },
  record: { every: 1, probeSize: 256 },
};
/**
 * Samples per second of the epoch by its wall time, and of the whole run (the
 * epoch and its evaluation passes, all proportional to the rows) by the CPU
 * time this process used: on a shared machine CPU time is what the run cost,
 * wall time adds the waiting.
 */
const rate = (d: typeof big) => {
  const c0 = process.cpuUsage();
  const r = nativeEngine.train(run, d);
  const c = process.cpuUsage(c0);
  return { wall: d.train.n / (r.records.at(-1)!.wall_ms / 1000), cpu: d.train.n / ((c.user + c.system) / 1e6) };
};
rate(small); // warm-up: JIT and wasm compilation
const bigRates: Array<ReturnType<typeof rate>> = [];
const smallRates: Array<ReturnType<typeof rate>> = [];
for (let r = 0; r < REPEATS; r++) {
  smallRates.push(rate(small));
  bigRates.push(rate(big));
}
for (const k of ["wall", "cpu"] as const) {
  const ratios = bigRates.map((b, i) => b[k] / smallRates[i][k]);
  console.log(
    `throughput (${k === "wall" ? "epoch wall time" : "run CPU time"}): 784-64-10, batch 64, one epoch: ${median(bigRates.map((x) => x[k])).toFixed(0)} rows/s on 60,000 rows, ` +
      `${median(smallRates.map((x) => x[k])).toFixed(0)} on 10,000; ratio 60k/10k per round ${ratios.map((x) => x.toFixed(2)).join(", ")} (median ${median(ratios).toFixed(2)})`,
  );
}
}
rmSync(dir, { recursive: true, force: true });
