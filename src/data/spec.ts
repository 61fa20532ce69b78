/**
 * The config's `dataset:` section. The harness composes this schema into the
 * full config schema, so every message here must stand on its own: it names the
 * field, what was found and what was expected.
 */
import { basename, extname } from "node:path";
import { z } from "zod";
import { closeMatches } from "../errors.js";
import { builtinDataset, datasetNames, type ParamName, type Scaling } from "./catalog.js";
import { idxDefaultName, type IdxSpec } from "./folders.js";
import type { Task } from "./types.js";

const splitSchema = z
  .strictObject({
    val: z.number().min(0).lt(1).optional().describe("Fraction of the rows held out for validation."),
    test: z.number().min(0).lt(1).optional().describe("Fraction of the rows held out for testing."),
    stratify: z.boolean().optional().describe("Keep each class's share in every split (classification only; default true)."),
  })
  .refine((s) => (s.val ?? 0) + (s.test ?? 0) < 1, {
    message: "split.val + split.test must be below 1 (some rows must be left for training)",
  });

const csvSchema = z.strictObject({
  train: z.string().min(1).describe("Training rows; relative paths resolve against the config file's folder."),
  val: z.string().min(1).optional().describe("Validation rows, used as they are (no split is carved for validation then)."),
  test: z.string().min(1).optional().describe("Test rows, used as they are."),
  target: z.union([z.string().min(1), z.int()]).describe("Target column: its header name, or its 0-based index (negative counts from the end: -1 is the last)."),
  task: z.enum(["classification", "regression"]).describe("classification: the target holds class labels (strings allowed); regression: numbers."),
});

const idxSchema = z.strictObject({
  dir: z.string().min(1).describe("Folder holding the IDX files; relative paths resolve against the config file's folder."),
  train: z.string().min(1).optional().describe('File name prefix of the training files: "train" reads train-images-idx3-ubyte and train-labels-idx1-ubyte (or train-images.idx3-ubyte, each possibly .gz). Default "train".'),
  test: z.union([z.string().min(1), z.literal(false)]).optional().describe('Prefix of the test files (default "t10k"), or false when the folder has none.'),
  classes: z.int().min(2).max(256).optional().describe("Classes; labels must lie in 0..classes-1. Default: the largest training label + 1."),
});

/** Default file prefixes of an IDX folder: the names MNIST, Fashion-MNIST and KMNIST use. */
export const IDX_DEFAULTS = { train: "train", test: "t10k" } as const;

/** Most rows a generator makes: beyond this a JS MLP sweep would not finish anyway, and memory runs out. */
export const MAX_ROWS = 1_000_000;

const paramNames: readonly ParamName[] = ["n", "noise", "classes", "arms", "turns", "dims", "factor", "cells", "pool"];

