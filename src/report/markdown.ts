/**
 * report.md: the same tables as report.html, with the charts as SVG files in
 * charts/ beside it (GitHub and most Markdown viewers show SVG images).
 */
import type { ReportDocument } from "./document.js";
import type { ReportTable } from "./tables.js";
import { claimsMarkdown } from "../claims/index.js";

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function tableMarkdown(t: ReportTable): string {
  const numeric = new Set(t.numeric);
  const head = `| ${t.header.map(cell).join(" | ")} |`;
  const rule = `|${t.header.map((_, i) => (numeric.has(i) ? " ---: " : " --- ")).join("|")}|`;
  const rows = t.rows.map((r) => `| ${r.map(cell).join(" | ")} |`);
  return [head, rule, ...rows].join("\n");
}

/** Markdown heading anchors as GitHub makes them (lower case, punctuation dropped, spaces to dashes). */
function anchor(title: string): string {
  return title.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");
}

/** `chartPath(id)` is the SVG's path relative to report.md. */
export function renderMarkdown(doc: ReportDocument, chartPath: (id: string) => string): string {
  const many = doc.sections.length > 1;
  const head = (label: string): string[] => (many ? [`### ${label}`, ""] : []);
  // Sections in reading order, conclusions first; a new section goes into this list.
  const page: Array<{ title: string; body: string[] }> = [];

  const findings: string[] = [];
  for (const b of doc.findings) {
    if (doc.findings.length > 1 || b.short) findings.push(`### ${b.short || b.scope}`, "");
    for (const f of b.findings) findings.push(`- ${f.text}`);
    findings.push("", `**Recommendation:** ${b.recommendation}`, "");
  }
  page.push({ title: "Findings", body: findings });

  page.push({ title: "Setup", body: [...doc.setup.map((s) => `- **${s.key}:** \`${s.value.replace(/`/g, "'")}\``), ""] });
  if (doc.claims.length) page.push({ title: "Claims", body: claimsMarkdown(doc.claims) });

  const board: string[] = [...doc.leaderboardNotes.flatMap((n) => [n, ""])];
  for (const s of doc.sections) board.push(...head(s.gridLabel), tableMarkdown(s.leaderboard), "", "Diagnostics of the same rows:", "", tableMarkdown(s.diagnostics), "");
  page.push({ title: "Leaderboard", body: board });

  const sig: string[] = [];
  for (const s of doc.sections) {
    sig.push(...head(s.gridLabel));
    const leader = s.significance.leader;
    if (leader) sig.push(`Each activation against the leader, **${leader.activation}**, paired by seed (margin: ${s.significance.marginText}).`, "");
    for (const n of s.significance.notes) sig.push(/too few|nothing to compare|cannot/i.test(n) ? `> **Note:** ${n}` : n, "");
    if (s.comparisons.rows.length) sig.push(tableMarkdown(s.comparisons), "");
  }
  page.push({ title: "Is the difference real?", body: sig });

  if (doc.problems.rows.length) page.push({ title: "Runs that did not finish", body: [tableMarkdown(doc.problems), ""] });
  const charts: string[] = ["One style per activation in every chart: families share a hue, members differ by shade and dash.", ""];
  for (const c of doc.charts) charts.push(`### ${c.title}`, "", `![${c.title}](${chartPath(c.id)})`, "", c.caption, "");
  page.push({ title: "Charts", body: charts });

  const out: string[] = [`# ${doc.title}`, "", "Contents:", "", ...page.map((p, i) => `${i + 1}. [${p.title}](#${anchor(p.title)})`), ""];
  for (const p of page) out.push(`## ${p.title}`, "", ...p.body);
  return out.join("\n");
}
