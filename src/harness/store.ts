/**
 * The output folder. Only the main thread writes here. Each finished run is
 * committed as its own file (runs/<run_id>.json, written to a temp file then
 * renamed), so a kill -9 loses at most the runs in flight. The CSVs are
 * rebuilt from those files in plan order, so a resumed sweep ends with the
 * same files as an uninterrupted one (timing columns aside).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, release, type } from "node:os";
import { join, relative } from "node:path";
import { canonicalJson } from "./hash.js";
import { UserError } from "../errors.js";
import { experimentInputs, type Experiment } from "./config.js";
import { checkFolder, makeFolder, MANIFEST, removeEmptyFolders, removeOwned, writeAtomic, type Manifest } from "./folder.js";
import { acquireLock, assertUnlocked } from "./lock.js";
import { describeChange } from "./config-diff.js";
import type { RunOutcome } from "./outcome.js";
import type { RunKey, RunSpec } from "./plan.js";
import { formatShard, type Shard, type ShardPart } from "./shard.js";
import { dependencyVersions, gitCommit, numericsOf, packageVersion } from "./provenance.js";
import { ACTIVATION_COLUMNS, curveColumns, layerColumns, paramColumns, runColumns } from "../results/schema.js";
import { gridColumns } from "./grid-cells.js";
import { activationSamples, curveRows, layerRows, paramRows, runRow, toCsv } from "./csvRows.js";

/** A committed run: its outcome plus what identifies it (the file runs/<run_id>.json). */
export interface RunFile extends RunOutcome {
  activation: string;
  seed: number;
  grid: Record<string, unknown>;
}

/** The tables a sweep writes at the folder's top level (with manifest.json). */
const TABLES = ["runs.csv", "curves.csv", "layers.csv", "params.csv", "activations.csv"];

/** Run counts by status after a sweep, and the failed runs' messages. */
export interface FinishCounts {
  ok: number;
  diverged: number;
  failed: number;
  pending: number;
  failures: Array<{ run_id: string; activation: string; seed: number; message: string }>;
}

export interface StoreOptions {
  /** Start afresh, even in a folder made by another config (removes the files its manifest says actbench wrote, nothing else). */
  overwrite?: boolean;
  /** Experiment-level facts for the manifest that do not change the numbers (worker count...). */
  extra?: Record<string, unknown>;
  /** The sweep's datasets with their fingerprints (sweep.ts planSweep), recorded and compared with an earlier sweep's. */
  datasets?: ReadonlyArray<{ spec: unknown; sha256: string }>;
  /** The folder holds this shard of the plan; the manifest records the whole partition, for `actbench merge`. */
  shard?: { shard: Shard; parts: readonly ShardPart[] };
}

/** "shard 1/4" or "the whole sweep", for messages. */
const describeShard = (s: Shard | undefined): string => (s ? `shard ${formatShard(s)}` : "the whole sweep");

/** The manifest's record of a shard folder: which shard, and every run of the plan with the shard it belongs to. */
function shardManifest({ shard, parts }: NonNullable<StoreOptions["shard"]>): Record<string, unknown> {
  const plan = parts
    .flatMap((p) => p.runs.map((r) => ({ index: r.index, run_id: r.runId, activation: r.activation, seed: r.seed, grid: r.grid, shard: p.index })))
    .sort((a, b) => a.index - b.index)
    .map(({ index: _, ...rest }) => rest);
  return { shard: { index: shard.index, count: shard.count }, plan };
}

/**
 * The committed run file runs/<run_id>.json of the folder; undefined when
 * absent, unreadable or not of a run file's shape (valid JSON of another
 * shape made every rerun crash): such a run is treated as not run, so a
 * sweep redoes it and replaces the file, which is actbench's own.
 */
export function readRunFile(dir: string, runId: string): RunFile | undefined {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(join(dir, "runs", `${runId}.json`), "utf8"));
  } catch {
    return undefined;
  }
  return isRunFile(value) ? value : undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** The shape the tables are built from: a status, record points with their epoch and layers, and optional objects. */
