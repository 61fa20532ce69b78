import { builtinDatasets } from "./catalog.js";
import { formatTable } from "../table.js";
import type { Task } from "./types.js";

/** One row of `actbench list datasets`. */
export interface DatasetListing {
  name: string;
  task: Task;
  /** Rows at the default parameters. */
  samples: number;
  features: number;
  /** 0 for regression. */
  classes: number;
  source: string;
}

/** The built-in datasets at their default parameters (nothing is generated or read). */
export function listDatasets(): DatasetListing[] {
  return builtinDatasets.map((d) => ({ name: d.name, task: d.task, ...d.shape(d.defaults), source: d.source }));
}

/** A plain-text table of listings: aligned columns, numbers right-aligned, "-" for a regression set's classes. */
export function formatDatasetTable(rows: readonly DatasetListing[]): string {
  const head = ["name", "task", "samples", "features", "classes", "source"];
  const cells = rows.map((r) => [r.name, r.task, String(r.samples), String(r.features), r.task === "regression" ? "-" : String(r.classes), r.source]);
  return formatTable(head, cells, [false, false, true, true, true, false]) + "\n";
}
