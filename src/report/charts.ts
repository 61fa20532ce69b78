/**
 * The report's charts: Vega-Lite specs built from the results, compiled and
 * rendered to SVG in Node by vega (no browser, no canvas). One function per
 * chart; every chart styles lines by activation through the same label ->
 * color and dash map (palette.ts), and records how many series
 * (activations) it draws so a browser test can check the legend.
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { Results, RunRow, CurveRow, LayerRow } from "./results.js";
import type { Leaderboard } from "./leaderboard.js";
import { gridLabelOf, deadFracAtEnd, gradRatioAtInit, titleSuffix } from "./leaderboard.js";
import { gridValueText } from "./config-text.js";
import { boundaryCharts, regressionCharts } from "./boundaries.js";
import { styleMap, type LineStyle } from "./palette.js";
import { paramTrajectorySpec } from "./paramCharts.js";
import { geometricMean } from "./stats.js";
import type { Chart, ChartSpec as Spec } from "./chart.js";

export type { Chart } from "./chart.js";

type Datum = Record<string, string | number | null>;

const PANEL_W = 230;
const PANEL_H = 160;

/** Log scale when positive values span more than `decades` orders of magnitude. */
function spansDecades(values: readonly number[], decades = 1.5): boolean {
  const pos = values.filter((v) => Number.isFinite(v) && v > 0);
  if (pos.length < 2) return false;
  return Math.log10(Math.max(...pos) / Math.min(...pos)) > decades;
}

interface Context {
  results: Results;
  board: Leaderboard;
  styles: Map<string, LineStyle>;
  /** Only finished runs feed the charts of training dynamics. */
  okRuns: Map<string, RunRow>;
  /** Draw the f/f' chart (once per report, not per grid point). */
  functions: boolean;
}

function colorEncoding(ctx: Context, labels: readonly string[]) {
  return {
    field: "activation",
    type: "nominal" as const,
    title: "activation",
    scale: { domain: [...labels], range: labels.map((l) => ctx.styles.get(l)?.color ?? "#000") },
    // Opaque symbols: a band layer would otherwise lend its faint fill to the legend.
    legend: { orient: "right" as const, labelLimit: 320, symbolOpacity: 1, symbolStrokeWidth: 2, symbolType: "stroke" },
  };
}

/** The dash of each activation's line (members of a family differ by it); shares the color legend. */
function dashEncoding(ctx: Context, labels: readonly string[]) {
  return {
    field: "activation",
    type: "nominal" as const,
    title: "activation",
    scale: { domain: [...labels], range: labels.map((l) => ctx.styles.get(l)?.dash ?? []) },
  };
}

/**
 * Tooltips without a script: each point gets a description ("relu · epoch 5 ·
 * mean 0.61"), which vega writes as the mark's aria-label and withTitles()
 * turns into an SVG <title>, the browser's native tooltip.
 */
function withTips(values: Datum[], fields: Array<[string, string]>): Datum[] {
  const show = (v: Datum[string]): string => (typeof v === "number" ? String(+v.toPrecision(4)) : String(v));
  return values.map((d) => ({ ...d, tip: [String(d.activation), ...fields.map(([f, name]) => (name ? `${name} ${show(d[f])}` : show(d[f])))].join(" · ") }));
}

const TIP = { description: { field: "tip", type: "nominal" as const } };

/** vega's symbols with an aria-label get it as a <title> child too (hover text in every browser). */
function withTitles(svg: string): string {
  return svg.replace(/<path aria-label="([^"]*)" role="graphics-symbol"([^>]*?)\/>/g, (_, label: string, rest: string) => `<path aria-label="${label}" role="graphics-symbol"${rest}><title>${label}</title></path>`);
}

/** Labels present in `values`, in the sweep's order. */
function presentLabels(ctx: Context, values: readonly Datum[]): string[] {
  const present = new Set(values.map((v) => String(v.activation)));
  return ctx.board.activationOrder.filter((l) => present.has(l));
}

