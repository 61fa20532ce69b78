/**
 * A record point's cost, this checkout against a baseline checkout, as a
 * paired A/B in one process: runs alternate between the two (ABBA order, so
 * that a drifting machine load falls on both alike), on the shapes and data of
 * bench/engine.ts's probe cost (10,000 training and 2,000 validation rows,
 * a record point every epoch, probeSize 512, record.trainMetrics running).
 *
 *   mkdir /tmp/base && git archive main | tar -x -C /tmp/base && ln -s "$PWD/node_modules" "$PWD/dist" /tmp/base/
 *   npx tsx bench/probe-ab.ts /tmp/base [rounds]        (KERNELS=wasm,ts for the TypeScript path too)
 *
 * (The baseline borrows this checkout's build, dist/wasm included: when the
 * two differ in their wasm sources, give it its own with npm run build.)
 *
 * Per side, medians over every epoch of every run of the records' own
 * wall_ms, eval_ms and probe_ms, and the issue's share (eval_ms + probe_ms) /
 * wall_ms; then the median over rounds of the paired ratio new/base of
 * probe_ms, and each side's median process CPU time per run (training and
 * record points; unlike wall_ms, not inflated when a loaded machine preempts
 * the process). It also checks that both sides record the same figures (every
 * column but the timing ones), and exits 1 if they do not.
 */
import { resolve } from "node:path";
import type { Dataset } from "../src/data/types.js";
import type { EpochRecord, RunConfig, RunResult } from "../src/nn/index.js";
import { median, randomClassification } from "./common.js";

type Engine = { train(config: RunConfig, data: Dataset): RunResult };

const baseDir = process.argv[2];
if (!baseDir) {
  console.error("usage: npx tsx bench/probe-ab.ts BASELINE_CHECKOUT [rounds]");
  process.exit(2);
}
const rounds = Number(process.argv[3] ?? 6);
const kernels = (process.env.KERNELS ?? "wasm").split(",") as Array<"wasm" | "ts">;
const base = ((await import(resolve(baseDir, "src/nn/index.ts"))) as { nativeEngine: Engine }).nativeEngine;
const head = ((await import("../src/nn/index.js")) as { nativeEngine: Engine }).nativeEngine;

/** A record without its timing columns (what must be equal on both sides). */
const figures = (records: EpochRecord[]) => JSON.stringify(records.map(({ wall_ms, eval_ms, probe_ms, ...rest }) => rest));

function shape(label: string, features: number, hidden: number[], classes: number, activation: string, epochs: number): void {
  const train = randomClassification(10_000, features, classes, 9).train;
  const val = randomClassification(2_000, features, classes, 10).train;
  const data: Dataset = { name: "bench", task: "classification", features, classes, outputs: classes, train, val, source: "bench/probe-ab.ts" };
  for (const kernel of kernels) {
    const config: RunConfig = {
      seed: 1,
      activation,
      model: { hidden, init: "auto", head: "softmax_ce" },
      train: { epochs, batchSize: 32, kernel, optimizer: { name: "momentum", lr: 0.01, momentum: 0.9 } },
      record: { every: 1, probeSize: 512, trainMetrics: "running" },
    };
    const tally = (engine: Engine) => ({ engine, wall: [] as number[], evalMs: [] as number[], probe: [] as number[], cpu: [] as number[] });
    const sides = { base: tally(base), new: tally(head) };
    const ratios: number[] = [];
    let same = true;
    // Warm-up, both sides: the first runs' record points run in V8's lower tiers (tens of ms).
    for (let i = 0; i < 3; i++) {
      base.train(config, data);
      head.train(config, data);
    }
    for (let i = 0; i < rounds; i++) {
      const order = i % 2 === 0 ? (["base", "new"] as const) : (["new", "base"] as const);
      const probeMedian: Record<string, number> = {};
      const seen: Record<string, string> = {};
      for (const side of order) {
        const s = sides[side];
        const c0 = process.cpuUsage();
        const records = s.engine.train(config, data).records;
        const c1 = process.cpuUsage(c0);
        s.cpu.push((c1.user + c1.system) / 1000);
        seen[side] = figures(records);
        for (const r of records.slice(1)) {
          s.wall.push(r.wall_ms);
          s.evalMs.push(r.eval_ms);
          s.probe.push(r.probe_ms);
        }
        probeMedian[side] = median(records.slice(1).map((r) => r.probe_ms));
      }
      same &&= seen.base === seen.new;
      ratios.push(probeMedian.new / probeMedian.base);
    }
    const line = (side: "base" | "new") => {
      const s = sides[side];
      const [w, e, p] = [median(s.wall), median(s.evalMs), median(s.probe)];
      return (
        `${side.padEnd(4)} epoch ${w.toFixed(1)} ms, eval ${e.toFixed(2)} ms, probe ${p.toFixed(2)} ms: (eval + probe) / wall ${((100 * (e + p)) / w).toFixed(1)}%; ` +
        `CPU ${median(s.cpu).toFixed(0)} ms per run`
      );
    };
    console.log(`${label} ${kernel}, ${rounds} rounds x ${epochs} epochs per side:`);
    console.log(`  ${line("base")}\n  ${line("new")}`);
    console.log(`  probe_ms new/base, median of paired rounds: ${median(ratios).toFixed(3)}; figures identical: ${same ? "yes" : "NO"}`);
    if (!same) process.exitCode = 1;
  }
}

console.log(`record point cost A/B: baseline ${resolve(baseDir)} vs this checkout; node ${process.version}`);
shape("784-128-128-10 relu b32", 784, [128, 128], 10, "relu", 4);
shape("2-32-32-2 tanh b32", 2, [32, 32], 2, "tanh", 16);
