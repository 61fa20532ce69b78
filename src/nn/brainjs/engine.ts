/**
 * The brain.js engine (`engine: brainjs`): per-sample training exactly as
 * brain.js trains (its trainPattern: forward, deltas, adjustWeights), with any
 * registry activation, seeded like the native engine and probed with the same
 * columns.
 *
 * - Seeded: the starting weights are the native engine's for the same seed
 *   and init scheme (brain.js would draw them from Math.random).
 * - Shuffled here: brain.js visits samples in array order; each epoch's order
 *   comes from the run's shuffle stream, the same order the native engine uses.
 * - Evaluated, not the online error: brain.js's train() reports the mean
 *   error seen while the weights were changing; the records here come from
 *   full evaluation passes on a snapshot of the weights (the native engine's
 *   probes, so both engines' columns mean the same).
 * - Stopped on the first non-finite output rather than let NaN run on (brain.js
 *   would keep iterating on NaN).
 */
import type { Dataset } from "../../data/types.js";
import { MLP } from "../mlp.js";
import { EVAL_CHUNK, evaluate, probeLayers } from "../probes.js";
import { runStreams, shuffleInPlace } from "../rng.js";
import { resolveHead } from "../train.js";
import type { EpochRecord, Engine, RunConfig, RunResult } from "../types.js";
import { RegistryNeuralNetwork, type BrainHead } from "./network.js";

/** brain.js's optimizers: its momentum rule (sgd = momentum 0) and its Adam (praxis), nothing else. */
function brainOptimizer(o: RunConfig["train"]["optimizer"]) {
  if (o.weightDecay || o.clipNorm)
    throw new Error("engine brainjs has no weight decay or gradient clipping (brain.js has neither); use engine native");
  switch (o.name) {
    case "sgd":
      return { learningRate: o.lr, momentum: 0 };
    case "momentum":
      return { learningRate: o.lr, momentum: o.momentum ?? 0.9 };
    case "adam":
      return { learningRate: o.lr, praxis: "adam" as const, beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, epsilon: o.eps ?? 1e-8 };
    default:
      throw new Error(`engine brainjs supports optimizers sgd, momentum and adam (brain.js's own), not ${o.name}; use engine native`);
  }
}

