/** A whole dataset before splitting and scaling (float64 rows), and the row operations splitting needs. */
import type { Task } from "./types.js";

/**
 * A whole dataset before splitting and scaling, in float64 so that scaling
 * statistics are exact (or as image bytes, below); converted to the Float32
 * Splits of types.ts at the end.
 */
export interface Table {
  task: Task;
  /** Rows. */
  n: number;
  /** Features per row. */
  features: number;
  /** Classes (classification) or 0 (regression). */
  classes: number;
  /** Output units: classes for classification (y then holds one class index per row), target columns for regression. */
  outputs: number;
  /** n x features, row-major: values, or image bytes (see Features). */
  x: Features;
  /** Classification: class index per row. Regression: n x outputs, row-major. */
  y: Float64Array;
  /** Class names in index order, when the data names its classes. */
  classLabels?: string[];
  /** Where each row and feature came from, when they came from a file the user wrote (CSV), for messages. */
  origin?: RowOrigin;
}

/** A table's rows and features as they stand in the user's file. */
export interface RowOrigin {
  /** The file, as the config names it. */
  file: string;
  /** Each row's line in the file. */
  lines: number[];
  /** Each feature's column in the file (0-based) and its header name. */
  columns: number[];
  names: string[];
}

/** "data.csv, line 7, column 3 ("x2")" for row i, feature j of a table from a file; "row i, feature j" otherwise. */
export function cellWhere(t: Table, i: number, j: number): string {
  const o = t.origin;
  return o ? `${o.file}, line ${o.lines[i]}, column ${o.columns[j] + 1} ("${o.names[j]}")` : `row ${i + 1}, feature ${j + 1}`;
}

/**
 * A table's features: float64 values, or image bytes (0..255) standing for
 * byte / 255. Image sets stay bytes until the Float32 splits are made: the
 * 60,000 Fashion-MNIST training images are 47 MB as bytes and 376 MB as float64.
 */
export type Features = Float64Array | Uint8Array;

/** What a stored feature is divided by to give its value: 255 for image bytes, 1 for values. */
export function featureDivisor(x: Features): number {
  return x instanceof Uint8Array ? 255 : 1;
}

/** Rows `rows` of `t`, in that order. */
export function takeRows(t: Table, rows: ArrayLike<number>): Table {
  const n = rows.length;
  const x = t.x instanceof Uint8Array ? new Uint8Array(n * t.features) : new Float64Array(n * t.features);
  const yw = t.task === "classification" ? 1 : t.outputs;
  const y = new Float64Array(n * yw);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    x.set(t.x.subarray(r * t.features, (r + 1) * t.features), i * t.features);
    y.set(t.y.subarray(r * yw, (r + 1) * yw), i * yw);
  }
  const origin = t.origin && { ...t.origin, lines: Array.from(rows, (r) => t.origin!.lines[r]) };
  return { ...t, n, x, y, ...(origin ? { origin } : {}) };
}

/** Row count of each class (classification tables only). */
export function classCounts(t: Table): number[] {
  const counts = new Array<number>(t.classes).fill(0);
  for (let i = 0; i < t.n; i++) counts[t.y[i]]++;
  return counts;
}
