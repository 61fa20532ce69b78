import { describe, expect, it } from "vitest";
import { loadDataset } from "../../src/data/index.js";
import type { Split } from "../../src/data/index.js";

function column(s: Split, d: number, j: number): number[] {
  return [...Array(s.n).keys()].map((i) => s.x[i * d + j]);
}
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v: number[]) => Math.sqrt(mean(v.map((x) => (x - mean(v)) ** 2)));

describe("scaling", () => {
  const spec = { name: "friedman1", n: 500, split: { val: 0.2, test: 0.2 } } as const;
  const rawData = loadDataset({ ...spec, scaling: "none" });

  it("standardize: training features get mean 0 and sd 1; val and test use the training statistics", () => {
    const d = loadDataset({ ...spec, scaling: "standardize" });
    for (let j = 0; j < 10; j++) {
      const t = column(d.train, 10, j);
      expect(Math.abs(mean(t))).toBeLessThan(1e-5);
      expect(sd(t)).toBeCloseTo(1, 5);
      // Statistics from the raw training split, computed here.
      const rt = column(rawData.train, 10, j);
      const [m, s] = [mean(rt), sd(rt)];
      const rv = column(rawData.val!, 10, j);
      const v = column(d.val!, 10, j);
      rv.forEach((x, i) => expect(v[i]).toBeCloseTo((x - m) / s, 5));
      const re = column(rawData.test!, 10, j);
      const e = column(d.test!, 10, j);
      re.forEach((x, i) => expect(e[i]).toBeCloseTo((x - m) / s, 5));
    }
    // The held-out splits are not themselves standardized (statistics are not refitted on them).
    const v0 = column(d.val!, 10, 0);
    expect(Math.abs(mean(v0)) + Math.abs(sd(v0) - 1)).toBeGreaterThan(1e-3);
  });

  it("minmax: training features span [0, 1]; val uses the training min and max", () => {
    const d = loadDataset({ ...spec, scaling: "minmax" });
    for (let j = 0; j < 10; j++) {
      const t = column(d.train, 10, j);
      expect(Math.min(...t)).toBeCloseTo(0, 6);
      expect(Math.max(...t)).toBeCloseTo(1, 6);
      const rt = column(rawData.train, 10, j);
      const [lo, hi] = [Math.min(...rt), Math.max(...rt)];
      column(rawData.val!, 10, j).forEach((x, i) => expect(d.val!.x[i * 10 + j]).toBeCloseTo((x - lo) / (hi - lo), 5));
    }
    expect(d.scaling?.method).toBe("minmax");
  });

  it("targets are not scaled", () => {
    const d = loadDataset({ ...spec, scaling: "standardize" });
    expect(Array.from(d.train.y)).toEqual(Array.from(rawData.train.y));
  });

  it("records the fitted scaler so raw data can be mapped later", () => {
    const d = loadDataset({ ...spec, scaling: "standardize" });
    const rt = column(rawData.train, 10, 3);
    expect(d.scaling!.offset[3]).toBeCloseTo(mean(rt), 5);
    expect(d.scaling!.scale[3]).toBeCloseTo(sd(rt), 5);
  });

  it("mnist's constant border pixels stay finite under standardize", () => {
    const d = loadDataset({ name: "mnist", n: 300, scaling: "standardize" });
    expect(d.train.x.every(Number.isFinite)).toBe(true);
    expect(d.val!.x.every(Number.isFinite)).toBe(true);
    // pixel 0 (top-left corner) is blank in every digit: it maps to 0
    expect(column(d.train, 784, 0).every((v) => v === 0)).toBe(true);
  });
});
