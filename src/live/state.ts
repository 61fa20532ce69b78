/**
 * What the live view shows of a results folder, read from the files a sweep
 * writes as each run finishes (runs/<run_id>.json, committed atomically by
 * the store) and its manifest: a running sweep has no CSVs yet, a finished
 * one has both, and the two read alike. Each run file is parsed once (by
 * name and mtime) and reduced to its curves, so a folder of thousands of
 * runs costs one directory listing per refresh.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { formatGridPoint, varyingColumns } from "../harness/grid-cells.js";
import { summarize, type Summary } from "../report/stats.js";

/** A finished run as the live view keeps it. */
export interface LiveRun {
  runId: string;
  activation: string;
  seed: number;
  grid: Record<string, unknown>;
  status: "ok" | "diverged" | "failed";
  /** Record points: epoch, validation accuracy and loss (NaN when absent). */
  curve: Array<{ epoch: number; val_acc: number; val_loss: number; train_loss: number }>;
}

/** One activation at one grid point, over its finished seeds. */
export interface LiveRow {
  activation: string;
  /** The grid point as key=value pairs of the keys the grid varies ("" without a grid). */
  grid: string;
  finished: number;
  ok: number;
  diverged: number;
  failed: number;
  /** Final validation metric over ok runs. */
  metric: Summary;
}

export interface LiveState {
  /** The manifest's state: running, complete, interrupted (or "unknown" without a manifest). */
  state: string;
  /** Runs planned (from the manifest), and finished so far. */
  planned: number;
  finished: number;
  /** val_acc when any run has an accuracy, else val_loss. */
  metric: "val_acc" | "val_loss";
  /** Rows sorted by grid point (first seen), then by the metric, best first. */
  rows: LiveRow[];
  runs: LiveRun[];
  /** Grid points in first-seen order. */
  gridPoints: string[];
  /** Activation labels in the sweep's order (the manifest's, else first seen): fixes their colors. */
  activations: string[];
  /** Run id -> its grid point (as in `rows`). */
  gridOf: Record<string, string>;
  /** How train_loss was measured (the manifest's record.trainMetrics; absent: unknown, e.g. no manifest yet). */
  trainMetrics?: string;
}

interface RunFileShape {
  runId?: string;
  activation?: string;
  seed?: number;
  grid?: Record<string, unknown>;
  status?: string;
  records?: Array<{ epoch?: number; val_acc?: number; val_loss?: number; train_loss?: number }>;
}

const num = (v: unknown): number => (typeof v === "number" ? v : NaN);

/** Reads folders into live states, caching each run file by name and mtime. */
export class LiveReader {
  private readonly cache = new Map<string, { mtimeMs: number; run: LiveRun | undefined }>();

  constructor(readonly dir: string) {}

  /** A fingerprint of what the view depends on: changes when a run file or the manifest does. */
  fingerprint(): string {
    const parts: string[] = [];
    for (const name of this.runFiles()) parts.push(`${name}:${mtime(join(this.dir, "runs", name))}`);
    parts.push(`manifest:${mtime(join(this.dir, "manifest.json"))}`);
    return parts.join("|");
  }

  private runFiles(): string[] {
    try {
      return readdirSync(join(this.dir, "runs"))
        .filter((f) => f.endsWith(".json"))
        .sort();
    } catch {
      return [];
    }
  }

  private readRun(name: string): LiveRun | undefined {
    const path = join(this.dir, "runs", name);
    const m = mtime(path);
    const hit = this.cache.get(name);
    if (hit && hit.mtimeMs === m) return hit.run;
    let run: LiveRun | undefined;
    try {
      const f = JSON.parse(readFileSync(path, "utf8")) as RunFileShape;
      if (typeof f.activation === "string" && (f.status === "ok" || f.status === "diverged" || f.status === "failed"))
        run = {
          runId: f.runId ?? name.replace(/\.json$/, ""),
          activation: f.activation,
          seed: num(f.seed),
          grid: f.grid ?? {},
          status: f.status,
          curve: (f.records ?? []).map((r) => ({ epoch: num(r.epoch), val_acc: num(r.val_acc), val_loss: num(r.val_loss), train_loss: num(r.train_loss) })),
        };
    } catch {
      run = undefined; // unreadable or foreign: not a run
    }
    this.cache.set(name, { mtimeMs: m, run });
    return run;
  }

  read(): LiveState {
    const runs = this.runFiles()
      .map((n) => this.readRun(n))
      .filter((r): r is LiveRun => r !== undefined);
    let manifest: { state?: string; config?: { seeds?: unknown[]; activations?: Array<{ label?: string }>; points?: unknown[]; record?: { trainMetrics?: string } }; runs?: unknown[] } = {};
    try {
      manifest = JSON.parse(readFileSync(join(this.dir, "manifest.json"), "utf8")) as typeof manifest;
    } catch {
      // no manifest (yet): counts come from the run files alone
    }
    const c = manifest.config ?? {};
    const product = (c.seeds?.length ?? 0) * (c.activations?.length ?? 0) * (c.points?.length ?? 0);
    const planned = Array.isArray(manifest.runs) ? manifest.runs.length : product;
    const order = (c.activations ?? []).map((a) => a.label).filter((l): l is string => typeof l === "string");
    return { ...summarizeRuns(runs, manifest.state ?? "unknown", Math.max(planned, runs.length), order), trainMetrics: c.record?.trainMetrics };
  }
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** The live state of these finished runs. */
export function summarizeRuns(runs: readonly LiveRun[], state: string, planned: number, order: readonly string[] = []): LiveState {
  const metric = runs.some((r) => r.curve.some((p) => Number.isFinite(p.val_acc))) ? "val_acc" : "val_loss";
  const keys = varyingColumns([...new Map(runs.map((r) => [JSON.stringify(r.grid), r.grid])).values()]);
  const groups = new Map<string, { activation: string; grid: string; runs: LiveRun[] }>();
  const gridPoints: string[] = [];
  const gridOf: Record<string, string> = {};
  for (const r of runs) {
    const grid = formatGridPoint(r.grid, keys);
    gridOf[r.runId] = grid;
    if (!gridPoints.includes(grid)) gridPoints.push(grid);
    const key = `${r.activation}\u0000${grid}`;
    const g = groups.get(key) ?? { activation: r.activation, grid, runs: [] };
    g.runs.push(r);
    groups.set(key, g);
  }
  const final = (r: LiveRun): number => r.curve[r.curve.length - 1]?.[metric] ?? NaN;
  const rows: LiveRow[] = [...groups.values()].map((g) => ({
    activation: g.activation,
    grid: g.grid,
    finished: g.runs.length,
    ok: g.runs.filter((r) => r.status === "ok").length,
    diverged: g.runs.filter((r) => r.status === "diverged").length,
    failed: g.runs.filter((r) => r.status === "failed").length,
    metric: summarize(g.runs.filter((r) => r.status === "ok").map(final)),
  }));
  const better = (a: number, b: number): number => {
    if (Number.isFinite(a) !== Number.isFinite(b)) return Number.isFinite(a) ? -1 : 1;
    return metric === "val_acc" ? b - a : a - b;
  };
  rows.sort((a, b) => gridPoints.indexOf(a.grid) - gridPoints.indexOf(b.grid) || better(a.metric.mean, b.metric.mean) || a.activation.localeCompare(b.activation));
  const activations = [...new Set([...order, ...runs.map((r) => r.activation)])];
  return { state, planned, finished: runs.length, metric, rows, runs: [...runs], gridPoints, activations, gridOf };
}
