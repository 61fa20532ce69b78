/**
 * Everything the report says, assembled once from a results folder; the HTML
 * and Markdown writers and the terminal summary only lay it out.
 */
import type { Results } from "./results.js";
import { buildLeaderboard, higherIsBetter, isDatasetKey, metricName, shortGridLabel, labelGridKeys, type Leaderboard } from "./leaderboard.js";
import { compareToBest, type Significance } from "./significance.js";
import { identicalGroups } from "./identical.js";
import { buildFindings, type BlockInput, type FindingsBlock } from "./findings.js";
import { buildCharts, type Chart } from "./charts.js";
import { activationCosts, type Cost } from "./cost.js";
import { partialNote, setupItems, type SetupItem } from "./setup.js";
import { leaderboardTable, diagnosticsTable, significanceTable, problemsTable, type ReportTable } from "./tables.js";
import { evaluateClaims, type ClaimResult } from "../claims/index.js";

export interface ReportOptions {
  /** Validation accuracy (classification) or loss (regression) to reach; adds "epochs to target". */
  target?: number;
  /** Measure compute cost when the manifest has none (default true). */
  measureCost?: boolean;
  /**
   * Practical margin: an accuracy difference (fraction, default 0.005) or a
   * relative loss difference (default 0.01) below which activations count as
   * equivalent. Default: the config's `report.margin`, else those.
   */
  margin?: number;
}

/** Leaderboard and comparisons of one grid point (the only one without a grid). */
export interface ReportSection {
  /** "" without a grid; else e.g. "dataset={name: mnist, n: 1000}". */
  gridLabel: string;
  /** "mnist". */
  short: string;
  leaderboard: ReportTable;
  /** Dead units, saturation, gradient ratios, time and cost of the same rows. */
  diagnostics: ReportTable;
  significance: Significance;
  comparisons: ReportTable;
}

export interface ReportDocument {
  title: string;
  setup: SetupItem[];
  board: Leaderboard;
  costs: Map<string, Cost>;
  /** The conclusions, first in the report: one block per grid point, then pooled ones. */
  findings: FindingsBlock[];
  leaderboardNotes: string[];
  /** One per grid point, in plan order: activations are ranked and compared within a grid point only. */
  sections: ReportSection[];
  problems: ReportTable;
  charts: Chart[];
  /** The config's claims checked against these results (src/claims/). */
  claims: ClaimResult[];
}

/** The config's report.margin, when the manifest has one. */
function configMargin(config: Record<string, unknown>): number | undefined {
  const m = (config.report as { margin?: unknown } | undefined)?.margin;
  return typeof m === "number" && Number.isFinite(m) ? m : undefined;
}

