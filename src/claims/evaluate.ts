/**
 * Checks a config's claims against a finished sweep's results: each claim
 * holds, does not hold, or is inconclusive, with the statistic that decided
 * it and one line per grid point, pair or layer it looked at. Only finished
 * (status ok) runs count, except for a `diverged` fraction. Nothing here
 * changes a results file or an exit code: a claim is a finding.
 */
import { gridCells, scalarCell } from "../harness/grid-cells.js";
import { summarize } from "../report/stats.js";
import type { CurveRow, LayerRow, Results, RunRow } from "../report/results.js";
import { CURVE_FIELDS } from "../results/schema.js";
import { cell } from "../harness/csvRows.js";
import { RUN_METRICS } from "./check.js";
import { evaluateFormula } from "./formula.js";
import { binomialSE, oneSidedSignFlip, pageTest } from "./statistics.js";
import {
  claimsSchema,
  type BoundsClaim,
  type Claim,
  type EpochSelector,
  type FractionClaim,
  type LayerSelector,
  type OrderClaim,
  type TrendClaim,
} from "./schema.js";

/** Significance level of every claim's tests. */
export const CLAIM_ALPHA = 0.05;

export type ClaimVerdict = "holds" | "does not hold" | "inconclusive";

export interface ClaimResult {
  /** Position in the config's claims list, from 0. */
  index: number;
  kind: Claim["kind"];
  /** The claim in words: its `says`, or a sentence built from its fields. */
  text: string;
  verdict: ClaimVerdict;
  /** The statistic that decided the verdict, in words and numbers. */
  statistic: string;
  /** One line per grid point, pair or layer looked at. */
  details: string[];
}

/** A run with its curve and layer rows, for reading figures at record points. */
interface RunView {
  run: RunRow;
  curves: CurveRow[];
  layers: LayerRow[];
}

/** Significant figures for the verdict lines. */
export function fmt(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e5) return String(Number(x.toPrecision(digits)));
  return x.toExponential(digits - 1);
}

function fmtP(p: number): string {
  return p < 1e-4 ? "< 0.0001" : `= ${fmt(p, 2)}`;
}

/** The claims stored in a results folder's manifest (resolved when the config was loaded). */
export function manifestClaims(results: Results): Claim[] {
  const raw = (results.manifest.config as { claims?: unknown } | undefined)?.claims;
  const parsed = claimsSchema.safeParse(raw ?? []);
  return parsed.success ? parsed.data : [];
}

export async function evaluateClaims(results: Results, claims: readonly Claim[] = manifestClaims(results)): Promise<ClaimResult[]> {
  const curvesBy = groupBy(results.curves, (c) => c.run_id);
  const layersBy = groupBy(results.layers, (l) => l.run_id);
  const views: RunView[] = results.runs.map((run) => ({
    run,
    curves: (curvesBy.get(run.run_id) ?? []).sort((a, b) => a.epoch - b.epoch),
    layers: layersBy.get(run.run_id) ?? [],
  }));
  const out: ClaimResult[] = [];
  for (const [index, claim] of claims.entries()) {
    const ctx = { views, results };
    const r =
      claim.kind === "order" ? order(claim, ctx)
      : claim.kind === "bounds" ? bounds(claim, ctx)
      : claim.kind === "trend" ? trend(claim, ctx)
      : await fraction(claim, ctx);
    out.push({ index, kind: claim.kind, text: claim.says ?? describe(claim), ...r });
  }
  return out;
}

type Verdictish = Pick<ClaimResult, "verdict" | "statistic" | "details">;
interface Ctx {
  views: RunView[];
  results: Results;
}

function groupBy<T>(xs: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return m;
}

function epochText(e: EpochSelector): string {
  if (e === "last") return "at the last epoch";
  if (e === "mean") return "mean over the training curve";
  if (typeof e === "number") return `at epoch ${e}`;
  return `mean over epochs ${e[0]}-${e[1]}`;
}

function layersText(l: LayerSelector | undefined): string {
  if (l === undefined || l === "hidden") return "hidden layers";
  if (Array.isArray(l)) return `layer${l.length > 1 ? "s" : ""} ${l.join(", ")}`;
  return l.to === undefined ? `layers >= ${l.from}` : `layers ${l.from}-${l.to}`;
}

function whereText(w: Record<string, unknown> | undefined): string {
  if (!w || Object.keys(w).length === 0) return "";
  return ` where ${Object.entries(w).map(([k, v]) => `${k}=${cell(v)}`).join(", ")}`;
}

