/**
 * The training loop, the only one: every engine and compute path (wasm,
 * TypeScript, brain.js) trains through train(). It owns what must mean the
 * same whatever computes: the network and its seeded initial weights, the
 * batch order (reshuffled each epoch from the run's shuffle stream), the
 * record points and what they hold, the divergence rules, the per-step
 * gradient norms and the model snapshots. A compute path (computePath.ts)
 * only computes: a step on a gathered batch, an evaluation pass, a probe.
 */
import type { Dataset, Split } from "../data/types.js";
import type { EpochRecord, Head, RunConfig, RunResult } from "./types.js";
import type { TargetKind } from "./heads.js";
import { HeldOutTest } from "./heldOut.js";
import { MLP } from "./mlp.js";
import { withScaling } from "./modelJson.js";
import { typescriptCompute, wasmCompute, type ComputePath, type PathFactory, type PathOptions } from "./computePath.js";
import { paramRecords, type Evaluation } from "./probes.js";
import { runStreams, shuffleInPlace } from "./rng.js";
import { wasmAvailable, wasmUnavailableReason } from "./wasm/index.js";

/** The compute path a native run uses: `auto` takes WebAssembly when this machine runs it. */
export function resolveKernel(kernel: RunConfig["train"]["kernel"]): "wasm" | "ts" {
  if (kernel === "ts") return "ts";
  if (kernel === "wasm" && !wasmAvailable())
    throw new Error(`train.kernel is wasm but the WebAssembly kernels are unavailable: ${wasmUnavailableReason()} (run npm run build, or use kernel ts)`);
  return wasmAvailable() ? "wasm" : "ts";
}

