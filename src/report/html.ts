/**
 * report.html: one self-contained page (inline CSS, SVG and one small inline
 * script; no fonts, images or scripts fetched), so it opens offline and can
 * be mailed around. The script only makes legends clickable; without it the
 * page reads the same. Hover text on points is SVG <title>, no script.
 */
import { claimsHtml } from "../claims/index.js";
import type { ReportDocument } from "./document.js";
import type { ReportTable } from "./tables.js";

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function tableHtml(t: ReportTable): string {
  const numeric = new Set(t.numeric);
  const cls = (i: number): string => (numeric.has(i) ? ' class="num"' : "");
  const head = t.header.map((h, i) => `<th${cls(i)}>${escapeHtml(h)}</th>`).join("");
  const text = (c: string): string => escapeHtml(c).replace(/\n/g, "<br>");
  const body = t.rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${text(c)}</td>`).join("")}</tr>`).join("\n");
  return `<div class="scroll"><table id="${t.id}">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

export const REPORT_CSS = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem auto; max-width: 1500px; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .3rem; }
h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 0 0 .4rem; }
dl.setup { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.setup dt { font-weight: 600; }
dl.setup dd { margin: 0; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .88rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: .8rem; }
th, td { border-bottom: 1px solid #e3e3e3; padding: .25rem .45rem; text-align: left; vertical-align: top; }
th { background: #f6f6f6; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
h3.grid-point { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .95rem; margin-top: 1.4rem; }
tbody tr:first-child td { font-weight: 600; }
.note { color: #555; font-size: .9rem; }
.warn { background: #fff6e0; border-left: 4px solid #e0a800; padding: .5rem .8rem; }
figure.chart { margin: 1.5rem 0; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: .88rem; max-width: 60rem; }
nav.toc { background: #f7f7f7; border: 1px solid #e3e3e3; padding: .5rem 1rem; display: inline-block; font-size: .9rem; }
nav.toc ol { margin: .3rem 0 0; padding-left: 1.3rem; }
section.findings ul { padding-left: 1.2rem; }
section.findings li { margin: .25rem 0; max-width: 75rem; }
li.finding-leader, li.finding-cannot-tell { font-weight: 600; }
p.recommendation { background: #eef6ee; border-left: 4px solid #59a14f; padding: .5rem .8rem; max-width: 75rem; }
`;

/** The findings blocks: one list per grid point (and pooled one), each finding linked to its figure. */
function findingsHtml(doc: ReportDocument): string {
  const many = doc.findings.length > 1;
  return doc.findings.map((b) => {
    const items = b.findings.map((f) => `<li class="finding finding-${f.kind}" data-kind="${f.kind}" data-activations="${escapeHtml(JSON.stringify(f.activations))}">${escapeHtml(f.text)}${f.figure ? ` <a href="#${f.figure}">(see figure)</a>` : ""}</li>`).join("\n");
    return `<section class="findings" id="${b.id}" data-scope="${escapeHtml(b.scope)}">
${many || b.short ? `<h3>${escapeHtml(b.short || b.scope)}</h3>\n` : ""}<ul>
${items}
</ul>
<p class="recommendation"><strong>Recommendation:</strong> ${escapeHtml(b.recommendation)}</p>
</section>`;
  }).join("\n");
}

/**
 * Clicking a legend entry hides (or shows again) that activation's marks in
 * its chart: marks are matched by the entry's color, which palette.ts keeps
 * unique per activation.
 */
const LEGEND_TOGGLE = `
for (const fig of document.querySelectorAll("figure.chart")) {
  for (const sym of fig.querySelectorAll("g.role-legend-symbol path")) {
    const entry = sym.parentElement.parentElement.parentElement;
    const color = sym.getAttribute("stroke") || sym.getAttribute("fill");
    const hit = entry.querySelector("path.background");
    if (!hit || !color) continue;
    hit.style.pointerEvents = "all";
    entry.style.cursor = "pointer";
    entry.setAttribute("data-toggle", color);
    hit.addEventListener("click", () => {
      const off = entry.classList.toggle("legend-off");
      entry.style.opacity = off ? "0.35" : "";
      for (const p of fig.querySelectorAll("g.role-mark path, g.role-mark line"))
        if (p.getAttribute("stroke") === color || p.getAttribute("fill") === color) p.style.display = off ? "none" : "";
    });
  }
}
`;

