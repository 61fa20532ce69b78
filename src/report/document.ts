/**
 * Everything the report says, assembled once from a results folder; the HTML
 * and Markdown writers only lay it out.
 */
import type { Results } from "./results.js";
import { buildLeaderboard, type Leaderboard } from "./leaderboard.js";
import { compareToBest, type Significance } from "./significance.js";
import { buildCharts, type Chart } from "./charts.js";
import { activationCosts, type Cost } from "./cost.js";
import { setupItems, type SetupItem } from "./setup.js";
import { leaderboardTable, significanceTable, problemsTable, type Table } from "./tables.js";

export interface ReportOptions {
  /** Validation accuracy (classification) or loss (regression) to reach; adds "epochs to target". */
  target?: number;
  /** Measure compute cost when the manifest has none (default true). */
  measureCost?: boolean;
}

/** Leaderboard and comparisons of one grid point (the only one without a grid). */
export interface ReportSection {
  /** "" without a grid; else e.g. "dataset={name: mnist, n: 1000}". */
  gridLabel: string;
  leaderboard: Table;
  significance: Significance;
  comparisons: Table;
}

export interface ReportDocument {
  title: string;
  setup: SetupItem[];
  board: Leaderboard;
  costs: Map<string, Cost>;
  leaderboardNotes: string[];
  /** One per grid point, in plan order: activations are ranked and compared within a grid point only. */
  sections: ReportSection[];
  problems: Table;
  charts: Chart[];
}

export async function buildDocument(results: Results, opts: ReportOptions = {}): Promise<ReportDocument> {
  const config = (results.manifest.config ?? {}) as Record<string, unknown>;
  const board0 = buildLeaderboard(results, { target: opts.target });
  const costs = activationCosts(board0.activationOrder, results.manifest, { measure: opts.measureCost });
  const board = buildLeaderboard(results, { target: opts.target, cost: new Map([...costs].map(([k, v]) => [k, v.f_ns + v.df_ns])) });
  const sections = board.gridLabels.map((gridLabel, i): ReportSection => {
    const suffix = i === 0 ? "" : `-${i + 1}`;
    const significance = compareToBest(board, gridLabel);
    return {
      gridLabel,
      leaderboard: { ...leaderboardTable(board, costs, gridLabel), id: `leaderboard${suffix}` },
      significance,
      comparisons: { ...significanceTable(significance), id: `significance${suffix}` },
    };
  });
  const metric = board.primary === "val_acc" ? "final validation accuracy (higher is better)" : "final validation loss (lower is better)";
  const leaderboardNotes = [
    `Sorted by ${metric}, mean over the seeds that finished. Cells read mean ± standard deviation [95% confidence interval, t-based] over those seeds.`,
    ...(board.gridLabels.length > 1 ? ["One table per grid point: activations are ranked and compared within a grid point, never across."] : []),
    "Diverged and failed runs are counted in their own columns and left out of every statistic; activations with no finished run come last.",
    "Dead units: hidden units whose derivative is zero on every probe example (on a flat piece of the activation, such as relu's x <= 0; a smooth activation pushed into underflow counts as saturated instead) at the last recorded epoch, as a fraction of all hidden units. Grad ratio: gradient norm of the first weight layer over that of the last (below 1: gradients shrink toward the input), geometric mean over seeds.",
  ];
  if (costs.size > 0)
    leaderboardNotes.push(results.manifest.activation_cost
      ? "Cost: ns per element of f and of f′, as recorded in the manifest."
      : "Cost: ns per element of f and of f′ over a Float32Array, measured on this machine when the report was written (a short benchmark: compare orders of magnitude, not decimals; `actbench bench activations` measures longer).");
  return {
    title: `actbench report${config.name ? `: ${String(config.name)}` : ""}`,
    setup: setupItems(results),
    board,
    costs,
    leaderboardNotes,
    sections,
    problems: problemsTable(results),
    charts: await buildCharts(results, board),
  };
}