/** A sentence for a claim without `says`. */
export function describe(c: Claim): string {
  switch (c.kind) {
    case "order": {
      const rel = c.direction === "ascending" ? " < " : " > ";
      return `${c.activations.join(rel)} on ${c.abs ? `|${c.metric}|` : c.metric} ${epochText(c.epoch)}${isCurveMetric(c.metric) ? "" : ` (${layersText(c.layers)})`}${whereText(c.where)}`;
    }
    case "bounds": {
      const what = Object.entries(c.within).map(([k, [lo, hi]]) => `${c.ratio ? `${c.ratio.log2 ? "log2 " : ""}${k}[${c.ratio.of}]/${k}[${c.ratio.to}]` : k} in [${lo}, ${hi}]`).join(" and ");
      // Epoch and layers say where layers.csv columns are read; a runs.csv column is the run's own.
      const perLayer = Object.keys(c.within).some((k) => !isRunMetric(k));
      return `${c.activation}: ${what}${c.ratio || !perLayer ? "" : ` for ${layersText(c.layers)}`}${perLayer ? ` ${epochText(c.epoch)}` : ""}${whereText(c.where)}`;
    }
    case "trend":
      return `${c.activation}: ${c.metric} ${c.direction === "rising" ? "rises" : "falls"} with ${c.over} ${epochText(c.epoch)}${whereText(c.where)}`;
    case "fraction":
      return `${c.activation}: the ${c.figure} fraction is ${typeof c.expected === "number" ? c.expected : c.expected} within ${c.within} standard errors at each grid point${whereText(c.where)}`;
  }
}

export function isCurveMetric(metric: string): boolean {
  return (CURVE_FIELDS as readonly string[]).includes(metric);
}

/** A runs.csv column: one value per run (bounds claims only). */
export function isRunMetric(metric: string): boolean {
  return RUN_METRICS.includes(metric);
}

/** Runs of one activation at grid points matching `where`. */
function select(ctx: Ctx, activation: string, where: Record<string, unknown> | undefined, statuses: readonly string[] = ["ok"]): RunView[] {
  return ctx.views.filter(
    (v) =>
      v.run.activation === activation &&
      statuses.includes(v.run.status) &&
      Object.entries(where ?? {}).every(([k, value]) => v.run.grid[k] === String(scalarCell(value)) || v.run.grid[k] === cell(value)),
  );
}

/** Grid cells of a run as one key, leaving out `omit`. */
function pointKey(run: RunRow, omit?: string): string {
  return JSON.stringify(Object.entries(run.grid).filter(([k]) => k !== omit));
}

function pointLabel(run: RunRow, omit?: string): string {
  const parts = Object.entries(run.grid).filter(([k]) => k !== omit).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(", ") : "";
}

/** Epochs of the run's record points that the selector reads. */
function epochsOf(v: RunView, e: EpochSelector): number[] {
  const all = v.curves.map((c) => c.epoch);
  if (all.length === 0) return [];
  if (e === "last") return [all[all.length - 1]];
  if (e === "mean") {
    const trained = all.filter((x) => x > 0);
    return trained.length ? trained : [all[0]];
  }
  if (typeof e === "number") return all.includes(e) ? [e] : [];
  return all.filter((x) => x >= e[0] && x <= e[1]);
}

function layersOf(v: RunView, l: LayerSelector | undefined): number[] {
  const all = [...new Set(v.layers.map((r) => r.layer))].sort((a, b) => a - b);
  const hidden = all.slice(0, -1);
  if (l === undefined || l === "hidden") return hidden;
  if (Array.isArray(l)) return l.filter((x) => all.includes(x));
  return hidden.filter((x) => x >= l.from && (l.to === undefined || x <= l.to));
}

function meanOf(xs: readonly number[]): number {
  const v = xs.filter(Number.isFinite);
  return v.length === xs.length && v.length > 0 ? v.reduce((s, x) => s + x, 0) / v.length : NaN;
}

