/**
 * Engine throughput: native engine vs stock brain.js NeuralNetwork and the brain.js
 * engine's subclass (registry activations: the cost of the extension), in one process.
 *
 *   npx tsx bench/engine.ts            (all cases)
 *
 * Training samples/s for one epoch, median of 5 repeats:
 *   - 784-128-128-10 relu, batch 32, momentum (native) vs brain.js per-sample
 *     training with momentum (its trainPatterns over prepared data = one iteration);
 *   - 2-32-32-2 tanh, batch 32, momentum vs brain.js likewise.
 * Then probe cost at 10,000 training samples: one record point's work as % of
 * one training epoch's time, split into the full evaluation passes (train and
 * validation splits) and the probe-set figures on 512 rows.
 *
 * Inputs are dense uniform [0, 1) draws from a seeded generator (no sparsity
 * for either engine to exploit); labels are random classes.
 */
import brain from "brain.js";
import type { Dataset } from "../src/data/types.js";
import { nativeEngine, resolveKernel } from "../src/nn/index.js";
import { median, randomClassification } from "./common.js";
import type { RunConfig } from "../src/nn/index.js";
import { RegistryNeuralNetwork } from "../src/nn/brainjs/index.js";

const REPEATS = 5;



function nativeConfig(hidden: number[], activation: string): RunConfig {
  return {
    seed: 1,
    activation,
    model: { hidden, init: "auto", head: "softmax_ce" },
    train: { epochs: 1, batchSize: 32, optimizer: { name: "momentum", lr: 0.01, momentum: 0.9 } },
    // Probe set of 1 row: the bench times the epoch itself (wall_ms excludes probes).
    record: { every: 1, probeSize: 1 },
  };
}

/** Native epoch time in ms (the run's own wall_ms column: training only). */
function nativeEpochMs(data: Dataset, hidden: number[], activation: string): number {
  const r = nativeEngine.train(nativeConfig(hidden, activation), data);
  return r.records[r.records.length - 1].wall_ms;
}

/**
 * brain.js: one pass of per-sample training (trainPatterns) over prepared data, ms.
 * `subclass` times the brain.js engine's RegistryNeuralNetwork (registry activations) instead of stock brain.js.
 */
function brainEpochMs(data: Dataset, hidden: number[], activation: "relu" | "tanh", subclass = false): number {
  const net = subclass
    ? new RegistryNeuralNetwork({ sizes: [data.features, ...hidden, data.outputs], activation, head: "brainjs", learningRate: 0.01, momentum: 0.9 })
    : new brain.NeuralNetwork({ hiddenLayers: hidden, activation });
  const rows = [];
  const f = data.features;
  for (let i = 0; i < data.train.n; i++) {
    const output = new Array<number>(data.outputs).fill(0);
    output[data.train.y[i]] = 1;
    rows.push({ input: Array.from(data.train.x.subarray(i * f, (i + 1) * f)), output });
  }
  const { preparedData } = net.prepTraining(rows as never, { iterations: 1, learningRate: 0.01, momentum: 0.9, errorThresh: 1e-9 });
  const t0 = performance.now();
  net.trainPatterns(preparedData);
  return performance.now() - t0;
}

function throughput(label: string, n: number, features: number, hidden: number[], classes: number, activation: "relu" | "tanh"): void {
  const data = randomClassification(n, features, classes, 7);
  // Warm up both engines' JIT once.
  nativeEpochMs(data, hidden, activation);
  brainEpochMs(randomClassification(Math.min(n, 500), features, classes, 8), hidden, activation);
  brainEpochMs(randomClassification(Math.min(n, 500), features, classes, 8), hidden, activation, true);
  const native: number[] = [];
  const stock: number[] = [];
  const sub: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    native.push(nativeEpochMs(data, hidden, activation));
    stock.push(brainEpochMs(data, hidden, activation));
    sub.push(brainEpochMs(data, hidden, activation, true));
  }
  const nat = (n / median(native)) * 1000;
  const bjs = (n / median(stock)) * 1000;
  const sbj = (n / median(sub)) * 1000;
  console.log(
    `${label.padEnd(26)} native (${resolveKernel("auto")}) ${nat.toFixed(0).padStart(8)} samples/s   brain.js ${bjs.toFixed(0).padStart(8)} samples/s   ` +
      `brain.js engine (subclass) ${sbj.toFixed(0).padStart(8)} samples/s   native/brain.js ${(nat / bjs).toFixed(2)}x   subclass/stock ${(sbj / bjs).toFixed(2)}x`,
  );
}

