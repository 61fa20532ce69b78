/**
 * What each network computes. For 2-D classification datasets: a map of the
 * final model's predicted class over the input plane (TensorFlow
 * Playground's picture), one small map per activation at the same seed, with
 * the validation points on top. For regression: predicted against true, and
 * for one input (sine) the fitted curve over the data. Drawn from the saved final models
 * (`record.models: [final]`) and the dataset rebuilt from its spec (the data
 * does not depend on the run's seed), in the raw input coordinates the
 * model's recorded feature scaling maps from.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import type { DatasetSpec } from "../data/spec.js";
import type { Dataset } from "../data/types.js";
import { modelFromJSON, type ModelJSON } from "../nn/modelJson.js";
import type { Results, RunRow } from "./results.js";
import { titleSuffix, type Leaderboard } from "./leaderboard.js";
import { configText, gridValueText } from "./config-text.js";
import type { ChartSpec } from "./chart.js";

/** Cells per side of each map: fine enough to see the boundary, small enough for an SVG. */
const CELLS = 28;
/** Validation points drawn per map, at most (a stride through the split). */
const MAX_POINTS = 300;

interface PointInfo {
  dataset?: DatasetSpec;
  values?: Record<string, unknown>;
}

/** The dataset spec of the grid point `runs` belong to, from the manifest's resolved points. */
function datasetOf(results: Results, run: RunRow): DatasetSpec | undefined {
  const config = (results.manifest.config ?? {}) as { dataset?: DatasetSpec; points?: PointInfo[] };
  const points = config.points ?? [];
  const match = points.find((p) => results.gridKeys.every((k) => configText(p.values?.[k]) === gridValueText(run.grid[k] ?? "")));
  return match?.dataset ?? (points.length <= 1 ? config.dataset : undefined);
}

function readModel(dir: string, runId: string): ModelJSON | undefined {
  const p = join(dir, "models", `${runId}.final.json`);
  if (!existsSync(p)) return undefined;
  try {
    return JSON.parse(readFileSync(p, "utf8")) as ModelJSON;
  } catch {
    return undefined;
  }
}

/**
 * Predicted class of each row of x (rows x 2, already scaled): the largest
 * output logit (the head's softmax or sigmoid is monotone, so it picks the
 * same class; forwardInto leaves the head to the loss and fills only z).
 */
function predict(model: ModelJSON, x: Float32Array, rows: number): number[] {
  const { z: out, cols } = outputs(model, x, rows);
  const cls: number[] = [];
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (out[r * cols + c] > out[r * cols + best]) best = c;
    // One sigmoid output: class 1 where its logit is positive (p > 1/2).
    cls.push(cols === 1 ? (out[r] > 0 ? 1 : 0) : best);
  }
  return cls;
}

/** What the maps of one grid point are drawn from: each activation's final model at one seed, and the data. */
interface SavedModels {
  label: string;
  index: number;
  seed: number;
  runs: RunRow[];
  models: ModelJSON[];
  data: Dataset;
}

/**
 * Labels of the activations from the user's modules (the manifest's config):
 * the report never evaluates them, because a user's module runs only in
 * threads of its own (harness/module-check.ts), never in actbench's; they
 * have no map.
 */
function moduleLabels(results: Results): Set<string> {
  const acts = (results.manifest.config as { activations?: Array<{ label?: string; module?: unknown }> } | undefined)?.activations ?? [];
  return new Set(acts.filter((a) => a.module && typeof a.label === "string").map((a) => a.label as string));
}

/** The caption's note on the activations left out (from the user's modules), or "". */
function leftOut(results: Results): string {
  const labels = [...moduleLabels(results)];
  return labels.length ? ` ${labels.join(", ")} (from your module${labels.length > 1 ? "s" : ""}) ${labels.length > 1 ? "are" : "is"} not drawn: the report never runs a user's module.` : "";
}

/**
 * Per grid point: the smallest seed at which every activation (but the
 * user's modules') finished and saved its final model, with the dataset
 * rebuilt. The data loaders are imported only when there are models to draw
 * (a second of start-up that a report without them should not pay).
 */
async function savedModels(results: Results, board: Leaderboard): Promise<SavedModels[]> {
  const out: SavedModels[] = [];
  if (!existsSync(join(results.dir, "models"))) return out;
  const { loadDataset } = await import("../data/load.js");
  const fromModules = moduleLabels(results);
  board.gridLabels.forEach((label, index) => {
    const rows = board.rows.filter((r) => r.group.gridLabel === label && !fromModules.has(r.group.activation));
    if (rows.length === 0) return;
    const seeds = [...new Set(rows.flatMap((r) => r.group.runs.map((x) => x.seed)))].sort((a, b) => a - b);
    const seed = seeds.find((s) => rows.every((r) => r.group.runs.some((x) => x.seed === s && x.status === "ok" && existsSync(join(results.dir, "models", `${x.run_id}.final.json`)))));
    if (seed === undefined) return;
    const runs = rows.map((r) => r.group.runs.find((x) => x.seed === seed)!);
    const models = runs.map((r) => readModel(results.dir, r.run_id));
    if (models.some((m) => !m)) return;
    const spec = datasetOf(results, runs[0]);
    if (!spec) return;
    // CSV paths are relative to the config file's folder (recorded in the manifest), else try the results' parent.
    const configFile = results.manifest.config_file;
    const bases = [...(typeof configFile === "string" ? [dirname(resolve(configFile))] : []), dirname(resolve(results.dir))];
    for (const baseDir of bases) {
      try {
        out.push({ label, index, seed, runs, models: models as ModelJSON[], data: loadDataset(spec, { baseDir }) });
        return;
      } catch {
        // not found from here: try the next folder
      }
    }
  });
  return out;
}