/** A run's figure: the metric at the selected epochs (mean), over the selected layers (mean) for a layer metric. */
function figure(v: RunView, metric: string, e: EpochSelector, layers: LayerSelector | undefined, abs = false): number {
  const epochs = epochsOf(v, e);
  const tr = (x: number) => (abs ? Math.abs(x) : x);
  if (isCurveMetric(metric))
    return meanOf(epochs.map((ep) => tr((v.curves.find((c) => c.epoch === ep) as Record<string, number> | undefined)?.[metric] ?? NaN)));
  const ls = layersOf(v, layers);
  if (ls.length === 0) return NaN;
  return meanOf(epochs.map((ep) => meanOf(ls.map((l) => tr(layerValue(v, ep, l, metric))))));
}

function layerValue(v: RunView, epoch: number, layer: number, metric: string): number {
  const row = v.layers.find((r) => r.epoch === epoch && r.layer === layer) as Record<string, number> | undefined;
  return row?.[metric] ?? NaN;
}

/** Combines per-part verdicts: holds when all hold, does not hold when any does not, else inconclusive. */
function combine(parts: ClaimVerdict[]): ClaimVerdict {
  if (parts.length === 0) return "inconclusive";
  if (parts.includes("does not hold")) return "does not hold";
  return parts.every((p) => p === "holds") ? "holds" : "inconclusive";
}

function order(c: OrderClaim, ctx: Ctx): Verdictish {
  const sign = c.direction === "ascending" ? 1 : -1;
  const rel = c.direction === "ascending" ? "<" : ">";
  const byAct = c.activations.map((a) => select(ctx, a, c.where));
  const points = [...new Set(byAct.flat().map((v) => pointKey(v.run)))];
  const pairs = points.length * (c.activations.length - 1);
  const parts: Array<{ verdict: ClaimVerdict; p: number; line: string }> = [];
  for (const point of points) {
    for (let i = 0; i + 1 < c.activations.length; i++) {
      const [a, b] = [byAct[i], byAct[i + 1]].map((vs) => new Map(vs.filter((v) => pointKey(v.run) === point).map((v) => [v.run.seed, figure(v, c.metric, c.epoch, c.layers, c.abs)])));
      const seeds = [...a.keys()].filter((s) => b.has(s) && Number.isFinite(a.get(s)!) && Number.isFinite(b.get(s)!));
      const d = seeds.map((s) => sign * (b.get(s)! - a.get(s)!));
      const t = oneSidedSignFlip(d);
      const mean = t.meanDiff;
      // Holds needs each pair at alpha (an intersection-union test); a reversal anywhere is judged at alpha / pairs.
      const verdict: ClaimVerdict = mean > 0 && t.p < CLAIM_ALPHA ? "holds" : mean < 0 && t.p < CLAIM_ALPHA / pairs ? "does not hold" : "inconclusive";
      const ma = meanOf(seeds.map((s) => a.get(s)!));
      const mb = meanOf(seeds.map((s) => b.get(s)!));
      const label = pointLabel(byAct[i].find((v) => pointKey(v.run) === point)?.run ?? byAct[i + 1][0]?.run ?? ({ grid: {} } as RunRow));
      const min = d.length && t.p >= CLAIM_ALPHA ? ` (the smallest p ${d.length} seeds allow is ${fmt(t.minP, 2)})` : "";
      parts.push({
        verdict,
        p: mean > 0 ? t.p : 1,
        line: `${label ? `${label}: ` : ""}${c.activations[i]} ${rel} ${c.activations[i + 1]}: ${fmt(ma)} vs ${fmt(mb)}, ${seeds.length} paired seeds, one-sided sign-flip p ${fmtP(t.p)}${mean < 0 ? " for the opposite order" : ""}${verdict === "inconclusive" ? min : ""}`,
      });
    }
  }
  const verdict = combine(parts.map((p) => p.verdict));
  const deciding =
    verdict === "does not hold" ? parts.find((p) => p.verdict === "does not hold")!
    : parts.reduce<(typeof parts)[number] | undefined>((w, p) => (w === undefined || p.p > w.p ? p : w), undefined);
  return { verdict, statistic: deciding?.line ?? "no finished runs to compare", details: parts.map((p) => `${p.verdict}: ${p.line}`) };
}

