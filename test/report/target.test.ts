import { describe, expect, it } from "vitest";
import { checkTarget, sweepTask } from "../../src/report/target.js";

describe("--target", () => {
  it("an accuracy target lies in [0, 1]; a loss target is not negative", () => {
    expect(() => checkTarget(0.9, "classification")).not.toThrow();
    expect(() => checkTarget(1, "classification")).not.toThrow();
    expect(() => checkTarget(2, "classification")).toThrow(/--target: found 2, but the sweep is judged by validation accuracy, which lies between 0 and 1/);
    expect(() => checkTarget(-0.1, "classification")).toThrow(/between 0 and 1/);
    expect(() => checkTarget(2, "regression")).not.toThrow();
    expect(() => checkTarget(-1, "regression")).toThrow(/--target: found -1, but the sweep is judged by validation loss, which is never negative/);
    expect(() => checkTarget(NaN, "regression")).toThrow(/expected a number/);
  });

  it("a sweep is judged by accuracy when any grid point classifies", () => {
    expect(sweepTask([{ name: "spirals" }])).toBe("classification");
    expect(sweepTask([{ name: "sine" }])).toBe("regression");
    expect(sweepTask([{ name: "sine" }, { name: "moons" }])).toBe("classification");
    expect(sweepTask([{ csv: { train: "t.csv", target: "y", task: "regression" } }])).toBe("regression");
  });
});