/** Mean and range over seeds of `get` at each (activation, grid, epoch). */
function curveBands(ctx: Context, rows: readonly CurveRow[], series: Array<[string, (c: CurveRow) => number]>): Datum[] {
  const acc = new Map<string, { base: Datum; vals: number[] }>();
  for (const c of rows) {
    const run = ctx.okRuns.get(c.run_id);
    if (!run) continue;
    const grid = gridLabelOf(run, ctx.results.gridKeys);
    for (const [name, get] of series) {
      const v = get(c);
      if (!Number.isFinite(v)) continue;
      const key = JSON.stringify([run.activation, grid, c.epoch, name]);
      let a = acc.get(key);
      if (!a) acc.set(key, (a = { base: { activation: run.activation, grid, epoch: c.epoch, split: name }, vals: [] }));
      a.vals.push(v);
    }
  }
  return [...acc.values()].map(({ base, vals }) => ({
    ...base,
    mean: vals.reduce((s, v) => s + v, 0) / vals.length,
    lo: Math.min(...vals),
    hi: Math.max(...vals),
    seeds: vals.length,
  }));
}

function curveChart(ctx: Context, id: string, title: string, caption: string, values: Datum[], yTitle: string, log: boolean, domain01 = false): Omit<Chart, "svg"> {
  const labels = presentLabels(ctx, values);
  const yScale = log ? { type: "log" as const } : domain01 ? { domain: [0, 1] } : { zero: false };
  const color = colorEncoding(ctx, labels);
  const spec: TopLevelSpec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    data: { values: withTips(values, [["split", ""], ["epoch", "epoch"], ["mean", "mean"], ["lo", "lowest seed"], ["hi", "highest seed"]]) },
    facet: { column: { field: "split", type: "nominal", title: null, sort: ["train", "validation"] } },
    spec: {
      width: PANEL_W,
      height: PANEL_H,
      layer: [
        {
          mark: { type: "area", opacity: 0.18 },
          encoding: {
            x: { field: "epoch", type: "quantitative", title: "epoch" },
            y: { field: "lo", type: "quantitative", title: yTitle, scale: yScale },
            y2: { field: "hi" },
            color,
          },
        },
        {
          mark: { type: "line", strokeWidth: 1.8 },
          encoding: {
            x: { field: "epoch", type: "quantitative", title: "epoch" },
            y: { field: "mean", type: "quantitative", title: yTitle, scale: yScale },
            color,
            strokeDash: dashEncoding(ctx, labels),
          },
        },
        {
          // Invisible points carry the tooltips (a line has one label for all its points).
          mark: { type: "point", opacity: 0, size: 60, filled: true },
          encoding: {
            x: { field: "epoch", type: "quantitative" },
            y: { field: "mean", type: "quantitative", scale: yScale },
            color,
            ...TIP,
          },
        },
      ],
    },
  };
  return { id, title, caption, series: labels.length, labels, spec };
}

/** Epochs at which layer statistics are drawn: first, middle and last recorded. */
function chosenEpochs(layers: readonly LayerRow[]): number[] {
  const epochs = [...new Set(layers.map((l) => l.epoch))].sort((a, b) => a - b);
  if (epochs.length <= 3) return epochs;
  return [epochs[0], epochs[Math.floor((epochs.length - 1) / 2)], epochs[epochs.length - 1]];
}

/** Per (activation, grid, epoch, layer): an aggregate over seeds of several fields. */
function layerAggregate(
  ctx: Context,
  rows: readonly LayerRow[],
  fields: Array<keyof LayerRow>,
  reduce: (vals: number[]) => number,
  keep: (l: LayerRow) => boolean,
): Datum[] {
  const acc = new Map<string, { base: Datum; vals: Map<string, number[]> }>();
  for (const l of rows) {
    const run = ctx.okRuns.get(l.run_id);
    if (!run || !keep(l)) continue;
    const grid = gridLabelOf(run, ctx.results.gridKeys);
    const key = JSON.stringify([run.activation, grid, l.epoch, l.layer]);
    let a = acc.get(key);
    if (!a) acc.set(key, (a = { base: { activation: run.activation, grid, epoch: l.epoch, layer: l.layer }, vals: new Map() }));
    for (const f of fields) {
      const v = l[f] as number;
      if (!Number.isFinite(v)) continue;
      const list = a.vals.get(f as string) ?? [];
      list.push(v);
      a.vals.set(f as string, list);
    }
  }
  return [...acc.values()].map(({ base, vals }) => {
    const d: Datum = { ...base };
    for (const f of fields) {
      const list = vals.get(f as string);
      d[f as string] = list && list.length ? reduce(list) : null;
    }
    return d;
  });
}

const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;

const BAND_NOTE = "Line: mean over finished seeds; band: lowest to highest seed. Diverged and failed runs are left out.";

