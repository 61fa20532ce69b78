/**
 * `actbench merge OUT SHARD_DIR...`: the folders of a sweep's shards (written
 * by `actbench run --shard i/n`, on any machines) joined into one results
 * folder equal to a one-machine run of the same config, timing columns aside.
 * It checks everything before writing anything: every folder is a shard of
 * the same config (hash) and plan, none is still running, and every run of
 * the plan is in exactly one folder (the missing and the duplicated ones are
 * named, with their shards). Then it copies the run files and models into
 * OUT and rebuilds the tables with the store's own code (store.ts
 * rebuildTables), in plan order, so nothing about a merged folder depends on
 * where or in what order the shards ran. A set with runs missing is refused
 * unless `partial`, which marks the manifest (and so the report) partial.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, isAbsolute, join, relative } from "node:path";
import { globSync, isDynamicPattern } from "tinyglobby";
import { UserError } from "../errors.js";
import { canonicalJson } from "./hash.js";
import { copyAtomic, foreignEntries, inside, makeFolder, real, removeOwned, writeAtomic, type Manifest } from "./folder.js";
import { acquireLock, assertUnlocked, isLockFile } from "./lock.js";
import { formatShard, type Shard } from "./shard.js";
import { readRunFile, rebuildTables, type FinishCounts } from "./store.js";
import { gridColumns } from "./grid-cells.js";

/** A run of the plan as a shard's manifest lists it. */
interface PlanEntry {
  run_id: string;
  activation: string;
  seed: number;
  grid: Record<string, unknown>;
  /** The shard (index) it belongs to, in the partition of the folder that lists it. */
  shard: number;
}

/** A shard folder, read and checked. */
interface ShardFolder {
  dir: string;
  manifest: Record<string, unknown>;
  shard: Shard;
  plan: PlanEntry[];
  /** Run ids of this shard with a committed run file (ok, diverged or failed). */
  present: Set<string>;
  /** The compute paths its runs took ("wasm (simd+fma)", "ts", "brainjs"), from their run files. */
  kernels: string[];
}

export interface MergeOptions {
  /** Merge even when runs are missing; the manifest and the report say the result is partial. */
  partial?: boolean;
}

export interface MergeSummary {
  dir: string;
  /** Runs in the plan. */
  total: number;
  /** Runs of the plan no folder holds (only with `partial`). */
  missing: number;
  counts: FinishCounts;
  shards: number;
  /** Facts that differ between the shards and may change numbers in the last bits (kernel, versions). */
  warnings: string[];
}

const runName = (e: PlanEntry): string => `${e.activation} seed ${e.seed}${Object.keys(e.grid).length ? ` ${canonicalJson(e.grid)}` : ""} (${e.run_id})`;

/** At most `max` items, then "and N more". */
function some<T>(items: readonly T[], show: (t: T) => string, max = 8): string {
  const shown = items.slice(0, max).map(show).join(", ");
  return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8"));
}

/**
 * The shard folders named: each argument a folder, or a glob (`results/x/shard-*`)
 * that no shell expanded (a Kubernetes args list, Windows), matched against
 * folders and sorted. A glob matching nothing is a UserError.
 */
export function expandShardArgs(args: readonly string[]): string[] {
  return args.flatMap((arg) => {
    if (existsSync(arg) || !isDynamicPattern(arg)) return [arg];
    const found = globSync(arg, { onlyDirectories: true, expandDirectories: false, absolute: isAbsolute(arg) }).map((d) => d.replace(/\/+$/, "")).sort();
    if (found.length === 0) throw new UserError(`merge: ${arg} matches no folder`);
    return found;
  });
}

