/**
 * Activations whose results are identical: every recorded figure of every
 * seed equal (celu with alpha 1 is elu; leaky_relu with alpha 0 is relu).
 * The report states them as one finding and compares only the first of
 * them, instead of a tie that the statistics would then rank or test.
 */
import type { Results, RunRow } from "./results.js";
import type { Group } from "./leaderboard.js";

/** Wall-clock columns vary between identical runs; names and ids always differ. */
const IGNORED = new Set(["run_id", "activation", "wall_s", "wall_ms", "eval_ms", "probe_ms"]);

function figures(row: object): string {
  return JSON.stringify(Object.entries(row).filter(([k]) => !IGNORED.has(k)));
}

/** Everything a group recorded, as one string (runs by seed, their curves and layer rows in order). */
function fingerprint(group: Group, curves: Map<string, string[]>, layers: Map<string, string[]>): string {
  const runs = [...group.runs].sort((a, b) => a.seed - b.seed);
  return JSON.stringify(runs.map((r: RunRow) => [figures(r), curves.get(r.run_id) ?? [], layers.get(r.run_id) ?? []]));
}

function rowsByRun(rows: ReadonlyArray<{ run_id: string }>): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const r of rows) {
    const list = m.get(r.run_id);
    if (list) list.push(figures(r));
    else m.set(r.run_id, [figures(r)]);
  }
  // Row order in the files is the run's own (epochs, then layers): keep it.
  return m;
}

/**
 * Group key -> key of the first group (in `groups` order) at the same grid
 * point with the same fingerprint. Groups without a finished run are never
 * called identical (there is nothing to be equal).
 */
export function identicalGroups(results: Results, groups: readonly Group[]): Map<string, string> {
  const curves = rowsByRun(results.curves);
  const layers = rowsByRun(results.layers);
  const first = new Map<string, string>();
  const out = new Map<string, string>();
  for (const g of groups) {
    if (!g.runs.some((r) => r.status === "ok")) continue;
    const key = `${g.gridLabel}\u0000${fingerprint(g, curves, layers)}`;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, g.key);
    else out.set(g.key, earlier);
  }
  return out;
}
