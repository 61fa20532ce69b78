/**
 * One training run of the native engine: build the MLP from the run seed,
 * train mini-batches reshuffled each epoch from the run's shuffle stream,
 * probe at the record points, stop on divergence.
 */
import type { Dataset } from "../data/types.js";
import type { EpochRecord, Head, RunConfig, RunResult } from "./types.js";
import type { TargetKind } from "./heads.js";
import { MLP } from "./mlp.js";
import { typescriptCompute, wasmCompute, type PathOptions } from "./computePath.js";
import { runStreams, shuffleInPlace } from "./rng.js";
import type { TrainOptsInfo } from "./modelJson.js";
import { wasmAvailable, wasmUnavailableReason } from "./wasm/index.js";

/** The compute path a run uses: `auto` takes WebAssembly when this machine runs it. */
export function resolveKernel(kernel: RunConfig["train"]["kernel"]): "wasm" | "ts" {
  if (kernel === "ts") return "ts";
  if (kernel === "wasm" && !wasmAvailable())
    throw new Error(`train.kernel is wasm but the WebAssembly kernels are unavailable: ${wasmUnavailableReason()} (run npm run build, or use kernel ts)`);
  return wasmAvailable() ? "wasm" : "ts";
}

/** `auto` head: softmax + cross-entropy for classification, linear + MSE for regression. */
export function resolveHead(head: Head | "auto", data: Dataset): Head {
  if (head !== "auto") return head;
  return data.task === "classification" ? "softmax_ce" : "linear_mse";
}

/** Sum of all parameters: NaN or infinite exactly when some parameter is (float32 values cannot overflow a float64 sum). */
function paramsFinite(params: Float32Array[]): boolean {
  let s = 0;
  for (const p of params) for (let i = 0; i < p.length; i++) s += p[i];
  return Number.isFinite(s);
}

function recordFinite(r: EpochRecord): boolean {
  const nums: Array<number | undefined> = [r.train_loss, r.train_acc, r.val_loss, r.val_acc];
  for (const l of r.layers)
    nums.push(l.grad_norm, l.bias_grad_norm, l.weight_norm, l.step_grad_norm, l.saturated_frac, l.act_mean, l.act_std, l.act_p05, l.act_p50, l.act_p95, l.unit_mean_median, l.preact_sq_mean);
  return nums.every((v) => v === undefined || Number.isFinite(v));
}

function trainOptsInfo(config: RunConfig, epochs: number): TrainOptsInfo {
  const o = config.train.optimizer;
  const adam = o.name === "adam" || o.name === "adamw";
  return {
    optimizer: o,
    learningRate: o.lr,
    momentum: o.name === "momentum" || o.name === "nesterov" ? (o.momentum ?? 0.9) : 0,
    iterations: epochs,
    ...(adam ? { praxis: "adam" as const, beta1: o.beta1 ?? 0.9, beta2: o.beta2 ?? 0.999, epsilon: o.eps ?? 1e-8 } : {}),
  };
}

/**
 * Train one run. Deterministic: the result (all but the wall_ms column) is a
 * pure function of config and data. Divergence (non-finite loss or parameter,
 * or loss above divergeAbove) ends the run with status `diverged`; the records
 * then hold only the record points before it, and no `final` model is returned.
 */
