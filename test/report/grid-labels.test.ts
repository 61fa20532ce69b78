/**
 * A grid point's short label (section headings, the terminal's findings):
 * the keys that tell the points apart, empty cells left out. The case is the
 * quickstart's grid over two dataset sections, where spirals has a `noise`
 * and MNIST none, and both share `split.val`.
 */
import { describe, expect, it } from "vitest";
import { shortGridLabel, varyingGridKeys } from "../../src/report/leaderboard.js";
import type { RunRow } from "../../src/report/results.js";

const gridKeys = ["dataset.name", "dataset.n", "dataset.noise", "dataset.split.val"];
const spirals = { "dataset.name": "spirals", "dataset.n": "2000", "dataset.noise": "0.1", "dataset.split.val": "0.2" };
const mnist = { "dataset.name": "mnist", "dataset.n": "1000", "dataset.noise": "", "dataset.split.val": "0.2" };
const runs = [spirals, spirals, mnist, mnist].map((grid) => ({ grid }) as unknown as RunRow);

describe("grid labels", () => {
  it("keep the keys whose cell differs between runs", () => {
    expect(varyingGridKeys({ runs, gridKeys })).toEqual(["dataset.name", "dataset.n", "dataset.noise"]);
    expect(varyingGridKeys({ runs: runs.slice(0, 2), gridKeys })).toEqual([]);
  });

  it("leave out a point's empty cells instead of printing `key=`", () => {
    const keys = varyingGridKeys({ runs, gridKeys });
    expect(shortGridLabel(spirals, keys)).toBe("spirals, dataset.n=2000, dataset.noise=0.1");
    expect(shortGridLabel(mnist, keys)).toBe("mnist, dataset.n=1000");
  });
});