/** The native engine's path for a `train.kernel` setting. */
export function nativeCompute(kernel: RunConfig["train"]["kernel"]): PathFactory {
  return resolveKernel(kernel) === "wasm" ? wasmCompute : typescriptCompute;
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

/** Every figure of a record point is finite (absent ones do not count): a new column is covered without a change here. */
function recordFinite(r: EpochRecord): boolean {
  const finite = (o: object) => Object.values(o).every((v) => typeof v !== "number" || Number.isFinite(v));
  return finite(r) && r.layers.every(finite);
}

/** The loss and accuracy columns of one evaluated split: `<split>_loss`, `<split>_acc` (accuracy for classification only). */
function splitFigures(split: "train" | "val", e: Evaluation | undefined): Partial<EpochRecord> {
  if (!e) return {};
  return { [`${split}_loss`]: e.loss, ...(e.acc !== undefined ? { [`${split}_acc`]: e.acc } : {}) };
}

/** What one epoch's steps add up to. */
export interface EpochSums {
  batches: number;
  /** Sum over the batches of each batch's mean loss. */
  lossSum: number;
  /** Sum over the batches of each batch's mean loss times its rows: / rows is the epoch's running loss. */
  rowLossSum: number;
  /** Rows the steps classified correctly before their updates (when the path counts them). */
  correct: number;
}

/** A batch whose loss was not finite: the epoch stopped there. */
export interface BadBatch {
  batch: number;
  loss: number;
}

/**
 * One pass over `split`'s rows in `order`, in batches of `batch`: each batch
 * gathered into the path's buffers, then one step. Stops at the first batch
 * whose loss is not finite (its update is not applied on the native paths).
 */
export function runEpoch(path: ComputePath, split: Split, order: Uint32Array, batch: number, stepNorms: Float64Array | null): EpochSums | BadBatch {
  const n = order.length;
  const nin = split.x.length / split.n;
  const ycols = split.y.length / split.n;
  const { x: xb, y: yb } = path;
  const tx = split.x;
  const ty = split.y;
  let batches = 0;
  let lossSum = 0;
  let rowLossSum = 0;
  let correct = 0;
  for (let b0 = 0; b0 < n; b0 += batch) {
    const rows = Math.min(batch, n - b0);
    // Gather the batch's rows: a block copy per row (a JS loop over 784 floats costs ~10% of an MNIST epoch).
    for (let r = 0; r < rows; r++) {
      const src = order[b0 + r];
      const xs = src * nin;
      xb.set(tx.subarray(xs, xs + nin), r * nin);
      const ys = src * ycols;
      const yd = r * ycols;
      for (let c = 0; c < ycols; c++) yb[yd + c] = ty[ys + c];
    }
    const loss = path.step(rows, stepNorms);
    batches++;
    if (!Number.isFinite(loss)) return { batch: batches, loss };
    lossSum += loss;
    rowLossSum += loss * rows;
    correct += path.lastCorrect();
  }
  return { batches, lossSum, rowLossSum, correct };
}

/**
 * Train one run on the compute path `makePath` makes. Deterministic: the
 * result (all but the timing columns) is a pure function of config, data and
 * path. Divergence (a non-finite loss, parameter or record figure, or a loss
 * above divergeAbove) ends the run with status `diverged`; the records then
 * hold only the record points before it, and no `final` model is returned.
 */
export function train(config: RunConfig, data: Dataset, makePath: PathFactory): RunResult {
  const split = data.train;
  const n = split.n;
  if (n < 1) throw new Error(`dataset ${data.name}: the training split is empty`);
  const { epochs, optimizer } = config.train;
  const batch = Math.min(Math.max(1, Math.floor(config.train.batchSize)), n);
  const every = Math.max(1, Math.floor(config.record.every));
  const running = (config.record.trainMetrics ?? "running") === "running";
  const classification = data.task === "classification";
  const kind: TargetKind = classification ? "class" : "values";
  const ycols = classification ? 1 : data.outputs;
  const nin = data.features;

  // The network and its seeded initial weights, the same for every path; each path trains its own
  // copy of them and syncs it back here for the record points.
  const mlp = new MLP({
    sizes: [nin, ...config.model.hidden, data.outputs],
    activation: config.activation,
    head: resolveHead(config.model.head, data),
    init: config.model.init,
    biasInit: config.model.biasInit,
  });
  const streams = runStreams(config.seed);
  mlp.initialize(streams.init);

  const probeRows = Math.min(Math.max(1, Math.floor(config.record.probeSize)), n);
  const pathOptions: PathOptions = {
    optimizer,
    batch,
    kind,
    classification,
    probeX: split.x.subarray(0, probeRows * nin),
    probeY: split.y.subarray(0, probeRows * ycols),
    probeRows,
    largestSplit: Math.max(n, data.val?.n ?? 0, data.test?.n ?? 0),
    countCorrect: running && classification,
  };
  const path = makePath(mlp, pathOptions);
  // The test split: evaluated only for the figures it reports, never for a decision (heldOut.ts).
  const held = data.test && data.test.n > 0 ? new HeldOutTest(data.test, (s) => path.evaluate(s)) : undefined;

  const models: RunResult["models"] = {};
  const wantModels = config.record.models ?? [];
  const paramValues = mlp.parameters().map((p) => p.value);
  const L = mlp.layerCount;
  const stepNorms = config.record.stepGradNorms ? new Float64Array(L) : null;
  const records: EpochRecord[] = [];

  /**
   * A record point; `mlp` must hold the trained parameters (path.sync()).
   * Evaluation and probes only read. A figure added to EpochRecord is filled
   * here (an evaluated split: one more splitFigures line). `sums` is null at
   * epoch 0, which has no batches to average: its train figures are a full pass.
   */
  const record = (epoch: number, wallMs: number, sums: EpochSums | null): EpochRecord => {
    const t0 = performance.now();
    const tr: Evaluation =
      running && sums ? { loss: sums.rowLossSum / n, ...(classification ? { acc: sums.correct / n } : {}) } : path.evaluate(split);
    const va = data.val && data.val.n > 0 ? path.evaluate(data.val) : undefined;
    const t1 = performance.now();
    const layers = path.probe();
    const params = paramRecords(mlp);
    const t2 = performance.now();
    if (stepNorms && sums) for (let k = 0; k < L; k++) layers[k].step_grad_norm = stepNorms[k] / sums.batches;
    return {
      epoch,
      ...(splitFigures("train", tr) as { train_loss: number }),
      ...splitFigures("val", va),
      lr: optimizer.lr,
      wall_ms: wallMs,
      eval_ms: t1 - t0,
      probe_ms: t2 - t1,
      layers,
      ...(params.length ? { params } : {}),
    };
  };

  const result = (status: RunResult["status"], extra: Partial<RunResult> = {}): RunResult => ({
    status,
    ...extra,
    records,
    models,
    compute: path.info,
    // A finished run's path holds its last record point's parameters now (the final model).
    ...(held ? { test: held.figures(status === "ok" ? records[records.length - 1] : undefined) } : {}),
  });
  const diverged = (epoch: number, message: string): RunResult => result("diverged", { divergedEpoch: epoch, message });

  path.sync();
  if (wantModels.includes("init")) models.init = withScaling(path.snapshot(0), data.scaling);
  const r0 = record(0, 0, null);
  if (!recordFinite(r0)) return diverged(0, "the untrained network's loss or probe figures are not finite");
  records.push(r0);
  held?.keep(r0);

  const order = new Uint32Array(n);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) order[i] = i;
    shuffleInPlace(streams.shuffle, order);
    if (stepNorms) stepNorms.fill(0);
    const sums = runEpoch(path, split, order, batch, stepNorms);
    // A non-finite parameter makes the next batch's loss non-finite; the last batch's update is
    // caught by the parameter check below.
    if ("loss" in sums) return diverged(epoch, `training loss became ${sums.loss} at epoch ${epoch}, batch ${sums.batch} (lr ${optimizer.lr})`);
    const wallMs = performance.now() - t0;
    path.sync();
    if (!paramsFinite(paramValues)) return diverged(epoch, `a parameter became non-finite during epoch ${epoch} (lr ${optimizer.lr})`);
    const above = config.train.divergeAbove;
    if (above !== undefined && sums.lossSum / sums.batches > above)
      return diverged(epoch, `mean training loss ${sums.lossSum / sums.batches} of epoch ${epoch} exceeded divergeAbove ${above}`);
    if (epoch % every === 0 || epoch === epochs) {
      const rec = record(epoch, wallMs, sums);
      if (!recordFinite(rec)) return diverged(epoch, `evaluation at epoch ${epoch} gave a non-finite loss or probe figure`);
      if (above !== undefined && rec.train_loss > above)
        return diverged(epoch, `training loss ${rec.train_loss} at epoch ${epoch} exceeded divergeAbove ${above}`);
      records.push(rec);
      held?.keep(rec);
    }
  }
  if (wantModels.includes("final")) models.final = withScaling(path.snapshot(epochs), data.scaling);
  return result("ok");
}

/** The native engine's run: train() on the path `train.kernel` names. */
export function trainNative(config: RunConfig, data: Dataset): RunResult {
  return train(config, data, nativeCompute(config.train.kernel));
}
