/**
 * The user's own CSV files: a header row, numeric feature columns and one target
 * column. Every mistake in the data is a UserError naming the file, the line and
 * the column, because the user has to go and fix exactly that cell.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "csv-parse/sync";
import { closeMatches, UserError } from "../errors.js";
import { FLOAT32_MAX } from "./scaling.js";
import type { Task } from "./types.js";
import type { Table } from "./table.js";

export interface CsvSpec {
  train: string;
  val?: string;
  test?: string;
  /** Header name, or 0-based index (negative from the end). */
  target: string | number;
  task: Task;
}

/** The tables of the files given, in file order, with classes indexed alike across files. */
export interface CsvTables {
  train: Table;
  val?: Table;
  test?: Table;
  /** Feature column names, in order. */
  featureNames: string[];
  /** Class labels in index order (classification). */
  classLabels?: string[];
}

/** One parsed file before targets are encoded. */
interface RawFile {
  /** As the config wrote it, for messages. */
  shown: string;
  header: string[];
  headerLine: number;
  rows: string[][];
  lines: number[];
}

/** A plain decimal number: what a CSV cell must hold (no hex, no "1_000", no empty cell). */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NOT_FINITE = /^[+-]?(nan|inf|infinity)$/i;

/** Read and check the CSV files of a `dataset.csv` section. */
export function readCsvTables(spec: CsvSpec, baseDir: string): CsvTables {
  const train = readRaw(spec.train, baseDir);
  const target = targetIndex(train, spec.target);
  const others: Array<["val" | "test", RawFile]> = [];
  for (const which of ["val", "test"] as const) {
    const path = spec[which];
    if (path === undefined) continue;
    const f = readRaw(path, baseDir);
    sameHeader(train, f);
    others.push([which, f]);
  }
  const featureNames = train.header.filter((_, j) => j !== target);

  let labels: string[] | undefined;
  if (spec.task === "classification") {
    const seen = new Set<string>();
    train.rows.forEach((r, i) => seen.add(label(train, r, i, target)));
    labels = sortLabels([...seen]);
    if (labels.length < 2)
      throw new UserError(
        `${train.shown}, lines ${train.lines[0]}-${train.lines[train.lines.length - 1]}, column ${target + 1} ("${train.header[target]}"): ` +
          `every row has class "${labels[0]}"; classification needs at least 2 classes`,
      );
    for (const [, f] of others)
      f.rows.forEach((r, i) => {
        const l = label(f, r, i, target);
        if (!seen.has(l))
          throw new UserError(
            `${f.shown}, line ${f.lines[i]}, column ${target + 1} ("${f.header[target]}"): class "${l}" does not occur in the training file ${train.shown} (its classes: ${labels!.join(", ")})`,
          );
      });
  }

  const out: CsvTables = { train: toTable(train, target, spec.task, labels), featureNames, classLabels: labels };
  for (const [which, f] of others) out[which] = toTable(f, target, spec.task, labels);
  return out;
}

function readRaw(path: string, baseDir: string): RawFile {
  const full = resolve(baseDir, path);
  let text: string;
  try {
    text = readFileSync(full, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UserError(`${path}: cannot read the file (${code ?? String(e)}); looked for ${full}`);
  }
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // With info: true each record comes with the line it ends on (the typings do not model that option).
    records = parse(text, { info: true, relax_column_count: true, skip_empty_lines: true, bom: true, trim: true }) as unknown as typeof records;
  } catch (e) {
    // csv-parse's own message names the line (an unclosed quote, say); add the file.
    throw new UserError(`${path}: ${(e as Error).message}`);
  }
  if (records.length === 0) throw new UserError(`${path}, line 1, column 1: the file is empty; expected a header row and data rows`);
  const [head, ...body] = records;
  if (body.length === 0)
    throw new UserError(`${path}, line ${head.info.lines + 1}, column 1: no data rows after the header on line ${head.info.lines}`);
  const header = head.record;
  const seen = new Map<string, number>();
  header.forEach((name, j) => {
    if (name === "") throw new UserError(`${path}, line ${head.info.lines}, column ${j + 1}: empty column name in the header`);
    // Two columns of one name are ambiguous: the target's twin would be a feature (label leakage).
    const first = seen.get(name);
    if (first !== undefined)
      throw new UserError(`${path}, line ${head.info.lines}, column ${j + 1}: column name "${name}" is also column ${first + 1}'s; each column needs a name of its own`);
    seen.set(name, j);
  });
  const rows: string[][] = [];
  const lines: number[] = [];
  for (const { record, info } of body) {
    if (record.length !== header.length) {
      const col = Math.min(record.length, header.length) + 1;
      throw new UserError(
        `${path}, line ${info.lines}, column ${col}: found ${record.length} columns, expected ${header.length} as in the header on line ${head.info.lines}`,
      );
    }
    rows.push(record);
    lines.push(info.lines);
  }
  return { shown: path, header, headerLine: head.info.lines, rows, lines };
}

