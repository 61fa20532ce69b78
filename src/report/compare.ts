/**
 * `actbench compare A B`: two results folders side by side (the same
 * activations with two optimizers, or before and after a change to a custom
 * activation). Each activation at each grid point that both folders ran is a
 * match; its scores (the report's: the final validation accuracy, or loss,
 * a diverged run counted as the worst score, leaderboard.ts) are paired by
 * seed, since a seed gives both folders' runs the same initial weights and
 * batch order when the data and model agree. The difference B - A is tested
 * with the report's statistics (stats.ts: the exact sign-flip test, Holm's
 * correction over the matches, the practical margin of significance.ts).
 * Nothing in common is refused, naming why.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { UserError } from "../errors.js";
import { writeAtomic } from "../harness/folder.js";
import { escapeHtml, REPORT_CSS, tableHtml } from "./html.js";
import { buildLeaderboard, gridLabelOf, higherIsBetter, metricName, type Leaderboard, type LeaderboardRow, type Primary } from "./leaderboard.js";
import { tableMarkdown } from "./markdown.js";
import { loadResults, type Results } from "./results.js";
import { ALPHA, DEFAULT_ACC_MARGIN, DEFAULT_LOSS_MARGIN } from "./significance.js";
import { holm, signFlipTest, summarize, type SignFlipTest, type Summary } from "./stats.js";
import { fmt, fmtP, fmtSummary, type ReportTable } from "./tables.js";

export type CompareVerdict = "B better" | "B worse" | "within margin" | "cannot tell" | "no paired seeds";

/** One activation at one grid point, in both folders. */
export interface Match {
  activation: string;
  /** The grid point ("" without a grid). */
  grid: string;
  a: Summary;
  b: Summary;
  /** Seeds both folders have a score for. */
  pairs: number;
  /** Paired differences B - A (mean, 95% t interval over pairs). */
  diff: Summary;
  test: SignFlipTest;
  pHolm: number;
  verdict: CompareVerdict;
  /** Runs and diverged runs in each folder. */
  runsA: number;
  runsB: number;
  divergedA: number;
  divergedB: number;
}

export interface FolderComparison {
  a: string;
  b: string;
  /** What both folders are judged by (the report's primary metric: validation, or the test split when the runs have one). */
  metric: Primary;
  /** Absolute margin in the metric's units, and in words. */
  margin: number;
  marginText: string;
  matches: Match[];
  /** Activation | grid point found in one folder only. */
  onlyA: string[];
  onlyB: string[];
}

export interface CompareOptions {
  /** Accuracy difference (fraction) or relative loss difference below which two results are equivalent. */
  margin?: number;
}

/** Match key: the activation and its grid point, written the same in both folders. */
function keyOf(results: Results, row: LeaderboardRow): { key: string; grid: string } {
  const grid = gridLabelOf(row.group.runs[0], results.gridKeys);
  return { key: matchKey(row.group.activation, grid), grid };
}

function matchKey(activation: string, grid: string): string {
  return `${activation}${grid ? ` | ${grid}` : ""}`;
}

