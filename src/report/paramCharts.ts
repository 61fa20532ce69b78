/**
 * The report's chart of learned activation parameters (params.csv): each
 * parameter's trajectory over training, one panel per (layer, parameter),
 * colored by activation like every other chart. The line is the mean over
 * units (then over seeds); the band runs from the smallest to the largest
 * unit's value (averaged over seeds), so a per-layer parameter is a line and
 * a per-unit one shows its spread. It answers "which shape did the network
 * choose?": swish_beta's beta drifting from 1 (silu) towards relu-like
 * values, PELU's a and b, a mixture's weights.
 */
import type { TopLevelSpec } from "vega-lite";
import type { ParamRow, RunRow } from "./results.js";

type Datum = Record<string, string | number>;

/** What the chart needs from the report's context. */
export interface ParamChartInput {
  params: readonly ParamRow[];
  /** Finished runs (of this grid point) by run id. */
  okRuns: ReadonlyMap<string, RunRow>;
  /** Activation labels in the sweep's order, and their colors. */
  order: readonly string[];
  colors: ReadonlyMap<string, string>;
}

/** The chart's spec, or null when no finished run learned an activation parameter. */
export function paramTrajectorySpec(input: ParamChartInput): { spec: TopLevelSpec; labels: string[]; panels: number } | null {
  const acc = new Map<string, { base: Datum; mean: number[]; lo: number[]; hi: number[] }>();
  for (const p of input.params) {
    const run = input.okRuns.get(p.run_id);
    if (!run || !Number.isFinite(p.mean)) continue;
    const panel = `layer ${p.layer} · ${p.parameter}`;
    const key = JSON.stringify([run.activation, panel, p.epoch]);
    let a = acc.get(key);
    if (!a) acc.set(key, (a = { base: { activation: run.activation, panel, layer: p.layer, parameter: p.parameter, epoch: p.epoch }, mean: [], lo: [], hi: [] }));
    a.mean.push(p.mean);
    a.lo.push(p.min);
    a.hi.push(p.max);
  }
  if (acc.size === 0) return null;
  const avg = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const values: Datum[] = [...acc.values()].map(({ base, mean, lo, hi }) => ({ ...base, mean: avg(mean), lo: avg(lo), hi: avg(hi), seeds: mean.length }));
  const present = new Set(values.map((v) => String(v.activation)));
  const labels = input.order.filter((l) => present.has(l));
  const panels = [...new Set(values.map((v) => String(v.panel)))];
  const color = {
    field: "activation",
    type: "nominal" as const,
    title: "activation",
    scale: { domain: labels, range: labels.map((l) => input.colors.get(l) ?? "#000") },
    legend: { orient: "right" as const, labelLimit: 320, symbolOpacity: 1, symbolStrokeWidth: 2 },
  };
  const x = { field: "epoch", type: "quantitative" as const, title: "epoch" };
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    data: { values },
    facet: { field: "panel", type: "nominal", title: null, sort: panels },
    columns: 4,
    resolve: { scale: { y: "independent" } },
    spec: {
      width: 150,
      height: 100,
      layer: [
        { mark: { type: "area", opacity: 0.18 }, encoding: { x, y: { field: "lo", type: "quantitative", title: "value", scale: { zero: false } }, y2: { field: "hi" }, color } },
        { mark: { type: "line", strokeWidth: 1.6 }, encoding: { x, y: { field: "mean", type: "quantitative", title: "value", scale: { zero: false } }, color } },
      ],
    },
  };
  return { spec, labels, panels: panels.length };
}