/** The network's outputs for rows x inputs (already scaled): the output layer's z (forwardInto leaves the head to the loss). */
function outputs(model: ModelJSON, x: Float32Array, rows: number): { z: Float32Array; cols: number } {
  const mlp = modelFromJSON(model);
  const ws = mlp.workspace(rows);
  mlp.forwardInto(ws, x, rows);
  return { z: ws.z[mlp.layerCount - 1], cols: mlp.outputs };
}

/** One decision-boundary chart per grid point whose dataset is 2-D classification and whose final models were saved. */
export async function boundaryCharts(results: Results, board: Leaderboard): Promise<ChartSpec[]> {
  if (board.task !== "classification") return [];
  const out: ChartSpec[] = [];
  for (const { label, index: gi, seed, runs, models, data } of await savedModels(results, board)) {
    if (data.features !== 2 || models.some((m) => m.sizes[0] !== 2)) continue;
    const val = data.val ?? data.train;
    const scaling = models[0]!.actbench.scaling ?? data.scaling;
    const raw = (x: number, j: number): number => (scaling ? x * scaling.scale[j] + scaling.offset[j] : x);
    // The plane: the validation points' range in scaled units, padded by 10%.
    let lo = [Infinity, Infinity], hi = [-Infinity, -Infinity];
    for (let r = 0; r < val.n; r++) for (let j = 0; j < 2; j++) {
      lo[j] = Math.min(lo[j], val.x[2 * r + j]);
      hi[j] = Math.max(hi[j], val.x[2 * r + j]);
    }
    const pad = [0, 1].map((j) => 0.1 * (hi[j] - lo[j] || 1));
    lo = lo.map((v, j) => v - pad[j]);
    hi = hi.map((v, j) => v + pad[j]);
    const step = [0, 1].map((j) => (hi[j] - lo[j]) / CELLS);
    const grid = new Float32Array(CELLS * CELLS * 2);
    for (let i = 0; i < CELLS; i++) for (let k = 0; k < CELLS; k++) {
      grid[2 * (i * CELLS + k)] = lo[0] + (k + 0.5) * step[0];
      grid[2 * (i * CELLS + k) + 1] = lo[1] + (i + 0.5) * step[1];
    }
    const cells: Array<Record<string, string | number>> = [];
    runs.forEach((run, m) => {
      const cls = predict(models[m]!, grid, CELLS * CELLS);
      for (let c = 0; c < CELLS * CELLS; c++) {
        const k = c % CELLS, i = Math.floor(c / CELLS);
        cells.push({
          activation: run.activation,
          x1: raw(lo[0] + k * step[0], 0), x1e: raw(lo[0] + (k + 1) * step[0], 0),
          x2: raw(lo[1] + i * step[1], 1), x2e: raw(lo[1] + (i + 1) * step[1], 1),
          class: String(cls[c]),
        });
      }
    });
    const stride = Math.max(1, Math.ceil(val.n / MAX_POINTS));
    // Drawn on every map: a layer with its own data is not split by the facet.
    const points: Array<Record<string, string | number>> = [];
    for (let r = 0; r < val.n; r += stride) points.push({ x1: raw(val.x[2 * r], 0), x2: raw(val.x[2 * r + 1], 1), class: String(val.y[r]) });
    const classes = [...new Set(points.map((p) => String(p.class)).concat(cells.map((c) => String(c.class))))].sort();
    const labels = runs.map((r) => r.activation);
    const classColors = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#ff9da7", "#bab0ac"];
    const classScale = { domain: classes, range: classes.map((_, i) => classColors[i % classColors.length]) };
    const suffix = board.gridLabels.length > 1 ? `-${gi + 1}` : "";
    out.push({
      id: `boundaries${suffix}`,
      title: `Decision boundaries${titleSuffix(board, label)}`,
      caption: `Each activation's final model at seed ${seed} (models/<run_id>.final.json): the shaded cells are the class it predicts over the input plane (${CELLS} x ${CELLS} cells, in the raw input units its recorded feature scaling maps from), the dots the validation examples in their true class. Same seed, so same data, split and initial weights.${leftOut(results)}`,
      series: labels.length,
      labels,
      spec: {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json",
        datasets: { cells, points },
        data: { name: "cells" },
        facet: { field: "activation", type: "nominal", title: null, sort: labels, header: { labelFontSize: 11, labelColor: "#222" } },
        columns: 5,
        spec: {
          width: 150,
          height: 150,
          layer: [
            {
              mark: { type: "rect", opacity: 0.35 },
              encoding: {
                x: { field: "x1", type: "quantitative", title: "x1", scale: { zero: false, nice: false } },
                x2: { field: "x1e" },
                y: { field: "x2", type: "quantitative", title: "x2", scale: { zero: false, nice: false } },
                y2: { field: "x2e" },
                color: { field: "class", type: "nominal", title: "class", scale: classScale },
              },
            },
            {
              data: { name: "points" },
              mark: { type: "point", filled: true, size: 9, opacity: 0.9 },
              encoding: {
                x: { field: "x1", type: "quantitative" },
                y: { field: "x2", type: "quantitative" },
                color: { field: "class", type: "nominal", scale: classScale },
              },
            },
          ],
        },
      } as unknown as TopLevelSpec,
    });
  }
  return out;
}

