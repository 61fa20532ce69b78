/**
 * Statistics against published values, never against what the code printed:
 *  - Student's t critical values: any printed t table (e.g. NIST/SEMATECH
 *    e-Handbook of Statistical Methods, section 1.3.6.7.2).
 *  - Sign-flip permutation test: Fisher (1935), The Design of Experiments,
 *    section 21, Darwin's Zea mays data: of the 2^15 = 32768 sign patterns,
 *    863 give a sum at least the observed one, two-sided 1726/32768 = 0.05267;
 *    small cases enumerated by hand in the comments, and every case checked
 *    against a plain recursive enumeration written here (not the Gray-code
 *    walk of the code under test).
 *  - Holm (1979): step-down by hand from the definition (worked in the comment).
 */
import { describe, expect, it } from "vitest";
import { summarize, tCritical, signFlipTest, pairsNeeded, holm, geometricMean } from "../../src/report/stats.js";
import { bruteSignFlip } from "./sign-flip-reference.js";

describe("t critical values (two-sided 95%) match a printed t table", () => {
  const table: Array<[number, number]> = [[1, 12.706], [2, 4.303], [4, 2.776], [9, 2.262], [29, 2.045]];
  for (const [df, t] of table)
    it(`df = ${df}: ${t}`, () => expect(tCritical(df)).toBeCloseTo(t, 3));
});

describe("summarize", () => {
  it("gives mean, sample sd and t-based CI (n = 3, t = 4.303)", () => {
    // values 0.8, 0.9, 1.0: mean 0.9, sd 0.1, half-width 4.303 * 0.1 / sqrt(3) = 0.24843
    const s = summarize([0.8, 0.9, 1.0, NaN]);
    expect(s.n).toBe(3);
    expect(s.mean).toBeCloseTo(0.9, 12);
    expect(s.std).toBeCloseTo(0.1, 12);
    expect(s.ciLow).toBeCloseTo(0.9 - 0.24843, 4);
    expect(s.ciHigh).toBeCloseTo(0.9 + 0.24843, 4);
  });
  it("clips a fraction's CI to its range", () => {
    // 0.98, 1.0, 1.0: mean 0.99333, sd 0.011547, half-width 4.303 * 0.011547 / sqrt(3) = 0.028686
    const s = summarize([0.98, 1, 1], [0, 1]);
    expect(s.ciLow).toBeCloseTo(0.993333 - 0.028686, 5);
    expect(s.ciHigh).toBe(1);
  });
  it("gives sd 0 and a zero-width CI for equal values, not float noise", () => {
    // 0.885 three times: sampleStandardDeviation gives about 1.4e-16.
    const s = summarize([0.885, 0.885, 0.885]);
    expect(s.std).toBe(0);
    expect([s.ciLow, s.ciHigh]).toEqual([0.885, 0.885]);
  });
  it("keeps a non-negative quantity's CI above 0", () => {
    // 0.1, 0.1, 2.0: mean 0.7333, sd 1.0970, half-width 4.303 * 1.0970 / sqrt(3) = 2.7253 -> lower end clipped
    const s = summarize([0.1, 0.1, 2.0], [0, Infinity]);
    expect(s.ciLow).toBe(0);
    expect(s.ciHigh).toBeCloseTo(0.733333 + 2.7253, 3);
  });
  it("has no sd or CI for one value, and nothing for none", () => {
    const one = summarize([0.7]);
    expect(one.mean).toBe(0.7);
    expect(one.std).toBeNaN();
    expect(one.ciLow).toBeNaN();
    expect(summarize([]).mean).toBeNaN();
  });
  it("geometric mean of 1, 10, 100 is 10", () => expect(geometricMean([1, 10, 100, NaN])).toBeCloseTo(10, 10));
});