function rowsByKey(results: Results, board: Leaderboard): Map<string, { row: LeaderboardRow; grid: string }> {
  return new Map(board.rows.map((row) => {
    const { key, grid } = keyOf(results, row);
    return [key, { row, grid }];
  }));
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
const list = (xs: readonly string[]) => (xs.length > 6 ? `${xs.slice(0, 6).join(", ")}, ... (${xs.length})` : xs.join(", ") || "none");

/** Why two folders have nothing to compare, in words. */
function nothingInCommon(a: Results, b: Results, boardA: Leaderboard, boardB: Leaderboard, dirA: string, dirB: string): string {
  const actsA = boardA.activationOrder.filter((x) => boardA.rows.some((r) => r.group.activation === x));
  const actsB = boardB.activationOrder.filter((x) => boardB.rows.some((r) => r.group.activation === x));
  const shared = actsA.filter((x) => actsB.includes(x));
  if (shared.length === 0) return `no activation in common (${dirA}: ${list(actsA)}; ${dirB}: ${list(actsB)})`;
  const points = (r: Results, board: Leaderboard) => [...new Set(board.rows.map((row) => keyOf(r, row).grid || "(no grid)"))];
  return `activations in common (${list(shared)}) but no grid point in common (${dirA}: ${list(points(a, boardA))}; ${dirB}: ${list(points(b, boardB))})`;
}

/** Compares two results folders. Throws UserError when they cannot be compared. */
export function compareFolders(dirA: string, dirB: string, opts: CompareOptions = {}): FolderComparison {
  if (resolve(dirA) === resolve(dirB)) throw new UserError(`compare: ${dirA} and ${dirB} are the same folder; give two results folders`);
  const a = loadResults(dirA);
  const b = loadResults(dirB);
  const boardA = buildLeaderboard(a);
  const boardB = buildLeaderboard(b);
  if (boardA.primary !== boardB.primary)
    throw new UserError(`compare: ${dirA} is judged by ${boardA.primary} and ${dirB} by ${boardB.primary} (a classification and a regression sweep); nothing to compare`);
  const metric = boardA.primary;
  const higher = higherIsBetter(metric);
  const rowsA = rowsByKey(a, boardA);
  const rowsB = rowsByKey(b, boardB);
  // In A's plan order (the leaderboard ranks its rows; a comparison lists them as the sweep did).
  const planOrder = new Map<string, number>();
  for (const run of a.runs) {
    const key = matchKey(run.activation, gridLabelOf(run, a.gridKeys));
    if (!planOrder.has(key)) planOrder.set(key, planOrder.size);
  }
  const keys = [...rowsA.keys()].filter((k) => rowsB.has(k)).sort((x, y) => (planOrder.get(x) ?? 0) - (planOrder.get(y) ?? 0));
  if (keys.length === 0) throw new UserError(`compare: nothing to compare: ${nothingInCommon(a, b, boardA, boardB, dirA, dirB)}`);

  // The scores the pairs are made of (a diverged run at the worst score), summarised over seeds.
  const summaryOf = (row: LeaderboardRow) => summarize([...row.scores.values()], higher ? [0, 1] : [0, Infinity]);
  const leaderLoss = Math.min(...keys.map((k) => summaryOf(rowsA.get(k)!.row).mean).filter(Number.isFinite));
  const margin = higher ? (opts.margin ?? DEFAULT_ACC_MARGIN) : (opts.margin ?? DEFAULT_LOSS_MARGIN) * (Number.isFinite(leaderLoss) ? leaderLoss : 0);
  const marginText = higher
    ? `${+(100 * (opts.margin ?? DEFAULT_ACC_MARGIN)).toPrecision(3)} accuracy points`
    : `${+(100 * (opts.margin ?? DEFAULT_LOSS_MARGIN)).toPrecision(3)}% of the lowest loss in ${dirA} (${fmt(margin, 4)})`;

  const partial = keys.map((key) => {
    const { row: ra, grid } = rowsA.get(key)!;
    const { row: rb } = rowsB.get(key)!;
    const seeds = [...ra.scores.keys()].filter((s) => rb.scores.has(s) && Number.isFinite(ra.scores.get(s)) && Number.isFinite(rb.scores.get(s)!));
    const d = seeds.map((s) => rb.scores.get(s)! - ra.scores.get(s)!);
    return {
      activation: ra.group.activation,
      grid,
      a: summaryOf(ra),
      b: summaryOf(rb),
      pairs: seeds.length,
      diff: summarize(d),
      test: signFlipTest(d),
      runsA: ra.runs,
      runsB: rb.runs,
      divergedA: ra.diverged,
      divergedB: rb.diverged,
    };
  });
  const pHolm = holm(partial.map((m) => (m.pairs > 0 ? m.test.p : NaN)));
  const matches: Match[] = partial.map((m, i) => {
    let verdict: CompareVerdict;
    const better = higher ? m.diff.mean > 0 : m.diff.mean < 0;
    if (m.pairs === 0) verdict = "no paired seeds";
    else if (Math.abs(m.diff.mean) <= margin) verdict = "within margin";
    else if (pHolm[i] < ALPHA) verdict = better ? "B better" : "B worse";
    else verdict = "cannot tell";
    return { ...m, pHolm: pHolm[i], verdict };
  });
  return {
    a: dirA,
    b: dirB,
    metric,
    margin,
    marginText,
    matches,
    onlyA: [...rowsA.keys()].filter((k) => !rowsB.has(k)),
    onlyB: [...rowsB.keys()].filter((k) => !rowsA.has(k)),
  };
}

/** The comparison as one table (the report's cells: mean ± sd and CI, p-values). */
export function compareTable(c: FolderComparison): ReportTable {
  const grid = c.matches.some((m) => m.grid !== "");
  return {
    id: "compare",
    header: ["activation", ...(grid ? ["grid point"] : []), `A: ${c.metric}`, `B: ${c.metric}`, "B - A (paired)", "pairs", "p", "p (Holm)", "verdict", "diverged A/B"],
    rows: c.matches.map((m) => [
      m.activation,
      ...(grid ? [m.grid] : []),
      fmtSummary(m.a),
      fmtSummary(m.b),
      m.pairs === 0 ? "—" : `${m.diff.mean >= 0 ? "+" : ""}${fmt(m.diff.mean)}${m.diff.n > 1 ? `\n[${fmt(m.diff.ciLow)}, ${fmt(m.diff.ciHigh)}]` : ""}`,
      String(m.pairs),
      m.pairs === 0 ? "—" : fmtP(m.test.p),
      fmtP(m.pHolm),
      m.verdict,
      `${m.divergedA}/${m.runsA} · ${m.divergedB}/${m.runsB}`,
    ]),
    numeric: grid ? [2, 3, 4, 5, 6, 7] : [1, 2, 3, 4, 5, 6],
  };
}

/** The method and what the verdicts mean, from the same numbers as the table. */
function notes(c: FolderComparison): string[] {
  const counts = new Map<string, number>();
  for (const m of c.matches) counts.set(m.verdict, (counts.get(m.verdict) ?? 0) + 1);
  const tally = [...counts].map(([v, n]) => `${v}: ${n}`).join(", ");
  const minP = Math.min(...c.matches.filter((m) => m.pairs > 0).map((m) => m.test.minP));
  return [
    `${plural(c.matches.length, "activation and grid point")} in both folders (${tally}).`,
    `Scores are ${metricName(c.metric)} (${higherIsBetter(c.metric) ? "higher" : "lower"} is better), a diverged run counted as the worst score, as in the report. Pairs are seeds present in both folders: with the same data, model and init scheme, a seed gives both runs the same initial weights and batch order, so the paired difference removes that noise.`,
    `The test is the exact paired sign-flip permutation test, Holm-corrected over the ${plural(c.matches.filter((m) => m.pairs > 0).length, "tested match")}${Number.isFinite(minP) ? `; with these pairs no p-value can go below ${fmtP(minP)}` : ""}. A difference counts when its Holm p < ${ALPHA} and it exceeds the practical margin (${c.marginText}); within the margin it is "within margin" whatever the p-value.`,
    ...(c.onlyA.length ? [`Only in A (${c.a}): ${list(c.onlyA)}.`] : []),
    ...(c.onlyB.length ? [`Only in B (${c.b}): ${list(c.onlyB)}.`] : []),
  ];
}

/** The comparison's rows as a tidy CSV (one row per match), for pandas, R and DuckDB. */
export const COMPARE_COLUMNS = [
  "activation", "grid", "metric", "a_n", "a_mean", "a_ci_low", "a_ci_high", "b_n", "b_mean", "b_ci_low", "b_ci_high",
  "pairs", "diff_mean", "diff_ci_low", "diff_ci_high", "p", "p_holm", "verdict", "a_diverged", "b_diverged",
] as const;

function csvCell(v: string | number): string {
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? "" : String(v);
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function compareCsv(c: FolderComparison): string {
  const rows = c.matches.map((m) => [
    m.activation, m.grid, c.metric, m.a.n, m.a.mean, m.a.ciLow, m.a.ciHigh, m.b.n, m.b.mean, m.b.ciLow, m.b.ciHigh,
    m.pairs, m.diff.mean, m.diff.ciLow, m.diff.ciHigh, m.pairs ? m.test.p : NaN, m.pHolm, m.verdict, m.divergedA, m.divergedB,
  ]);
  return [COMPARE_COLUMNS.join(","), ...rows.map((r) => r.map(csvCell).join(","))].join("\n") + "\n";
}

const MD_MARK = "<!-- written by actbench compare -->";
const HTML_MARK = '<meta name="generator" content="actbench compare">';

export function compareMarkdown(c: FolderComparison): string {
  return [
    MD_MARK,
    `# actbench compare: ${basename(resolve(c.a))} vs ${basename(resolve(c.b))}`,
    "",
    `A: \`${c.a}\`  `,
    `B: \`${c.b}\``,
    "",
    tableMarkdown(compareTable(c)),
    "",
    ...notes(c).map((n) => `- ${n}`),
    "",
  ].join("\n");
}

export function compareHtml(c: FolderComparison): string {
  const title = `actbench compare: ${basename(resolve(c.a))} vs ${basename(resolve(c.b))}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">${HTML_MARK}<title>${escapeHtml(title)}</title><style>${REPORT_CSS}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p>A: <code>${escapeHtml(c.a)}</code><br>B: <code>${escapeHtml(c.b)}</code></p>
${tableHtml(compareTable(c))}
<ul class="note">
${notes(c).map((n) => `<li>${escapeHtml(n)}</li>`).join("\n")}
</ul>
</body></html>
`;
}

/** Default folder of a comparison: results/compare/<A>-vs-<B>. */
export function defaultCompareDir(dirA: string, dirB: string): string {
  return join("results", "compare", `${basename(resolve(dirA))}-vs-${basename(resolve(dirB))}`);
}

/**
 * Writes compare.html, compare.md and compare.csv into `out`. A file of
 * those names that actbench compare did not write is never replaced: it is
 * refused before anything is written.
 */
export function writeComparison(c: FolderComparison, out: string): { html: string; md: string; csv: string } {
  const files = { html: join(out, "compare.html"), md: join(out, "compare.md"), csv: join(out, "compare.csv") };
  const ours: Record<keyof typeof files, (text: string) => boolean> = {
    html: (t) => t.includes(HTML_MARK),
    md: (t) => t.startsWith(MD_MARK),
    csv: (t) => t.startsWith(`${COMPARE_COLUMNS.join(",")}\n`),
  };
  for (const k of Object.keys(files) as Array<keyof typeof files>)
    if (existsSync(files[k]) && !ours[k](readFileSync(files[k], "utf8")))
      throw new UserError(`compare: ${files[k]} exists and was not written by actbench compare; use --out for another folder`);
  mkdirSync(out, { recursive: true });
  writeAtomic(files.csv, compareCsv(c));
  writeAtomic(files.md, compareMarkdown(c));
  writeAtomic(files.html, compareHtml(c));
  return files;
}
