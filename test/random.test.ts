// The seeded streams: deterministic, and no degenerate start for small seeds
// (raw xoroshiro128+ seeded with 0, 1, 2, ... starts every stream near 1.0).
import { describe, expect, it } from "vitest";
import { normal, seededRng, uniform01 } from "../src/random.js";
import { runStreams } from "../src/nn/index.js";

describe("seeded random streams", () => {
  it("are deterministic per (seed, purpose) and differ across purposes", () => {
    const draw = (seed: number, purpose: number) => {
      const r = seededRng(seed, purpose);
      return Array.from({ length: 5 }, () => uniform01(r));
    };
    expect(draw(7, 1)).toEqual(draw(7, 1));
    expect(draw(7, 1)).not.toEqual(draw(7, 2));
    expect(draw(7, 1)).not.toEqual(draw(8, 1));
  });

  it("start unrelated for neighbouring small seeds: first draws look uniform", () => {
    const first = Array.from({ length: 64 }, (_, seed) => uniform01(runStreams(seed).init));
    const mean = first.reduce((a, b) => a + b, 0) / first.length;
    // Uniform(0, 1): mean 0.5, sd of the mean 0.036; a 5-sigma band.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.18);
    expect(first.filter((u) => u > 0.99).length).toBeLessThanOrEqual(3);
    // And the first normal (the first weight of every network) is not an outlier for each seed.
    const z = Array.from({ length: 64 }, (_, seed) => normal(runStreams(seed).init));
    expect(z.filter((v) => Math.abs(v) > 3).length).toBeLessThanOrEqual(2);
  });

  it("refuses purpose 0 (with seed 0 it would hash to the degenerate seed)", () => {
    expect(() => seededRng(0, 0)).toThrow(/purpose/);
  });
});
