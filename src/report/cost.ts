/**
 * The leaderboard's compute-cost column: ns per element of f and f' for each
 * activation label. Taken from the manifest's `activation_cost` when the
 * harness recorded one; otherwise measured here with a short benchmark of the
 * registry's built-in entries (a user's module never runs in this thread:
 * its cell stays empty).
 */
import { benchActivations } from "../activations/bench.js";
import { activations, isBuiltin } from "../activations/registry.js";
import type { Manifest } from "./results.js";

export interface Cost {
  f_ns: number;
  df_ns: number;
}

/** `leaky_relu(alpha=0.2)` -> `leaky_relu`: the bench measures the canonical entry. */
function canonicalOf(label: string): string {
  const i = label.indexOf("(");
  return i < 0 ? label : label.slice(0, i);
}

function fromManifest(manifest: Manifest, label: string): Cost | undefined {
  const table = manifest.activation_cost;
  if (!table) return undefined;
  const v = table[label] ?? table[canonicalOf(label)];
  if (typeof v === "number") return { f_ns: v, df_ns: NaN };
  if (v && typeof v === "object") return { f_ns: v.f_ns ?? NaN, df_ns: v.df_ns ?? NaN };
  return undefined;
}

export interface CostOptions {
  /** Measure missing costs with benchActivations (default true). */
  measure?: boolean;
  /** Elements per benchmark pass (default 2^16: a short, rough measurement). */
  n?: number;
}

/** Cost by activation label; labels with no known cost are absent. */
export function activationCosts(labels: readonly string[], manifest: Manifest, opts: CostOptions = {}): Map<string, Cost> {
  const out = new Map<string, Cost>();
  const toMeasure = new Map<string, string[]>();
  for (const label of labels) {
    const c = fromManifest(manifest, label);
    if (c) out.set(label, c);
    else {
      const name = canonicalOf(label);
      toMeasure.set(name, [...(toMeasure.get(name) ?? []), label]);
    }
  }
  if (opts.measure === false) return out;
  for (const [name, ls] of toMeasure) {
    const def = activations.get(name);
    if (!def || !isBuiltin(def)) continue;
    try {
      const [m] = benchActivations([name], { n: opts.n ?? 1 << 16, passes: 3 });
      for (const l of ls) out.set(l, { f_ns: m.f_ns, df_ns: m.df_ns });
    } catch {
      // A cost is a nicety: none to show.
    }
  }
  return out;
}
