/**
 * Training throughput of the WebAssembly SIMD path against the TypeScript
 * engine, stock brain.js and (when `python3 -c "import torch"` works)
 * PyTorch on one thread, in one process run:
 *
 *   npx tsx bench/wasm.ts            (all rows)
 *   npx tsx bench/wasm.ts relu       (one activation on 784-128-128-10; `big`: all of them; `small`: 2-32-32-2)
 *   npx tsx bench/wasm.ts adaptive   (the adaptive and combined activations next to relu, wasm and TypeScript paths)
 *
 * One epoch of softmax cross-entropy, momentum SGD (lr 0.01, momentum 0.9),
 * batch 32, over random dense inputs (uniform [0, 1), seeded) with random
 * labels; samples/s as the median of 5 epochs after a warm-up epoch:
 *   - wasm, ts: the training loop's own batch loop (nn/train.ts runEpoch) on the
 *               wasm and TypeScript compute paths: what a run's epoch costs, without record points;
 *   - brain.js: stock NeuralNetwork, per-sample trainPatterns over prepared data
 *               (only the activations brain.js has: relu, tanh, sigmoid);
 *   - torch:    bench/torch_mlp.py, the same network and epoch on one thread,
 *               run between two wasm measurements (see measureRound).
 */
import { execFileSync } from "node:child_process";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import brainjs from "brain.js";
import { MLP, runStreams, shuffleInPlace } from "../src/nn/index.js";
import type { Dataset } from "../src/data/types.js";
import { median, randomClassification } from "./common.js";
import type { NetworkActivation, OptimizerSpec } from "../src/nn/index.js";
import { typescriptCompute, wasmCompute, type PathFactory, type PathOptions } from "../src/nn/computePath.js";
import { runEpoch } from "../src/nn/train.js";
import { wasmAvailable, wasmUnavailableReason } from "../src/nn/wasm/index.js";
import { defineActivation, getActivation } from "../src/activations/index.js";

const REPEATS = 5;
const BATCH = 32;
const OPT: OptimizerSpec = { name: "momentum", lr: 0.01, momentum: 0.9 };

/** ms per epoch for each repeat after one warm-up epoch. */
function epochs(run: () => void): number[] {
  run();
  const out: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    run();
    out.push(performance.now() - t0);
  }
  return out;
}

/** What a compute path needs for training alone (a one-row probe set it never uses). */
function pathOptions(d: Dataset): PathOptions {
  const probeRows = 1;
  return {
    optimizer: OPT,
    batch: BATCH,
    kind: "class",
    classification: true,
    probeX: d.train.x.subarray(0, probeRows * d.features),
    probeY: d.train.y.subarray(0, probeRows),
    probeRows,
    largestSplit: d.train.n,
  };
}

/** Epochs of the training loop's own batch loop (runEpoch) on a compute path, each in a fresh shuffle. */
function pathEpochs(d: Dataset, sizes: number[], activation: NetworkActivation, makePath: PathFactory): number[] {
  const path = makePath(MLP.create({ sizes, activation, head: "softmax_ce" }, 1), pathOptions(d));
  const shuffle = runStreams(1).shuffle;
  const order = new Uint32Array(d.train.n);
  return epochs(() => {
    for (let i = 0; i < order.length; i++) order[i] = i;
    shuffleInPlace(shuffle, order);
    runEpoch(path, d.train, order, BATCH, null);
  });
}

const BRAIN_ACTS = new Set(["relu", "tanh", "sigmoid"]);

function brainEpochs(d: Dataset, hidden: number[], activation: string): number[] | null {
  if (!BRAIN_ACTS.has(activation)) return null;
  const net = new brainjs.NeuralNetwork({ hiddenLayers: hidden, activation: activation as "relu" | "tanh" | "sigmoid" });
  const rows: Array<{ input: number[]; output: number[] }> = [];
  const { x, y } = d.train;
  for (let i = 0; i < d.train.n; i++) {
    const output = new Array<number>(d.classes).fill(0);
    output[y[i]] = 1;
    rows.push({ input: Array.from(x.subarray(i * d.features, (i + 1) * d.features)), output });
  }
  const { preparedData } = net.prepTraining(rows, { iterations: 1, learningRate: 0.01, momentum: 0.9, errorThresh: 1e-9 });
  return epochs(() => net.trainPatterns(preparedData));
}

/**
 * A Python that can import torch: $ACTBENCH_PYTHON, else `python3` on the PATH,
 * else Debian's /usr/bin/python3 (where `apt-get install python3-torch`, PyTorch
 * 1.13, puts it); null when none can.
 */
let torchPython: string | null | undefined;
function findTorchPython(): string | null {
  if (torchPython !== undefined) return torchPython;
  torchPython = null;
  for (const py of [process.env.ACTBENCH_PYTHON, "python3", "/usr/bin/python3"]) {
    if (!py) continue;
    try {
      execFileSync(py, ["-c", "import torch"], { stdio: "ignore" });
      torchPython = py;
      break;
    } catch {
      // not this one
    }
  }
  return torchPython;
}

