/** `actbench list datasets`: the built-in datasets at their defaults, as rows and as a text table. */
import { builtinDatasets } from "./catalog.js";
import { formatTable } from "../textTable.js";
import type { Task } from "./types.js";

/** One row of `actbench list datasets`. */
export interface DatasetListing {
  name: string;
  task: Task;
  /** Rows at the default parameters (a set with its own test set: its training rows, validation carved from them). */
  samples: number;
  /** Rows of the dataset's own test set; 0 when it has none (split.test carves one). */
  test: number;
  features: number;
  /** 0 for regression. */
  classes: number;
  source: string;
}

/** The built-in datasets at their default parameters (nothing is generated or read). */
export function listDatasets(): DatasetListing[] {
  return builtinDatasets.map((d) => {
    const { samples, features, classes } = d.shape(d.defaults);
    return { name: d.name, task: d.task, samples, test: d.testRows ?? 0, features, classes, source: d.source };
  });
}

/** A plain-text table of listings: aligned columns, numbers right-aligned, "-" for a regression set's classes and a set without its own test set. */
export function formatDatasetTable(rows: readonly DatasetListing[]): string {
  const head = ["name", "task", "samples", "test", "features", "classes", "source"];
  const cells = rows.map((r) => [r.name, r.task, String(r.samples), r.test ? String(r.test) : "-", String(r.features), r.task === "regression" ? "-" : String(r.classes), r.source]);
  return formatTable(head, cells, [false, false, true, true, true, true, false]) + "\n";
}
