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
 * Then probe cost at 10,000 training samples: one record point's work (a full
 * evaluation pass over the 10,000 rows, and the probe-set figures on 512 rows)
 * as % of one training epoch's time.
 *
 * Inputs are dense uniform [0, 1) draws from a seeded generator (no sparsity
 * for either engine to exploit); labels are random classes.
 */
import brain from "brain.js";
import type { Dataset } from "../src/data/types.js";
import { MLP, evaluate, nativeEngine, probeLayers, runStreams, uniform01 } from "../src/nn/index.js";
import type { RunConfig } from "../src/nn/index.js";
import { RegistryNeuralNetwork } from "../src/nn/brainjs/index.js";

const REPEATS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function dataset(n: number, features: number, classes: number, seed: number): Dataset {
  const rng = runStreams(seed).init;
  const x = new Float32Array(n * features);
  for (let i = 0; i < x.length; i++) x[i] = uniform01(rng);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = Math.floor(uniform01(rng) * classes);
  return { name: "bench", task: "classification", features, classes, outputs: classes, train: { n, x, y }, source: "bench/engine.ts" };
}

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
  const data = dataset(n, features, classes, 7);
  // Warm up both engines' JIT once.
  nativeEpochMs(data, hidden, activation);
  brainEpochMs(dataset(Math.min(n, 500), features, classes, 8), hidden, activation);
  brainEpochMs(dataset(Math.min(n, 500), features, classes, 8), hidden, activation, true);
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
    `${label.padEnd(26)} native ${nat.toFixed(0).padStart(8)} samples/s   brain.js ${bjs.toFixed(0).padStart(8)} samples/s   ` +
      `brain.js engine (subclass) ${sbj.toFixed(0).padStart(8)} samples/s   native/brain.js ${(nat / bjs).toFixed(2)}x   subclass/stock ${(sbj / bjs).toFixed(2)}x`,
  );
}

function probeCost(label: string, features: number, hidden: number[], classes: number, activation: string): void {
  const n = 10_000;
  const data = dataset(n, features, classes, 9);
  const epochs: number[] = [];
  const evals: number[] = [];
  const probes: number[] = [];
  const mlp = MLP.create({ sizes: [features, ...hidden, classes], activation, head: "softmax_ce" }, 1);
  const evalWs = mlp.workspace(256);
  const probeRows = 512;
  const probeWs = mlp.workspace(probeRows);
  const grads = mlp.newGradients();
  const scratch = new Float32Array(probeRows * Math.max(...mlp.sizes));
  for (let i = 0; i < REPEATS + 1; i++) {
    const e = nativeEpochMs(data, hidden, activation);
    let t0 = performance.now();
    evaluate(mlp, evalWs, data.train, "class", true);
    const ev = performance.now() - t0;
    t0 = performance.now();
    probeLayers(mlp, probeWs, grads, data.train.x.subarray(0, probeRows * features), data.train.y.subarray(0, probeRows), "class", probeRows, scratch);
    const pr = performance.now() - t0;
    if (i === 0) continue; // warm-up
    epochs.push(e);
    evals.push(ev);
    probes.push(pr);
  }
  const ep = median(epochs);
  const ev = median(evals);
  const pr = median(probes);
  console.log(
    `${label.padEnd(26)} epoch ${ep.toFixed(1)} ms; full train-split evaluation ${ev.toFixed(1)} ms (${((100 * ev) / ep).toFixed(1)}%); ` +
      `probe-set figures on 512 rows ${pr.toFixed(1)} ms (${((100 * pr) / ep).toFixed(1)}%); one record point total ${((100 * (ev + pr)) / ep).toFixed(1)}%`,
  );
}

const only = process.argv[2];
console.log(`engine benchmark: medians of ${REPEATS}, node ${process.version}`);
if (!only || only === "throughput") {
  throughput("784-128-128-10 relu b32", 3000, 784, [128, 128], 10, "relu");
  throughput("2-32-32-2 tanh b32", 20000, 2, [32, 32], 2, "tanh");
}
if (!only || only === "probes") {
  console.log("probe cost at 10,000 training samples (probes at every epoch):");
  probeCost("784-128-128-10 relu b32", 784, [128, 128], 10, "relu");
  probeCost("2-32-32-2 tanh b32", 2, [32, 32], 2, "tanh");
}
