import { describe, expect, it } from "vitest";
import { loadDataset } from "../../src/data/index.js";
import type { Split } from "../../src/data/index.js";

function rowKeys(s: Split | undefined, d: number): string[] {
  if (!s) return [];
  return [...Array(s.n).keys()].map((i) => Array.from(s.x.subarray(i * d, (i + 1) * d)).join(",") + "|" + s.y[i]);
}

function counts(s: Split, k: number): number[] {
  const c = new Array<number>(k).fill(0);
  for (const v of s.y) c[v]++;
  return c;
}

describe("splits", () => {
  it("have the requested sizes, do not overlap and together hold every row", () => {
    const whole = loadDataset({ name: "friedman1", n: 1000, split: { val: 0 }, scaling: "none" });
    const d = loadDataset({ name: "friedman1", n: 1000, split: { val: 0.15, test: 0.25 }, scaling: "none" });
    expect(d.val!.n).toBe(150);
    expect(d.test!.n).toBe(250);
    expect(d.train.n).toBe(600);
    const parts = [rowKeys(d.train, 10), rowKeys(d.val, 10), rowKeys(d.test, 10)];
    const all = parts.flat();
    expect(new Set(all).size).toBe(1000);
    expect(all.sort()).toEqual(rowKeys(whole.train, 10).sort());
  });

  it("are stratified for classification by default: every split keeps each class's share", () => {
    // spirals with 3 arms at n = 900: 300 per class
    const d = loadDataset({ name: "spirals", n: 900, arms: 3, split: { val: 0.2, test: 0.1 } });
    expect(counts(d.val!, 3)).toEqual([60, 60, 60]);
    expect(counts(d.test!, 3)).toEqual([30, 30, 30]);
    expect(counts(d.train, 3)).toEqual([210, 210, 210]);
  });

  it("stratify: false draws the held-out rows without regard to class", () => {
    const strat = [];
    for (let seed = 0; seed < 5; seed++) {
      const d = loadDataset({ name: "spirals", n: 900, arms: 3, seed, split: { val: 0.2, stratify: false } });
      expect(d.val!.n).toBe(180);
      strat.push(counts(d.val!, 3).every((c) => c === 60));
    }
    // Exactly balanced by chance in all five seeds would be very unlikely.
    expect(strat.every(Boolean)).toBe(false);
  });

  it("stratified splits of uneven classes round by largest remainder and sum exactly", () => {
    const d = loadDataset({ name: "mnist", n: 997, split: { val: 0.3, test: 0.1 } });
    expect(d.val!.n).toBe(299);
    expect(d.test!.n).toBe(100);
    expect(d.train.n).toBe(598);
    const total = counts(d.train, 10).map((c, k) => c + counts(d.val!, 10)[k] + counts(d.test!, 10)[k]);
    counts(d.val!, 10).forEach((c, k) => expect(Math.abs(c - 0.3 * total[k])).toBeLessThan(1 + 1e-9));
  });

  it("the training split comes shuffled, not grouped by class", () => {
    const d = loadDataset({ name: "mnist", n: 500 });
    const first = Array.from(d.train.y.subarray(0, 50));
    expect(new Set(first).size).toBeGreaterThan(5);
  });

  it("depend on the data seed only, not on anything else in the spec", () => {
    const a = loadDataset({ name: "iris", seed: 1 });
    const b = loadDataset({ name: "iris", seed: 1, scaling: "none" });
    expect(Array.from(a.val!.y)).toEqual(Array.from(b.val!.y));
    const c = loadDataset({ name: "iris", seed: 2 });
    expect(Array.from(a.val!.y)).not.toEqual(Array.from(c.val!.y));
  });

  it("a fraction that rounds to no row is an error", () => {
    expect(() => loadDataset({ name: "iris", split: { val: 0.001 } })).toThrow(/split.val = 0.001 of 150 rows rounds to no row/);
  });
});