function isRunFile(v: unknown): v is RunFile {
  if (!isObject(v) || !["ok", "diverged", "failed"].includes(v.status as string) || !Array.isArray(v.records)) return false;
  if (!v.records.every((r) => isObject(r) && typeof r.epoch === "number" && Array.isArray(r.layers) && (r.params === undefined || Array.isArray(r.params)))) return false;
  return [v.models, v.compute, v.test].every((o) => o === undefined || isObject(o)) && (v.message === undefined || typeof v.message === "string");
}

/**
 * Writes runs.csv, curves.csv and layers.csv of the folder from its run
 * files, in the order given (the plan's); returns the counts by status and
 * each run's status for the manifest (pending: no run file). `gridColumns`
 * are the sweep's grid columns (grid-cells.ts gridColumns of every point). A sweep's
 * finish and a merge both end here, so their tables are built alike.
 */
export function rebuildTables(dir: string, runs: readonly RunKey[], gridColumns: readonly string[]): { counts: FinishCounts; statuses: Array<Record<string, unknown>> } {
  const runRows = [];
  const curves = [];
  const layers = [];
  const params = [];
  const statuses: Array<Record<string, unknown>> = [];
  const counts: FinishCounts = { ok: 0, diverged: 0, failed: 0, pending: 0, failures: [] };
  for (const run of runs) {
    const file = readRunFile(dir, run.runId);
    const status = file?.status ?? "pending";
    counts[status]++;
    // The path each run really took, as its worker reported it (auto may differ between machines).
    statuses.push({ run_id: run.runId, activation: run.activation, seed: run.seed, grid: run.grid, status, message: file?.message, ...file?.compute });
    if (!file) continue;
    if (file.status === "failed") counts.failures.push({ run_id: run.runId, activation: run.activation, seed: run.seed, message: file.message ?? "" });
    runRows.push(runRow(run, file));
    curves.push(...curveRows(run, file));
    layers.push(...layerRows(run, file));
    params.push(...paramRows(run, file));
  }
  writeAtomic(join(dir, "runs.csv"), toCsv(runColumns(gridColumns), runRows));
  writeAtomic(join(dir, "curves.csv"), toCsv(curveColumns(gridColumns), curves));
  writeAtomic(join(dir, "layers.csv"), toCsv(layerColumns(gridColumns), layers));
  writeAtomic(join(dir, "params.csv"), toCsv(paramColumns(gridColumns), params));
  return { counts, statuses };
}

export class ResultStore {
  private readonly finished = new Map<string, RunOutcome["status"]>();
  private release: (() => void) | undefined;
  private manifest: Manifest = { files: [] };

  private constructor(
    readonly dir: string,
    private readonly exp: Experiment,
    private readonly runs: readonly RunSpec[],
    private readonly datasets: ReadonlyArray<{ spec: unknown; sha256: string }>,
  ) {}

  /**
   * Checks the folder (read-only: a live lock, another config's results),
   * then takes the lock and writes the manifest. Throws UserError before
   * writing anything when the folder cannot be used.
   */
  static open(dir: string, exp: Experiment, runs: readonly RunSpec[], opts: StoreOptions = {}): ResultStore {
    const store = new ResultStore(dir, exp, runs, opts.datasets ?? []);
    let previous = checkFolder(dir, experimentInputs(exp));
    assertUnlocked(dir);
    if (previous && previous.config_hash !== exp.hash && !opts.overwrite)
      throw new UserError(
        `${dir} holds results of a different config (${describeChange(previous.config, JSON.parse(JSON.stringify(manifestConfig(exp)))) || `hash ${String(previous.config_hash)}, this one is ${exp.hash}`}); use --out for another folder, or --overwrite to replace them`,
      );
    const was = previous?.shard as Shard | undefined;
    const now = opts.shard?.shard;
    if (previous && (was?.index !== now?.index || was?.count !== now?.count) && !opts.overwrite)
      throw new UserError(`${dir} holds ${describeShard(was)} of this config, not ${describeShard(now)}; use --out for another folder, or --overwrite to replace it`);
    if (previous && !opts.overwrite) assertSameInputs(dir, previous, datasetsRecord(opts.datasets ?? []), numericsOf(runs));
    const created = !existsSync(dir);
    makeFolder(dir);
    try {
      store.release = acquireLock(dir);
    } catch (err) {
      if (created) removeEmptyFolders([dir]);
      throw err;
    }
    try {
      if (opts.overwrite && previous) {
        removeOwned(dir, previous);
        previous = undefined;
      }
      makeFolder(join(dir, "runs"));
      for (const run of runs) {
        const file = store.runFile(run.runId);
        if (!file) continue;
        // Failed runs are retried on resume; ok and diverged are results.
        if (file.status !== "failed") store.finished.set(run.runId, file.status);
      }
      store.manifest = store.initialManifest(previous, { ...(opts.shard && shardManifest(opts.shard)), ...opts.extra });
      store.writeManifest("running");
    } catch (err) {
      store.close();
      // Nothing half-written: a folder this call made is removed again while it holds nothing (a full disk, a read-only folder).
      if (created) removeEmptyFolders([join(dir, "runs"), join(dir, "models"), dir]);
      throw err;
    }
    return store;
  }

