/**
 * A grid point's values as flat scalar cells named by dotted key, so that a
 * grid over whole sections (`dataset: [{name: spirals, n: 2000}, {name: mnist}]`)
 * reads `dataset.name=spirals dataset.n=2000` instead of a JSON blob: in the
 * progress lines, and as columns cut, awk and spreadsheet filters can use.
 */
import { canonicalJson } from "./hash.js";

export type GridCell = string | number | boolean;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * One value as a cell: scalars as they are, a list of numbers joined by "-"
 * (hidden widths read as a network is written, 32-32), anything else as
 * canonical JSON.
 */
export function scalarCell(v: unknown): GridCell {
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "number")) return v.join("-");
  return canonicalJson(v);
}

/**
 * The point's values flattened: objects open into dotted keys, down to the
 * scalars. Keys in the order the grid writes them; a later grid key that
 * reaches into an earlier one's object (`dataset` then `dataset.n`) wins, as
 * it does in the run's config.
 */
export function gridCells(values: Record<string, unknown>): Record<string, GridCell> {
  const out: Record<string, GridCell> = {};
  const walk = (key: string, v: unknown): void => {
    if (isPlainObject(v) && Object.keys(v).length > 0) for (const [k, sub] of Object.entries(v)) walk(`${key}.${k}`, sub);
    else out[key] = scalarCell(v);
  };
  for (const [key, v] of Object.entries(values)) walk(key, v);
  return out;
}

/**
 * Every dotted key any of the points has (the grid's columns): grid key by
 * grid key, in the grid's order, each key's leaves in first-seen order.
 */
export function gridColumns(points: ReadonlyArray<Record<string, unknown>>): string[] {
  const keys = new Set<string>();
  const gridKeys = new Set(points.flatMap((p) => Object.keys(p)));
  for (const g of gridKeys) for (const p of points) if (g in p) for (const k of Object.keys(gridCells({ [g]: p[g] }))) keys.add(k);
  return [...keys];
}

/** The dotted keys whose cell is not the same at every point: what tells one point from another. */
export function varyingColumns(points: ReadonlyArray<Record<string, unknown>>): string[] {
  const cells = points.map(gridCells);
  return gridColumns(points).filter((k) => cells.some((c) => c[k] !== cells[0][k]));
}

/** `dataset.name=mnist model.hidden=32-32`: the given keys of a point, absent ones left out. */
export function formatGridPoint(values: Record<string, unknown>, keys: readonly string[]): string {
  const cells = gridCells(values);
  return keys
    .filter((k) => k in cells)
    .map((k) => `${k}=${cells[k]}`)
    .join(" ");
}