/** What the train panel shows (record.trainMetrics in the manifest; folders from before it had full passes). */
function trainNote(ctx: Context): string {
  const record = ctx.results.manifest.config?.record as { trainMetrics?: string } | undefined;
  return record?.trainMetrics === "running"
    ? " Train: mean over the epoch's batches, each with the weights of its step (epoch 0: a full pass); validation: a full pass with the end-of-epoch weights."
    : " Train and validation: full passes with the end-of-epoch weights.";
}

function lossChart(ctx: Context): Spec | undefined {
  const loss = curveBands(ctx, ctx.results.curves, [["train", (c) => c.train_loss], ["validation", (c) => c.val_loss]]);
  if (!loss.length) return undefined;
  const lossName = ctx.board.task === "classification" ? "loss (cross-entropy, nats)" : "loss (mean squared error)";
  const log = spansDecades(loss.flatMap((d) => [d.lo as number, d.hi as number]));
  return curveChart(ctx, "loss", "Loss over training", `${BAND_NOTE}${trainNote(ctx)}${log ? " Log scale." : ""}`, loss, lossName, log);
}

function accuracyChart(ctx: Context): Spec | undefined {
  const acc = curveBands(ctx, ctx.results.curves, [["train", (c) => c.train_acc], ["validation", (c) => c.val_acc]]);
  if (!acc.length) return undefined;
  return curveChart(ctx, "accuracy", "Accuracy over training", `${BAND_NOTE}${trainNote(ctx)}`, acc, "accuracy (fraction correct)", false, true);
}

/** The epochs the layer charts show, and their panel titles. */
interface LayerEpochs {
  epochs: number[];
  title: (e: number) => string;
}

function layerEpochs(ctx: Context): LayerEpochs {
  return {
    epochs: chosenEpochs(ctx.results.layers.filter((l) => ctx.okRuns.has(l.run_id))),
    title: (e) => (e === 0 ? "epoch 0 (untrained)" : `epoch ${e}`),
  };
}

function gradientChart(ctx: Context): Spec | undefined {
  const { epochs, title } = layerEpochs(ctx);
  const field = ctx.board.gradMeasure;
  const grads = layerAggregate(ctx, ctx.results.layers.filter((l) => epochs.includes(l.epoch)), [field], geometricMean, (l) => l[field] > 0)
    .map((d): Datum => ({ ...d, when: title(d.epoch as number) }));
  if (!grads.length) return undefined;
  const labels = presentLabels(ctx, grads);
  const color = colorEncoding(ctx, labels);
  const maxLayer = Math.max(...grads.map((d) => d.layer as number));
  const enc = {
    x: { field: "layer", type: "quantitative" as const, title: "weight layer (1 = input side)", scale: { domain: [1, maxLayer] }, axis: { tickMinStep: 1, format: "d" } },
    y: { field, type: "quantitative" as const, title: field === "grad_rms" ? "RMS gradient per weight (log)" : "gradient norm ‖∂L/∂W‖₂ (log)", scale: { type: "log" as const } },
    color,
  };
  const what = field === "grad_rms"
    ? "Root-mean-square gradient of the mean probe loss per weight of each weight matrix (layers.csv grad_rms: the L2 norm over the square root of the number of weights, so layers of different sizes compare fairly)"
    : "L2 norm of the loss gradient with respect to each weight matrix (layers.csv grad_norm; this folder has no grad_rms)";
  return {
    id: "gradients",
    title: "Gradient by layer",
    caption: `${what}, geometric mean over finished seeds, at the first, a middle and the last recorded epoch. A line falling toward layer 1 is the vanishing-gradient picture.`,
    series: labels.length,
    labels,
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      data: { values: withTips(grads, [["when", ""], ["layer", "layer"], [field, field]]) },
      facet: { column: { field: "when", type: "nominal", title: null, sort: epochs.map(title) } },
      spec: {
        width: PANEL_W,
        height: PANEL_H,
        layer: [
          { mark: { type: "line", strokeWidth: 1.8 }, encoding: { ...enc, strokeDash: dashEncoding(ctx, labels) } },
          { mark: { type: "point", filled: true, size: 30 }, encoding: { ...enc, color, ...TIP } },
        ],
      },
    },
  };
}

