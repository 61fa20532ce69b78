/**
 * report.md: the same tables as report.html, with the charts as SVG files in
 * charts/ beside it (GitHub and most Markdown viewers show SVG images).
 */
import type { ReportDocument } from "./document.js";
import type { Table } from "./tables.js";

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function tableMarkdown(t: Table): string {
  const numeric = new Set(t.numeric);
  const head = `| ${t.header.map(cell).join(" | ")} |`;
  const rule = `|${t.header.map((_, i) => (numeric.has(i) ? " ---: " : " --- ")).join("|")}|`;
  const rows = t.rows.map((r) => `| ${r.map(cell).join(" | ")} |`);
  return [head, rule, ...rows].join("\n");
}

/** `chartPath(id)` is the SVG's path relative to report.md. */
export function renderMarkdown(doc: ReportDocument, chartPath: (id: string) => string): string {
  const out: string[] = [`# ${doc.title}`, "", "## Setup", ""];
  for (const s of doc.setup) out.push(`- **${s.key}:** \`${s.value.replace(/`/g, "'")}\``);
  const many = doc.sections.length > 1;
  const head = (label: string): string[] => (many ? [`### ${label}`, ""] : []);
  out.push("", "## Leaderboard", "", ...doc.leaderboardNotes.flatMap((n) => [n, ""]));
  for (const s of doc.sections) out.push(...head(s.gridLabel), tableMarkdown(s.leaderboard), "");
  out.push("## Is the difference real?", "");
  for (const s of doc.sections) {
    out.push(...head(s.gridLabel));
    const best = s.significance.best;
    if (best) out.push(`Each activation against the best, **${best.group.activation}**, paired by seed.`, "");
    for (const n of s.significance.notes) out.push(/too few|nothing to compare|cannot/i.test(n) ? `> **Note:** ${n}` : n, "");
    if (s.comparisons.rows.length) out.push(tableMarkdown(s.comparisons), "");
  }
  if (doc.problems.rows.length) out.push("## Runs that did not finish", "", tableMarkdown(doc.problems), "");
  out.push("## Charts", "", "One color per activation in every chart.", "");
  for (const c of doc.charts) out.push(`### ${c.title}`, "", `![${c.title}](${chartPath(c.id)})`, "", c.caption, "");
  return out.join("\n");
}
