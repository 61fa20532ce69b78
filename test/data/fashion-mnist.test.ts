/**
 * The real Fashion-MNIST files of Debian's dataset-fashion-mnist package,
 * checked against an independent parse of them here (zlib and the IDX header
 * read by hand). Skipped, saying so, where the package is not installed
 * (.ci/run installs it; README says how).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { loadDataset } from "../../src/data/index.js";

const DIR = "/usr/share/datasets/fashion-mnist";
const present = existsSync(join(DIR, "train-images-idx3-ubyte.gz"));
const why = present ? "" : ` [SKIPPED: ${DIR} is absent; apt-get install dataset-fashion-mnist]`;

/** Header dimensions and bytes of an IDX file, parsed here without src/data. */
function parse(name: string): { dims: number[]; data: Buffer } {
  const b = gunzipSync(readFileSync(join(DIR, name)));
  const nd = b[3];
  const dims = Array.from({ length: nd }, (_, k) => b.readUInt32BE(4 + 4 * k));
  return { dims, data: b.subarray(4 + 4 * nd) };
}

describe.skipIf(!present)(`Debian's Fashion-MNIST files${why}`, () => {
  it("load whole: 60,000 training images (12,000 of them validation), the 10,000 test images in file order, 6,000 / 1,000 per class", () => {
    const d = loadDataset({ name: "fashion-mnist" });
    expect([d.train.n, d.val!.n, d.test!.n]).toEqual([48000, 12000, 10000]);
    expect(d.features).toBe(784);
    const counts = (y: Float32Array) => y.reduce((c, v) => (c[v]++, c), new Array<number>(10).fill(0));
    const trainVal = counts(d.train.y).map((c, k) => c + counts(d.val!.y)[k]);
    expect(trainVal).toEqual(new Array(10).fill(6000)); // Fashion-MNIST is balanced (its README)
    expect(counts(d.val!.y)).toEqual(new Array(10).fill(1200)); // the stratified split keeps that
    const images = parse("t10k-images-idx3-ubyte.gz");
    const labels = parse("t10k-labels-idx1-ubyte.gz");
    expect(images.dims).toEqual([10000, 28, 28]);
    expect(Array.from(d.test!.y)).toEqual(Array.from(labels.data));
    for (const i of [0, 1234, 9999]) for (let j = 0; j < 784; j += 13) expect(d.test!.x[i * 784 + j]).toBe(Math.fround(images.data[i * 784 + j] / 255));
  });

  it("subsamples n training images stratified by class, each one of the file's images with its label", () => {
    const d = loadDataset({ name: "fashion-mnist", n: 1000, pool: 2, split: { val: 0 } });
    expect(d.train.n).toBe(1000);
    expect(d.features).toBe(196);
    expect(d.train.y.reduce((c, v) => (c[v]++, c), new Array<number>(10).fill(0))).toEqual(new Array(10).fill(100));
    expect(d.test!.n).toBe(10000);
  });
});