/** A per-hidden-layer fraction over epochs (dead units, saturation). */
function layerFractionChart(ctx: Context, id: string, field: "dead_frac" | "saturated_frac", title: string, yTitle: string, caption: string): Spec | undefined {
  const values = layerAggregate(ctx, ctx.results.layers, [field], mean, (l) => Number.isFinite(l[field]))
    .map((d): Datum => ({ ...d, panel: `layer ${d.layer}` }));
  if (!values.length) return undefined;
  const labels = presentLabels(ctx, values);
  const layerSort = [...new Set(values.map((d) => d.layer as number))].sort((a, b) => a - b).map((l) => `layer ${l}`);
  const color = colorEncoding(ctx, labels);
  const enc = {
    x: { field: "epoch", type: "quantitative" as const, title: "epoch" },
    y: { field, type: "quantitative" as const, title: yTitle, scale: { domain: [0, 1] } },
    color,
  };
  return {
    id, title, caption, series: labels.length, labels,
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      data: { values: withTips(values, [["panel", ""], ["epoch", "epoch"], [field, field]]) },
      facet: { column: { field: "panel", type: "nominal", title: "hidden layer", sort: layerSort } },
      spec: {
        width: Math.max(140, Math.min(PANEL_W, 700 / layerSort.length)),
        height: PANEL_H,
        layer: [
          { mark: { type: "line", strokeWidth: 1.8 }, encoding: { ...enc, strokeDash: dashEncoding(ctx, labels) } },
          { mark: { type: "point", opacity: 0, size: 60, filled: true }, encoding: { ...enc, ...TIP } },
        ],
      },
    },
  };
}

function deadChart(ctx: Context): Spec | undefined {
  return layerFractionChart(ctx, "dead", "dead_frac", "Dead units over training", "dead units (fraction of layer)",
    "Fraction of a hidden layer's units whose derivative is exactly zero on every probe example, on a flat piece of the activation (relu's x <= 0; layers.csv dead_frac), mean over finished seeds.");
}

function saturationChart(ctx: Context): Spec | undefined {
  return layerFractionChart(ctx, "saturation", "saturated_frac", "Saturation over training", "saturated (fraction of example-unit pairs)",
    "Share of a hidden layer's (probe example, unit) pairs whose |f′(z)| is below 1% of the activation's largest |f′|, not counting a flat piece where f′ is exactly 0 (relu's x <= 0 is inactive, not saturated; layers.csv saturated_frac), mean over finished seeds.");
}

function distributionChart(ctx: Context): Spec | undefined {
  const { epochs, title } = layerEpochs(ctx);
  const distEpochs = epochs.length ? [epochs[0], epochs[epochs.length - 1]] : [];
  const dist = layerAggregate(ctx, ctx.results.layers.filter((l) => distEpochs.includes(l.epoch)), ["act_p05", "act_p50", "act_p95"], mean,
    (l) => Number.isFinite(l.act_p50))
    .map((d): Datum => ({ ...d, when: title(d.epoch as number) }));
  if (!dist.length) return undefined;
  const labels = presentLabels(ctx, dist);
  const color = colorEncoding(ctx, labels);
  const x = { field: "layer", type: "ordinal" as const, title: "hidden layer", axis: { labelAngle: 0 } };
  const xOffset = { field: "activation", type: "nominal" as const, scale: { domain: labels } };
  return {
    id: "distributions",
    title: "Activation values per layer",
    caption: "Distribution of each hidden layer's outputs over the probe examples: the bar runs from the 5th to the 95th percentile, the dot is the median; mean over finished seeds, at the first and the last recorded epoch.",
    series: labels.length,
    labels,
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      data: { values: withTips(dist, [["when", ""], ["layer", "layer"], ["act_p05", "p05"], ["act_p50", "median"], ["act_p95", "p95"]]) },
      facet: { column: { field: "when", type: "nominal", title: null, sort: distEpochs.map(title) } },
      spec: {
        width: PANEL_W + 60,
        height: PANEL_H,
        layer: [
          { mark: { type: "rule", strokeWidth: 2 }, encoding: { x, xOffset, y: { field: "act_p05", type: "quantitative", title: "activation value (p05–p50–p95)" }, y2: { field: "act_p95" }, color } },
          { mark: { type: "point", filled: true, size: 28 }, encoding: { x, xOffset, y: { field: "act_p50", type: "quantitative" }, color, ...TIP } },
        ],
      },
    },
  };
}

