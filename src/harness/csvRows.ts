/**
 * The rows of the tidy output files (runs.csv, curves.csv, layers.csv,
 * params.csv, activations.csv), built from finished runs, and their CSV text. The columns
 * are those of the results schema (results/schema.ts); a value that does not
 * exist is an empty cell (never the text NaN); an infinite value is written as
 * Infinity.
 */
import { createObjectCsvStringifier } from "csv-writer";
import { getActivation } from "../activations/index.js";
import { activationCurve, type CurvePoint } from "../activations/curve.js";
import type { NetworkActivation } from "../activations/types.js";
import { isPerLayer } from "../nn/mlp.js";
import { CURVE_FIELDS, LAYER_FIELDS, PARAM_FIELDS, type EpochRecord, type RunField } from "../results/schema.js";
import { bestRecord } from "../results/best.js";
import { gridCells } from "./grid-cells.js";
import { canonicalJson } from "./hash.js";
import type { RunOutcome } from "./outcome.js";
import type { RunKey } from "./plan.js";

type Cell = string | number | undefined;
type Row = Record<string, Cell>;

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
  // No rows: the header alone (csv-writer would add an empty line, which CSV readers take for a row of one empty cell).
  return clean.length ? s.getHeaderString() + s.stringifyRecords(clean) : s.getHeaderString()!;
}

/**
 * A network is collapsed when some hidden layer's activations are all exactly 0
 * on every probe row: nothing passes that layer, so the output is the same
 * constant for every probe row and no gradient reaches the layers below
 * (Lu et al. 2019's "born dead" network, when it holds at epoch 0).
 */
export function collapsed(r: EpochRecord): boolean {
  return r.layers.some((l) => l.zero_frac === 1);
}

export function runRow(run: RunKey, out: RunOutcome): Row {
  // A diverged run has no final figures (its last record predates the divergence); its best ones stand.
  const last = out.status === "ok" ? out.records[out.records.length - 1] : undefined;
  const top = bestRecord(out.records);
  const test = out.test ?? {};
  // Typed by the schema's list: a runs.csv column added there must be filled here.
  const fields: Record<RunField, Cell> = {
    status: out.status,
    diverged_epoch: out.divergedEpoch,
    message: out.message,
    train_loss: last?.train_loss,
    val_loss: last?.val_loss,
    val_acc: last?.val_acc,
    best_val_acc: top?.val_acc,
    best_val_loss: lowestValLoss(out.records),
    best_epoch: top?.epoch,
    test_loss: test.test_loss,
    test_acc: test.test_acc,
    best_test_loss: test.best_test_loss,
    best_test_acc: test.best_test_acc,
    collapsed: last && (collapsed(last) ? 1 : 0),
    wall_s: out.wall_s,
  };
  return { ...keyOf(run), ...fields };
}

/** The lowest validation loss over the record points (a diverged run's too: the figures it reached stand). */
function lowestValLoss(records: readonly EpochRecord[]): number | undefined {
  const losses = records.map((r) => r.val_loss).filter((v): v is number => Number.isFinite(v));
  return losses.length > 0 ? Math.min(...losses) : undefined;
}

/** The key columns and the grid columns (the run's grid point, flattened) of every row of this run. */
function keyOf(run: RunKey): Row {
  const row: Row = { run_id: run.runId, activation: run.activation, seed: run.seed };
  for (const [key, value] of Object.entries(gridCells(run.grid))) row[key] = typeof value === "boolean" ? String(value) : value;
  return row;
}

export function curveRows(run: RunKey, out: RunOutcome): Row[] {
  return out.records.map((r) => {
    const row = keyOf(run);
    for (const f of CURVE_FIELDS) row[f] = r[f];
    return row;
  });
}

export function layerRows(run: RunKey, out: RunOutcome): Row[] {
  const rows: Row[] = [];
  for (const r of out.records)
    for (const l of r.layers) {
      const row = keyOf(run);
      row.epoch = r.epoch;
      for (const f of LAYER_FIELDS) row[f] = l[f];
      rows.push(row);
    }
  return rows;
}

/** One row per record point, layer and learned activation parameter (none for a network without any). */
export function paramRows(run: RunKey, out: RunOutcome): Row[] {
  const rows: Row[] = [];
  for (const r of out.records)
    for (const p of r.params ?? []) {
      const row = keyOf(run);
      row.epoch = r.epoch;
      for (const f of PARAM_FIELDS) row[f] = p[f];
      rows.push(row);
    }
  return rows;
}

/**
 * The rows of activations.csv, for the report's chart: each activation's
 * curve, a mixture at its start (equal weights). A user's module never runs
 * in this thread: its curve comes sampled from the thread that checked it
 * (`samples`, module-check.ts). A per-layer network has no single f: its
 * layers' activations are charted under their own labels when the sweep also
 * runs them alone.
 */
export function activationSamples(specs: ReadonlyArray<{ spec: NetworkActivation; label: string; samples?: readonly CurvePoint[] }>): Row[] {
  const rows: Row[] = [];
  for (const { spec, label, samples } of specs) {
    if (isPerLayer(spec)) continue;
    for (const p of samples ?? activationCurve(getActivation(spec))) rows.push({ activation: label, ...p });
  }
  return rows;
}