function targetIndex(f: RawFile, target: string | number): number {
  const h = f.header.length;
  if (typeof target === "number") {
    const j = target < 0 ? h + target : target;
    if (j < 0 || j >= h)
      throw new UserError(
        `${f.shown}, line ${f.headerLine}: target column index ${target} is out of range; the file has ${h} columns (0..${h - 1}, or -1 for the last)`,
      );
    if (h < 2) throw new UserError(`${f.shown}, line ${f.headerLine}: only the target column; expected at least one feature column`);
    return j;
  }
  const j = f.header.indexOf(target);
  if (j < 0) {
    const near = closeMatches(target, f.header);
    throw new UserError(
      `${f.shown}, line ${f.headerLine}: no target column "${target}" in the header` +
        (near.length ? `; did you mean ${near.map((m) => `"${m}"`).join(" or ")}?` : "") +
        ` Columns: ${f.header.join(", ")}`,
    );
  }
  if (h < 2) throw new UserError(`${f.shown}, line ${f.headerLine}: only the target column; expected at least one feature column`);
  return j;
}

function sameHeader(train: RawFile, f: RawFile): void {
  const n = Math.max(train.header.length, f.header.length);
  for (let j = 0; j < n; j++)
    if (train.header[j] !== f.header[j])
      throw new UserError(
        `${f.shown}, line ${f.headerLine}, column ${j + 1}: header has ${f.header[j] === undefined ? "no column" : `"${f.header[j]}"`} where the training file ${train.shown} has ${train.header[j] === undefined ? "none" : `"${train.header[j]}"`}; the files must have the same columns`,
      );
}

function where(f: RawFile, i: number, j: number): string {
  return `${f.shown}, line ${f.lines[i]}, column ${j + 1} ("${f.header[j]}")`;
}

function label(f: RawFile, r: string[], i: number, target: number): string {
  const l = r[target];
  if (l === "") throw new UserError(`${where(f, i, target)}: empty class label`);
  return l;
}

function number(f: RawFile, i: number, j: number): number {
  const cell = f.rows[i][j];
  if (cell === "") throw new UserError(`${where(f, i, j)}: empty cell; expected a number`);
  if (NOT_FINITE.test(cell)) throw new UserError(`${where(f, i, j)}: ${cell} is not allowed; expected a finite number`);
  if (!NUMBER.test(cell)) throw new UserError(`${where(f, i, j)}: "${cell}" is not a number`);
  const v = Number(cell);
  if (!Number.isFinite(v)) throw new UserError(`${where(f, i, j)}: ${cell} overflows to ${v}; expected a finite number`);
  return v;
}

/** A regression target: the engine holds it in float32 as it is (targets are not scaled). */
function regressionTarget(f: RawFile, i: number, j: number): number {
  const v = number(f, i, j);
  if (!(Math.abs(v) <= FLOAT32_MAX))
    throw new UserError(`${where(f, i, j)}: ${f.rows[i][j]} is beyond float32's range (±3.4e38), which the engine computes in; expected a smaller target`);
  return v;
}

/** Numeric order when every label is a number ("2" before "10"), else code-unit order (locale-independent). */
function sortLabels(labels: string[]): string[] {
  if (labels.every((l) => NUMBER.test(l))) return labels.sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
  return labels.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function toTable(f: RawFile, target: number, task: Task, labels: string[] | undefined): Table {
  const n = f.rows.length;
  const features = f.header.length - 1;
  const x = new Float64Array(n * features);
  const y = new Float64Array(n);
  const index = new Map(labels?.map((l, k) => [l, k]));
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let j = 0; j < f.header.length; j++) {
      if (j === target) continue;
      x[i * features + c++] = number(f, i, j);
    }
    y[i] = task === "classification" ? (index.get(f.rows[i][target]) as number) : regressionTarget(f, i, target);
  }
  const classes = labels?.length ?? 0;
  const columns = f.header.map((_, j) => j).filter((j) => j !== target);
  const origin = { file: f.shown, lines: f.lines, columns, names: columns.map((j) => f.header[j]) };
  return { task, n, features, classes, outputs: task === "classification" ? classes : 1, x, y, classLabels: labels, origin };
}