function bounds(c: BoundsClaim, ctx: Ctx): Verdictish {
  const runs = select(ctx, c.activation, c.where);
  const byPoint = groupBy(runs, (v) => pointKey(v.run));
  const parts: Array<{ verdict: ClaimVerdict; margin: number; line: string }> = [];
  for (const vs of byPoint.values()) {
    const label = pointLabel(vs[0].run);
    const entries: Array<{ name: string; values: number[]; column: string }> = [];
    for (const column of Object.keys(c.within)) {
      if (isRunMetric(column)) {
        entries.push({ name: column, values: vs.map((v) => (v.run as unknown as Record<string, number>)[column] ?? NaN), column });
      } else if (c.ratio) {
        const { of, to, log2 } = c.ratio;
        const values = vs.map((v) => {
          const ep = epochsOf(v, c.epoch);
          const r = meanOf(ep.map((e) => layerValue(v, e, of, column) / layerValue(v, e, to, column)));
          return log2 ? Math.log2(r) : r;
        });
        entries.push({ name: `${log2 ? "log2 " : ""}${column}[layer ${of}] / ${column}[layer ${to}]`, values, column });
      } else {
        const layers = [...new Set(vs.flatMap((v) => layersOf(v, c.layers)))].sort((a, b) => a - b);
        for (const l of layers)
          entries.push({ name: `${column} at layer ${l}`, values: vs.map((v) => meanOf(epochsOf(v, c.epoch).map((e) => layerValue(v, e, l, column)))), column });
      }
    }
    for (const e of entries) {
      const [lo, hi] = c.within[e.column];
      const s = summarize(e.values);
      const finite = e.values.filter(Number.isFinite).length;
      const [cl, ch] = s.n >= 2 ? [s.ciLow, s.ciHigh] : [s.mean, s.mean];
      const verdict: ClaimVerdict =
        s.n === 0 || finite < e.values.length ? "inconclusive"
        : cl >= lo && ch <= hi ? "holds"
        : ch < lo || cl > hi ? "does not hold"
        : "inconclusive";
      // Distance of the interval from the nearer bound: negative when outside.
      const margin = Math.min(cl - lo, hi - ch);
      const ci = s.n >= 2 ? ` [95% CI ${fmt(s.ciLow)}, ${fmt(s.ciHigh)}]` : "";
      const empty = finite < e.values.length && isRunMetric(e.column)
        ? `; runs.csv's ${e.column} is empty for ${e.values.length - finite} of ${e.values.length} runs${e.column.includes("test") ? " (test_* columns need a test split)" : ""}`
        : "";
      parts.push({ verdict, margin, line: `${label ? `${label}: ` : ""}${e.name} = ${fmt(s.mean)}${ci} over ${s.n} seed${s.n === 1 ? "" : "s"}, bounds [${lo}, ${hi}]${empty}` });
    }
  }
  const verdict = combine(parts.map((p) => p.verdict));
  const pick =
    verdict === "does not hold" ? parts.filter((p) => p.verdict === "does not hold").reduce((w, p) => (p.margin < w.margin ? p : w))
    : verdict === "inconclusive" && parts.some((p) => p.verdict === "inconclusive") ? parts.find((p) => p.verdict === "inconclusive")!
    : parts.reduce<(typeof parts)[number] | undefined>((w, p) => (w === undefined || p.margin < w.margin ? p : w), undefined);
  return { verdict, statistic: pick?.line ?? "no finished runs at the selected layers and epoch", details: parts.map((p) => `${p.verdict}: ${p.line}`) };
}

function trend(c: TrendClaim, ctx: Ctx): Verdictish {
  const runs = select(ctx, c.activation, c.where);
  const blocks: number[][] = [];
  let steps: string[] = [];
  if (c.over === "layer") {
    for (const v of runs) {
      const layers = layersOf(v, c.layers ?? "hidden");
      if (steps.length === 0) steps = layers.map(String);
      const epochs = epochsOf(v, c.epoch);
      blocks.push(layers.map((l) => meanOf(epochs.map((e) => layerValue(v, e, l, c.metric)))));
    }
  } else {
    // The grid key's values ascending when they are numbers, else in the grid's order (runs.csv's).
    steps = [...new Set(runs.map((v) => v.run.grid[c.over]))];
    if (steps.every((x) => x.trim() !== "" && Number.isFinite(Number(x)))) steps.sort((a, b) => Number(a) - Number(b));
    for (const group of groupBy(runs, (v) => `${v.run.seed}|${pointKey(v.run, c.over)}`).values()) {
      const at = new Map(group.map((v) => [v.run.grid[c.over], figure(v, c.metric, c.epoch, c.layers)]));
      if (steps.every((s) => at.has(s))) blocks.push(steps.map((s) => at.get(s)!));
    }
  }
  const oriented = c.direction === "rising" ? blocks : blocks.map((b) => [...b].reverse());
  const up = pageTest(oriented);
  const down = pageTest(oriented.map((b) => [...b].reverse()));
  const verdict: ClaimVerdict = up.blocks === 0 || steps.length < 2 ? "inconclusive" : up.p < CLAIM_ALPHA ? "holds" : down.p < CLAIM_ALPHA ? "does not hold" : "inconclusive";
  const means = steps.map((s, j) => `${c.over === "layer" ? `layer ${s}` : s}: ${fmt(meanOf(blocks.map((b) => b[j]).filter(Number.isFinite)))}`);
  const shown = means.length > 8 ? [...means.slice(0, 3), "...", ...means.slice(-3)] : means;
  const statistic = `Page's L = ${fmt(up.L, 6)} over ${up.blocks} block${up.blocks === 1 ? "" : "s"} (seeds${c.over === "layer" ? "" : " x other grid values"}) of ${steps.length} steps, one-sided p ${fmtP(verdict === "does not hold" ? down.p : up.p)}${verdict === "does not hold" ? ` for the opposite trend` : ""} (${up.method}); mean ${c.metric} by ${c.over}: ${shown.join(", ")}`;
  return { verdict, statistic, details: [statistic] };
}

