/**
 * From a config's `dataset:` section to the engine's Dataset: make or read
 * the table, split it, scale it (fitted on the training split); cached per
 * process so a worker builds each dataset once.
 */
import { resolve } from "node:path";
import { ZodError } from "zod";
import { UserError } from "../errors.js";
import { builtinDataset, type Made } from "./catalog.js";
import { idxFolder } from "./folders.js";
import { sharedFloat32 } from "./share.js";
import { readCsvTables } from "./csv.js";
import { DataRng, Purpose } from "./random.js";
import { applyScaler, fitScaler } from "./scaling.js";
import { resolveDatasetSpec, type DatasetSpec, type ResolvedDatasetSpec } from "./spec.js";
import { splitTable, type SplitTables } from "./split.js";
import type { Table } from "./table.js";
import type { Dataset, Split } from "./types.js";

export interface DatasetLoadOptions {
  /** Folder that relative csv paths resolve against: the config file's folder. Default: the working directory. */
  baseDir?: string;
}

/**
 * Build the dataset a spec describes: generate or read it, split it, scale it
 * (fitted on the training split), as Float32 splits for the engine.
 * Throws UserError for a bad spec or bad data.
 */
export function loadDataset(spec: DatasetSpec, opts: DatasetLoadOptions = {}): Dataset {
  return build(resolveOrExplain(spec), opts.baseDir ?? process.cwd());
}

const cache = new Map<string, Dataset>();

/**
 * loadDataset, remembered for the life of the process, keyed by the resolved
 * spec (defaults filled in, csv paths made absolute): a worker builds its
 * dataset once and reuses it for every run. The result is shared: do not
 * modify it.
 */
export function loadDatasetCached(spec: DatasetSpec, opts: DatasetLoadOptions = {}): Dataset {
  const resolved = resolveOrExplain(spec);
  const baseDir = opts.baseDir ?? process.cwd();
  const key = cacheKey(resolved, baseDir);
  let ds = cache.get(key);
  if (!ds) {
    ds = build(resolved, baseDir);
    cache.set(key, ds);
  }
  return ds;
}

/** Forget cached datasets (tests; a long-lived process whose csv files changed). */
export function clearDatasetCache(): void {
  cache.clear();
}

function cacheKey(r: ResolvedDatasetSpec, baseDir: string): string {
  const csv = r.csv && {
    ...r.csv,
    train: resolve(baseDir, r.csv.train),
    val: r.csv.val && resolve(baseDir, r.csv.val),
    test: r.csv.test && resolve(baseDir, r.csv.test),
  };
  // A named set read from files is keyed by the folder it would be read from (dir, or the variable).
  const folder = builtinDataset(r.name)?.folder;
  const where = r.idx ? resolve(baseDir, r.idx.dir) : r.dir !== undefined ? resolve(baseDir, r.dir) : folder && process.env[folder.env];
  return JSON.stringify({ ...r, csv, where });
}

/** Schema errors as one UserError, each line naming its field under `dataset`. */
function resolveOrExplain(spec: DatasetSpec): ResolvedDatasetSpec {
  try {
    return resolveDatasetSpec(spec);
  } catch (e) {
    if (e instanceof ZodError) {
      const lines = e.issues.map((i) => `dataset${i.path.map((p) => `.${String(p)}`).join("")}: ${i.message}`);
      throw new UserError(lines.join("\n"));
    }
    throw e;
  }
}

function sharedCopyOf(a: Float64Array): Float32Array {
  const out = sharedFloat32(a.length);
  out.set(a);
  return out;
}

function makeBuiltin(r: ResolvedDatasetSpec, baseDir: string): Made {
  const def = builtinDataset(r.name);
  if (!def) throw new Error(`unreachable: unknown dataset ${r.name} after validation`);
  return def.make(r.params, new DataRng(r.seed, Purpose.generate), { dir: r.dir, baseDir });
}

function build(r: ResolvedDatasetSpec, baseDir: string): Dataset {
  const splitRng = new DataRng(r.seed, Purpose.split);
  let parts: SplitTables;
  let source: string;
  let classLabels: string[] | undefined;
  let featureNames: string[] | undefined;
  if (r.csv) {
    const files = readCsvTables(r.csv, baseDir);
    classLabels = files.classLabels;
    featureNames = files.featureNames;
    const { train, val, test } = r.csv;
    source = Object.entries({ train, val, test })
      .filter(([, path]) => path !== undefined)
      .map(([k, path]) => `${k}: ${resolve(baseDir, path as string)}`)
      .join("; ");
    // Files given are used as they are; only what the files lack is carved from the training file.
    const carve = r.split.val > 0 || r.split.test > 0;
    parts = carve ? splitTable(files.train, r.split, splitRng, r.csv.train) : { train: files.train };
    parts.val = files.val ?? parts.val;
    parts.test = files.test ?? parts.test;
  } else {
    const made = r.idx ? idxFolder(r.idx, r.params, new DataRng(r.seed, Purpose.generate), baseDir) : makeBuiltin(r, baseDir);
    classLabels = made.table.classLabels;
    source = r.idx ? `IDX files in ${made.folder}` : builtinDataset(r.name)!.source + (made.folder ? `; files: ${made.folder}` : "");
    // Always through the permutation, even with nothing held out, so training rows come shuffled.
    parts = splitTable(made.table, r.split, splitRng, `dataset "${r.name}"`);
    // A dataset's own test set is its test split, whole and in file order.
    if (made.test) parts.test = made.test;
  }
  const scaler = fitScaler(parts.train, r.scaling);
  const toSplit = (t: Table): Split => ({ n: t.n, x: applyScaler(t, scaler), y: sharedCopyOf(t.y) });
  const t = parts.train;
  return {
    name: r.name,
    task: t.task,
    features: t.features,
    classes: t.classes,
    outputs: t.outputs,
    classLabels,
    train: toSplit(t),
    val: parts.val && toSplit(parts.val),
    test: parts.test && toSplit(parts.test),
    source,
    featureNames,
    scaling: scaler,
  };
}
