/**
 * The comparison report: `writeReport(dir)` reads a results folder and writes
 * report.html (self-contained) and report.md with charts/*.svg beside it.
 * `actbench report <dir>` and the end of `actbench run` call it.
 */
import { makeFolder, writeAtomic } from "../harness/folder.js";
import { join } from "node:path";
import { loadResults } from "./results.js";
import { buildDocument, type ReportOptions } from "./document.js";
import { renderHtml } from "./html.js";
import { renderMarkdown } from "./markdown.js";
import { summaryLines } from "./summary.js";
import type { ClaimResult } from "../claims/index.js";
import { taskOf } from "./leaderboard.js";
import { checkTarget } from "./target.js";

export type { ReportOptions } from "./document.js";
export { loadResults } from "./results.js";
export { buildDocument } from "./document.js";
export { buildLeaderboard } from "./leaderboard.js";
export { compareToBest } from "./significance.js";
export { summaryLines } from "./summary.js";

/** Paths of the files written. */
export interface WrittenReport {
  /** Absolute or dir-relative path of report.html. */
  html: string;
  /** Path of report.md. */
  md: string;
  /** Paths of the chart SVGs (charts/<id>.svg). */
  charts: string[];
  /** The findings in a few lines, for the end of the terminal output. */
  summary: string[];
  /** The config's claims as the report states them. */
  claims: ClaimResult[];
}

export async function writeReport(resultsDir: string, opts: ReportOptions = {}): Promise<WrittenReport> {
  const results = loadResults(resultsDir);
  if (opts.target !== undefined) checkTarget(opts.target, taskOf(results));
  const doc = await buildDocument(results, opts);
  const chartsDir = join(resultsDir, "charts");
  makeFolder(chartsDir);
  // Written atomically (temp file, then rename): a reader never sees half a report.
  const charts = doc.charts.map((c) => {
    const p = join(chartsDir, `${c.id}.svg`);
    writeAtomic(p, c.svg);
    return p;
  });
  const html = join(resultsDir, "report.html");
  const md = join(resultsDir, "report.md");
  writeAtomic(html, renderHtml(doc));
  writeAtomic(md, renderMarkdown(doc, (id) => `charts/${id}.svg`));
  return { html, md, charts, summary: summaryLines(doc), claims: doc.claims };
}