/** Reads a shard folder's manifest and finds which of its runs are committed. */
function readShard(dir: string): ShardFolder {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${dir}: no such folder; expected a shard folder written by actbench run --shard`);
  const path = join(dir, "manifest.json");
  let manifest: Record<string, unknown>;
  try {
    manifest = readJson(path) as Record<string, unknown>;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(code === "ENOENT" ? `${dir}: no manifest.json, so not a folder of actbench run --shard` : `${path}: cannot be read (${code ?? (err as Error).message})`);
  }
  if (manifest === null || typeof manifest !== "object") throw new UserError(`${path}: expected an actbench manifest (a JSON object)`);
  const shard = manifest.shard as Shard | undefined;
  if (!shard || !Number.isInteger(shard.index) || !Number.isInteger(shard.count))
    throw new UserError(`${dir}: a whole sweep's folder, not a shard's (its manifest.json has no "shard"); merge joins the folders of actbench run --shard i/n`);
  const plan = manifest.plan as PlanEntry[] | undefined;
  if (!Array.isArray(plan)) throw new UserError(`${path}: has no "plan" (the sweep's runs and their shards); was it written by an older actbench?`);
  assertUnlocked(dir); // a shard still running is not finished
  const present = new Set<string>();
  const kernels = new Set<string>();
  for (const e of plan) {
    if (e.shard !== shard.index) continue;
    const file = readRunFile(dir, e.run_id);
    if (!file?.status) continue;
    present.add(e.run_id);
    if (file.compute) kernels.add(`${file.compute.path}${file.compute.wasm_variant ? ` (${file.compute.wasm_variant})` : ""}`);
  }
  return { dir, manifest, shard, plan, present, kernels: [...kernels].sort() };
}

/**
 * Reads and checks the shard folders and works out the merged plan; throws
 * UserError (nothing written) when they do not make one sweep.
 */
function checkShards(dirs: readonly string[], opts: MergeOptions): { shards: ShardFolder[]; plan: PlanEntry[]; missing: PlanEntry[]; home: Map<string, ShardFolder> } {
  if (dirs.length === 0) throw new UserError("merge: no shard folders given; usage: actbench merge OUT SHARD_DIR... (e.g. results/quickstart/shard-*)");
  // The same folder named twice (by a glob and by hand, or through a link) is one folder.
  const seen = new Map<string, string>();
  for (const d of dirs) if (!seen.has(real(d))) seen.set(real(d), d);
  const shards = [...seen.values()].map(readShard);

  const hashes = new Map<string, string[]>();
  for (const s of shards) hashes.set(String(s.manifest.config_hash), [...(hashes.get(String(s.manifest.config_hash)) ?? []), s.dir]);
  if (hashes.size > 1)
    throw new UserError(
      `merge: the folders come from different configs: ${[...hashes].map(([h, ds]) => `hash ${h} (${ds.join(", ")})`).join("; ")}; merge the shards of one sweep only`,
    );
  const plan = shards[0].plan;
  const ids = plan.map((e) => e.run_id).join(",");
  for (const s of shards.slice(1))
    if (s.plan.map((e) => e.run_id).join(",") !== ids)
      throw new UserError(
        `merge: ${shards[0].dir} and ${s.dir} have the same config hash but different plans (actbench ${String(shards[0].manifest.actbench)} and ${String(s.manifest.actbench)}?); run every shard with one actbench version`,
      );

  const home = new Map<string, ShardFolder>();
  const twice: Array<{ entry: PlanEntry; folders: string[] }> = [];
  for (const e of plan) {
    const holders = shards.filter((s) => s.present.has(e.run_id));
    if (holders.length > 1) twice.push({ entry: e, folders: holders.map((s) => `${s.dir} (shard ${formatShard(s.shard)})`) });
    if (holders.length > 0) home.set(e.run_id, holders[0]);
  }
  if (twice.length > 0)
    throw new UserError(`merge: ${twice.length} run${twice.length === 1 ? " is" : "s are"} in more than one folder: ${some(twice, (t) => `${runName(t.entry)} in ${t.folders.join(" and ")}`, 5)}; give each shard's folder once`);

  const missing = plan.filter((e) => !home.has(e.run_id));
  if (missing.length > 0 && !opts.partial) throw new UserError(`merge: ${missing.length} of ${plan.length} runs are missing: ${describeMissing(missing, shards)}; run those shards (they resume where they stopped), or merge with --partial`);
  return { shards, plan, missing, home };
}

/** Which shards the missing runs belong to, whether their folder was given, and the runs by name. */
function describeMissing(missing: readonly PlanEntry[], shards: readonly ShardFolder[]): string {
  const count = shards[0].shard.count;
  // Shards of different counts have different partitions: then only the runs can be named.
  if (shards.some((s) => s.shard.count !== count)) return some(missing, runName);
  const byShard = new Map<number, PlanEntry[]>();
  for (const e of missing) byShard.set(e.shard, [...(byShard.get(e.shard) ?? []), e]);
  return [...byShard]
    .sort((a, b) => a[0] - b[0])
    .map(([index, entries]) => {
      const folder = shards.find((s) => s.shard.index === index);
      const config = shards[0].manifest.config_file;
      const where = folder ? `${folder.dir} (state ${String(folder.manifest.state)})` : `no folder given (actbench run ${String(config)} --shard ${index}/${count})`;
      return `shard ${index}/${count}, ${where}: ${entries.length} run${entries.length === 1 ? "" : "s"} (${some(entries, runName, 4)})`;
    })
    .join("; ");
}

/**
 * Checks OUT before anything is written: not inside a shard folder, not in
 * use, and either absent, empty (the shard folders themselves may lie inside
 * it: results/<name>/ holds results/<name>/shard-i-of-n/), or an earlier
 * merge of the same sweep, whose files are replaced.
 */
function checkOut(out: string, shards: readonly ShardFolder[], hash: string): Manifest | undefined {
  const where = real(out);
  for (const s of shards)
    if (inside(where, real(s.dir))) throw new UserError(`merge: the output folder ${out} is (inside) the shard folder ${s.dir}; give another folder`);
  if (!existsSync(out)) return undefined;
  if (!statSync(out).isDirectory()) throw new UserError(`merge: ${out} is a file, expected a folder`);
  assertUnlocked(out);
  const shardNames = new Set(shards.filter((s) => real(join(s.dir, "..")) === where).map((s) => basename(real(s.dir))));
  const entries = readdirSync(out).filter((e) => !isLockFile(e) && !shardNames.has(e));
  if (entries.length === 0) return undefined;
  let manifest: Record<string, unknown> | undefined;
  try {
    manifest = readJson(join(out, "manifest.json")) as Record<string, unknown>;
  } catch {
    manifest = undefined;
  }
  if (!manifest || !Array.isArray(manifest.merged_from) || manifest.config_hash !== hash)
    throw new UserError(
      `merge: ${out} is not empty (${some(entries, (e) => e, 5)}) and is not an earlier merge of this sweep; actbench merges only into an empty folder or its own earlier merge: give another folder`,
    );
  // Only what the earlier merge's manifest lists is replaced (folder.ts's rule), never a file of the same name someone put there.
  const claimed = Array.isArray(manifest.files) ? (manifest.files as string[]) : [];
  const foreign = foreignEntries(out, new Set(claimed)).filter((e) => !shardNames.has(e.split("/")[0]));
  if (foreign.length > 0) throw new UserError(`merge: ${out} holds files an earlier merge did not write (${some(foreign, (e) => e, 5)}); move them away, or give another folder`);
  return { ...manifest, files: claimed };
}

/** The shard's facts for the merged manifest: where, on what, and when it ran. */
function shardRecord(s: ShardFolder): Record<string, unknown> {
  const m = s.manifest;
  return {
    dir: s.dir,
    shard: formatShard(s.shard),
    runs: s.present.size,
    state: m.state,
    host: m.host,
    os: m.os,
    node: m.node,
    kernel: s.kernels.join(", "),
    actbench: m.actbench,
    git_commit: m.git_commit,
    started_at: m.started_at,
    ended_at: m.ended_at,
  };
}

/** What differs between the shards and can move numbers in the last bits: each such fact, as a sentence. */
function differences(shards: readonly ShardFolder[]): string[] {
  const out: string[] = [];
  const facts: Array<[string, (m: Record<string, unknown>, s: ShardFolder) => unknown, string]> = [
    ["compute kernel", (_m, s) => s.kernels.filter((k) => k !== "brainjs").join(", "), "wasm and ts agree to float32 rounding, not bit for bit"],
    ["actbench version", (m) => `${String(m.actbench)} ${String(m.git_commit ?? "")}`.trim(), "a different version may compute differently"],
    ["Node version", (m) => m.node, "Math functions may differ in the last bit"],
    ["dependency versions", (m) => canonicalJson(m.packages), "brain.js or other dependencies may compute differently"],
  ];
  for (const [what, get, why] of facts) {
    const values = new Map<string, string[]>();
    for (const s of shards) {
      const v = String(get(s.manifest, s));
      if (v === "") continue; // a shard with no runs ran on nothing
      values.set(v, [...(values.get(v) ?? []), formatShard(s.shard)]);
    }
    if (values.size > 1) out.push(`the shards ran on different ${what}s (${[...values].map(([v, ss]) => `${v}: ${ss.join(", ")}`).join("; ")}): ${why}`);
  }
  return out;
}

export function mergeShards(out: string, dirs: readonly string[], opts: MergeOptions = {}): MergeSummary {
  const { shards, plan, missing, home } = checkShards(dirs, opts);
  const first = shards[0].manifest;
  const activations = shards.map((s) => join(s.dir, "activations.csv")).find((p) => existsSync(p));
  if (!activations) throw new UserError(`merge: no shard folder holds activations.csv (written when a shard finishes or is stopped); finish a shard first`);
  const earlier = checkOut(out, shards, String(first.config_hash));

  makeFolder(out);
  const release = acquireLock(out);
  try {
    // An earlier merge of the sweep is replaced by removing what its manifest says it wrote, nothing else (folder.ts).
    if (earlier) removeOwned(out, earlier);
    makeFolder(join(out, "runs"));
    // What this merge writes, relative to OUT: the manifest's `files`, so that later writers know what is actbench's.
    const files = ["manifest.json", "runs.csv", "curves.csv", "layers.csv", "params.csv", "activations.csv"];
    for (const e of plan) {
      const s = home.get(e.run_id);
      if (!s) continue;
      // Models first, then the run file, as a sweep commits them.
      const models = existsSync(join(s.dir, "models")) ? readdirSync(join(s.dir, "models")).filter((f) => f.startsWith(`${e.run_id}.`) && f.endsWith(".json")) : [];
      if (models.length > 0) makeFolder(join(out, "models"));
      for (const f of models) copyAtomic(join(s.dir, "models", f), join(out, "models", f));
      copyAtomic(join(s.dir, "runs", `${e.run_id}.json`), join(out, "runs", `${e.run_id}.json`));
      files.push(...models.map((f) => `models/${f}`), `runs/${e.run_id}.json`);
    }
    const config = (first.config ?? {}) as Record<string, unknown>;
    const { counts, statuses } = rebuildTables(
      out,
      plan.map((e) => ({ runId: e.run_id, activation: e.activation, seed: e.seed, grid: e.grid })),
      // Every grid point of the sweep is in its plan: the columns a one-machine run writes.
      gridColumns(plan.map((e) => e.grid)),
    );
    copyAtomic(activations, join(out, "activations.csv"));
    const times = (key: string) => shards.map((s) => s.manifest[key]).filter((t): t is string => typeof t === "string").sort();
    const manifest: Record<string, unknown> = {
      files,
      actbench: first.actbench,
      config_file: first.config_file,
      config_hash: first.config_hash,
      config: first.config,
      packages: first.packages,
      git_commit: first.git_commit,
      started_at: times("started_at")[0],
      ended_at: times("ended_at").at(-1),
      merged_at: new Date().toISOString(),
      state: missing.length > 0 ? "partial" : "complete",
      ...(missing.length > 0 && { partial: { planned: plan.length, merged: plan.length - missing.length, missing: missing.map(({ shard: _s, ...e }) => e) } }),
      merged_from: [...shards].sort((a, b) => a.shard.count - b.shard.count || a.shard.index - b.shard.index).map(shardRecord),
      activation_cost: shards.map((s) => s.manifest.activation_cost).find((c) => c && Object.keys(c as object).length > 0),
      runs: statuses,
    };
    writeAtomic(join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    return { dir: out, total: plan.length, missing: missing.length, counts, shards: shards.length, warnings: differences(shards) };
  } finally {
    release();
  }
}
