/**
 * The report's "Setup" section: what was run, read from the manifest's
 * resolved config. Values are shown as compact JSON-ish text, since the
 * config's shape belongs to the harness and may grow keys. Where the grid
 * varies a setting, the item shows the grid's values, not the base config's
 * value that the grid overrides (a spirals-and-MNIST sweep is not "Dataset:
 * spirals").
 */
import type { Manifest, Results } from "./results.js";
import { configText as compact, gridValueText } from "./config-text.js";

export interface SetupItem {
  key: string;
  value: string;
}

function seedsText(config: Record<string, unknown>, results: Results): string {
  const s = config.seeds;
  const seen = [...new Set(results.runs.map((r) => r.seed))].sort((a, b) => a - b);
  const list = seen.length ? ` (${seen.join(", ")})` : "";
  if (typeof s === "number") return `${s}${list}`;
  if (Array.isArray(s)) return `${s.length} (${s.join(", ")})`;
  return `${seen.length}${list}`;
}

/** Distinct values of each grid key, in plan order. */
function gridValues(results: Results): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const k of results.gridKeys) out.set(k, [...new Set(results.runs.map((r) => gridValueText(r.grid[k] ?? "")))]);
  return out;
}

/** `base` as text, or with the grid's values for the keys under `path` (excluding paths in `skip`). */
function withGrid(base: unknown, path: string, values: Map<string, string[]>, skip: readonly string[] = []): string {
  const under = [...values].filter(([k]) => (k === path || k.startsWith(`${path}.`)) && !skip.some((p) => k === p || k.startsWith(`${p}.`)));
  const exact = under.find(([k]) => k === path);
  if (exact) return `varies with the grid: ${exact[1].join(" | ")}`;
  const text = compact(base);
  return under.length ? `${text}; the grid varies ${under.map(([k, v]) => `${k}: ${v.join(" | ")}`).join("; ")}` : text;
}

export function setupItems(results: Results): SetupItem[] {
  const m: Manifest = results.manifest;
  const config = (m.config ?? {}) as Record<string, unknown>;
  const train = (config.train ?? {}) as Record<string, unknown>;
  const items: SetupItem[] = [];
  if (config.name !== undefined) items.push({ key: "Experiment", value: compact(config.name) });
  const grid = gridValues(results);
  items.push({ key: "Dataset", value: withGrid(config.dataset, "dataset", grid) });
  items.push({ key: "Model", value: withGrid(config.model, "model", grid) });
  items.push({ key: "Optimizer", value: withGrid(train.optimizer, "train.optimizer", grid) });
  const rest = Object.entries(train).filter(([k]) => k !== "optimizer");
  if (rest.length) items.push({ key: "Training", value: withGrid(Object.fromEntries(rest), "train", grid, ["train.optimizer"]) });
  items.push({ key: "Seeds", value: seedsText(config, results) });
  items.push({ key: "Engine", value: compact(config.engine) });
  if (results.gridKeys.length) {
    // Read from runs.csv's grid columns, whatever shape the manifest gives the grid.
    const points = [...new Set(results.runs.map((r) => results.gridKeys.map((k) => `${k}=${gridValueText(r.grid[k] ?? "")}`).join(", ")))];
    items.push({ key: "Grid", value: `${points.length} point(s): ${points.join("; ")}` });
  }
  const statuses = { ok: 0, diverged: 0, failed: 0 };
  for (const r of results.runs) statuses[r.status]++;
  items.push({ key: "Runs", value: `${results.runs.length} (${statuses.ok} ok, ${statuses.diverged} diverged, ${statuses.failed} failed)` });
  // A merge of a sweep's shards (harness/merge.ts) says so; one made with --partial says what it lacks, first.
  const from = m.merged_from;
  if (Array.isArray(from)) {
    const hosts = [...new Set(from.map((s) => String((s as { host?: unknown }).host)))];
    items.push({ key: "Merged from", value: `${from.length} shard folder${from.length === 1 ? "" : "s"}, run on ${hosts.join(", ")}` });
  }
  const unfinished = partialNote(results);
  if (unfinished && m.state !== "partial")
    items.unshift({ key: "PARTIAL", value: `${unfinished}: the sweep was stopped before every planned run finished (run the same command again to finish it); every figure covers only the runs finished` });
  const partial = m.partial as { planned?: number; merged?: number } | undefined;
  if (m.state === "partial" && partial)
    items.unshift({ key: "PARTIAL", value: `${partial.merged} of ${partial.planned} planned runs: merged with --partial, the missing runs are listed in manifest.json; every figure covers only the runs merged` });
  return items;
}

/**
 * "partial: 8 of 12 runs" when the folder holds fewer runs than its manifest
 * planned (an interrupted sweep, a partial merge), else undefined: said at
 * the top of the report, because every figure then covers only those runs.
 */
export function partialNote(results: Results): string | undefined {
  const m = results.manifest;
  if (m.state === "partial") return "partial"; // a merge made with --partial: its PARTIAL line says what it lacks
  const planned = Array.isArray(m.runs) ? m.runs.length : (m.partial as { planned?: number } | undefined)?.planned;
  if (planned === undefined || results.runs.length >= planned) return m.state === "partial" ? "partial" : undefined;
  return `partial: ${results.runs.length} of ${planned} runs`;
}
