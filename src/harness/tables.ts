/**
 * The tidy output tables: runs.csv, curves.csv, layers.csv and
 * activations.csv, built from finished runs in plan order. Their columns are
 * the project's public interface. A value that does not exist is an empty
 * cell (never the text NaN); an infinite value is written as Infinity.
 */
import { createObjectCsvStringifier } from "csv-writer";
import { getActivation } from "../activations/index.js";
import type { ActivationSpec } from "../activations/types.js";
import type { EpochRecord } from "../nn/types.js";
import { canonicalJson } from "./hash.js";
import type { RunOutcome } from "./outcome.js";
import type { RunSpec } from "./plan.js";

type Cell = string | number | undefined;
type Row = Record<string, Cell>;

export const RUN_COLUMNS = [
  "run_id",
  "activation",
  "seed",
  /* grid keys go here */
  "status",
  "diverged_epoch",
  "message",
  "train_loss",
  "val_loss",
  "val_acc",
  "best_val_acc",
  "best_epoch",
  "wall_s",
] as const;

export const CURVE_COLUMNS = ["run_id", "activation", "seed", "epoch", "train_loss", "train_acc", "val_loss", "val_acc", "lr", "wall_ms", "eval_ms", "probe_ms"] as const;

export const LAYER_COLUMNS = [
  "run_id",
  "activation",
  "seed",
  "epoch",
  "layer",
  "units",
  "grad_norm",
  "bias_grad_norm",
  "weight_norm",
  "dead_units",
  "dead_frac",
  "saturated_frac",
  "act_mean",
  "act_std",
  "act_p05",
  "act_p50",
  "act_p95",
] as const;

export const ACTIVATION_COLUMNS = ["activation", "x", "f", "df"] as const;

/** Columns whose values depend on the machine and load; everything else compares byte for byte. */
export const TIMING_COLUMNS: ReadonlySet<string> = new Set(["wall_s", "wall_ms", "eval_ms", "probe_ms"]);

/** A number as a cell: shortest round-trip text; NaN and undefined -> empty. */
export function cell(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "number") {
    if (Number.isNaN(value)) return "";
    return String(value); // Infinity stays "Infinity": it exists, and JS, pandas and DuckDB read it
  }
  if (typeof value === "string") return value;
  return canonicalJson(value);
}

export function toCsv(columns: readonly string[], rows: readonly Row[]): string {
  const s = createObjectCsvStringifier({ header: columns.map((id) => ({ id, title: id })) });
  const clean = rows.map((r) => Object.fromEntries(columns.map((c) => [c, cell(r[c])])));
  return s.getHeaderString() + s.stringifyRecords(clean);
}

/** runs.csv columns for these grid keys. */
export function runColumns(gridKeys: readonly string[]): string[] {
  return [...RUN_COLUMNS.slice(0, 3), ...gridKeys, ...RUN_COLUMNS.slice(3)];
}

/** The record with the best validation figure: highest val_acc, else lowest val_loss; first one on ties. */
function best(records: readonly EpochRecord[]): EpochRecord | undefined {
  let pick: EpochRecord | undefined;
  const hasAcc = records.some((r) => Number.isFinite(r.val_acc));
  for (const r of records) {
    if (hasAcc) {
      if (Number.isFinite(r.val_acc) && (pick === undefined || r.val_acc! > pick.val_acc!)) pick = r;
    } else if (Number.isFinite(r.val_loss) && (pick === undefined || r.val_loss! < pick.val_loss!)) pick = r;
  }
  return pick;
}

export function runRow(run: RunSpec, out: RunOutcome): Row {
  // A diverged run has no final figures (its last record predates the divergence); its best ones stand.
  const last = out.status === "ok" ? out.records[out.records.length - 1] : undefined;
  const top = best(out.records);
  const row: Row = {
    run_id: run.runId,
    activation: run.activation,
    seed: run.seed,
    status: out.status,
    diverged_epoch: out.divergedEpoch,
    message: out.message,
    train_loss: last?.train_loss,
    val_loss: last?.val_loss,
    val_acc: last?.val_acc,
    best_val_acc: top?.val_acc,
    best_epoch: top?.epoch,
    wall_s: out.wall_s,
  };
  for (const [key, value] of Object.entries(run.grid)) row[key] = cell(value);
  return row;
}

export function curveRows(run: RunSpec, out: RunOutcome): Row[] {
  return out.records.map((r) => ({
    run_id: run.runId,
    activation: run.activation,
    seed: run.seed,
    epoch: r.epoch,
    train_loss: r.train_loss,
    train_acc: r.train_acc,
    val_loss: r.val_loss,
    val_acc: r.val_acc,
    lr: r.lr,
    wall_ms: r.wall_ms,
    eval_ms: r.eval_ms,
    probe_ms: r.probe_ms,
  }));
}

export function layerRows(run: RunSpec, out: RunOutcome): Row[] {
  const rows: Row[] = [];
  for (const r of out.records)
    for (const l of r.layers)
      rows.push({
        run_id: run.runId,
        activation: run.activation,
        seed: run.seed,
        epoch: r.epoch,
        layer: l.layer,
        units: l.units,
        grad_norm: l.grad_norm,
        bias_grad_norm: l.bias_grad_norm,
        weight_norm: l.weight_norm,
        dead_units: l.dead_units,
        dead_frac: l.dead_frac,
        saturated_frac: l.saturated_frac,
        act_mean: l.act_mean,
        act_std: l.act_std,
        act_p05: l.act_p05,
        act_p50: l.act_p50,
        act_p95: l.act_p95,
      });
  return rows;
}

/** f and f' of each activation on [-5, 5] in steps of 0.05 (201 points), for the report's chart. */
export function activationRows(specs: ReadonlyArray<{ spec: ActivationSpec; label: string }>): Row[] {
  const rows: Row[] = [];
  for (const { spec, label } of specs) {
    const act = getActivation(spec);
    for (let i = 0; i <= 200; i++) {
      const x = (i - 100) / 20; // exact decimals: -5, -4.95, ...
      rows.push({ activation: label, x, f: act.f(x), df: act.df(x) });
    }
  }
  return rows;
}
