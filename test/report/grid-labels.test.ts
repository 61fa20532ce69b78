/**
 * A grid point's short label (section headings, the terminal's findings):
 * the fewest keys that tell the points apart, empty cells left out. The case is the
 * quickstart's grid over two dataset sections, where spirals has a `noise`
 * and MNIST none, and both share `split.val`.
 */
import { describe, expect, it } from "vitest";
import { labelGridKeys, shortGridLabel } from "../../src/report/leaderboard.js";
import type { RunRow } from "../../src/report/results.js";

const gridKeys = ["dataset.name", "dataset.n", "dataset.noise", "dataset.split.val"];
const spirals = { "dataset.name": "spirals", "dataset.n": "2000", "dataset.noise": "0.1", "dataset.split.val": "0.2" };
const mnist = { "dataset.name": "mnist", "dataset.n": "1000", "dataset.noise": "", "dataset.split.val": "0.2" };
const runs = [spirals, spirals, mnist, mnist].map((grid) => ({ grid }) as unknown as RunRow);

describe("grid labels", () => {
  it("keep the fewest keys that tell the points apart: the dataset's name", () => {
    expect(labelGridKeys({ runs, gridKeys })).toEqual(["dataset.name"]);
    expect(shortGridLabel(spirals, ["dataset.name"])).toBe("spirals");
    expect(labelGridKeys({ runs: runs.slice(0, 2), gridKeys })).toEqual([]);
  });

  it("keep every key a depth-by-lr grid needs, and no shared one", () => {
    const point = (depth: string, lr: string) => ({ grid: { "model.hidden": depth, "train.optimizer.lr": lr, "train.epochs": "5" } }) as unknown as RunRow;
    const grid = [point("8", "0.1"), point("8", "0.01"), point("8-8", "0.1"), point("8-8", "0.01")];
    expect(labelGridKeys({ runs: grid, gridKeys: ["model.hidden", "train.optimizer.lr", "train.epochs"] })).toEqual(["model.hidden", "train.optimizer.lr"]);
  });

  it("leave out a point's empty cells instead of printing `key=`", () => {
    expect(shortGridLabel(mnist, gridKeys)).toBe("mnist, dataset.n=1000, dataset.split.val=0.2");
  });
});