async function fraction(c: FractionClaim, ctx: Ctx): Promise<Verdictish> {
  const runs = select(ctx, c.activation, c.where, c.figure === "diverged" ? ["ok", "diverged"] : ["ok"]);
  const parts: Array<{ verdict: ClaimVerdict; z: number; line: string }> = [];
  for (const vs of groupBy(runs, (v) => pointKey(v.run)).values()) {
    const label = pointLabel(vs[0].run);
    const hits = vs.filter((v) => (c.figure === "diverged" ? v.run.status === "diverged" : v.run.collapsed === 1)).length;
    const n = vs.length;
    const expected = typeof c.expected === "number" ? c.expected : await evaluateFormula(c.expected, pointScope(ctx.results, vs[0].run));
    const observed = hits / n;
    const se = binomialSE(expected, n);
    const z = se > 0 ? (observed - expected) / se : observed === expected ? 0 : Infinity * Math.sign(observed - expected);
    const verdict: ClaimVerdict = !Number.isFinite(expected) ? "inconclusive" : Math.abs(z) <= c.within ? "holds" : "does not hold";
    parts.push({ verdict, z, line: `${label ? `${label}: ` : ""}${hits} of ${n} runs (${fmt(observed)}) against ${fmt(expected)} expected, SE ${fmt(se)}, z = ${fmt(z, 3)}` });
  }
  const verdict = combine(parts.map((p) => p.verdict));
  const worst = parts.reduce<(typeof parts)[number] | undefined>((w, p) => (w === undefined || Math.abs(p.z) > Math.abs(w.z) ? p : w), undefined);
  return { verdict, statistic: worst ? `largest |z| of ${parts.length} grid point${parts.length === 1 ? "" : "s"}: ${worst.line}` : "no runs", details: parts.map((p) => `${p.verdict}: ${p.line}`) };
}

/** The variables a fraction formula may use at a run's grid point. */
export function pointScope(results: Results, run: RunRow): Record<string, number> {
  const config = (results.manifest.config ?? {}) as {
    points?: Array<{ values: Record<string, unknown>; model?: { hidden?: number[] }; train?: { epochs?: number; optimizer?: { lr?: number } } }>;
  };
  // runs.csv holds the grid point flattened (harness/grid-cells.ts); folders written before hold a cell per grid key.
  const point =
    config.points?.find((p) => {
      const cells = gridCells(p.values);
      return Object.keys(run.grid).every((k) => String(cells[k] ?? "") === run.grid[k]);
    }) ??
    config.points?.find((p) => Object.entries(p.values).every(([k, v]) => run.grid[k] === cell(v))) ??
    config.points?.[0];
  const scope: Record<string, number> = {};
  const hidden = point?.model?.hidden;
  if (hidden && hidden.length) {
    scope.width = hidden[0];
    scope.depth = hidden.length;
  }
  if (point?.train?.optimizer?.lr !== undefined) scope.lr = point.train.optimizer.lr;
  if (point?.train?.epochs !== undefined) scope.epochs = point.train.epochs;
  for (const [k, v] of Object.entries(point?.values ?? {})) if (typeof v === "number") scope[k.replace(/\./g, "_")] = v;
  return scope;
}