function functionsChart(ctx: Context): Spec | undefined {
  const fn: Datum[] = ctx.results.activationSamples.flatMap((s) => [
    { activation: s.activation, x: s.x, which: "f(x)", value: Number.isFinite(s.f) ? s.f : null },
    { activation: s.activation, x: s.x, which: "f′(x)", value: Number.isFinite(s.df) ? s.df : null },
  ]);
  if (!fn.length || !ctx.functions) return undefined;
  const labels = presentLabels(ctx, fn);
  return {
    id: "functions",
    title: "The activations and their derivatives",
    caption: "Each activation used in the sweep (with its parameters) and its derivative, as sampled by the harness (activations.csv).",
    series: labels.length,
    labels,
    spec: {
      $schema: "https://vega.github.io/schema/vega-lite/v6.json",
      data: { values: fn },
      facet: { column: { field: "which", type: "nominal", title: null, sort: ["f(x)", "f′(x)"] } },
      spec: {
        width: PANEL_W + 40,
        height: PANEL_H + 40,
        mark: { type: "line", strokeWidth: 1.6 },
        encoding: {
          x: { field: "x", type: "quantitative", title: "pre-activation x" },
          y: { field: "value", type: "quantitative", title: "value" },
          color: colorEncoding(ctx, labels),
          strokeDash: dashEncoding(ctx, labels),
        },
      },
      resolve: { scale: { y: "independent" } },
    },
  };
}

/**
 * For each grid key with more than one value: the final metric, the gradient
 * ratio at initialisation and the dead fraction at the end against the key's
 * values (plan order), one line per activation (mean over finished seeds)
 * with a band from the lowest to the highest seed. Other grid keys, if any,
 * split the chart into columns. A depth sweep's main figure.
 */
function gridAxisCharts(ctx: Context): Spec[] {
  const { results, board } = ctx;
  const layersByRun = new Map<string, LayerRow[]>();
  for (const l of results.layers) layersByRun.set(l.run_id, [...(layersByRun.get(l.run_id) ?? []), l]);
  const metricName = board.primary === "val_acc" ? "final val accuracy" : "final val loss";
  const out: Spec[] = [];
  results.gridKeys.forEach((key, ki) => {
    const order = [...new Set(results.runs.map((r) => gridValueText(r.grid[key] ?? "")))];
    if (order.length < 2) return;
    const others = results.gridKeys.filter((k) => k !== key);
    const acc = new Map<string, { base: Datum; vals: number[] }>();
    for (const run of ctx.okRuns.values()) {
      const layers = layersByRun.get(run.run_id) ?? [];
      const figures: Array<[string, number]> = [
        [metricName, board.primary === "val_acc" ? run.val_acc : run.val_loss],
        ["grad ratio L1/Llast at init (log)", gradRatioAtInit(layers, board.gradMeasure)],
        ["dead fraction at end", deadFracAtEnd(layers)],
      ];
      const value = gridValueText(run.grid[key] ?? "");
      const rest = others.map((k) => `${k}=${gridValueText(run.grid[k] ?? "")}`).join(", ") || "all";
      for (const [figure, v] of figures) {
        if (!Number.isFinite(v) || (figure.includes("log") && v <= 0)) continue;
        const k = JSON.stringify([run.activation, value, rest, figure]);
        let a = acc.get(k);
        if (!a) acc.set(k, (a = { base: { activation: run.activation, value, rest, figure }, vals: [] }));
        a.vals.push(v);
      }
    }
    const values = withTips([...acc.values()].map(({ base, vals }) => ({ ...base, mean: mean(vals), lo: Math.min(...vals), hi: Math.max(...vals), seeds: vals.length })),
      [["value", key], ["mean", "mean"], ["lo", "lowest seed"], ["hi", "highest seed"]]);
    if (!values.length) return;
    const labels = presentLabels(ctx, values);
    const color = colorEncoding(ctx, labels);
    const x = { field: "value", type: "ordinal" as const, title: key, sort: order, axis: { labelAngle: 0, labelLimit: 160 } };
    const panel = (figure: string) => {
      const y = { type: "quantitative" as const, title: figure, scale: figure.includes("log") ? { type: "log" as const } : { zero: false } };
      return {
        transform: [{ filter: { field: "figure", equal: figure } }],
        ...(others.length ? { facet: { column: { field: "rest", type: "nominal" as const, title: null } } } : {}),
        spec: {
          width: PANEL_W, height: PANEL_H,
          layer: [
            { mark: { type: "area" as const, opacity: 0.15 }, encoding: { x, y: { ...y, field: "lo" }, y2: { field: "hi" }, color } },
            { mark: { type: "line" as const, strokeWidth: 1.8 }, encoding: { x, y: { ...y, field: "mean" }, color, strokeDash: dashEncoding(ctx, labels) } },
            { mark: { type: "point" as const, filled: true, size: 30 }, encoding: { x, y: { ...y, field: "mean" }, color, ...TIP } },
          ],
        },
      };
    };
    const figuresPresent = [metricName, "grad ratio L1/Llast at init (log)", "dead fraction at end"].filter((f) => values.some((v) => v.figure === f));
    out.push({
      id: `axis-${ki + 1}`,
      title: `Against ${key}`,
      caption: `Each activation's ${metricName}, gradient ratio at initialisation (first weight layer over the last, ${board.gradMeasure === "grad_rms" ? "RMS gradient per weight" : "gradient norm"}; log scale) and dead fraction at the end, against the grid's values of ${key}. Line: mean over finished seeds; band: lowest to highest seed.${others.length ? ` Columns: the other grid keys (${others.join(", ")}).` : ""}`,
      series: labels.length,
      labels,
      spec: {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json",
        data: { values },
        // Side by side when each figure is one panel; stacked when the other grid keys add columns.
        ...(others.length
          ? { vconcat: figuresPresent.map((f) => panel(f)) }
          : { hconcat: figuresPresent.map((f) => ({ transform: panel(f).transform, ...panel(f).spec })) }),
      } as TopLevelSpec,
    });
  });
  return out;
}

