import { describe, expect, it } from "vitest";
import { loadDataset } from "../../src/data/index.js";
import type { Dataset, DatasetSpec } from "../../src/data/index.js";
import { DataRng } from "../../src/data/random.js";

/** All rows in one split, unscaled, so the generator's raw output can be checked. */
function raw(spec: DatasetSpec): Dataset {
  return loadDataset({ ...spec, split: { val: 0 }, scaling: "none" });
}

function bytes(d: Dataset): Buffer {
  const parts = [d.train, d.val, d.test].filter((s) => s !== undefined);
  return Buffer.concat(parts.flatMap((s) => [Buffer.from(s.x.buffer, s.x.byteOffset, s.x.byteLength), Buffer.from(s.y.buffer, s.y.byteOffset, s.y.byteLength)]));
}

function counts(y: Float32Array, k: number): number[] {
  const c = new Array<number>(k).fill(0);
  for (const v of y) c[v]++;
  return c;
}

const names = ["xor", "moons", "circles", "spirals", "blobs", "checkerboard", "sine", "friedman1"];

describe("synthetic datasets", () => {
  it.each(names)("%s: same seed gives the same bytes, another seed other bytes", (name) => {
    const a = bytes(loadDataset({ name, seed: 7, noise: 0.1 }));
    const b = bytes(loadDataset({ name, seed: 7, noise: 0.1 }));
    const c = bytes(loadDataset({ name, seed: 8, noise: 0.1 }));
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });

  it("the data seed defaults to a fixed value", () => {
    expect(bytes(loadDataset({ name: "moons" })).equals(bytes(loadDataset({ name: "moons", seed: 0 })))).toBe(true);
  });

  it.each([
    [{ name: "xor", n: 300 }, 300, 2, 2],
    [{ name: "moons", n: 301 }, 301, 2, 2],
    [{ name: "circles", n: 200 }, 200, 2, 2],
    [{ name: "spirals", n: 300, arms: 3 }, 300, 2, 3],
    [{ name: "blobs", n: 400, classes: 4, dims: 5 }, 400, 5, 4],
    [{ name: "checkerboard", n: 500 }, 500, 2, 2],
  ] as const)("%o has %i rows, %i features, %i classes, balanced", (spec, n, features, classes) => {
    const d = raw(spec);
    expect(d.task).toBe("classification");
    expect(d.train.n).toBe(n);
    expect(d.train.x.length).toBe(n * features);
    expect(d.train.y.length).toBe(n);
    expect(d.features).toBe(features);
    expect(d.classes).toBe(classes);
    expect(d.outputs).toBe(classes);
    const c = counts(d.train.y, classes);
    // The generators that assign classes by construction are balanced to one row;
    // xor and checkerboard draw points uniformly, so their balance is binomial (4 sd).
    const tol = spec.name === "xor" || spec.name === "checkerboard" ? 4 * Math.sqrt(n / 4) : 1;
    for (const k of c) expect(Math.abs(k - n / classes)).toBeLessThanOrEqual(tol);
  });

  it("moons without noise: points lie on sklearn's two half circles", () => {
    const d = raw({ name: "moons", n: 200, noise: 0 });
    for (let i = 0; i < d.train.n; i++) {
      const [x, y] = [d.train.x[2 * i], d.train.x[2 * i + 1]];
      if (d.train.y[i] === 0) {
        expect(Math.hypot(x, y)).toBeCloseTo(1, 5);
        expect(y).toBeGreaterThanOrEqual(-1e-6);
      } else {
        expect(Math.hypot(x - 1, y - 0.5)).toBeCloseTo(1, 5);
        expect(y).toBeLessThanOrEqual(0.5 + 1e-6);
      }
    }
  });

  it("circles without noise: radius 1 for class 0, factor for class 1", () => {
    const d = raw({ name: "circles", n: 100, noise: 0, factor: 0.3 });
    for (let i = 0; i < d.train.n; i++)
      expect(Math.hypot(d.train.x[2 * i], d.train.x[2 * i + 1])).toBeCloseTo(d.train.y[i] === 0 ? 1 : 0.3, 5);
  });

  it("spirals without noise: angle = 2 pi (turns r + arm / arms) for radius r", () => {
    const d = raw({ name: "spirals", n: 300, noise: 0, arms: 3, turns: 2 });
    for (let i = 0; i < d.train.n; i++) {
      const [x, y] = [d.train.x[2 * i], d.train.x[2 * i + 1]];
      const r = Math.hypot(x, y);
      if (r < 1e-3) continue;
      const expected = 2 * Math.PI * (2 * r + d.train.y[i] / 3);
      const diff = Math.atan2(y, x) - expected;
      // same direction: the difference is a whole number of turns
      expect(Math.abs(Math.sin(diff))).toBeLessThan(1e-4);
      expect(Math.cos(diff)).toBeGreaterThan(0.9999);
    }
  });

  it("checkerboard without noise: class is the parity of the cell", () => {
    const cells = 3;
    const d = raw({ name: "checkerboard", n: 500, noise: 0, cells });
    for (let i = 0; i < d.train.n; i++) {
      const [x, y] = [d.train.x[2 * i], d.train.x[2 * i + 1]];
      expect(Math.abs(x)).toBeLessThanOrEqual(1);
      const cx = Math.floor(((x + 1) / 2) * cells);
      const cy = Math.floor(((y + 1) / 2) * cells);
      expect(d.train.y[i]).toBe((cx + cy) % 2);
    }
  });

  it("xor without noise: class 1 exactly where the coordinates differ in sign", () => {
    const d = raw({ name: "xor", n: 300, noise: 0 });
    for (let i = 0; i < d.train.n; i++) expect(d.train.y[i]).toBe(d.train.x[2 * i] * d.train.x[2 * i + 1] < 0 ? 1 : 0);
  });

  it("blobs: each cluster has standard deviation `noise` around its centre", () => {
    const d = raw({ name: "blobs", n: 6000, classes: 3, dims: 2, noise: 0.5 });
    for (let c = 0; c < 3; c++) {
      const rows = [...Array(d.train.n).keys()].filter((i) => d.train.y[i] === c);
      for (let j = 0; j < 2; j++) {
        const v = rows.map((i) => d.train.x[2 * i + j]);
        const mean = v.reduce((a, b) => a + b, 0) / v.length;
        const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
        expect(Math.abs(sd - 0.5)).toBeLessThan(0.05);
        expect(Math.abs(mean)).toBeLessThanOrEqual(5 + 0.1);
      }
    }
  });

  it("sine without noise: y = sin(x), x in [-2 pi, 2 pi)", () => {
    const d = raw({ name: "sine", n: 200, noise: 0 });
    expect(d.task).toBe("regression");
    expect(d.features).toBe(1);
    expect(d.outputs).toBe(1);
    for (let i = 0; i < d.train.n; i++) {
      const x = d.train.x[i];
      expect(Math.abs(x)).toBeLessThanOrEqual(2 * Math.PI);
      expect(d.train.y[i]).toBeCloseTo(Math.sin(x), 5);
    }
  });

  it("friedman1 without noise follows sklearn's make_friedman1 formula", () => {
    const d = raw({ name: "friedman1", n: 200, noise: 0, dims: 7 });
    expect(d.features).toBe(7);
    for (let i = 0; i < d.train.n; i++) {
      const x = Array.from(d.train.x.subarray(i * 7, i * 7 + 7));
      for (const v of x) expect(v >= 0 && v < 1).toBe(true);
      const y = 10 * Math.sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) ** 2 + 10 * x[3] + 5 * x[4];
      expect(d.train.y[i]).toBeCloseTo(y, 4);
    }
  });

  it("regression noise has the requested standard deviation", () => {
    const noisy = raw({ name: "friedman1", n: 5000, noise: 2 });
    // Residuals against the formula computed from the returned features.
    let ss = 0;
    for (let i = 0; i < noisy.train.n; i++) {
      const x = noisy.train.x.subarray(i * 10, i * 10 + 10);
      const y = 10 * Math.sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) ** 2 + 10 * x[3] + 5 * x[4];
      ss += (noisy.train.y[i] - y) ** 2;
    }
    expect(Math.sqrt(ss / noisy.train.n)).toBeGreaterThan(1.9);
    expect(Math.sqrt(ss / noisy.train.n)).toBeLessThan(2.1);
  });
});

describe("DataRng", () => {
  it("normal draws (Box-Muller) have mean 0, variance 1 and normal tails", () => {
    const r = new DataRng(123, 1);
    const n = 100_000;
    let s = 0;
    let ss = 0;
    let beyond2 = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      ss += z * z;
      if (Math.abs(z) > 2) beyond2++;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.02);
    expect(Math.abs(ss / n - 1)).toBeLessThan(0.02);
    // P(|Z| > 2) = 0.0455 for a standard normal
    expect(Math.abs(beyond2 / n - 0.0455)).toBeLessThan(0.004);
  });

  it("permutation is a permutation", () => {
    const p = new DataRng(5, 3).permutation(1000);
    expect([...p].sort((a, b) => a - b)).toEqual([...Array(1000).keys()]);
  });
});
