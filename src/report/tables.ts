/**
 * The report's tables as plain text cells, built once and rendered by both
 * the HTML and the Markdown writers (so the two always agree).
 */
import type { Leaderboard, LeaderboardRow } from "./leaderboard.js";
import type { Significance } from "./significance.js";
import type { Summary } from "./stats.js";
import type { Results } from "./results.js";
import type { Cost } from "./cost.js";

/** A table of the report as text cells (the HTML and Markdown writers render the same cells). */
export interface ReportTable {
  id: string;
  header: string[];
  rows: string[][];
  /** Column indices holding numbers (right-aligned). */
  numeric: number[];
}

/** Three significant decimals, or scientific notation outside [1e-3, 1e4). */
export function fmt(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return "—";
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e4)) return v.toExponential(2);
  return v.toFixed(digits);
}

/** A p-value: three significant digits (0.0312, 0.25), so a table never shows 0.063 for 0.0625's neighbour. */
export function fmtP(p: number): string {
  if (!Number.isFinite(p)) return "—";
  if (p < 1e-4) return "<0.0001";
  return String(+p.toPrecision(3));
}

/**
 * "mean ± sd" then, on a second line, "[95% CI]" over seeds; one seed shows
 * the value alone. The line break becomes <br> in HTML and a space in Markdown.
 */
export function fmtSummary(s: Summary, digits = 3): string {
  if (s.n === 0) return "—";
  if (s.n === 1) return `${fmt(s.mean, digits)} (1 seed)`;
  if (s.std === 0) return `${fmt(s.mean, digits)} ± 0`;
  return `${fmt(s.mean, digits)} ± ${fmt(s.std, digits)}\n[${fmt(s.ciLow, digits)}, ${fmt(s.ciHigh, digits)}]`;
}

function label(row: LeaderboardRow): string {
  return row.group.activation;
}

/** The leaderboard's column of the test figure it ranks on. */
function testHeader(p: Leaderboard["primary"]): string {
  return `${p.startsWith("best") ? "test" : "final test"} ${p.endsWith("_acc") ? "acc" : "loss"}${p.startsWith("best") ? " (best val epoch)" : ""}`;
}

/** The leaderboard of one grid point ("" without a grid): how well each activation did. */
export function leaderboardTable(board: Leaderboard, gridLabel = board.gridLabels[0] ?? ""): ReportTable {
  const header = [
    "#", "activation", "seeds ok/run",
    ...(board.primary.includes("test") ? [testHeader(board.primary)] : []),
    "final val acc", "best val acc", "final val loss", "best val loss",
    ...(board.target !== undefined ? [`epochs to ${board.task === "classification" ? "val acc ≥" : "val loss ≤"} ${board.target}`] : []),
    "diverged", "failed",
  ];
  if (board.task === "regression") {
    // No accuracy in regression: drop those two columns.
    header.splice(header.indexOf("final val acc"), 2);
  }
  const rows = board.rows.filter((r) => r.group.gridLabel === gridLabel).map((r, i) => [
    String(i + 1), label(r), `${r.ok}/${r.planned}`,
    ...(r.test ? [fmtSummary(r.test)] : []),
    ...(board.task === "classification" ? [fmtSummary(r.finalValAcc), fmtSummary(r.bestValAcc)] : []),
    fmtSummary(r.finalValLoss), fmtSummary(r.bestValLoss),
    ...(board.target !== undefined && r.epochsToTarget
      ? [r.epochsToTarget.reached === 0 ? `not reached (0/${r.ok})` : `${fmtSummary(r.epochsToTarget, 1)}; ${r.epochsToTarget.reached}/${r.ok} reached`]
      : []),
    String(r.diverged), String(r.failed),
  ]);
  const numeric = header.map((h, i) => (h === "activation" ? -1 : i)).filter((i) => i >= 0);
  return { id: "leaderboard", header, rows, numeric };
}

/**
 * The same rows' diagnostics (why an activation did as it did, and its cost),
 * in a table of their own so that neither is too wide to read at 1280 px.
 */
export function diagnosticsTable(board: Leaderboard, costs: ReadonlyMap<string, Cost>, gridLabel = board.gridLabels[0] ?? ""): ReportTable {
  const hasCost = costs.size > 0;
  const header = [
    "#", "activation", "dead units at end", "saturated at end", "grad ratio L1/Llast, epoch 0", "grad ratio, end", "ms per epoch (median)",
    ...(hasCost ? ["cost ns/element (f / f′)"] : []),
  ];
  const rows = board.rows.filter((r) => r.group.gridLabel === gridLabel).map((r, i) => {
    const cost = costs.get(r.group.activation);
    return [
      String(i + 1), label(r), fmtSummary(r.deadFracEnd), fmtSummary(r.saturatedFracEnd),
      fmt(r.gradAttenuation0), fmt(r.gradAttenuationEnd), fmt(r.wallMsPerEpoch, 1),
      ...(hasCost ? [cost ? `${fmt(cost.f_ns, 2)} / ${fmt(cost.df_ns, 2)}` : "—"] : []),
    ];
  });
  const numeric = header.map((h, i) => (h === "activation" ? -1 : i)).filter((i) => i >= 0);
  return { id: "diagnostics", header, rows, numeric };
}

export function significanceTable(sig: Significance): ReportTable {
  const metric = sig.metric === "val_acc" ? "final val acc" : "final val loss";
  const header = [
    "activation", "paired seeds", `mean difference in ${metric} (leader better > 0)`, "leader better in",
    "p (exact sign-flip)", "p (Holm)", "verdict",
  ];
  const rows = sig.comparisons.map((c) => [
    c.contender.activation, String(c.pairs), fmt(c.test.meanDiff, 3), `${c.leaderBetter} of ${c.pairs}`,
    fmtP(c.test.p), fmtP(c.pHolm),
    c.verdict === "identical" ? `identical to ${c.contender.identicalTo}` : c.verdict,
  ]);
  return { id: "significance", header, rows, numeric: [1, 2, 3, 4, 5] };
}

/** Runs that did not finish, with their messages. */
export function problemsTable(results: Results): ReportTable {
  const rows = results.runs
    .filter((r) => r.status !== "ok")
    .map((r) => [r.run_id, r.activation, String(r.seed), r.status, Number.isFinite(r.diverged_epoch) ? String(r.diverged_epoch) : "—", r.message || "—"]);
  return { id: "problems", header: ["run_id", "activation", "seed", "status", "diverged at epoch", "message"], rows, numeric: [2, 4] };
}