export async function buildDocument(results: Results, opts: ReportOptions = {}): Promise<ReportDocument> {
  const config = (results.manifest.config ?? {}) as Record<string, unknown>;
  const margin = opts.margin ?? configMargin(config);
  const board0 = buildLeaderboard(results, { target: opts.target });
  const costs = activationCosts(board0.activationOrder, results.manifest, { measure: opts.measureCost });
  const costNs = new Map([...costs].map(([k, v]) => [k, v.f_ns + v.df_ns]));
  const board = buildLeaderboard(results, { target: opts.target, cost: costNs });
  const identical = identicalGroups(results, board.rows.map((r) => r.group));
  const charts = await buildCharts(results, board);
  const chartIds = new Set(charts.map((c) => c.id));
  const many = board.gridLabels.length > 1;
  const gridOf = new Map(board.rows.map((r) => [r.group.gridLabel, r.group.grid]));
  const shortOf = (label: string): string => board.shortLabels.get(label) ?? label;
  const trainEpochs = (config.train as { epochs?: unknown } | undefined)?.epochs;

  const blocks: BlockInput[] = [];
  const sections = board.gridLabels.map((gridLabel, i): ReportSection => {
    const suffix = i === 0 ? "" : `-${i + 1}`;
    const chartSuffix = many ? `-${i + 1}` : "";
    const significance = compareToBest(board, gridLabel, { margin, identical });
    const exists = (id: string): string | undefined => (chartIds.has(`${id}${chartSuffix}`) ? `chart-${id}${chartSuffix}` : undefined);
    const epochsCell = gridOf.get(gridLabel)?.["train.epochs"];
    blocks.push({
      id: `findings-${i + 1}`,
      scope: gridLabel,
      short: shortOf(gridLabel),
      pooled: false,
      significance,
      rows: board.rows.filter((r) => r.group.gridLabel === gridLabel),
      figures: {
        dead: exists("dead"), gradients: exists("gradients"), saturation: exists("saturation"),
        problems: results.runs.some((r) => r.status !== "ok") ? "problems-heading" : undefined,
        significance: `significance${suffix}`,
      },
      epochs: epochsCell !== undefined ? Number(epochsCell) : typeof trainEpochs === "number" ? trainEpochs : undefined,
    });
    return {
      gridLabel,
      short: shortOf(gridLabel),
      leaderboard: { ...leaderboardTable(board, gridLabel), id: `leaderboard${suffix}` },
      diagnostics: { ...diagnosticsTable(board, costs, gridLabel), id: `diagnostics${suffix}` },
      significance,
      comparisons: { ...significanceTable(significance), id: `significance${suffix}` },
    };
  });

  // Pooled over grid points that share a dataset: the pairs are (seed, grid point).
  const byDataset = new Map<string, string[]>();
  for (const label of board.gridLabels) {
    const grid = gridOf.get(label) ?? {};
    const key = JSON.stringify(results.gridKeys.filter(isDatasetKey).map((k) => grid[k]));
    byDataset.set(key, [...(byDataset.get(key) ?? []), label]);
  }
  const otherKeys = results.gridKeys.filter((k) => !isDatasetKey(k));
  [...byDataset.values()].filter((labels) => labels.length > 1).forEach((labels, j) => {
    const datasetKeys = labelGridKeys(results).filter(isDatasetKey);
    const dataset = datasetKeys.length ? shortGridLabel(gridOf.get(labels[0]) ?? {}, datasetKeys) : "";
    const scope = `${dataset ? `${dataset}, ` : ""}all ${labels.length} grid points (${otherKeys.join(", ")}) pooled`;
    blocks.push({
      id: `findings-pooled-${j + 1}`,
      scope,
      short: scope,
      pooled: true,
      significance: compareToBest(board, labels, { margin, identical, scope }),
      rows: [],
      figures: {},
      epochs: typeof trainEpochs === "number" && !results.gridKeys.includes("train.epochs") ? trainEpochs : undefined,
    });
  });
  const findings = buildFindings(board, blocks, costNs);

  const metric = `${metricName(board.primary)} (${higherIsBetter(board.primary) ? "higher" : "lower"} is better)`;
  const leaderboardNotes = [
    ...(board.primary.includes("test")
      ? [`Ranked on the test split, which nothing in training saw: ${board.primary.startsWith("best") ? "validation chose each run's epoch (best_epoch), the test split measured that epoch's model, as papers report" : "the final model's, as the runs had no validation split to choose an epoch by"} (runs.csv ${board.primary}).`]
      : []),
    `Sorted by ${metric}, mean over seeds, a diverged run counting as the worst value (${higherIsBetter(board.primary) ? "accuracy 0" : "the highest finite loss at its grid point"}). Cells read mean ± standard deviation [95% confidence interval, t-based] over the seeds that finished.`,
    ...(board.gridLabels.length > 1 ? ["One table per grid point: activations are ranked and compared within a grid point, never across."] : []),
    "Diverged and failed runs are counted in their own columns and left out of the cells' statistics; activations with no finished run come last.",
    `Dead units: hidden units whose derivative is zero on every probe example (on a flat piece of the activation, such as relu's x <= 0; a smooth activation pushed into underflow counts as saturated instead) at the last recorded epoch, as a fraction of all hidden units. Grad ratio: ${board.gradMeasure === "grad_rms" ? "root-mean-square gradient per weight (layers.csv grad_rms, so that layers of different sizes compare fairly)" : "gradient norm (this folder has no grad_rms column)"} of the first weight layer over that of the last (below 1: gradients shrink toward the input), geometric mean over seeds. ms per epoch: the median of the finished runs' per-epoch training times (curves.csv wall_ms).`,
  ];
  if (costs.size > 0)
    leaderboardNotes.push(results.manifest.activation_cost
      ? "Cost: ns per element of f and of f′, as recorded in the manifest."
      : "Cost: ns per element of f and of f′ over a Float32Array, measured on this machine when the report was written (a short benchmark: compare orders of magnitude, not decimals; `actbench bench activations` measures longer).");
  return {
    title: `actbench report${config.name ? `: ${String(config.name)}` : ""}${partialNote(results) ? ` (${partialNote(results)})` : ""}`,
    setup: setupItems(results),
    board,
    costs,
    findings,
    leaderboardNotes,
    sections,
    problems: problemsTable(results),
    charts,
    claims: await evaluateClaims(results),
  };
}
