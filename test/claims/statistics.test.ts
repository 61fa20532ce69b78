// The claims' tests against brute force and textbook formulas: the one-sided sign-flip
// test with equal |d| is the sign test (binomial tail); Page's L against full enumeration of every
// block's orders, and its normal approximation against Page's (1963) mean and variance.
import { describe, expect, it } from "vitest";
import { binomialSE, midRanks, normalUpper, oneSidedSignFlip, pageTest } from "../../src/claims/statistics.js";

function binomTail(n: number, k: number): number {
  // P(Bin(n, 1/2) >= k)
  let c = 1;
  let s = 0;
  for (let i = 0; i <= n; i++) {
    if (i >= k) s += c;
    c = (c * (n - i)) / (i + 1);
  }
  return s / 2 ** n;
}

describe("one-sided sign-flip test (the report's exact test, halved)", () => {
  it("is 2^-n when every difference is positive, and the one-sided sign test when every |d| is equal", () => {
    expect(oneSidedSignFlip([1, 2, 3, 4, 5]).p).toBe(1 / 32);
    expect(oneSidedSignFlip([0.3, 0.1, 0.2]).p).toBe(1 / 8);
    for (let n = 1; n <= 10; n++)
      for (let pos = 0; pos <= n; pos++) {
        const d = Array.from({ length: n }, (_, i) => (i < pos ? 1 : -1));
        // In the direction the differences point: at least max(pos, n - pos) signs that way of n fair flips.
        const expected = 2 * pos === n ? 1 : binomTail(n, Math.max(pos, n - pos));
        expect(oneSidedSignFlip(d).p).toBeCloseTo(expected, 12);
      }
  });
  it("matches counting the 2^n sign patterns by hand", () => {
    // d = [3, -1, 2], observed sum 4; the 8 sign patterns give 6, 4, 2, 0, 0, -2, -4, -6,
    // of which 6 and 4 reach it: p = 2/8, whichever sign the whole sample has.
    expect(oneSidedSignFlip([3, -1, 2]).p).toBe(2 / 8);
    expect(oneSidedSignFlip([-3, 1, -2])).toMatchObject({ p: 2 / 8, meanDiff: -4 / 3 });
    expect(oneSidedSignFlip([3, -1, 2, 0, 0]).p).toBe(2 / 8);
    expect(oneSidedSignFlip([0, 0]).p).toBe(1);
    expect(oneSidedSignFlip([]).p).toBe(1);
    expect(oneSidedSignFlip([1, 2, 3, 4]).minP).toBe(1 / 16);
  });
});

describe("Page's L test", () => {
  /** Every combination of each block's orders, counted directly (no convolution). */
  function bruteForce(blocks: number[][]): number {
    const ranks = blocks.map(midRanks);
    const k = ranks[0].length;
    const perms: number[][] = [];
    const permute = (prefix: number[], rest: number[]) => {
      if (rest.length === 0) perms.push(prefix);
      rest.forEach((x, i) => permute([...prefix, x], [...rest.slice(0, i), ...rest.slice(i + 1)]));
    };
    permute([], Array.from({ length: k }, (_, i) => i));
    const L = (rs: number[][]) => rs.reduce((s, r) => s + r.reduce((t, x, j) => t + (j + 1) * x, 0), 0);
    const observed = L(ranks);
    let hits = 0;
    let total = 0;
    const walk = (b: number, acc: number[][]) => {
      if (b === ranks.length) {
        total++;
        if (L(acc) >= observed - 1e-9) hits++;
        return;
      }
      for (const p of perms) walk(b + 1, [...acc, p.map((i) => ranks[b][i])]);
    };
    walk(0, []);
    return hits / total;
  }
  it("exact p equals full enumeration, with and without ties", () => {
    const cases = [
      [[1, 2, 3], [1, 3, 2], [2, 1, 3]],
      [[0, 0, 0.5, 1], [0, 0.1, 0.1, 0.3]],
      [[5, 4, 3], [1, 2, 3], [3, 3, 3]],
      [[0.1, 0.2, 0.4, 0.3], [0.2, 0.1, 0.3, 0.5], [0, 0, 0, 1]],
    ];
    for (const c of cases) {
      const t = pageTest(c);
      expect(t.method).toBe("exact");
      expect(t.p).toBeCloseTo(bruteForce(c), 12);
    }
    // A perfect trend in every block: p = 1 / (k!)^n.
    expect(pageTest([[1, 2, 3], [4, 5, 6]]).p).toBeCloseTo(1 / 36, 12);
    expect(pageTest([[1, 2, 3], [4, 5, 6]]).L).toBe(28); // 2 x (1 + 4 + 9)
  });
  it("normal approximation beyond 8 steps: Page's mean n k (k+1)^2 / 4 and variance n k^2 (k+1)(k^2-1) / 144", () => {
    const k = 10;
    const blocks = [
      [1, 3, 2, 4, 6, 5, 7, 9, 8, 10],
      [2, 1, 3, 5, 4, 6, 8, 7, 10, 9],
      [10, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    ];
    const n = blocks.length;
    const t = pageTest(blocks);
    expect(t.method).toBe("normal");
    const mean = (n * k * (k + 1) ** 2) / 4;
    const variance = (n * k * k * (k + 1) * (k * k - 1)) / 144;
    expect(t.p).toBeCloseTo(normalUpper((t.L - mean) / Math.sqrt(variance)), 12);
    expect(normalUpper(1.6448536269514722)).toBeCloseTo(0.05, 10);
  });
  it("no trend to find: p 1 without blocks or with one step", () => {
    expect(pageTest([]).p).toBe(1);
    expect(pageTest([[1], [2]]).p).toBe(1);
  });
});

describe("binomial standard error", () => {
  it("is sqrt(p (1 - p) / n)", () => {
    expect(binomialSE(0.25, 1000)).toBeCloseTo(Math.sqrt(0.1875 / 1000), 15);
    expect(binomialSE(0, 10)).toBe(0);
  });
});