export const datasetSpecSchema = z
  .strictObject({
    name: z
      .string()
      .min(1)
      .optional()
      .describe(`A built-in dataset (${datasetNames().join(", ")}; see \`actbench list datasets\`), or with \`csv\` or \`idx\` a display name.`),
    n: z.int().min(1).max(MAX_ROWS).optional().describe("Rows to generate (synthetic), or training images to subsample, stratified by class (mnist, fashion-mnist, cifar10, idx)."),
    noise: z.number().min(0).optional().describe("Standard deviation of the Gaussian noise (see docs/datasets.md per dataset)."),
    seed: z.int().min(0).max(Number.MAX_SAFE_INTEGER).optional().describe("Data seed: generation, subsampling and splits. Fixed (0) by default, independent of the model seed."),
    classes: z.int().min(2).optional().describe("blobs: clusters."),
    arms: z.int().min(2).optional().describe("spirals: arms (one class each)."),
    turns: z.number().positive().optional().describe("spirals: turns per arm."),
    dims: z.int().min(1).optional().describe("blobs: dimensions; friedman1: features (at least 5)."),
    factor: z.number().gt(0).lt(1).optional().describe("circles: inner radius / outer radius."),
    cells: z.int().min(1).optional().describe("checkerboard: cells per side."),
    pool: z.int().min(1).optional().describe("Image sets (mnist, fashion-mnist, cifar10, idx): average pool x pool pixel blocks (2: 14 x 14 inputs for 28 x 28 images); must divide the image side."),
    dir: z.string().min(1).optional().describe("fashion-mnist, cifar10: the folder holding the files (default: the dataset's environment variable, then its usual folder; see docs/datasets.md)."),
    split: splitSchema.optional().describe("Held-out fractions, from a seeded permutation. Default: {val: 0.2, test: 0}."),
    scaling: z.enum(["standardize", "minmax", "none"]).optional().describe("Fitted on the training split only. Default: standardize (none for mnist, whose pixels are in [0, 1])."),
    csv: csvSchema.optional().describe("Your own CSV files (header row, numeric features) instead of a built-in dataset."),
    idx: idxSchema.optional().describe("A folder of IDX files (the MNIST format: MNIST, KMNIST, EMNIST, ...) instead of a built-in dataset."),
  })
  .superRefine((s, ctx) => {
    if (s.csv && s.idx) {
      ctx.addIssue({ code: "custom", path: ["idx"], message: 'give "csv" or "idx", not both' });
      return;
    }
    if (s.dir !== undefined && (s.csv || s.idx))
      ctx.addIssue({ code: "custom", path: ["dir"], input: s.dir, message: `"dir" names the folder of a built-in dataset read from files (fashion-mnist, cifar10); ${s.csv ? "csv names its files" : "use idx.dir"}` });
    if (s.idx) {
      for (const p of paramNames)
        if (s[p] !== undefined && p !== "n" && p !== "pool")
          ctx.addIssue({ code: "custom", path: [p], input: s[p], message: `"${p}" does not apply to idx files; they take: n, pool` });
      if (s.idx.test !== false && s.split?.test)
        ctx.addIssue({ code: "custom", path: ["split", "test"], input: s.split.test, message: "idx.test names the test files, so split.test cannot carve another test split (set idx.test: false to carve one)" });
      return;
    }
    if (s.csv) {
      for (const p of paramNames)
        if (s[p] !== undefined)
          ctx.addIssue({ code: "custom", path: [p], input: s[p], message: `"${p}" applies to built-in datasets, not to csv files` });
      if (s.csv.val && s.split?.val)
        ctx.addIssue({ code: "custom", path: ["split", "val"], input: s.split.val, message: "csv.val names a validation file, so split.val cannot carve another one" });
      if (s.csv.test && s.split?.test)
        ctx.addIssue({ code: "custom", path: ["split", "test"], input: s.split.test, message: "csv.test names a test file, so split.test cannot carve another one" });
      return;
    }
    if (s.name === undefined) {
      ctx.addIssue({ code: "custom", path: [], message: `dataset needs "name" (one of: ${datasetNames().join(", ")}) or "csv"` });
      return;
    }
    const def = builtinDataset(s.name);
    if (!def) {
      const near = closeMatches(s.name, datasetNames());
      ctx.addIssue({
        code: "custom",
        path: ["name"],
        input: s.name,
        message:
          `unknown dataset "${s.name}"` +
          (near.length ? `; did you mean ${near.map((m) => `"${m}"`).join(" or ")}?` : "") +
          ` Built-in datasets: ${datasetNames().join(", ")} (or give "csv" for your own files)`,
      });
      return;
    }
    if (s.dir !== undefined && !def.folder)
      ctx.addIssue({ code: "custom", path: ["dir"], input: s.dir, message: `dataset "${def.name}" is not read from a folder, so it takes no "dir"` });
    if (def.testRows !== undefined && s.split?.test)
      ctx.addIssue({
        code: "custom",
        path: ["split", "test"],
        input: s.split.test,
        message: `dataset "${def.name}" has its own test set (${def.testRows.toLocaleString("en-US")} images), which is its test split; split.test cannot carve another`,
      });
    const takes = Object.keys(def.defaults);
    for (const p of paramNames) {
      const v = s[p];
      if (v === undefined) continue;
      if (!(p in def.defaults)) {
        ctx.addIssue({
          code: "custom",
          path: [p],
          input: v,
          message: `dataset "${def.name}" does not take "${p}"` + (takes.length ? `; it takes: ${takes.join(", ")}` : "; it takes no parameters"),
        });
        continue;
      }
      const lim = def.limits?.[p];
      if (lim?.min !== undefined && v < lim.min)
        ctx.addIssue({ code: "custom", path: [p], input: v, message: `dataset "${def.name}" needs ${p} >= ${lim.min}, found ${v}` });
      if (lim?.max !== undefined && v > lim.max)
        ctx.addIssue({ code: "custom", path: [p], input: v, message: `dataset "${def.name}" has at most ${p} = ${lim.max}, found ${v}` });
      if (p === "pool" && def.side !== undefined && def.side % v !== 0)
        ctx.addIssue({ code: "custom", path: [p], input: v, message: `pool must divide ${def.side} (${divisors(def.side).join(", ")}), found ${v}` });
    }
  })
  .describe("The data: a built-in dataset by name, or your own CSV or IDX files.");

