import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { loadDataset, type DatasetSpec } from "../../src/data/index.js";
import { readIdx } from "../../src/data/idx.js";
import { runCli, writeConfig } from "../harness/helpers.js";
import { errorOf, idxBytes, imageData, labelsWithCounts, pixel, tmpFolder, writeIdxPair } from "./image-files.js";


/** Index of the image a row came from: pixel 0 of image i is 31 i mod 256, distinct for i < 256. */
function imageIndex(x: Float32Array, row: number, features: number): number {
  const byte = Math.round(x[row * features] * 255);
  for (let i = 0; i < 256; i++) if (pixel(i, 0) === byte) return i;
  throw new Error(`row ${row} is no image of the set`);
}

/** A folder with 30 training images of 4 x 4 (classes 0, 1, 2: 15, 9, 6 of them) and 6 test images. */
function smallSet(gz = false) {
  const dir = tmpFolder();
  const train = { n: 30, h: 4, w: 4, labels: labelsWithCounts([15, 9, 6]) };
  const test = { n: 6, h: 4, w: 4, labels: [2, 0, 1, 1, 0, 2] };
  writeIdxPair(dir, "train", train, gz);
  writeIdxPair(dir, "t10k", test, gz);
  return { dir, train, test };
}

describe("IDX files", () => {
  it("reads a file, gzipped or not, as its header's dimensions and its bytes", () => {
    const dir = tmpFolder();
    const bytes = idxBytes([3, 2, 5], imageData({ n: 3, h: 2, w: 5, labels: [] }));
    writeFileSync(join(dir, "a"), bytes);
    writeFileSync(join(dir, "a.gz"), gzipSync(bytes));
    for (const f of ["a", "a.gz"]) {
      const a = readIdx(join(dir, f), 3);
      expect(a.dims).toEqual([3, 2, 5]);
      expect(Array.from(a.data)).toEqual(imageData({ n: 3, h: 2, w: 5, labels: [] }));
    }
  });

  it("refuses wrong magic numbers, element types, dimensions, truncated and over-long files, naming the file", () => {
    const dir = tmpFolder();
    const good = idxBytes([3, 2, 2], new Array(12).fill(7));
    const cases: Array<[string, Buffer, 1 | 3, RegExp]> = [
      ["png", Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), good.subarray(4)]), 3, /not an IDX file: it starts with 0x89504e47, expected an image file/],
      ["float", idxBytes([3, 2, 2], new Array(48).fill(0), 0x0d), 3, /element type 0x0d \(float32\) is not supported; expected 0x08/],
      ["labels-as-images", idxBytes([12], new Array(12).fill(1)), 3, /IDX array of 1 dimension\(s\) \(magic 0x00000801\); expected an image file/],
      ["images-as-labels", good, 1, /IDX array of 3 dimension\(s\) \(magic 0x00000803\); expected a?n? ?label file/],
      ["truncated", good.subarray(0, good.length - 5), 3, /truncated: its header says 3 x 2 x 2 = 12 bytes of data, the file holds 7/],
      ["header-cut", good.subarray(0, 9), 3, /truncated: 9 bytes, shorter than the 16-byte header/],
      ["long", Buffer.concat([good, Buffer.from([1, 2])]), 3, /2 bytes past the end of the data its header describes \(3 x 2 x 2 = 12 bytes\)/],
      ["tiny", Buffer.from([0, 0]), 3, /2 bytes is too short for an IDX header/],
      ["bad.gz", gzipSync(good).subarray(0, 20), 3, /not a valid gzip file .*truncated download/],
    ];
    for (const [name, bytes, ndims, message] of cases) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const m = errorOf(() => readIdx(path, ndims));
      expect(m, name).toMatch(message);
      expect(m.startsWith(`${path}: `), name).toBe(true);
    }
  });

  it("loads a folder as a dataset: training files split into train and validation, test files as the test split, pixels / 255", () => {
    for (const gz of [false, true]) {
      const { dir, train, test } = smallSet(gz);
      const d = loadDataset({ idx: { dir }, split: { val: 0.2 } });
      expect(d.name).toBe(dir.split("/").pop());
      expect(d.classes).toBe(3);
      expect(d.features).toBe(16);
      expect(d.classLabels).toEqual(["0", "1", "2"]);
      expect(d.train.n + d.val!.n).toBe(30);
      expect(d.val!.n).toBe(6);
      // Every training and validation row is one of the training images, with its label, each once.
      const seen = new Set<number>();
      for (const s of [d.train, d.val!])
        for (let r = 0; r < s.n; r++) {
          const i = imageIndex(s.x, r, 16);
          seen.add(i);
          expect(s.y[r]).toBe(train.labels[i]);
          for (let j = 0; j < 16; j++) expect(s.x[r * 16 + j]).toBe(Math.fround(pixel(i, j) / 255));
        }
      expect(seen.size).toBe(30);
      // The test split is the test files, whole and in file order.
      expect(d.test!.n).toBe(6);
      expect(Array.from(d.test!.y)).toEqual(test.labels);
      for (let i = 0; i < 6; i++) for (let j = 0; j < 16; j++) expect(d.test!.x[i * 16 + j]).toBe(Math.fround(pixel(i, j) / 255));
    }
  });

  it("subsamples n training images, stratified by class (largest remainder) and seeded; the test files stay whole", () => {
    const { dir, train } = smallSet();
    const spec = (seed: number): DatasetSpec => ({ idx: { dir }, n: 10, seed, split: { val: 0 } });
    const d = loadDataset(spec(0));
    expect(d.train.n).toBe(10);
    expect(d.test!.n).toBe(6);
    // 10 of 15 : 9 : 6 is exactly 5 : 3 : 2.
    const counts = [0, 0, 0];
    const picked = new Set<number>();
    for (let r = 0; r < 10; r++) {
      const i = imageIndex(d.train.x, r, 16);
      picked.add(i);
      expect(d.train.y[r]).toBe(train.labels[i]);
      counts[d.train.y[r]]++;
    }
    expect(counts).toEqual([5, 3, 2]);
    expect(picked.size).toBe(10);
    expect(Array.from(loadDataset(spec(0)).train.x)).toEqual(Array.from(d.train.x));
    const other = new Set(Array.from({ length: 10 }, (_, r) => imageIndex(loadDataset(spec(1)).train.x, r, 16)));
    expect(other).not.toEqual(picked);
  });

  it("pools pool x pool blocks into their mean (hand computed)", () => {
    const { dir } = smallSet();
    const d = loadDataset({ idx: { dir }, pool: 2, split: { val: 0 } });
    expect(d.features).toBe(4);
    // Test image 0, block (1, 0): pixels (2, 0), (2, 1), (3, 0), (3, 1), i.e. j = 8, 9, 12, 13.
    const mean = (pixel(0, 8) + pixel(0, 9) + pixel(0, 12) + pixel(0, 13)) / 4 / 255;
    expect(d.test!.x[2]).toBe(Math.fround(mean));
    expect(errorOf(() => loadDataset({ idx: { dir }, pool: 3 }))).toMatch(/dataset.pool: 3 does not divide the 4 x 4 images of .*train-images-idx3-ubyte/);
  });

  it("checks labels, counts and shapes across the files, naming them", () => {
    const { dir } = smallSet();
    expect(errorOf(() => loadDataset({ idx: { dir }, n: 31 }))).toMatch(/dataset.n: 31 is more than the 30 training images/);
    expect(errorOf(() => loadDataset({ idx: { dir: join(dir, "nope") } }))).toMatch(/dataset.idx.dir: no such folder .*nope/);
    expect(errorOf(() => loadDataset({ idx: { dir, classes: 2 } }))).toMatch(/train-labels-idx1-ubyte: label 2 at item 2 \(counting from 0\) is outside 0..1; expected 2 classes/);
    writeIdxPair(dir, "t10k", { n: 2, h: 4, w: 4, labels: [0, 3] });
    expect(errorOf(() => loadDataset({ idx: { dir } }))).toMatch(/t10k-labels-idx1-ubyte: label 3 at item 1 .* above the training labels' largest, 2 .*set dataset.idx.classes/);
    writeIdxPair(dir, "t10k", { n: 2, h: 5, w: 4, labels: [0, 1] });
    expect(errorOf(() => loadDataset({ idx: { dir } }))).toMatch(/t10k-images-idx3-ubyte: test images of 5 x 4 x 1 do not match the training images' 4 x 4 x 1/);
    writeFileSync(join(dir, "t10k-labels-idx1-ubyte"), idxBytes([3], [0, 1, 2]));
    expect(errorOf(() => loadDataset({ idx: { dir } }))).toMatch(/t10k-labels-idx1-ubyte: 3 labels, but .*t10k-images-idx3-ubyte holds 2 images/);
    expect(errorOf(() => loadDataset({ idx: { dir, test: "test" } }))).toMatch(/no images file for "test" \(looked for test-images-idx3-ubyte, test-images-idx3-ubyte.gz, test-images.idx3-ubyte/);
  });

  it("takes the test split from the files, or carves one with test: false", () => {
    const { dir } = smallSet();
    expect(errorOf(() => loadDataset({ idx: { dir }, split: { test: 0.2 } }))).toMatch(/split.test: idx.test names the test files, so split.test cannot carve another/);
    const d = loadDataset({ idx: { dir, test: false }, split: { val: 0.2, test: 0.2 } });
    expect([d.train.n, d.val!.n, d.test!.n]).toEqual([18, 6, 6]);
    expect(errorOf(() => loadDataset({ idx: { dir }, noise: 1 } as DatasetSpec))).toMatch(/"noise" does not apply to idx files/);
  });

  it("exits with code 2 and the file's problem when `actbench validate` meets a truncated file", async () => {
    const { dir } = smallSet();
    const path = join(dir, "train-images-idx3-ubyte");
    writeFileSync(path, readFileSync(path).subarray(0, 100));
    const config = writeConfig(dir, `name: t\nactivations: [relu]\ndataset: {idx: {dir: .}}\nmodel: {hidden: [4]}\ntrain: {epochs: 1, batchSize: 8, optimizer: {name: sgd, lr: 0.1}}\n`);
    const r = await runCli(["validate", config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path}: truncated: its header says 30 x 4 x 4 = 480 bytes of data, the file holds 84`);
  });
});

describe("fashion-mnist's folder", () => {
  const saved = process.env.ACTBENCH_FASHION_MNIST_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.ACTBENCH_FASHION_MNIST_DIR;
    else process.env.ACTBENCH_FASHION_MNIST_DIR = saved;
  });

  /** A stand-in Fashion-MNIST: 20 training and 10 test images of 28 x 28, gzipped as Debian ships them (n: 20 reads them all). */
  function fakeFashion(): string {
    const dir = tmpFolder();
    writeIdxPair(dir, "train", { n: 20, h: 28, w: 28, labels: labelsWithCounts(new Array(10).fill(2)) }, true);
    writeIdxPair(dir, "t10k", { n: 10, h: 28, w: 28, labels: [9, 8, 7, 6, 5, 4, 3, 2, 1, 0] }, true);
    return dir;
  }

  it("is read from dataset.dir, else from ACTBENCH_FASHION_MNIST_DIR, with its class names and its test set", () => {
    const dir = fakeFashion();
    const d = loadDataset({ name: "fashion-mnist", dir, n: 20, split: { val: 0.5 } });
    expect([d.train.n, d.val!.n, d.test!.n]).toEqual([10, 10, 10]);
    expect(d.classLabels![0]).toBe("T-shirt/top");
    expect(d.classLabels![9]).toBe("Ankle boot");
    expect(Array.from(d.test!.y)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(d.source).toContain(`files: ${dir}`);
    process.env.ACTBENCH_FASHION_MNIST_DIR = dir;
    expect(loadDataset({ name: "fashion-mnist", n: 20, split: { val: 0.5 } }).source).toContain(`files: ${dir}`);
    expect(errorOf(() => loadDataset({ name: "fashion-mnist", dir, split: { test: 0.1 } }))).toMatch(/has its own test set \(10,000 images\), which is its test split; split.test cannot carve another/);
  });

  it("missing: names the folders looked in and the install command", () => {
    const nowhere = join(tmpFolder(), "nowhere");
    const m = errorOf(() => loadDataset({ name: "fashion-mnist", dir: nowhere }));
    expect(m).toContain(`looked in: ${nowhere} (dataset.dir, no such folder)`);
    expect(m).toContain("apt-get install dataset-fashion-mnist");
    process.env.ACTBENCH_FASHION_MNIST_DIR = nowhere;
    expect(errorOf(() => loadDataset({ name: "fashion-mnist" }))).toContain(`looked in: ${nowhere} (ACTBENCH_FASHION_MNIST_DIR, no such folder)`);
  });

  it("an empty folder named explicitly: the reader names the file it lacks", () => {
    expect(errorOf(() => loadDataset({ name: "fashion-mnist", dir: tmpFolder() }))).toMatch(/no images file for "train" \(looked for train-images-idx3-ubyte, train-images-idx3-ubyte.gz/);
  });
});
