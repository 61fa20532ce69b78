import { describe, expect, it } from "vitest";
import { describeChange, differences } from "../../src/harness/config-diff.js";

const base = {
  name: "exp",
  seeds: [0, 1],
  activations: [
    { label: "relu", spec: "relu" },
    { label: "mine", spec: "mine", module: { path: "./mine.js", sha256: "aaaa" } },
  ],
  grid_keys: [],
  dataset: { name: "moons", n: 100 },
  model: { hidden: [32, 32] },
  train: { epochs: 30, optimizer: { name: "adam", lr: 0.001 } },
  points: [{ values: {}, train: { epochs: 30 } }],
};

describe("what changed between two configs", () => {
  it("lists the leaves that differ, with both values", () => {
    expect(differences({ a: 1, b: { c: [1, 2], d: "x" } }, { a: 1, b: { c: [1, 3], e: true } })).toEqual([
      { path: "b.c[1]", before: 2, after: 3 },
      { path: "b.d", before: "x", after: undefined },
      { path: "b.e", before: undefined, after: true },
    ]);
    expect(differences([1, 2], [1, 2, 3])).toEqual([{ path: "", before: [1, 2], after: [1, 2, 3] }]);
  });

  it("names the keys of the settings, not the expanded points", () => {
    const after = structuredClone(base);
    after.train.epochs = 5;
    after.model.hidden = [64];
    after.points[0].train.epochs = 5;
    expect(describeChange(base, after)).toBe("model.hidden: [32,32] -> [64]; train.epochs: 30 -> 5");
  });

  it("activations by label, and a module whose source changed", () => {
    const after = structuredClone(base);
    after.activations[1].module!.sha256 = "bbbb";
    expect(describeChange(base, after)).toBe("activations[mine].module.sha256: aaaa -> bbbb (the module's source changed)");
    after.activations.push({ label: "gelu", spec: "gelu" });
    expect(describeChange(base, after)).toMatch(/^activations: relu, mine -> relu, mine, gelu; /);
  });

  it("falls back to the points, and to nothing for a manifest without a config", () => {
    const after = structuredClone(base);
    after.points[0].train.epochs = 3;
    expect(describeChange(base, after)).toBe("points[0].train.epochs: 30 -> 3");
    expect(describeChange(undefined, after)).toBe("");
  });

  it("says how many more when many differ", () => {
    const before = { a: 1, b: 1, c: 1, d: 1 };
    expect(describeChange(before, { a: 2, b: 2, c: 2, d: 2 }, 2)).toBe("a: 1 -> 2; b: 1 -> 2; and 2 more");
  });
});
