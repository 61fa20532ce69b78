/**
 * The live view's page and its updates. The server renders everything (the
 * leaderboard as an HTML table, the curves as SVG by the report's vega
 * renderer), so the page needs no chart library and fetches nothing from the
 * network: its one inline script listens to the server's events (SSE) and
 * swaps in the new fragments when a run finishes.
 */
import type { TopLevelSpec } from "vega-lite";
import { namespaceIds, renderSvg } from "../report/charts.js";
import { escapeHtml, REPORT_CSS, tableHtml } from "../report/html.js";
import { colorMap } from "../report/palette.js";
import { fmtSummary } from "../report/tables.js";
import type { LiveState } from "./state.js";

/** What the page replaces on each update. */
export interface LiveFragments {
  version: number;
  /** "12 of 114 runs finished; the sweep is running". */
  status: string;
  finished: number;
  planned: number;
  state: string;
  board: string;
  charts: string;
}

function statusText(s: LiveState): string {
  const what = s.state === "running" ? "the sweep is running" : s.state === "complete" ? "the sweep is complete" : s.state === "interrupted" ? "the sweep was stopped" : "no manifest yet";
  return `${s.finished} of ${s.planned} runs finished; ${what}`;
}

function boardHtml(s: LiveState): string {
  if (s.rows.length === 0) return `<p class="note">No run has finished yet.</p>`;
  const grid = s.gridPoints.some((g) => g !== "");
  return tableHtml({
    id: "live-board",
    header: ["activation", ...(grid ? ["grid point"] : []), `final ${s.metric} (ok runs)`, "finished", "ok", "diverged", "failed"],
    rows: s.rows.map((r) => [r.activation, ...(grid ? [r.grid] : []), fmtSummary(r.metric), String(r.finished), String(r.ok), String(r.diverged), String(r.failed)]),
    numeric: grid ? [2, 3, 4, 5, 6] : [1, 2, 3, 4, 5],
  });
}

/** Mean over these runs (the ok ones) of each activation, per record epoch. */
function meanCurves(runs: LiveState["runs"], field: "val_acc" | "val_loss" | "train_loss"): Array<{ activation: string; epoch: number; value: number }> {
  const sums = new Map<string, { activation: string; epoch: number; sum: number; n: number }>();
  for (const r of runs) {
    if (r.status !== "ok") continue;
    for (const p of r.curve) {
      if (!Number.isFinite(p[field])) continue;
      const key = `${r.activation}\u0000${p.epoch}`;
      const e = sums.get(key) ?? { activation: r.activation, epoch: p.epoch, sum: 0, n: 0 };
      e.sum += p[field];
      e.n++;
      sums.set(key, e);
    }
  }
  return [...sums.values()].map((e) => ({ activation: e.activation, epoch: e.epoch, value: e.sum / e.n }));
}

/** What a train_loss point is, as the report's captions say it (record.trainMetrics). */
function trainNote(trainMetrics: string | undefined): string {
  if (trainMetrics === "running") return "; each epoch's mean over its batches";
  if (trainMetrics === "full") return "; full passes at each epoch's end";
  return "";
}

/** One chart per grid point and figure (the validation metric, and a loss), vega-rendered SVG. */
async function chartsHtml(s: LiveState): Promise<string> {
  const colors = colorMap(s.activations);
  const fields: Array<"val_acc" | "val_loss" | "train_loss"> = s.metric === "val_acc" ? ["val_acc", "val_loss"] : ["val_loss", "train_loss"];
  const out: string[] = [];
  for (const [i, grid] of s.gridPoints.entries()) {
    const runs = s.runs.filter((r) => s.gridOf[r.runId] === grid);
    for (const field of fields) {
      const values = meanCurves(runs, field);
      if (values.length === 0) continue;
      const present = s.activations.filter((a) => values.some((v) => v.activation === a));
      const spec: TopLevelSpec = {
        $schema: "https://vega.github.io/schema/vega-lite/v6.json",
        title: `${field} by epoch (mean over finished seeds${field === "train_loss" ? trainNote(s.trainMetrics) : ""})${grid ? ` — ${grid}` : ""}`,
        width: 420,
        height: 240,
        data: { values },
        mark: { type: "line", point: values.length < 200 },
        encoding: {
          x: { field: "epoch", type: "quantitative", title: "epoch" },
          y: { field: "value", type: "quantitative", title: field, scale: { zero: false } },
          color: { field: "activation", type: "nominal", scale: { domain: present, range: present.map((a) => colors.get(a)!) } },
        },
      };
      const id = `live-${i}-${field}`;
      const svg = namespaceIds(await renderSvg(spec), id);
      out.push(`<figure class="chart" id="${id}" data-field="${field}" data-grid="${escapeHtml(grid)}" data-series="${present.length}">${svg}</figure>`);
    }
  }
  return out.join("\n");
}

/** The fragments of this state (version: a counter the server bumps on each change). */
export async function renderFragments(s: LiveState, version: number): Promise<LiveFragments> {
  return { version, status: statusText(s), finished: s.finished, planned: s.planned, state: s.state, board: boardHtml(s), charts: await chartsHtml(s) };
}

/** Updates the page in place: on each server event, fetch the fragments and swap them in. */
const SCRIPT = `
(() => {
  const $ = (id) => document.getElementById(id);
  let shown = -1;
  async function refresh() {
    const r = await fetch("state.json", { cache: "no-store" });
    const s = await r.json();
    if (s.version === shown) return;
    shown = s.version;
    $("status").textContent = s.status;
    $("board").innerHTML = s.board;
    $("charts").innerHTML = s.charts;
    document.body.dataset.version = String(s.version);
    document.body.dataset.finished = String(s.finished);
    document.body.dataset.state = s.state;
  }
  const events = new EventSource("events");
  events.addEventListener("update", () => refresh().catch(() => {}));
  events.addEventListener("end", () => { $("live").textContent = "stopped"; events.close(); });
  refresh().catch(() => {});
})();
`;

/** The whole page, with the current fragments already in it (it reads without the script too). */
export function renderPage(dir: string, f: LiveFragments): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>actbench live: ${escapeHtml(dir)}</title>
<style>${REPORT_CSS}
#live { color: #59a14f; font-weight: 600; }
#charts { display: flex; flex-wrap: wrap; gap: 1rem; }
</style></head>
<body data-version="${f.version}" data-finished="${f.finished}" data-state="${escapeHtml(f.state)}">
<h1>actbench live: <code>${escapeHtml(dir)}</code> <small id="live">live</small></h1>
<p id="status">${escapeHtml(f.status)}</p>
<h2>Leaderboard so far</h2>
<div id="board">${f.board}</div>
<h2>Curves</h2>
<div id="charts">${f.charts}</div>
<script>${SCRIPT}</script>
</body></html>
`;
}