/** Learned activation parameters over training (params.csv; the chart itself lives in paramCharts.ts). */
function paramsChart(ctx: Context): Spec | undefined {
  const colors = new Map([...ctx.styles].map(([label, style]) => [label, style.color]));
  const learned = paramTrajectorySpec({ params: ctx.results.params, okRuns: ctx.okRuns, order: ctx.board.activationOrder, colors });
  if (!learned) return undefined;
  return {
    id: "params",
    title: "Learned activation parameters",
    caption: `${learned.panels} panels, one per weight layer and learned parameter (params.csv). Line: mean over the layer's units, then over finished seeds; band: smallest to largest unit's value (mean over seeds). A parameter shared per layer is a line.`,
    series: learned.labels.length,
    labels: learned.labels,
    spec: learned.spec,
  };
}

/** The charts of one set of runs, in report order; a chart without data is left out. */
const CHARTS: Array<(ctx: Context) => Spec | undefined> = [lossChart, accuracyChart, gradientChart, deadChart, saturationChart, distributionChart, functionsChart, paramsChart];

function buildSpecs(ctx: Context): Spec[] {
  return CHARTS.map((chart) => chart(ctx)).filter((c): c is Spec => c !== undefined);
}

/**
 * vega names clip paths and gradients clip1, clip2, ... in every SVG; inline
 * in one HTML page those ids would collide, and a chart would clip to another
 * chart's rectangle. Prefix them with the chart's id.
 */
export function namespaceIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}-${id})`);
}

/** Renders a Vega-Lite spec to an SVG string, in Node. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Builds and renders every chart the results allow (charts without data are left out). */
export async function buildCharts(results: Results, board: Leaderboard): Promise<Chart[]> {
  const ctx: Context = {
    results,
    board,
    styles: styleMap(board.activationOrder),
    okRuns: new Map(results.runs.filter((r) => r.status === "ok").map((r) => [r.run_id, r])),
    functions: true,
  };
  // Grid points may be different datasets or model sizes: one set of
  // training charts per grid point, each titled with it; f/f' once.
  // The grid's axes first: what a sweep over depth or learning rate is for.
  const specs: Spec[] = gridAxisCharts(ctx);
  if (board.gridLabels.length <= 1) specs.push(...buildSpecs(ctx));
  else {
    specs.push(...board.gridLabels.flatMap((label, i) => {
      const okRuns = new Map([...ctx.okRuns].filter(([, r]) => gridLabelOf(r, results.gridKeys) === label));
      return buildSpecs({ ...ctx, okRuns, functions: false }).map((c) => ({ ...c, id: `${c.id}-${i + 1}`, title: `${c.title}${titleSuffix(board, label)}` }));
    }));
    specs.push(...buildSpecs({ ...ctx, okRuns: new Map(), functions: true }));
  }
  specs.push(...(await boundaryCharts(results, board)), ...(await regressionCharts(results, board)));
  const out: Chart[] = [];
  for (const c of specs) {
    const svg = withTitles(namespaceIds(await renderSvg(c.spec), `chart-${c.id}`));
    out.push({ ...c, svg });
  }
  return out;
}