  /** True when the run was committed with a result (ok or diverged) by this or an earlier sweep. */
  isDone(runId: string): boolean {
    return this.finished.has(runId);
  }

  /** Commits one run: model snapshots first, then the run file whose rename marks it done. */
  commit(run: RunSpec, out: RunOutcome): void {
    const models = Object.entries(out.models ?? {});
    if (models.length > 0) makeFolder(join(this.dir, "models"));
    for (const [snap, json] of models) writeAtomic(join(this.dir, "models", `${run.runId}.${snap}.json`), JSON.stringify(json));
    const file: RunFile = { ...out, models: {}, activation: run.activation, seed: run.seed, grid: run.grid };
    writeAtomic(join(this.dir, "runs", `${run.runId}.json`), JSON.stringify(file));
    if (out.status !== "failed") this.finished.set(run.runId, out.status);
  }

  private runFile(runId: string): RunFile | undefined {
    return readRunFile(this.dir, runId);
  }

  /**
   * Rebuilds the CSVs from the run files in plan order, writes the manifest
   * with each run's status, and releases the lock.
   */
  finish(state: "complete" | "interrupted", extra: Record<string, unknown> = {}): FinishCounts {
    const { counts, statuses } = rebuildTables(this.dir, this.runs, gridColumns(this.exp.points.map((p) => p.values)));
    writeAtomic(join(this.dir, "activations.csv"), toCsv(ACTIVATION_COLUMNS, activationSamples(this.exp.activations)));
    Object.assign(this.manifest, extra, { runs: statuses });
    this.writeManifest(state);
    this.close();
    return counts;
  }

  /**
   * Ends a sweep that cannot go on because a write failed (a full disk, a
   * folder made read-only): the manifest says it was interrupted, and why,
   * never "running"; the lock is released; the finished runs stay for a
   * resume.
   */
  abandon(err: unknown): void {
    this.manifest.error = err instanceof Error ? err.message : String(err);
    try {
      this.writeManifest("interrupted");
    } catch {
      // No room for a temp file: the manifest is rewritten in place, compact, so that it fits in the space
      // the pretty-printed one it replaces frees. Best effort: the caller reports the write that failed.
      try {
        writeFileSync(join(this.dir, MANIFEST), JSON.stringify(this.manifest));
      } catch {
        // nothing more to do
      }
    }
    this.close();
  }

  /** Releases the lock (idempotent). */
  close(): void {
    this.release?.();
    this.release = undefined;
  }

  /**
   * Every file this sweep may write, claimed in the manifest before it is
   * written (a claim never written is harmless; a file written unclaimed
   * would be refused as foreign by the next sweep). The report's files are
   * claimed when the report is written.
   */
  private plannedFiles(): string[] {
    const files = [MANIFEST, ...TABLES];
    for (const run of this.runs) {
      files.push(`runs/${run.runId}.json`);
      for (const snap of run.config.record.models ?? []) files.push(`models/${run.runId}.${snap}.json`);
    }
    return files;
  }

