/**
 * Reading a results folder (the harness's output) into typed rows.
 *
 * The columns and row types are the results schema's (results/schema.ts),
 * shared with the harness's writer. A missing value is an empty cell; here it
 * becomes NaN so that arithmetic skips it explicitly (every aggregate filters
 * with Number.isFinite).
 */
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { UserError } from "../errors.js";
import {
  ACTIVATION_COLUMNS,
  CURVE_COLUMNS,
  LAYER_COLUMNS,
  PARAM_COLUMNS,
  RUN_COLUMNS,
  TEXT_COLUMNS,
  type ActivationSample,
  type CurveRow,
  type LayerRow,
  type ParamRow,
  type RunRow,
  type RunStatus,
} from "../results/schema.js";

export type { RunStatus, RunRow, CurveRow, LayerRow, ParamRow, ActivationSample } from "../results/schema.js";

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
  /** params.csv (learned activation parameters; empty for a folder without it). */
  params: ParamRow[];
  activationSamples: ActivationSample[];
  /** Grid keys in column order (columns of runs.csv the harness adds per grid key). */
  gridKeys: string[];
}

/** Columns of runs.csv that are not grid keys. */
const RUN_COLUMN_SET: ReadonlySet<string> = new Set(RUN_COLUMNS);

type Cells = Record<string, string>;

/**
 * A table of the folder, refused naming the file when it is not whole: the
 * harness ends every table with a newline, so one that ends mid-line was cut
 * short (a copy or a disk that gave out); a row of the wrong width likewise.
 */
function readCsv(path: string): { columns: string[]; rows: Cells[] } {
  const text = readFileSync(path, "utf8");
  const rebuild = "run the same `actbench run` command again to rebuild it from the run files";
  if (text.length > 0 && !text.endsWith("\n")) throw new UserError(`${path}: ends in the middle of a line: the file is truncated; ${rebuild}`);
  let columns: string[] = [];
  try {
    const rows = parse(text, {
      columns: (header: string[]) => (columns = header),
      skip_empty_lines: true,
    }) as Cells[];
    return { columns, rows };
  } catch (err) {
    // csv-parse names the line ("Invalid Record Length: expect 12, got 5 on line 4").
    throw new UserError(`${path}: ${(err as Error).message}; ${rebuild}`);
  }
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

/** A row's cells as the schema types them: text columns as strings, the others as numbers (empty -> NaN). */
function typed<Row>(cells: Cells, columns: readonly string[]): Row {
  return Object.fromEntries(columns.map((c) => [c, TEXT_COLUMNS.has(c) ? str(cells, c) : num(cells, c)])) as Row;
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
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(manifestPath, "utf8"));
    } catch (e) {
      throw new UserError(`${manifestPath}: not valid JSON (${(e as Error).message})`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value))
      throw new UserError(`${manifestPath}: found ${JSON.stringify(value)}, expected an actbench manifest (a JSON object)`);
    manifest = value as Manifest;
  }
  const runsCsv = readCsv(runsPath);
  const gridKeys = runsCsv.columns.filter((c) => !RUN_COLUMN_SET.has(c));
  const runs = runsCsv.rows.map((c): RunRow => ({
    ...typed<Omit<RunRow, "status" | "grid">>(c, RUN_COLUMNS),
    grid: Object.fromEntries(gridKeys.map((k) => [k, str(c, k)])),
    status: toStatus(str(c, "status"), runsPath, str(c, "run_id")),
  }));

  const optional = (name: string): Cells[] => {
    const p = join(dir, name);
    return existsSync(p) ? readCsv(p).rows : [];
  };
  const curves = optional("curves.csv").map((c) => typed<CurveRow>(c, CURVE_COLUMNS));
  const layers = optional("layers.csv").map((c) => typed<LayerRow>(c, LAYER_COLUMNS));
  const params = optional("params.csv").map((c) => typed<ParamRow>(c, PARAM_COLUMNS));
  const activationSamples = optional("activations.csv").map((c) => typed<ActivationSample>(c, ACTIVATION_COLUMNS));
  return { dir, manifest, runs, curves, layers, params, activationSamples, gridKeys };
}