function torchSamplesPerS(sizes: number[], activation: string, n: number): number | null {
  const py = findTorchPython();
  if (!py) return null;
  const script = fileURLToPath(new URL("./torch_mlp.py", import.meta.url));
  const out = execFileSync(py, [script, "--sizes", sizes.join(","), "--activation", activation, "--n", String(n), "--batch", String(BATCH), "--repeats", String(REPEATS)], {
    encoding: "utf8",
    // One thread throughout: torch.set_num_threads(1) does not reach the BLAS library's own thread pool.
    env: { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1", MKL_NUM_THREADS: "1" },
  });
  return (JSON.parse(out.trim().split("\n").pop()!) as { samples_per_s: number }).samples_per_s;
}

function fmt(v: number | null, width = 9): string {
  return (v === null ? "-" : v.toFixed(0)).padStart(width);
}

/**
 * Rounds: each round measures every row, and within a row every engine, once,
 * in turn. A slow spell of the shared machine (they last minutes) then falls
 * on one round of many rows rather than on every round of one row, and the
 * per-round ratios compare engines measured back to back.
 */
const ROUNDS = Number(process.env.ROUNDS ?? 3);

interface Row {
  label: string;
  sizes: number[];
  activation: string;
  n: number;
}
interface Round {
  wasm: number;
  ts: number;
  brain: number | null;
  torch: number | null;
}

/**
 * One round of a row. PyTorch runs between two wasm measurements (their
 * mean is the round's wasm figure), so that the ratio the target is about
 * compares figures taken seconds apart; brain.js alone takes half a minute
 * for a row, long enough for this machine's speed to drift.
 */
function measureRound(row: Row, d: Dataset): Round {
  const perS = (ms: number[] | null) => (ms ? (row.n / median(ms)) * 1000 : null);
  const before = perS(pathEpochs(d, row.sizes, row.activation, wasmCompute))!;
  const torch = torchSamplesPerS(row.sizes, row.activation, row.n);
  const after = perS(pathEpochs(d, row.sizes, row.activation, wasmCompute))!;
  return {
    wasm: (before + after) / 2,
    torch,
    ts: perS(pathEpochs(d, row.sizes, row.activation, typescriptCompute))!,
    brain: perS(brainEpochs(d, row.sizes.slice(1, -1), row.activation)),
  };
}

function printRow(row: Row, rounds: Round[]): void {
  const med = (f: (x: Round) => number | null) => {
    const v = rounds.map(f).filter((x): x is number => x !== null);
    return v.length ? median(v) : null;
  };
  // Ratios are medians of the per-round ratios (each round measured its engines back to back).
  const rat = (f: (x: Round) => number | null) => {
    const v = med((x) => {
      const b = f(x);
      return b === null ? null : x.wasm / b;
    });
    return (v === null ? "-" : `${v.toFixed(2)}x`).padStart(8);
  };
  console.log(
    `${row.label.padEnd(24)}${fmt(med((x) => x.wasm))}${fmt(med((x) => x.ts))}${fmt(med((x) => x.brain))}${fmt(med((x) => x.torch))}` +
      `${rat((x) => x.ts)}${rat((x) => x.brain)}${rat((x) => x.torch)}`,
  );
}

if (!wasmAvailable()) {
  console.error(`wasm path unavailable: ${wasmUnavailableReason()}`);
  process.exit(1);
}
console.log(`wasm benchmark: samples/s for one epoch, batch ${BATCH}, momentum, softmax_ce; medians of ${REPEATS} epochs after a warm-up, in ${ROUNDS} rounds over all rows (medians shown)`);
console.log(`node ${process.version}, ${cpus()[0]?.model ?? "unknown cpu"}, ${cpus().length} cores, ${new Date().toISOString().slice(0, 10)}`);
const only = process.argv[2];
if (only === "adaptive") {
  benchAdaptive();
  process.exit(0);
}
console.log(`${"network".padEnd(24)}${"wasm".padStart(9)}${"ts".padStart(9)}${"brain.js".padStart(9)}${"torch".padStart(9)}${"/ts".padStart(8)}${"/brain".padStart(8)}${"/torch".padStart(8)}`);
const rows: Row[] = [];
for (const act of ["relu", "gelu", "silu", "elu", "tanh", "sigmoid"])
  if (!only || only === act || only === "big") rows.push({ label: `784-128-128-10 ${act}`, sizes: [784, 128, 128, 10], activation: act, n: 3000 });
if (!only || only === "small") rows.push({ label: "2-32-32-2 tanh", sizes: [2, 32, 32, 2], activation: "tanh", n: 20000 });
const datasets = rows.map((r) => randomClassification(r.n, r.sizes[0], r.sizes[r.sizes.length - 1], 7));
const results: Round[][] = rows.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  rows.forEach((row, i) => results[i].push(measureRound(row, datasets[i])));
  process.stderr.write(`round ${round + 1} of ${ROUNDS} done\n`);
  // Every round's figures on stderr, to see the spread behind the medians.
  rows.forEach((row, i) => {
    const x = results[i][round];
    process.stderr.write(`  ${row.label.padEnd(24)}${fmt(x.wasm)}${fmt(x.ts)}${fmt(x.brain)}${fmt(x.torch)}\n`);
  });
}
rows.forEach((row, i) => printRow(row, results[i]));