describe("exact paired sign-flip test", () => {
  it("gives Fisher's p for Darwin's Zea mays data (1726 / 32768)", () => {
    const darwin = [49, -67, 8, 16, 6, 23, 28, 41, 14, 29, 56, 24, 75, 60, -48];
    const r = signFlipTest(darwin);
    expect(r.exact).toBe(true);
    expect(r.p).toBe(1726 / 32768);
    expect(r.meanDiff).toBeCloseTo(20.933333, 5);
    expect(r.minP).toBe(2 / 32768);
  });
  it("small cases by hand: {1,2,3} all positive p = 2/8, {1,-2,3} p = 6/8", () => {
    // |±1 ±2 ±3| over the 8 patterns: 6, 4, 2, 0, 0, 2, 4, 6.
    expect(signFlipTest([1, 2, 3]).p).toBe(0.25);
    expect(signFlipTest([1, -2, 3]).p).toBe(0.75);
  });
  it("equal differences (zero variance) give 2/2^n, never p = 0", () => {
    // A 200-row validation set moves accuracy in steps of 0.005; three seeds all 0.005 apart.
    expect(signFlipTest([0.005, 0.005, 0.005]).p).toBe(0.25);
    expect(signFlipTest(Array(6).fill(0.005)).p).toBe(2 / 64);
  });
  it("float sums equal in exact arithmetic count as reaching the observed one", () => {
    // 0.1 + 0.2 != 0.3 in binary; patterns (+,+,-) and (-,-,+) reach |0| like the observed.
    expect(signFlipTest([0.1, 0.2, -0.3]).p).toBe(1);
    expect(signFlipTest([0.1, 0.2, -0.3]).p).toBe(bruteSignFlip([1, 2, -3]));
  });
  it("zeros carry no sign: p and the smallest possible p count the nonzero differences", () => {
    const r = signFlipTest([0, 0, 0.01, 0.02, 0.03]);
    expect(r.p).toBe(0.25);
    expect(r.minP).toBe(0.25);
    expect(signFlipTest([0, 0, 0]).p).toBe(1);
    expect(signFlipTest([]).p).toBe(1);
  });
  it("agrees with plain enumeration on varied samples", () => {
    const samples = [[0.3, -0.1, 0.25, 0.05, 0.4, -0.2, 0.15], [1, 1, 2, 3, 5, 8, 13, -21], [0.02, 0.015, -0.005, 0.01, 0.0, 0.03]];
    for (const d of samples) expect(signFlipTest(d).p).toBeCloseTo(bruteSignFlip(d), 12);
  });
  it("samples sign patterns above 20 pairs, close to the exact answer", () => {
    // 24 differences of +1 and one of -1, observed sum 23. Flipping k of the ones and the -1 or
    // not gives 23 - 2k (+ 2): |sum| >= 23 for 3 patterns and their 3 mirror images, so the exact
    // p is 6 / 2^25 = 1.8e-7; 200,000 draws see none and give 1 / 200,001.
    const d = [...Array(24).fill(1), -1];
    const r = signFlipTest(d);
    expect(r.exact).toBe(false);
    expect(r.p).toBeLessThan(1e-4);
    const d2 = [...Array(11).fill(1), ...Array(11).fill(-1), 0.5];
    // Balanced but for 0.5: every pattern's |sum| is at least 0.5, so p = 1 (to within the draws).
    expect(signFlipTest(d2).p).toBeGreaterThan(0.99);
  });
});

describe("seeds needed to show a difference after Holm", () => {
  it("1 comparison needs 6 seeds (2/2^6 < 0.05 <= 2/2^5); 18 need 10", () => {
    expect(pairsNeeded(1, 0.05)).toBe(6);
    expect(pairsNeeded(18, 0.05)).toBe(10); // 18 * 2/2^10 = 0.035; 18 * 2/2^9 = 0.070
    expect(pairsNeeded(4, 0.05)).toBe(8); // 4 * 2/2^8 = 0.031; 4 * 2/2^7 = 0.0625
  });
});

describe("Holm correction", () => {
  it("matches the step-down by hand", () => {
    // sorted: 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 = 0.04 -> max(0.06, 0.04) = 0.06
    expect(holm([0.01, 0.04, 0.03, 0.005])).toEqual([0.03, 0.06, 0.06, 0.02].map((v) => expect.closeTo(v, 12)));
  });
  it("leaves tests that could not run out of the family", () => {
    const r = holm([0.01, NaN, 0.04]);
    expect(r[0]).toBeCloseTo(0.02, 12);
    expect(r[1]).toBeNaN();
    expect(r[2]).toBeCloseTo(0.04, 12);
  });
});
