/**
 * report.html: one self-contained page (inline CSS and SVG, no scripts, no
 * fonts or images fetched), so it opens offline and can be mailed around.
 */
import type { ReportDocument } from "./document.js";
import type { Table } from "./tables.js";

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function tableHtml(t: Table): string {
  const numeric = new Set(t.numeric);
  const cls = (i: number): string => (numeric.has(i) ? ' class="num"' : "");
  const head = t.header.map((h, i) => `<th${cls(i)}>${escapeHtml(h)}</th>`).join("");
  const text = (c: string): string => escapeHtml(c).replace(/\n/g, "<br>");
  const body = t.rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${text(c)}</td>`).join("")}</tr>`).join("\n");
  return `<div class="scroll"><table id="${t.id}">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}

const CSS = `
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
`;

export function renderHtml(doc: ReportDocument): string {
  const setup = doc.setup.map((s) => `<dt>${escapeHtml(s.key)}</dt><dd>${escapeHtml(s.value)}</dd>`).join("\n");
  const notes = (ns: string[], warnFirst = false): string =>
    ns.map((n, i) => `<p class="${warnFirst && i === 0 && /too few|nothing to compare|cannot/i.test(n) ? "note warn" : "note"}">${escapeHtml(n)}</p>`).join("\n");
  const many = doc.sections.length > 1;
  const sectionHead = (label: string): string => (many ? `<h3 class="grid-point">${escapeHtml(label)}</h3>\n` : "");
  const leaderboards = doc.sections.map((s) => `${sectionHead(s.gridLabel)}${tableHtml(s.leaderboard)}`).join("\n");
  const comparisons = doc.sections.map((s) => {
    const best = s.significance.best;
    return `${sectionHead(s.gridLabel)}${best ? `<p>Each activation against the best, <strong>${escapeHtml(best.group.activation)}</strong>, paired by seed.</p>\n` : ""}${notes(s.significance.notes, true)}
${s.comparisons.rows.length ? tableHtml(s.comparisons) : ""}`;
  }).join("\n");
  const charts = doc.charts.map((c) => `<figure class="chart" id="chart-${c.id}" data-chart="${c.id}" data-series="${c.series}" data-labels="${escapeHtml(JSON.stringify(c.labels))}">
<h3>${escapeHtml(c.title)}</h3>
${c.svg}
<figcaption>${escapeHtml(c.caption)}</figcaption>
</figure>`).join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.title)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>${escapeHtml(doc.title)}</h1>
<h2 id="setup">Setup</h2>
<dl class="setup">
${setup}
</dl>
<h2 id="leaderboard-heading">Leaderboard</h2>
${notes(doc.leaderboardNotes)}
${leaderboards}
<h2 id="significance-heading">Is the difference real?</h2>
${comparisons}
${doc.problems.rows.length ? `<h2 id="problems-heading">Runs that did not finish</h2>\n${tableHtml(doc.problems)}` : ""}
<h2 id="charts">Charts</h2>
<p class="note">One color per activation in every chart.</p>
${charts}
</body>
</html>
`;
}