/**
 * `adaptive`: samples/s of the adaptive and combined activations on
 * 784-128-128-10, wasm and TypeScript paths, in rounds. Each round measures
 * every row on the wasm path, back to back (relu first), then on the
 * TypeScript path; the ratio columns are medians over rounds of (this row's
 * figure / relu's in the same round). On the wasm path the GEMMs and the
 * optimizer run in wasm for every row; relu, prelu and swish_beta run their
 * activations in wasm kernels, the rest their TypeScript forms on the wasm
 * memory (the manifest's activation_kernels).
 *
 * The rows "... no kernel" are prelu and swish_beta as copies registered
 * under another name (a user module's definition: no kernel is used for it),
 * i.e. what the wasm path ran before these kernels, each measured right
 * after its kernel row; the last lines give the median of the per-round
 * ratios of the two. Their TypeScript-path figure would be the original's
 * (the same code), so it is not measured.
 */
function benchAdaptive(): void {
  for (const name of ["prelu", "swish_beta"]) defineActivation({ ...getActivation(name).def, name: `${name}_no_kernel` });
  const specs: Array<[string, NetworkActivation]> = [
    ["relu", "relu"],
    ["prelu", "prelu"],
    ["prelu no kernel", "prelu_no_kernel"],
    ["prelu share=layer", { name: "prelu", share: "layer" }],
    ["swish_beta", "swish_beta"],
    ["swish_beta no kernel", "swish_beta_no_kernel"],
    ["swish_beta share=layer", { name: "swish_beta", share: "layer" }],
    ["silu", "silu"],
    ["pelu", "pelu"],
    ["pau", "pau"],
    ["pau share=layer", { name: "pau", share: "layer" }],
    ["mix(relu,tanh,identity)", { mix: ["relu", "tanh", "identity"] }],
    ["layers(tanh,relu)", { layers: ["tanh", "relu"] }],
  ];
  const sizes = [784, 128, 128, 10];
  const n = 3000;
  const d = randomClassification(n, 784, 10, 7);
  const perS = (ms: number[]) => (n / median(ms)) * 1000;
  type Pair = { wasm: number; ts: number | null };
  const rounds: Pair[][] = specs.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    const wasm = specs.map(([, spec]) => perS(pathEpochs(d, sizes, spec, wasmCompute)));
    specs.forEach(([label, spec], i) =>
      rounds[i].push({ wasm: wasm[i], ts: label.endsWith("no kernel") ? null : perS(pathEpochs(d, sizes, spec, typescriptCompute)) }),
    );
    process.stderr.write(`round ${round + 1} of ${ROUNDS} done\n`);
    specs.forEach(([label], i) => process.stderr.write(`  ${label.padEnd(26)}${fmt(rounds[i][round].wasm)}${fmt(rounds[i][round].ts)}\n`));
  }
  /** Median over rounds of f(row i) / f(row j), both from the same round ("-" where f is null). */
  const paired = (i: number, j: number, f: (x: Pair) => number | null) => {
    const v = rounds[i].map((x, r) => [f(x), f(rounds[j][r])]).filter((p): p is number[] => p[0] !== null && p[1] !== null);
    return v.length ? `${median(v.map(([a, b]) => a / b)).toFixed(2)}x` : "-";
  };
  const med = (i: number, f: (x: Pair) => number | null) => {
    const v = rounds[i].map(f).filter((x): x is number => x !== null);
    return v.length ? median(v) : null;
  };
  console.log(`${"784-128-128-10".padEnd(26)}${"wasm".padStart(9)}${"ts".padStart(9)}${"wasm/relu".padStart(11)}${"ts/relu".padStart(9)}${"wasm/ts".padStart(9)}`);
  specs.forEach(([label], i) => {
    const wasmOverTs = rounds[i].filter((x) => x.ts !== null).map((x) => x.wasm / x.ts!);
    console.log(
      `${label.padEnd(26)}${fmt(med(i, (x) => x.wasm))}${fmt(med(i, (x) => x.ts))}` +
        `${paired(i, 0, (x) => x.wasm).padStart(11)}${paired(i, 0, (x) => x.ts).padStart(9)}${(wasmOverTs.length ? `${median(wasmOverTs).toFixed(1)}x` : "-").padStart(9)}`,
    );
  });
  for (const name of ["prelu", "swish_beta"]) {
    const kernel = specs.findIndex(([label]) => label === name);
    const copy = specs.findIndex(([label]) => label === `${name} no kernel`);
    console.log(`${name}: its wasm kernel ran ${paired(kernel, copy, (x) => x.wasm)} as fast as its TypeScript form on the wasm path (median of ${ROUNDS} per-round ratios)`);
  }
}