/**
 * Probe cost at 10,000 training samples with a record point every epoch:
 * each record's own timings (EpochRecord wall_ms, eval_ms, probe_ms), medians
 * over the epochs of REPEATS runs, for record.trainMetrics running (the
 * default: only the validation split is evaluated) and full:
 *   - the evaluation passes (loss and accuracy over the 2,000 validation rows,
 *     and with full the 10,000 training rows too);
 *   - the per-layer probe-set figures (gradient norms, dead units, saturation,
 *     activation statistics on 512 rows).
 * PROBE_KERNELS=wasm limits it to the wasm path.
 */
function probeCost(label: string, features: number, hidden: number[], classes: number, activation: string): void {
  const train = randomClassification(10_000, features, classes, 9).train;
  const val = randomClassification(2_000, features, classes, 10).train;
  const data: Dataset = { name: "bench", task: "classification", features, classes, outputs: classes, train, val, source: "bench/engine.ts" };
  const epochs = 4;
  const kernels = (process.env.PROBE_KERNELS ?? "wasm,ts").split(",") as Array<"wasm" | "ts">;
  for (const kernel of kernels)
  for (const trainMetrics of ["running", "full"] as const) {
    const c = nativeConfig(hidden, activation);
    const config: RunConfig = { ...c, train: { ...c.train, epochs, kernel }, record: { every: 1, probeSize: 512, trainMetrics } };
    nativeEngine.train(config, data); // warm-up
    const epochMs: number[] = [];
    const evalMs: number[] = [];
    const probeMs: number[] = [];
    for (let i = 0; i < REPEATS; i++)
      for (const r of nativeEngine.train(config, data).records.slice(1)) {
        epochMs.push(r.wall_ms);
        evalMs.push(r.eval_ms);
        probeMs.push(r.probe_ms);
      }
    const ep = median(epochMs);
    const pct = (ms: number) => `${ms.toFixed(1)} ms = ${((100 * ms) / ep).toFixed(0)}%`;
    console.log(
      `${label.padEnd(26)} ${kernel.padEnd(4)} ${trainMetrics.padEnd(7)} epoch ${ep.toFixed(1)} ms; a record point's evaluation passes (${trainMetrics === "full" ? "12,000" : "2,000"} rows) ${pct(median(evalMs))}, ` +
        `probe-set figures (512 rows) ${pct(median(probeMs))}, together ${((100 * (median(evalMs) + median(probeMs))) / ep).toFixed(0)}% of an epoch`,
    );
  }
  const sizes = [features, ...hidden, classes];
  console.log(
    `${"".padEnd(26)} (the evaluation passes are ${(100 * evalShareOfEpoch(sizes, 2_000, 10_000)).toFixed(0)}% (running) or ${(100 * evalShareOfEpoch(sizes, 12_000, 10_000)).toFixed(0)}% (full) of an epoch's multiply-adds)`,
  );
}

/**
 * Multiply-adds of forward passes over `evalRows` rows as a share of a training
 * epoch over `trainRows` rows: a step is the forward pass, the weight gradient
 * (as many as the forward) and the input gradient of every layer but the first.
 */
function evalShareOfEpoch(sizes: number[], evalRows: number, trainRows: number): number {
  const macs = sizes.slice(1).map((n, l) => n * sizes[l]);
  const forward = macs.reduce((a, b) => a + b, 0);
  const step = 2 * forward + macs.slice(1).reduce((a, b) => a + b, 0);
  return (evalRows * forward) / (trainRows * step);
}

const only = process.argv[2];
console.log(`engine benchmark: medians of ${REPEATS}, node ${process.version}`);
if (!only || only === "throughput") {
  throughput("784-128-128-10 relu b32", 3000, 784, [128, 128], 10, "relu");
  throughput("2-32-32-2 tanh b32", 20000, 2, [32, 32], 2, "tanh");
}
if (!only || only === "probes") {
  console.log("probe cost at 10,000 training samples, a record point every epoch (each record's own eval_ms and probe_ms):");
  probeCost("784-128-128-10 relu b32", 784, [128, 128], 10, "relu");
  probeCost("2-32-32-2 tanh b32", 2, [32, 32], 2, "tanh");
}