function divisors(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1).filter((d) => n % d === 0);
}

/** The config's `dataset:` section as written (defaults not yet applied). */
export type DatasetSpec = z.infer<typeof datasetSpecSchema>;

/** A dataset spec with every default filled in: what the manifest records and the cache keys on. */
export interface ResolvedDatasetSpec {
  name: string;
  task?: Task;
  seed: number;
  /** Generator parameters of a built-in dataset (empty for csv). */
  params: Partial<Record<ParamName, number>>;
  split: { val: number; test: number; stratify: boolean };
  scaling: Scaling;
  csv?: NonNullable<DatasetSpec["csv"]>;
  /** The folder of a built-in dataset read from files, as the config gives it (absent: the environment variable or the usual folder). */
  dir?: string;
  /** An IDX folder with its prefixes filled in. */
  idx?: IdxSpec;
}

/** Default held-out fractions when the config gives no `split`. */
export const DEFAULT_SPLIT = { val: 0.2, test: 0 } as const;

/** Data seed when the config gives none: every model seed sees the same data. */
export const DEFAULT_DATA_SEED = 0;

/**
 * Fill in the defaults. Validates first, so a spec that did not come through the
 * config schema still gets the schema's messages (as a UserError from the caller).
 */
export function resolveDatasetSpec(input: DatasetSpec): ResolvedDatasetSpec {
  const spec = datasetSpecSchema.parse(input);
  const seed = spec.seed ?? DEFAULT_DATA_SEED;
  if (spec.csv) {
    const csv = spec.csv;
    return {
      name: spec.name ?? basename(csv.train, extname(csv.train)),
      task: csv.task,
      seed,
      params: {},
      split: {
        val: csv.val ? 0 : (spec.split?.val ?? DEFAULT_SPLIT.val),
        test: csv.test ? 0 : (spec.split?.test ?? DEFAULT_SPLIT.test),
        stratify: spec.split?.stratify ?? csv.task === "classification",
      },
      scaling: spec.scaling ?? "standardize",
      csv: { ...csv },
    };
  }
  if (spec.idx) {
    const idx: IdxSpec = { dir: spec.idx.dir, train: spec.idx.train ?? IDX_DEFAULTS.train, test: spec.idx.test ?? IDX_DEFAULTS.test, ...(spec.idx.classes !== undefined ? { classes: spec.idx.classes } : {}) };
    const params: Partial<Record<ParamName, number>> = { pool: spec.pool ?? 1 };
    if (spec.n !== undefined) params.n = spec.n;
    return {
      name: spec.name ?? idxDefaultName(idx),
      task: "classification",
      seed,
      params,
      split: { val: spec.split?.val ?? DEFAULT_SPLIT.val, test: idx.test === false ? (spec.split?.test ?? DEFAULT_SPLIT.test) : 0, stratify: spec.split?.stratify ?? true },
      scaling: spec.scaling ?? "none",
      idx,
    };
  }
  const def = builtinDataset(spec.name as string);
  if (!def) throw new Error(`unreachable: schema accepted unknown dataset ${spec.name}`);
  const params: Partial<Record<ParamName, number>> = {};
  for (const p of paramNames) if (p in def.defaults) params[p] = spec[p] ?? def.defaults[p];
  return {
    name: def.name,
    task: def.task,
    seed,
    params,
    split: {
      val: spec.split?.val ?? DEFAULT_SPLIT.val,
      test: spec.split?.test ?? DEFAULT_SPLIT.test,
      stratify: spec.split?.stratify ?? def.task === "classification",
    },
    scaling: spec.scaling ?? def.scaling,
    ...(spec.dir !== undefined ? { dir: spec.dir } : {}),
  };
}

/**
 * The config section that resolves to `r`: for a worker or a re-run that only has
 * the resolved spec (from the manifest). resolveDatasetSpec(specOfResolved(r)) equals r.
 */
export function specOfResolved(r: ResolvedDatasetSpec): DatasetSpec {
  const split = { val: r.split.val, test: r.split.test, stratify: r.split.stratify };
  if (r.csv) return { name: r.name, seed: r.seed, split, scaling: r.scaling, csv: { ...r.csv } };
  if (r.idx) return { name: r.name, seed: r.seed, ...r.params, split, scaling: r.scaling, idx: { ...r.idx } };
  return { name: r.name, seed: r.seed, ...r.params, split, scaling: r.scaling, ...(r.dir !== undefined ? { dir: r.dir } : {}) };
}
