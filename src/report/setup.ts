/**
 * The report's "Setup" section: what was run, read from the manifest's
 * resolved config. Values are shown as compact JSON-ish text, since the
 * config's shape belongs to the harness and may grow keys.
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

export function setupItems(results: Results): SetupItem[] {
  const m: Manifest = results.manifest;
  const config = (m.config ?? {}) as Record<string, unknown>;
  const train = (config.train ?? {}) as Record<string, unknown>;
  const items: SetupItem[] = [];
  if (config.name !== undefined) items.push({ key: "Experiment", value: compact(config.name) });
  items.push({ key: "Dataset", value: compact(config.dataset) });
  items.push({ key: "Model", value: compact(config.model) });
  items.push({ key: "Optimizer", value: compact(train.optimizer) });
  const rest = Object.entries(train).filter(([k]) => k !== "optimizer");
  if (rest.length) items.push({ key: "Training", value: compact(Object.fromEntries(rest)) });
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
  return items;
}