export function trainNative(config: RunConfig, data: Dataset): RunResult {
  const train = data.train;
  const n = train.n;
  if (n < 1) throw new Error(`dataset ${data.name}: the training split is empty`);
  const { epochs, optimizer } = config.train;
  const batch = Math.min(Math.max(1, Math.floor(config.train.batchSize)), n);
  const every = Math.max(1, Math.floor(config.record.every));
  const classification = data.task === "classification";
  const kind: TargetKind = classification ? "class" : "values";
  const ycols = classification ? 1 : data.outputs;
  const nin = data.features;

  const head = resolveHead(config.model.head, data);
  const mlp = new MLP({
    sizes: [nin, ...config.model.hidden, data.outputs],
    activation: config.activation,
    head,
    init: config.model.init,
    biasInit: config.model.biasInit,
  });
  const streams = runStreams(config.seed);
  mlp.initialize(streams.init);

  const models: RunResult["models"] = {};
  const wantModels = config.record.models ?? [];
  if (wantModels.includes("init")) models.init = mlp.toJSON(trainOptsInfo(config, 0));

  const paramValues = mlp.parameters().map((p) => p.value);
  const probeRows = Math.min(Math.max(1, Math.floor(config.record.probeSize)), n);
  const pathOptions: PathOptions = {
    optimizer,
    batch,
    kind,
    classification,
    probeX: train.x.subarray(0, probeRows * nin),
    probeY: train.y.subarray(0, probeRows * ycols),
    probeRows,
    largestSplit: Math.max(n, data.val?.n ?? 0),
  };
  const path = resolveKernel(config.train.kernel) === "wasm" ? wasmCompute(mlp, pathOptions) : typescriptCompute(mlp, pathOptions);

  const L = mlp.layerCount;
  const stepNorms = config.record.stepGradNorms ? new Float64Array(L) : null;
  const records: EpochRecord[] = [];

  /** A record point; `mlp` must hold the trained parameters (path.sync()). Probes only read. */
  const probe = (epoch: number, wallMs: number, batches: number): EpochRecord => {
    const t0 = performance.now();
    const tr = path.evaluate(train);
    const va = data.val && data.val.n > 0 ? path.evaluate(data.val) : undefined;
    const t1 = performance.now();
    const layers = path.probe();
    const t2 = performance.now();
    if (stepNorms && epoch > 0) for (let k = 0; k < L; k++) layers[k].step_grad_norm = stepNorms[k] / batches;
    // Fields in the order of EpochRecord; absent ones left out rather than undefined.
    return {
      epoch,
      train_loss: tr.loss,
      ...(tr.acc !== undefined ? { train_acc: tr.acc } : {}),
      ...(va ? { val_loss: va.loss } : {}),
      ...(va?.acc !== undefined ? { val_acc: va.acc } : {}),
      lr: optimizer.lr,
      wall_ms: wallMs,
      eval_ms: t1 - t0,
      probe_ms: t2 - t1,
      layers,
    };
  };

  const diverged = (epoch: number, message: string): RunResult => ({ status: "diverged", divergedEpoch: epoch, message, records, models });

  path.sync();
  const r0 = probe(0, 0, 0);
  if (!recordFinite(r0)) return diverged(0, "the untrained network's loss or probe figures are not finite");
  records.push(r0);

  const idx = new Uint32Array(n);
  const xb = path.x;
  const yb = path.y;
  const tx = train.x;
  const ty = train.y;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) idx[i] = i;
    shuffleInPlace(streams.shuffle, idx);
    if (stepNorms) stepNorms.fill(0);
    let batches = 0;
    let lossSum = 0;
    for (let b0 = 0; b0 < n; b0 += batch) {
      const rows = Math.min(batch, n - b0);
      // Gather the batch's rows: a block copy per row (a JS loop over 784 floats costs ~10% of an MNIST epoch).
      for (let r = 0; r < rows; r++) {
        const src = idx[b0 + r];
        const xs = src * nin;
        xb.set(tx.subarray(xs, xs + nin), r * nin);
        const ys = src * ycols;
        const yd = r * ycols;
        for (let c = 0; c < ycols; c++) yb[yd + c] = ty[ys + c];
      }
      const loss = path.step(rows, stepNorms);
      // A non-finite parameter makes the next batch's loss non-finite; the last batch's update is
      // caught by the parameter check at the end of the epoch.
      if (!Number.isFinite(loss))
        return diverged(epoch, `training loss became ${loss} at epoch ${epoch}, batch ${batches + 1} (lr ${optimizer.lr})`);
      batches++;
      lossSum += loss;
    }
    const wallMs = performance.now() - t0;
    path.sync();
    if (!paramsFinite(paramValues)) return diverged(epoch, `a parameter became non-finite during epoch ${epoch} (lr ${optimizer.lr})`);
    const above = config.train.divergeAbove;
    if (above !== undefined && lossSum / batches > above)
      return diverged(epoch, `mean training loss ${lossSum / batches} of epoch ${epoch} exceeded divergeAbove ${above}`);
    if (epoch % every === 0 || epoch === epochs) {
      const rec = probe(epoch, wallMs, batches);
      if (!recordFinite(rec)) return diverged(epoch, `evaluation at epoch ${epoch} gave a non-finite loss or probe figure`);
      if (above !== undefined && rec.train_loss > above)
        return diverged(epoch, `training loss ${rec.train_loss} at epoch ${epoch} exceeded divergeAbove ${above}`);
      records.push(rec);
    }
  }
  if (wantModels.includes("final")) models.final = mlp.toJSON(trainOptsInfo(config, epochs));
  return { status: "ok", records, models };
}
