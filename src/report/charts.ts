/**
 * The report's charts: Vega-Lite specs built from the results, compiled and
 * rendered to SVG in Node by vega (no browser, no canvas). Every chart colors
 * by activation through the same label -> color map, and records how many
 * series (activations) it draws so a browser test can check the legend.
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { Results, RunRow, CurveRow, LayerRow } from "./results.js";
import type { Leaderboard } from "./leaderboard.js";
import { gridLabelOf } from "./leaderboard.js";
import { colorMap } from "./palette.js";
import { geometricMean } from "./stats.js";

/** One chart, rendered. */
export interface Chart {
  /** File stem and HTML id (`loss` -> charts/loss.svg). */
  id: string;
  title: string;
  /** One or two sentences: what is drawn and how to read it. */
  caption: string;
  /** Number of activations drawn (= legend entries). */
  series: number;
  /** Activation labels drawn, in legend order. */
  labels: string[];
  spec: TopLevelSpec;
  svg: string;
}

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
  colors: Map<string, string>;
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
    scale: { domain: [...labels], range: labels.map((l) => ctx.colors.get(l) ?? "#000") },
    // Opaque symbols: a band layer would otherwise lend its faint fill to the legend.
    legend: { orient: "right" as const, labelLimit: 320, symbolOpacity: 1, symbolStrokeWidth: 2 },
  };
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
    data: { values },
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

function buildSpecs(ctx: Context): Array<Omit<Chart, "svg">> {
  const { results, board } = ctx;
  const charts: Array<Omit<Chart, "svg">> = [];
  const bandNote = "Line: mean over finished seeds; band: lowest to highest seed. Diverged and failed runs are left out.";

  // Loss curves.
  const loss = curveBands(ctx, results.curves, [["train", (c) => c.train_loss], ["validation", (c) => c.val_loss]]);
  if (loss.length) {
    const lossName = board.task === "classification" ? "loss (cross-entropy, nats)" : "loss (mean squared error)";
    const log = spansDecades(loss.flatMap((d) => [d.lo as number, d.hi as number]));
    charts.push(curveChart(ctx, "loss", "Loss over training", `${bandNote}${log ? " Log scale." : ""}`, loss, lossName, log));
  }
  // Accuracy curves.
  const acc = curveBands(ctx, results.curves, [["train", (c) => c.train_acc], ["validation", (c) => c.val_acc]]);
  if (acc.length)
    charts.push(curveChart(ctx, "accuracy", "Accuracy over training", bandNote, acc, "accuracy (fraction correct)", false, true));

  const epochs = chosenEpochs(results.layers.filter((l) => ctx.okRuns.has(l.run_id)));
  const epochTitle = (e: number): string => (e === 0 ? "epoch 0 (untrained)" : `epoch ${e}`);
  const epochSort = epochs.map(epochTitle);

  // Gradient norm against depth.
  const grads = layerAggregate(ctx, results.layers.filter((l) => epochs.includes(l.epoch)), ["grad_norm"], geometricMean, (l) => l.grad_norm > 0)
    .map((d): Datum => ({ ...d, when: epochTitle(d.epoch as number) }));
  if (grads.length) {
    const labels = presentLabels(ctx, grads);
    const color = colorEncoding(ctx, labels);
    const maxLayer = Math.max(...grads.map((d) => d.layer as number));
    const enc = {
      x: { field: "layer", type: "quantitative" as const, title: "weight layer (1 = input side)", scale: { domain: [1, maxLayer] }, axis: { tickMinStep: 1, format: "d" } },
      y: { field: "grad_norm", type: "quantitative" as const, title: "gradient norm ‖∂L/∂W‖₂ (log)", scale: { type: "log" as const } },
      color,
    };
    charts.push({
      id: "gradients",
      title: "Gradient norm by layer",
      caption: "L2 norm of the loss gradient with respect to each weight matrix, geometric mean over finished seeds, at the first, a middle and the last recorded epoch. A line falling toward layer 1 is the vanishing-gradient picture.",
      series: labels.length,
      labels,
      spec: {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json",
        data: { values: grads },
        facet: { column: { field: "when", type: "nominal", title: null, sort: epochSort } },
        spec: {
          width: PANEL_W,
          height: PANEL_H,
          layer: [
            { mark: { type: "line", strokeWidth: 1.8 }, encoding: enc },
            { mark: { type: "point", filled: true, size: 30 }, encoding: { ...enc, color } },
          ],
        },
      },
    });
  }

  // Dead and saturated fractions over epochs, per hidden layer.
  for (const [id, field, title, yTitle, caption] of [
    ["dead", "dead_frac", "Dead units over training", "dead units (fraction of layer)", "Fraction of a hidden layer's units whose derivative is zero on every probe example (on a flat piece of the activation: relu's x <= 0), mean over finished seeds."],
    ["saturation", "saturated_frac", "Saturated units over training", "saturated units (fraction of layer)", "Fraction of a hidden layer's units whose derivative is below a small share of the activation's largest derivative on most probe examples, mean over finished seeds."],
  ] as const) {
    const values = layerAggregate(ctx, results.layers, [field], mean, (l) => Number.isFinite(l[field]))
      .map((d): Datum => ({ ...d, panel: `layer ${d.layer}` }));
    if (!values.length) continue;
    const labels = presentLabels(ctx, values);
    const layerSort = [...new Set(values.map((d) => d.layer as number))].sort((a, b) => a - b).map((l) => `layer ${l}`);
    charts.push({
      id, title, caption, series: labels.length, labels,
      spec: {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json",
        data: { values },
        facet: { column: { field: "panel", type: "nominal", title: "hidden layer", sort: layerSort } },
        spec: {
          width: Math.max(140, Math.min(PANEL_W, 700 / layerSort.length)),
          height: PANEL_H,
          mark: { type: "line", strokeWidth: 1.8 },
          encoding: {
            x: { field: "epoch", type: "quantitative", title: "epoch" },
            y: { field, type: "quantitative", title: yTitle, scale: { domain: [0, 1] } },
            color: colorEncoding(ctx, labels),
          },
        },
      },
    });
  }

  // Activation distributions per layer (first and last recorded epoch).
  const distEpochs = epochs.length ? [epochs[0], epochs[epochs.length - 1]] : [];
  const dist = layerAggregate(ctx, results.layers.filter((l) => distEpochs.includes(l.epoch)), ["act_p05", "act_p50", "act_p95"], mean,
    (l) => Number.isFinite(l.act_p50))
    .map((d): Datum => ({ ...d, when: epochTitle(d.epoch as number) }));
  if (dist.length) {
    const labels = presentLabels(ctx, dist);
    const color = colorEncoding(ctx, labels);
    const x = { field: "layer", type: "ordinal" as const, title: "hidden layer", axis: { labelAngle: 0 } };
    const xOffset = { field: "activation", type: "nominal" as const, scale: { domain: labels } };
    charts.push({
      id: "distributions",
      title: "Activation values per layer",
      caption: "Distribution of each hidden layer's outputs over the probe examples: the bar runs from the 5th to the 95th percentile, the dot is the median; mean over finished seeds, at the first and the last recorded epoch.",
      series: labels.length,
      labels,
      spec: {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json",
        data: { values: dist },
        facet: { column: { field: "when", type: "nominal", title: null, sort: distEpochs.map(epochTitle) } },
        spec: {
          width: PANEL_W + 60,
          height: PANEL_H,
          layer: [
            { mark: { type: "rule", strokeWidth: 2 }, encoding: { x, xOffset, y: { field: "act_p05", type: "quantitative", title: "activation value (p05–p50–p95)" }, y2: { field: "act_p95" }, color } },
            { mark: { type: "point", filled: true, size: 28 }, encoding: { x, xOffset, y: { field: "act_p50", type: "quantitative" }, color } },
          ],
        },
      },
    });
  }

  // f and f' of each activation used.
  const fn: Datum[] = results.activationSamples.flatMap((s) => [
    { activation: s.activation, x: s.x, which: "f(x)", value: Number.isFinite(s.f) ? s.f : null },
    { activation: s.activation, x: s.x, which: "f′(x)", value: Number.isFinite(s.df) ? s.df : null },
  ]);
  if (fn.length && ctx.functions) {
    const labels = presentLabels(ctx, fn);
    charts.push({
      id: "functions",
      title: "The activations and their derivatives",
      caption: "Each activation used in the sweep (with its parameters) and its derivative, as sampled by the harness.",
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
          },
        },
        resolve: { scale: { y: "independent" } },
      },
    });
  }
  return charts;
}