/**
 * Regression: each activation's predictions on the validation rows against
 * the true targets (the first target column; the diagonal is a perfect fit),
 * and for one input feature (sine) the fitted curve over the data. Same
 * saved models and seed as the decision boundaries.
 */
export async function regressionCharts(results: Results, board: Leaderboard): Promise<ChartSpec[]> {
  if (board.task !== "regression") return [];
  const out: ChartSpec[] = [];
  for (const { label, index: gi, seed, runs, models, data } of await savedModels(results, board)) {
    const val = data.val ?? data.train;
    const d = data.features;
    const ycols = val.y.length / val.n;
    const suffix = board.gridLabels.length > 1 ? `-${gi + 1}` : "";
    const labels = runs.map((r) => r.activation);
    const stride = Math.max(1, Math.ceil(val.n / MAX_POINTS));
    const pairs: Array<Record<string, string | number>> = [];
    runs.forEach((run, m) => {
      const { z, cols } = outputs(models[m], val.x, val.n);
      for (let r = 0; r < val.n; r += stride) pairs.push({ activation: run.activation, truth: val.y[r * ycols], predicted: z[r * cols] });
    });
    const facet = { field: "activation", type: "nominal" as const, title: null, sort: labels };
    const where = titleSuffix(board, label);
    out.push({
      id: `predictions${suffix}`,
      title: `Predicted against true${where}`,
      caption: `Each activation's final model at seed ${seed} on the validation rows (models/<run_id>.final.json): its prediction against the true target${ycols > 1 ? " (the first target column)" : ""}, in the units the network was trained on; the diagonal is a perfect fit.${leftOut(results)}`,
      series: labels.length,
      labels,
      spec: {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json",
        data: { values: pairs },
        facet,
        columns: 5,
        spec: {
          width: 150, height: 150,
          layer: [
            { mark: { type: "point", filled: true, size: 9, opacity: 0.7, color: "#4e79a7" }, encoding: { x: { field: "truth", type: "quantitative", title: "true" }, y: { field: "predicted", type: "quantitative", title: "predicted" } } },
            { mark: { type: "line", color: "#888", strokeDash: [4, 3] }, encoding: { x: { field: "truth", type: "quantitative" }, y: { field: "truth", type: "quantitative" } } },
          ],
        },
      } as unknown as TopLevelSpec,
    });
    if (d !== 1) continue;
    // The fitted curve over the input range, with the validation points.
    let lo = Infinity, hi = -Infinity;
    for (let r = 0; r < val.n; r++) { lo = Math.min(lo, val.x[r]); hi = Math.max(hi, val.x[r]); }
    const xs = Float32Array.from({ length: 200 }, (_, i) => lo + ((hi - lo) * i) / 199);
    const scaling = models[0].actbench.scaling ?? data.scaling;
    const raw = (x: number): number => (scaling ? x * scaling.scale[0] + scaling.offset[0] : x);
    const curve: Array<Record<string, string | number>> = [];
    runs.forEach((run, m) => {
      const { z, cols } = outputs(models[m], xs, xs.length);
      xs.forEach((x, i) => curve.push({ activation: run.activation, x: raw(x), y: z[i * cols] }));
    });
    const points: Array<Record<string, string | number>> = [];
    for (let r = 0; r < val.n; r += stride) points.push({ x: raw(val.x[r]), y: val.y[r * ycols] });
    out.push({
      id: `fit${suffix}`,
      title: `Fitted curve${where}`,
      caption: `Each activation's final model at seed ${seed} over the input's range (raw units, through the model's recorded feature scaling): the line is its prediction, the dots the validation rows.${leftOut(results)}`,
      series: labels.length,
      labels,
      spec: {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json",
        datasets: { curve, points },
        data: { name: "curve" },
        facet,
        columns: 5,
        spec: {
          width: 150, height: 150,
          layer: [
            { data: { name: "points" }, mark: { type: "point", filled: true, size: 9, opacity: 0.6, color: "#888" }, encoding: { x: { field: "x", type: "quantitative", title: "x" }, y: { field: "y", type: "quantitative", title: "y" } } },
            { mark: { type: "line", color: "#d94801", strokeWidth: 1.8 }, encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } },
          ],
        },
      } as unknown as TopLevelSpec,
    });
  }
  return out;
}
