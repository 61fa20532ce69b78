import { appendFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDataset } from "../../src/data/index.js";
import { errorOf, cifarRecord, tmpFolder, writeCifar } from "./image-files.js";


/** Value of channel c of pixel j of image i in writeCifar's files, as the model sees it. */
const value = (i: number, c: number, j: number) => ((i + 3 * j + 101 * c) % 256) / 255;

describe("CIFAR-10 binary batches", () => {
  it("reads data_batch_1..5 as the training images and test_batch as the test split, planes red, green, blue", () => {
    const dir = tmpFolder();
    writeCifar(dir, 4, 3);
    const d = loadDataset({ name: "cifar10", dir, n: 20, split: { val: 0 } });
    expect(d.features).toBe(3072);
    expect(d.classes).toBe(10);
    expect(d.classLabels).toEqual(["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]);
    expect(d.train.n).toBe(20);
    // Training rows come shuffled: find each by its label pattern (image i has label i mod 10, and
    // channel 0 of pixel 0 is i / 255, so the row tells which image it is).
    const seen = new Set<number>();
    for (let r = 0; r < 20; r++) {
      const i = Math.round(d.train.x[r * 3072] * 255);
      seen.add(i);
      expect(d.train.y[r]).toBe(i % 10);
      for (const [c, j] of [[0, 5], [1, 0], [2, 1023]]) expect(d.train.x[r * 3072 + c * 1024 + j]).toBe(Math.fround(value(i, c, j)));
    }
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(d.test!.n).toBe(3);
    expect(Array.from(d.test!.y)).toEqual([0, 3, 6]);
    expect(d.test!.x[2 * 3072 + 1024 + 7]).toBe(Math.fround(value(1002, 1, 7)));
  });

  it("pools each colour plane on its own (hand computed)", () => {
    const dir = tmpFolder();
    writeCifar(dir, 2, 1);
    const d = loadDataset({ name: "cifar10", dir, n: 10, pool: 2, split: { val: 0 } });
    expect(d.features).toBe(768);
    // Test image 0 (i = 1000), green plane, pooled pixel (0, 1): source pixels (0, 2), (0, 3), (1, 2), (1, 3).
    const mean = ([2, 3, 34, 35].reduce((a, j) => a + ((1000 + 3 * j + 101) % 256), 0) / 4) / 255;
    expect(d.test!.x[256 + 1]).toBe(Math.fround(mean));
    expect(errorOf(() => loadDataset({ name: "cifar10", dir, pool: 3 }))).toMatch(/pool must divide 32 \(1, 2, 4, 8, 16, 32\), found 3/);
  });

  it("refuses a cut record, a label beyond 9 and missing files, naming the file", () => {
    const dir = tmpFolder();
    writeCifar(dir, 2, 1);
    const batch3 = join(dir, "data_batch_3.bin");
    appendFileSync(batch3, Buffer.from([1, 2, 3]));
    expect(errorOf(() => loadDataset({ name: "cifar10", dir, n: 10 }))).toBe(
      `${batch3}: 6,149 bytes is not a whole number of CIFAR-10 records (3,073 bytes each: a label and 32 x 32 x 3 pixels); a truncated file, or CIFAR-100 / the Python version?`,
    );
    writeFileSync(batch3, Buffer.concat([cifarRecord(0, 1), cifarRecord(1, 10)]));
    expect(errorOf(() => loadDataset({ name: "cifar10", dir, n: 10 }))).toBe(`${batch3}: label 10 at record 1 (counting from 0) is outside 0..9; expected 10 classes`);
    rmSync(join(dir, "test_batch.bin"));
    expect(errorOf(() => loadDataset({ name: "cifar10", dir, n: 10 }))).toMatch(/CIFAR-10 files missing: test_batch.bin/);
    expect(errorOf(() => loadDataset({ name: "cifar10", n: 10 }))).toMatch(/dataset "cifar10": its files are not found; looked in: no folder: neither dataset.dir nor ACTBENCH_CIFAR10_DIR names one\. Download/);
    expect(readFileSync(batch3).length).toBe(2 * 3073); // nothing written to the user's folder
  });
});
