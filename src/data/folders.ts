/**
 * Datasets read from a folder of files the user has (none is downloaded at
 * run time): Fashion-MNIST (Debian's dataset-fashion-mnist puts it in
 * /usr/share/datasets/fashion-mnist), CIFAR-10's binary batches, and any
 * IDX folder. Where a named set's files are: the config's `dir` when it gives
 * one, else the set's environment variable when set, else its usual folders;
 * when none holds them, a UserError naming every folder looked in and how to
 * get the files.
 */
import { existsSync } from "node:fs";
import { basename, resolve } from "node:path";
import { UserError } from "../errors.js";
import { CIFAR10_CLASSES, missingCifarFiles, readCifar10 } from "./cifar.js";
import { findIdxFile, readIdxImages } from "./idx.js";
import { imageTables, type ImageSet } from "./images.js";
import type { DataRng } from "./random.js";
import type { Table } from "./table.js";

/** Where a named set's files may be, and how to get them. */
export interface FolderSource {
  /** Environment variable naming the folder. */
  env: string;
  /** Folders looked in when neither the config nor the variable names one. */
  usual: string[];
  /** Does this folder hold the set? */
  holds(folder: string): boolean;
  /** How to get the files, for the message when no folder holds them. */
  install: string;
}

/**
 * The folder a named set is read from: `dir` (relative to the config's folder)
 * when given, else $env, else the first usual folder that holds the files. A
 * folder named explicitly is taken when it exists, so that the reader then
 * says which of its files is missing or wrong.
 */
export function locateFolder(dataset: string, src: FolderSource, dir: string | undefined, baseDir: string): string {
  const fromEnv = process.env[src.env];
  const named = dir !== undefined ? { folder: resolve(baseDir, dir), why: "dataset.dir" } : fromEnv ? { folder: resolve(fromEnv), why: src.env } : undefined;
  if (named && existsSync(named.folder)) return named.folder;
  const tried = named ? [named] : src.usual.map((folder) => ({ folder, why: "its usual folder" }));
  const found = tried.find((t) => src.holds(t.folder));
  if (found) return found.folder;
  const looked = tried.length
    ? tried.map((t) => `${t.folder} (${t.why}${existsSync(t.folder) ? "" : ", no such folder"})`).join(", ")
    : `no folder: neither dataset.dir nor ${src.env} names one`;
  throw new UserError(`dataset "${dataset}": its files are not found; looked in: ${looked}. ${src.install}`);
}

/** A set's training and test tables, and where they were read from. */
export interface FolderTables {
  table: Table;
  test?: Table;
  /** The folder read, for Dataset.source. */
  folder: string;
}

/** Parameters the folder-backed sets take (a subset of the catalog's). */
export interface ImageParams {
  n?: number;
  pool?: number;
}

export const FASHION_MNIST_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

export const fashionMnistSource: FolderSource = {
  env: "ACTBENCH_FASHION_MNIST_DIR",
  usual: ["/usr/share/datasets/fashion-mnist"],
  holds: (folder) => findIdxFile(folder, "train", "images") !== undefined,
  install:
    "Install them with `apt-get install dataset-fashion-mnist` (Debian, Ubuntu), or put the four files " +
    "(train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz, " +
    "from the zalandoresearch/fashion-mnist repository) in a folder and name it with dataset.dir or ACTBENCH_FASHION_MNIST_DIR.",
};

export const cifar10Source: FolderSource = {
  env: "ACTBENCH_CIFAR10_DIR",
  usual: [],
  holds: (folder) => missingCifarFiles(folder).length === 0,
  install:
    "Download CIFAR-10's binary version (cifar-10-binary.tar.gz, from the CIFAR-10 page of Alex Krizhevsky), unpack it, " +
    "and name its cifar-10-batches-bin folder with dataset.dir or ACTBENCH_CIFAR10_DIR.",
};

/** Fashion-MNIST: its 60,000 training images (subsampled to n) and its 10,000 test images. */
export function fashionMnist(p: ImageParams, rng: DataRng, dir: string | undefined, baseDir: string): FolderTables {
  const folder = locateFolder("fashion-mnist", fashionMnistSource, dir, baseDir);
  const classes = FASHION_MNIST_CLASSES.length;
  const train = readIdxImages(folder, "train", classes);
  const test = readIdxImages(folder, "t10k", classes);
  return { ...imageTables(train, test, { n: p.n, pool: p.pool ?? 1, classes, classLabels: FASHION_MNIST_CLASSES }, rng), folder };
}

/** CIFAR-10: data_batch_1..5 (subsampled to n) and test_batch. */
export function cifar10(p: ImageParams, rng: DataRng, dir: string | undefined, baseDir: string): FolderTables {
  const folder = locateFolder("cifar10", cifar10Source, dir, baseDir);
  const { train, test } = readCifar10(folder);
  return { ...imageTables(train, test, { n: p.n, pool: p.pool ?? 1, classes: CIFAR10_CLASSES.length, classLabels: CIFAR10_CLASSES }, rng), folder };
}

/** The config's `dataset.idx` section, resolved. */
export interface IdxSpec {
  /** Folder holding the files (relative to the config's folder). */
  dir: string;
  /** File name prefix of the training files (`train` -> train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz]). */
  train: string;
  /** Prefix of the test files, or false for none. */
  test: string | false;
  /** Classes; undefined: the largest training label + 1. */
  classes?: number;
}

/** The largest label of a set, + 1. */
function labelRange(set: ImageSet): number {
  let max = 0;
  for (const l of set.labels) if (l > max) max = l;
  return max + 1;
}

/** Any IDX folder: its training files (subsampled to n) and its test files when it has them. */
export function idxFolder(spec: IdxSpec, p: ImageParams, rng: DataRng, baseDir: string): FolderTables {
  const folder = resolve(baseDir, spec.dir);
  if (!existsSync(folder)) throw new UserError(`dataset.idx.dir: no such folder ${folder}`);
  const train = readIdxImages(folder, spec.train, spec.classes);
  const test = spec.test === false ? undefined : readIdxImages(folder, spec.test, spec.classes);
  const classes = spec.classes ?? labelRange(train);
  if (classes < 2) throw new UserError(`${train.files[1]}: every label is 0; classification needs at least 2 classes`);
  if (test && spec.classes === undefined) {
    const over = test.labels.findIndex((l) => l >= classes);
    if (over >= 0)
      throw new UserError(
        `${test.files[1]}: label ${test.labels[over]} at item ${over} (counting from 0) is above the training labels' largest, ${classes - 1} (${train.files[1]}); ` +
          `set dataset.idx.classes if the training files lack a class`,
      );
  }
  const classLabels = Array.from({ length: classes }, (_, k) => String(k));
  return { ...imageTables(train, test, { n: p.n, pool: p.pool ?? 1, classes, classLabels }, rng), folder };
}

/** Display name of an IDX folder when the config gives none: the folder's own name. */
export function idxDefaultName(spec: Pick<IdxSpec, "dir">): string {
  return basename(resolve(spec.dir)) || "idx";
}