/**
 * vega names clip paths and gradients clip1, clip2, ... in every SVG; inline
 * in one HTML page those ids would collide, and a chart would clip to another
 * chart's rectangle. Prefix them with the chart's id.
 */
function namespaceIds(svg: string, prefix: string): string {
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
    colors: colorMap(board.activationOrder),
    okRuns: new Map(results.runs.filter((r) => r.status === "ok").map((r) => [r.run_id, r])),
    functions: true,
  };
  // Grid points may be different datasets or model sizes: one set of
  // training charts per grid point, each titled with it; f/f' once.
  let specs: Array<Omit<Chart, "svg">>;
  if (board.gridLabels.length <= 1) specs = buildSpecs(ctx);
  else {
    specs = board.gridLabels.flatMap((label, i) => {
      const okRuns = new Map([...ctx.okRuns].filter(([, r]) => gridLabelOf(r, results.gridKeys) === label));
      return buildSpecs({ ...ctx, okRuns, functions: false }).map((c) => ({ ...c, id: `${c.id}-${i + 1}`, title: `${c.title} — ${label}` }));
    });
    specs.push(...buildSpecs({ ...ctx, okRuns: new Map(), functions: true }));
  }
  const out: Chart[] = [];
  for (const c of specs) {
    const svg = namespaceIds(await renderSvg(c.spec), `chart-${c.id}`);
    out.push({ ...c, svg });
  }
  return out;
}
