/**
 * Statistics against published values, never against what the code printed:
 *  - Student's t critical values: any printed t table (e.g. NIST/SEMATECH
 *    e-Handbook of Statistical Methods, section 1.3.6.7.2).
 *  - Paired t-test: Student's (1908) sleep data, as in R's `t.test(extra ~ group,
 *    data = sleep, paired = TRUE)` documentation example: t = -4.0621, df = 9,
 *    p = 0.002833, mean difference -1.58.
 *  - Wilcoxon signed-rank: Hollander & Wolfe (1973), p. 29, depression scale
 *    data, as in R's `wilcox.test` documentation example: V = 40; the exact
 *    one-sided p is 10/512 = 0.01953, two-sided 20/512 = 0.03906.
 *  - Holm (1979): step-down by hand from the definition (worked in the comment).
 */
import { describe, expect, it } from "vitest";
import { summarize, tCritical, pairedTest, holm, geometricMean } from "../../src/report/stats.js";

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
  it("has no sd or CI for one value, and nothing for none", () => {
    const one = summarize([0.7]);
    expect(one.mean).toBe(0.7);
    expect(one.std).toBeNaN();
    expect(one.ciLow).toBeNaN();
    expect(summarize([]).mean).toBeNaN();
  });
  it("geometric mean of 1, 10, 100 is 10", () => expect(geometricMean([1, 10, 100, NaN])).toBeCloseTo(10, 10));
});

describe("paired tests", () => {
  const sleep1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
  const sleep2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
  it("paired t-test on Student's sleep data", () => {
    const r = pairedTest(sleep1, sleep2);
    expect(r.n).toBe(10);
    expect(r.meanDiff).toBeCloseTo(-1.58, 10);
    expect(r.tStatistic).toBeCloseTo(-4.0621, 3);
    expect(r.tP).toBeCloseTo(0.002833, 5);
    // d_z = t / sqrt(n) for a paired design.
    expect(r.cohenDz).toBeCloseTo(-4.0621 / Math.sqrt(10), 3);
  });
  const hwX = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
  const hwY = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
  it("exact Wilcoxon signed-rank on Hollander & Wolfe's data", () => {
    const r = pairedTest(hwX, hwY);
    expect(r.wilcoxonW).toBe(40);
    expect(r.wilcoxonP).toBeCloseTo(20 / 512, 10);
    // W+ = 40, W- = 45 - 40 = 5: r = (40 - 5) / 45.
    expect(r.rankBiserial).toBeCloseTo(35 / 45, 10);
    expect(r.wilcoxonMinP).toBeCloseTo(2 / 512, 12);
  });
  it("Wilcoxon with 3 pairs cannot go below p = 0.25, and p never exceeds 1", () => {
    const all = pairedTest([1, 2, 3], [0, 0, 0]);
    expect(all.wilcoxonP).toBeCloseTo(0.25, 12); // 2 * (1/8)
    // W+ over {1,2,3}: sums of subsets 0,1,2,3,3,4,5,6, each 1/8.
    const mixed = pairedTest([1, -2, 3], [0, 0, 0]); // W+ = 4: two-sided 2 * P(W >= 4) = 2 * 3/8
    expect(mixed.wilcoxonP).toBeCloseTo(0.75, 12);
    const centre = pairedTest([1, 2, -3], [0, 0, 0]); // W+ = 3, the centre: 2 * P(W <= 3) = 1.25 -> 1
    expect(centre.wilcoxonP).toBe(1);
  });
  it("one pair: no test, no effect size", () => {
    const r = pairedTest([0.9], [0.8]);
    expect(r.tP).toBeNaN();
    expect(r.cohenDz).toBeNaN();
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