/** One top-level section of the page; the table of contents lists them in order. */
interface PageSection {
  id: string;
  title: string;
  body: string;
}

export function renderHtml(doc: ReportDocument): string {
  const setup = doc.setup.map((s) => `<dt>${escapeHtml(s.key)}</dt><dd>${escapeHtml(s.value)}</dd>`).join("\n");
  const notes = (ns: string[], warnFirst = false): string =>
    ns.map((n, i) => `<p class="${warnFirst && i === 0 && /too few|nothing to compare|cannot/i.test(n) ? "note warn" : "note"}">${escapeHtml(n)}</p>`).join("\n");
  const many = doc.sections.length > 1;
  const sectionHead = (label: string): string => (many ? `<h3 class="grid-point">${escapeHtml(label)}</h3>\n` : "");
  const leaderboards = doc.sections.map((s) => `${sectionHead(s.gridLabel)}${tableHtml(s.leaderboard)}\n<p class="note">Diagnostics of the same rows:</p>\n${tableHtml(s.diagnostics)}`).join("\n");
  const comparisons = doc.sections.map((s) => {
    const leader = s.significance.leader;
    return `${sectionHead(s.gridLabel)}${leader ? `<p>Each activation against the leader, <strong>${escapeHtml(leader.activation)}</strong>, paired by seed (margin: ${escapeHtml(s.significance.marginText)}).</p>\n` : ""}${notes(s.significance.notes, true)}
${s.comparisons.rows.length ? tableHtml(s.comparisons) : ""}`;
  }).join("\n");
  const charts = doc.charts.map((c) => `<figure class="chart" id="chart-${c.id}" data-chart="${c.id}" data-series="${c.series}" data-labels="${escapeHtml(JSON.stringify(c.labels))}">
<h3>${escapeHtml(c.title)}</h3>
${c.svg}
<figcaption>${escapeHtml(c.caption)}</figcaption>
</figure>`).join("\n");
  // The page's sections in reading order: conclusions first, then their evidence.
  // A new section (claims, comparisons) goes into this list and the contents follow.
  const page: PageSection[] = [
    { id: "findings", title: "Findings", body: findingsHtml(doc) },
    { id: "setup", title: "Setup", body: `<dl class="setup">\n${setup}\n</dl>` },
    ...(doc.claims.length ? [{ id: "claims", title: "Claims", body: claimsHtml(doc.claims) }] : []),
    { id: "leaderboard-heading", title: "Leaderboard", body: `${notes(doc.leaderboardNotes)}\n${leaderboards}` },
    { id: "significance-heading", title: "Is the difference real?", body: comparisons },
    ...(doc.problems.rows.length ? [{ id: "problems-heading", title: "Runs that did not finish", body: tableHtml(doc.problems) }] : []),
    { id: "charts", title: "Charts", body: `<p class="note">One style per activation in every chart: families share a hue (ReLU family blues, exponential units greens, gated smooth ones oranges and reds, sigmoid-like purples, others greys), members differ by shade and dash. Hover a point for its values; click a legend entry to hide or show that activation.</p>\n${charts}` },
  ];
  const toc = `<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>\n${page.map((p) => `<li><a href="#${p.id}">${escapeHtml(p.title)}</a></li>`).join("\n")}\n</ol></nav>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<h1>${escapeHtml(doc.title)}</h1>
${toc}
${page.map((p) => `<h2 id="${p.id}">${escapeHtml(p.title)}</h2>\n${p.body}`).join("\n")}
<script>${LEGEND_TOGGLE}</script>
</body>
</html>
`;
}