  private initialManifest(previous: Manifest | undefined, extra: Record<string, unknown>): Manifest {
    const exp = this.exp;
    return {
      files: [...new Set([...(previous?.files ?? []), ...this.plannedFiles()])],
      actbench: packageVersion(),
      config_file: relative(process.cwd(), exp.file).startsWith("..") ? exp.file : relative(process.cwd(), exp.file),
      config_hash: exp.hash,
      datasets: datasetsRecord(this.datasets),
      config: manifestConfig(exp),
      host: hostname(),
      os: `${type()} ${release()}`,
      node: process.version,
      packages: dependencyVersions(),
      // What the numbers depend on besides config and data: compared on resume (assertSameInputs).
      numerics: numericsOf(this.runs),
      git_commit: gitCommit(),
      started_at: (previous?.started_at as string | undefined) ?? new Date().toISOString(),
      ...extra,
    };
  }

  private writeManifest(state: string): void {
    this.manifest.state = state;
    this.manifest[state === "running" ? "resumed_at" : "ended_at"] = new Date().toISOString();
    if (state === "running" && this.manifest.started_at === this.manifest.resumed_at) delete this.manifest.resumed_at;
    writeAtomic(join(this.dir, MANIFEST), `${JSON.stringify(this.manifest, null, 2)}\n`);
  }
}

/** The manifest's record of the data: each dataset section with the sha256 of what it loaded. */
function datasetsRecord(datasets: ReadonlyArray<{ spec: unknown; sha256: string }>): Array<{ dataset: unknown; sha256: string }> {
  return datasets.map((d) => ({ dataset: d.spec, sha256: d.sha256 }));
}

/** "dataset.csv.train data/train.csv" or "dataset spirals", for messages. */
function describeDataset(spec: unknown): string {
  const s = spec as { name?: string; csv?: Record<string, string> };
  if (s?.csv) return ["train", "val", "test"].filter((k) => s.csv![k]).map((k) => `dataset.csv.${k} ${s.csv![k]}`).join(", ");
  return `dataset ${s?.name ?? canonicalJson(spec)}`;
}

/**
 * Refuses to resume a folder whose runs were trained on other data (same
 * config, edited files) or computed by another actbench, brain.js or compute
 * path: the finished runs would be mixed with new ones silently.
 */
function assertSameInputs(dir: string, previous: Manifest, datasets: ReturnType<typeof datasetsRecord>, numerics: Record<string, string | undefined>): void {
  const before = new Map(((previous.datasets as ReturnType<typeof datasetsRecord> | undefined) ?? []).map((d) => [canonicalJson(d.dataset), d.sha256]));
  for (const d of datasets) {
    const was = before.get(canonicalJson(d.dataset));
    if (was !== undefined && was !== d.sha256)
      throw new UserError(
        `${dir}: the data of ${describeDataset(d.dataset)} changed since the runs here were trained (sha256 ${was.slice(0, 12)} then, ${d.sha256.slice(0, 12)} now); resuming would mix runs trained on two versions of the data: use --out for another folder, or --overwrite to recompute every run`,
      );
  }
  const then = (previous.numerics ?? {}) as Record<string, string | undefined>;
  for (const [key, now] of Object.entries(numerics)) {
    if (then[key] !== undefined && then[key] !== now)
      throw new UserError(
        `${dir}: the runs here were computed with ${key} ${then[key]}; this is ${key} ${now}, whose numbers may differ: use --out for another folder, or --overwrite to recompute every run`,
      );
  }
}

/** The resolved experiment as the manifest records it (and as a changed config is compared against). */
export function manifestConfig(exp: Experiment): Record<string, unknown> {
  return {
    name: exp.name,
    seeds: exp.seeds,
    activations: exp.activations.map((a) => ({ label: a.label, spec: a.spec, module: a.module && { path: a.module.path, sha256: a.module.sha256 } })),
    grid_keys: exp.gridKeys,
    // Settings shared by every grid point are those of the first point with the grid values applied.
    ...pointSettings(exp.points[0]),
    points: exp.points,
    report: exp.report,
    claims: exp.claims,
  };
}

function pointSettings(p: Experiment["points"][number]): Record<string, unknown> {
  return { engine: p.engine, dataset: p.dataset, model: p.model, train: p.train, record: p.record };
}

