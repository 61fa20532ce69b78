/**
 * Reading a results folder (the harness's output) into typed rows.
 *
 * The CSV columns are the harness's public interface (issue 6). A missing
 * value is an empty cell; here it becomes NaN so that arithmetic skips it
 * explicitly (every aggregate filters with Number.isFinite).
 */
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { UserError } from "../errors.js";

export type RunStatus = "ok" | "diverged" | "failed";

/** One row of runs.csv. */
export interface RunRow {
  run_id: string;
  activation: string;
  seed: number;
  /** Grid key (dotted, e.g. `model.hidden`) -> the cell's text. */
  grid: Record<string, string>;
  status: RunStatus;
  diverged_epoch: number;
  message: string;
  train_loss: number;
  val_loss: number;
  val_acc: number;
  best_val_acc: number;
  best_epoch: number;
  wall_s: number;
}

/** One row of curves.csv (one run at one epoch; epoch 0 = untrained). */
export interface CurveRow {
  run_id: string;
  activation: string;
  seed: number;
  epoch: number;
  train_loss: number;
  train_acc: number;
  val_loss: number;
  val_acc: number;
  lr: number;
  wall_ms: number;
}

/** One row of layers.csv (one weight layer of one run at one epoch). */
export interface LayerRow {
  run_id: string;
  activation: string;
  seed: number;
  epoch: number;
  /** Weight layers counted from 1; the last is the output layer. */
  layer: number;
  units: number;
  grad_norm: number;
  bias_grad_norm: number;
  weight_norm: number;
  dead_units: number;
  dead_frac: number;
  saturated_frac: number;
  act_mean: number;
  act_std: number;
  act_p05: number;
  act_p50: number;
  act_p95: number;
}

/** One sample of an activation and its derivative (activations.csv). */
export interface ActivationSample {
  activation: string;
  x: number;
  f: number;
  df: number;
}

/** The manifest, as far as the report reads it; everything else is kept as unknown. */
export interface Manifest {
  config?: Record<string, unknown>;
  runs?: Array<{ run_id: string; status?: string; [k: string]: unknown }>;
  /** Optional compute cost per activation label or canonical name (ns per element). */
  activation_cost?: Record<string, { f_ns?: number; df_ns?: number } | number>;
  [k: string]: unknown;
}

/** Everything the report needs from one results folder. */
export interface Results {
  dir: string;
  manifest: Manifest;
  runs: RunRow[];
  curves: CurveRow[];
  layers: LayerRow[];
  activationSamples: ActivationSample[];
  /** Grid keys in column order (columns of runs.csv the harness adds per grid key). */
  gridKeys: string[];
}

/** Columns of runs.csv that are not grid keys. */
const RUN_COLUMNS = new Set([
  "run_id", "activation", "seed", "status", "diverged_epoch", "message", "train_loss",
  "val_loss", "val_acc", "best_val_acc", "best_epoch", "wall_s",
]);

type Cells = Record<string, string>;

function readCsv(path: string): { columns: string[]; rows: Cells[] } {
  const text = readFileSync(path, "utf8");
  let columns: string[] = [];
  const rows = parse(text, {
    columns: (header: string[]) => (columns = header),
    skip_empty_lines: true,
  }) as Cells[];
  return { columns, rows };
}

/** Empty cell (or a stray "NaN") -> NaN; anything else must be a number. */
function num(cells: Cells, key: string): number {
  const s = (cells[key] ?? "").trim();
  if (s === "") return NaN;
  const v = Number(s);
  return v;
}

function str(cells: Cells, key: string): string {
  return cells[key] ?? "";
}

function toStatus(s: string, file: string, runId: string): RunStatus {
  if (s === "ok" || s === "diverged" || s === "failed") return s;
  throw new UserError(`${file}: run ${runId} has status "${s}"; expected ok, diverged or failed`);
}

/** Reads a results folder. Throws UserError when it is not one. */
export function loadResults(dir: string): Results {
  const runsPath = join(dir, "runs.csv");
  if (!existsSync(runsPath))
    throw new UserError(`${dir}: no runs.csv here; expected a results folder written by \`actbench run\``);
  const manifestPath = join(dir, "manifest.json");
  let manifest: Manifest = {};
  if (existsSync(manifestPath)) {
    try {
      manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
    } catch (e) {
      throw new UserError(`${manifestPath}: not valid JSON (${(e as Error).message})`);
    }
  }
  const runsCsv = readCsv(runsPath);
  const gridKeys = runsCsv.columns.filter((c) => !RUN_COLUMNS.has(c));
  const runs: RunRow[] = runsCsv.rows.map((c) => ({
    run_id: str(c, "run_id"),
    activation: str(c, "activation"),
    seed: num(c, "seed"),
    grid: Object.fromEntries(gridKeys.map((k) => [k, str(c, k)])),
    status: toStatus(str(c, "status"), runsPath, str(c, "run_id")),
    diverged_epoch: num(c, "diverged_epoch"),
    message: str(c, "message"),
    train_loss: num(c, "train_loss"),
    val_loss: num(c, "val_loss"),
    val_acc: num(c, "val_acc"),
    best_val_acc: num(c, "best_val_acc"),
    best_epoch: num(c, "best_epoch"),
    wall_s: num(c, "wall_s"),
  }));

  const optional = (name: string): Cells[] => {
    const p = join(dir, name);
    return existsSync(p) ? readCsv(p).rows : [];
  };
  const curves: CurveRow[] = optional("curves.csv").map((c) => ({
    run_id: str(c, "run_id"),
    activation: str(c, "activation"),
    seed: num(c, "seed"),
    epoch: num(c, "epoch"),
    train_loss: num(c, "train_loss"),
    train_acc: num(c, "train_acc"),
    val_loss: num(c, "val_loss"),
    val_acc: num(c, "val_acc"),
    lr: num(c, "lr"),
    wall_ms: num(c, "wall_ms"),
  }));
  const layers: LayerRow[] = optional("layers.csv").map((c) => ({
    run_id: str(c, "run_id"),
    activation: str(c, "activation"),
    seed: num(c, "seed"),
    epoch: num(c, "epoch"),
    layer: num(c, "layer"),
    units: num(c, "units"),
    grad_norm: num(c, "grad_norm"),
    bias_grad_norm: num(c, "bias_grad_norm"),
    weight_norm: num(c, "weight_norm"),
    dead_units: num(c, "dead_units"),
    dead_frac: num(c, "dead_frac"),
    saturated_frac: num(c, "saturated_frac"),
    act_mean: num(c, "act_mean"),
    act_std: num(c, "act_std"),
    act_p05: num(c, "act_p05"),
    act_p50: num(c, "act_p50"),
    act_p95: num(c, "act_p95"),
  }));
  const activationSamples: ActivationSample[] = optional("activations.csv").map((c) => ({
    activation: str(c, "activation"),
    x: num(c, "x"),
    f: num(c, "f"),
    df: num(c, "df"),
  }));
  return { dir, manifest, runs, curves, layers, activationSamples, gridKeys };
}
