/**
 * Checks a config's claims against the rest of the config when it is loaded,
 * so that a claim naming an activation, a column or a grid key the sweep does
 * not have is a config error (exit 2, nothing run), not a surprise after an
 * hour of training. Returns the claims with activations as their labels.
 */
import { closeMatches } from "../errors.js";
import { CURVE_FIELDS, LAYER_FIELDS, RUN_FIELDS, TEXT_COLUMNS } from "../results/schema.js";
import { FORMULA_VARIABLES, formulaProblem } from "./formula.js";
import type { Claim } from "./schema.js";

/** Columns a claim may name: curves.csv's figures and layers.csv's (orders, trends, bounds), runs.csv's numeric ones (bounds). */
const CURVE_METRICS = CURVE_FIELDS.filter((f) => f !== "epoch");
const LAYER_METRICS = LAYER_FIELDS.filter((f) => f !== "layer");
/** runs.csv's numeric columns: one value per run (test_acc, best_val_acc, ...), for a bounds claim. */
export const RUN_METRICS: readonly string[] = RUN_FIELDS.filter((f) => !TEXT_COLUMNS.has(f));

export interface ClaimContext {
  activations: ReadonlyArray<{ label: string; name: string }>;
  gridKeys: readonly string[];
  /** Numeric grid keys (every value a number): formula variables, with dots as _. */
  numericGridKeys: readonly string[];
  /** "file:line:col" of a path in the config. */
  locate: (path: readonly PropertyKey[]) => string;
}

/** Returns the problems (one line each, located), and the claims with activations resolved to labels. */
export async function checkClaims(claims: readonly Claim[], ctx: ClaimContext): Promise<{ problems: string[]; claims: Claim[] }> {
  const problems: string[] = [];
  const at = (path: PropertyKey[], msg: string) => problems.push(`${ctx.locate(["claims", ...path])}: claims[${path[0] as number}]${path.slice(1).map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}: ${msg}`);
  const labels = ctx.activations.map((a) => a.label);
  const activation = (i: number, path: PropertyKey[], given: string): string => {
    if (labels.includes(given)) return given;
    const byName = ctx.activations.filter((a) => a.name === given);
    if (byName.length === 1) return byName[0].label;
    const near = closeMatches(given, labels);
    at([i, ...path], byName.length > 1
      ? `"${given}" names ${byName.length} activations of this config (${byName.map((a) => a.label).join(", ")}); use a label`
      : `"${given}" is not one of this config's activations (${labels.join(", ")})${near.length ? `; did you mean ${near.join(" or ")}?` : ""}`);
    return given;
  };
  const metric = (i: number, key: string, m: string, files: "curves and layers" | "layers or runs" = "curves and layers") => {
    const allowed: string[] = files === "curves and layers" ? [...CURVE_METRICS, ...LAYER_METRICS] : [...LAYER_METRICS, ...RUN_METRICS];
    if (!allowed.includes(m)) {
      const near = closeMatches(m, allowed);
      const which = files === "curves and layers" ? "curves.csv or layers.csv" : "layers.csv or runs.csv";
      at([i, key], `"${m}" is not a ${which} column${near.length ? `; did you mean ${near.join(" or ")}?` : ""} (expected one of ${allowed.join(", ")})`);
    }
  };
  const out: Claim[] = [];
  for (const [i, c] of claims.entries()) {
    for (const k of Object.keys(c.where ?? {}))
      if (!ctx.gridKeys.includes(k)) at([i, "where", k], `"${k}" is not a grid key of this config (${ctx.gridKeys.join(", ") || "it has no grid"})`);
    switch (c.kind) {
      case "order":
        metric(i, "metric", c.metric);
        out.push({ ...c, activations: c.activations.map((a, j) => activation(i, ["activations", j], a)) });
        break;
      case "bounds":
        for (const col of Object.keys(c.within)) {
          metric(i, "within", col, "layers or runs");
          // A ratio is of two layers' values; a runs.csv column has one value per run.
          if (c.ratio && RUN_METRICS.includes(col)) at([i, "within", col], `"${col}" is a runs.csv column (one value per run): a ratio of layers needs a layers.csv column`);
        }
        out.push({ ...c, activation: activation(i, ["activation"], c.activation) });
        break;
      case "trend":
        metric(i, "metric", c.metric);
        if (c.over !== "layer" && !ctx.gridKeys.includes(c.over))
          at([i, "over"], `"${c.over}" is neither layer nor a grid key of this config (${ctx.gridKeys.join(", ") || "it has no grid"})`);
        if (c.over === "layer" && (CURVE_METRICS as readonly string[]).includes(c.metric))
          at([i, "metric"], `a trend over layer needs a layers.csv column, found the curves.csv column ${c.metric}`);
        out.push({ ...c, activation: activation(i, ["activation"], c.activation) });
        break;
      case "fraction": {
        if (typeof c.expected === "string") {
          const problem = await formulaProblem(c.expected, [...FORMULA_VARIABLES, ...ctx.numericGridKeys.map((k) => k.replace(/\./g, "_"))]);
          if (problem) at([i, "expected"], problem);
        }
        out.push({ ...c, activation: activation(i, ["activation"], c.activation) });
        break;
      }
    }
  }
  return { problems, claims: out };
}