export function trainBrainjs(config: RunConfig, data: Dataset): RunResult {
  if (config.train.batchSize !== 1)
    throw new Error(`engine brainjs trains one sample at a time, as brain.js does: train.batchSize must be 1 (found ${config.train.batchSize})`);
  const train = data.train;
  const n = train.n;
  const nin = data.features;
  const nout = data.outputs;
  const classification = data.task === "classification";
  const kind = classification ? "class" : "values";
  const ycols = classification ? 1 : nout;
  const head = resolveHead(config.model.head, data) as BrainHead;
  const sizes = [nin, ...config.model.hidden, nout];

  // The native engine's seeded initial weights, loaded into brain.js's layout.
  const streams = runStreams(config.seed);
  const mirror = new MLP({ sizes, activation: config.activation, head, init: config.model.init, biasInit: config.model.biasInit });
  mirror.initialize(streams.init);
  const net = RegistryNeuralNetwork.fromJSON(mirror.toJSON() as unknown as Parameters<typeof RegistryNeuralNetwork.fromJSON>[0]);
  net.updateTrainingOptions(brainOptimizer(config.train.optimizer));
  if (net.trainOpts.praxis === "adam") net._setupAdam();

  const models: RunResult["models"] = {};
  const wantModels = config.record.models ?? [];
  if (wantModels.includes("init")) models.init = net.toJSON();

  // Probes run on the native mirror, refreshed from brain.js's weights at each record point.
  const probeRows = Math.min(Math.max(1, Math.floor(config.record.probeSize)), n);
  const probeWs = mirror.workspace(probeRows);
  const probeGrads = mirror.newGradients();
  const evalWs = mirror.workspace(Math.min(EVAL_CHUNK, Math.max(n, data.val?.n ?? 0)));
  const sortScratch = new Float32Array(probeRows * Math.max(...sizes));
  const L = sizes.length - 1;
  const stepNorms = config.record.stepGradNorms ? new Float64Array(L) : null;
  const records: EpochRecord[] = [];

  const probe = (epoch: number, wallMs: number): EpochRecord => {
    syncMirror(net, mirror);
    const t0 = performance.now();
    const tr = evaluate(mirror, evalWs, train, kind, classification);
    const va = data.val && data.val.n > 0 ? evaluate(mirror, evalWs, data.val, kind, classification) : undefined;
    const t1 = performance.now();
    const layers = probeLayers(mirror, probeWs, probeGrads, train.x.subarray(0, probeRows * nin), train.y.subarray(0, probeRows * ycols), kind, probeRows, sortScratch);
    if (stepNorms && epoch > 0) for (let k = 0; k < L; k++) layers[k].step_grad_norm = stepNorms[k] / n;
    const rec: EpochRecord = { epoch, train_loss: tr.loss, lr: config.train.optimizer.lr, wall_ms: wallMs, eval_ms: t1 - t0, probe_ms: performance.now() - t1, layers };
    if (tr.acc !== undefined) rec.train_acc = tr.acc;
    if (va) {
      rec.val_loss = va.loss;
      if (va.acc !== undefined) rec.val_acc = va.acc;
    }
    return rec;
  };
  const diverged = (epoch: number, message: string): RunResult => ({ status: "diverged", divergedEpoch: epoch, message, records, models });
  const finite = (r: EpochRecord) => [r.train_loss, r.val_loss ?? 0, ...r.layers.map((l) => l.grad_norm)].every(Number.isFinite);

  const r0 = probe(0, 0);
  if (!finite(r0)) return diverged(0, "the untrained network's loss or probe figures are not finite");
  records.push(r0);

  const idx = new Uint32Array(n);
  const target = new Float32Array(nout);
  const every = Math.max(1, Math.floor(config.record.every));
  const out = net.outputs;
  for (let epoch = 1; epoch <= config.train.epochs; epoch++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) idx[i] = i;
    shuffleInPlace(streams.shuffle, idx);
    if (stepNorms) stepNorms.fill(0);
    for (let s = 0; s < n; s++) {
      const row = idx[s];
      if (classification) {
        target.fill(0);
        target[train.y[row]] = 1;
      } else target.set(train.y.subarray(row * nout, (row + 1) * nout));
      net.trainPattern({ input: train.x.subarray(row * nin, (row + 1) * nin), output: target });
      let check = 0;
      for (const v of out[L]) check += v;
      if (!Number.isFinite(check)) return diverged(epoch, `the network's output became ${check} at epoch ${epoch}, sample ${s + 1} (lr ${config.train.optimizer.lr})`);
      if (stepNorms)
        for (let k = 0; k < L; k++) stepNorms[k] += l2(net.deltas[k + 1]) * l2(out[k]); // ||delta a^T|| = ||delta|| ||a||
    }
    const wallMs = performance.now() - t0;
    if (!weightsFinite(net)) return diverged(epoch, `a weight became non-finite during epoch ${epoch} (lr ${config.train.optimizer.lr})`);
    if (epoch % every === 0 || epoch === config.train.epochs) {
      const rec = probe(epoch, wallMs);
      if (!finite(rec)) return diverged(epoch, `evaluation at epoch ${epoch} gave a non-finite loss or probe figure`);
      const above = config.train.divergeAbove;
      if (above !== undefined && rec.train_loss > above)
        return diverged(epoch, `training loss ${rec.train_loss} at epoch ${epoch} exceeded divergeAbove ${above}`);
      records.push(rec);
    }
  }
  if (wantModels.includes("final")) models.final = net.toJSON();
  return { status: "ok", records, models };
}

/** Copy brain.js's weights, biases and learned activation parameters into the native mirror. */
function syncMirror(net: RegistryNeuralNetwork, mlp: MLP): void {
  for (let k = 0; k < mlp.layerCount; k++) {
    const nin = mlp.sizes[k];
    const rows = net.weights[k + 1];
    for (let j = 0; j < rows.length; j++) mlp.weights[k].set(rows[j], j * nin);
    mlp.biases[k].set(net.biases[k + 1]);
    const act = mlp.acts[k];
    if (act) for (const [name, values] of Object.entries(act.unitParams)) values.set(net.unitParams[k + 1][name]);
  }
}

function weightsFinite(net: RegistryNeuralNetwork): boolean {
  let s = 0;
  for (let l = 1; l < net.sizes.length; l++) {
    for (const row of net.weights[l]) for (let i = 0; i < row.length; i++) s += row[i];
    for (const b of net.biases[l]) s += b;
  }
  return Number.isFinite(s);
}

function l2(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return Math.sqrt(s);
}

export const brainjsEngine: Engine = { name: "brainjs", train: trainBrainjs };
