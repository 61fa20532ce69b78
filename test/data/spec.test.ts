import { describe, expect, it } from "vitest";
import { z } from "zod";
import { datasetSpecSchema, resolveDatasetSpec, loadDataset, specOfResolved, datasetNames } from "../../src/data/index.js";
import { UserError } from "../../src/errors.js";

function messages(input: unknown): string[] {
  const r = datasetSpecSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("dataset spec", () => {
  it("accepts the issue's example", () => {
    expect(messages({ name: "spirals", n: 2000, noise: 0.1, split: { val: 0.2 }, scaling: "standardize" })).toEqual([]);
  });

  it("rejects unknown keys, at the top and inside split and csv", () => {
    expect(messages({ name: "moons", nosie: 0.1 }).join()).toMatch(/nosie/);
    expect(messages({ name: "moons", split: { valid: 0.1 } }).join()).toMatch(/valid/);
    expect(messages({ csv: { train: "a.csv", target: "y", task: "regression", header: true } }).join()).toMatch(/header/);
  });

  it("names close matches for an unknown dataset", () => {
    const m = messages({ name: "spiral" }).join();
    expect(m).toContain('unknown dataset "spiral"');
    expect(m).toContain('did you mean "spirals"');
  });

  it("needs a name or csv", () => {
    expect(messages({ n: 10 }).join()).toMatch(/needs "name".*or "csv"/);
  });

  it("rejects a parameter the dataset does not take, and one out of the dataset's range", () => {
    expect(messages({ name: "iris", noise: 0.1 }).join()).toContain('dataset "iris" does not take "noise"');
    expect(messages({ name: "moons", arms: 3 }).join()).toContain('dataset "moons" does not take "arms"');
    expect(messages({ name: "friedman1", dims: 3 }).join()).toContain("needs dims >= 5");
  });

  it("rejects splits leaving no training rows, and generator parameters with csv", () => {
    expect(messages({ name: "moons", split: { val: 0.5, test: 0.5 } }).join()).toMatch(/below 1/);
    expect(messages({ csv: { train: "a.csv", target: 0, task: "classification" }, noise: 1 }).join()).toMatch(/not to csv/);
    expect(messages({ csv: { train: "a.csv", val: "b.csv", target: 0, task: "classification" }, split: { val: 0.1 } }).join()).toMatch(/csv.val names a validation file/);
  });

  it("resolves defaults: fixed data seed, val 0.2, stratified for classification, per-dataset scaling", () => {
    expect(resolveDatasetSpec({ name: "moons" })).toEqual({
      name: "moons",
      task: "classification",
      seed: 0,
      params: { n: 1000, noise: 0.1 },
      split: { val: 0.2, test: 0, stratify: true },
      scaling: "standardize",
    });
    expect(resolveDatasetSpec({ name: "mnist" }).scaling).toBe("none");
    expect(resolveDatasetSpec({ name: "sine" }).split.stratify).toBe(false);
    expect(resolveDatasetSpec({ csv: { train: "dir/my-data.csv", val: "v.csv", target: "y", task: "regression" } })).toMatchObject({
      name: "my-data",
      split: { val: 0, test: 0 },
    });
  });

  it("specOfResolved gives back a spec that resolves to the same thing", () => {
    const specs = [
      ...datasetNames().map((name) => ({ name })),
      { name: "blobs", classes: 5, dims: 3, seed: 9, split: { val: 0.1, test: 0.3, stratify: false }, scaling: "minmax" as const },
      { csv: { train: "t.csv", val: "v.csv", target: -1, task: "classification" as const } },
      { name: "mine", csv: { train: "t.csv", target: "y", task: "regression" as const }, split: { test: 0.2 } },
    ];
    for (const s of specs) {
      const r = resolveDatasetSpec(s);
      expect(resolveDatasetSpec(specOfResolved(r))).toEqual(r);
    }
  });

  it("caps n", () => {
    expect(messages({ name: "moons", n: 2_000_000 }).join()).toMatch(/^n:/);
  });

  it("composes into a larger schema and converts to JSON Schema", () => {
    const config = z.strictObject({ dataset: datasetSpecSchema });
    expect(config.safeParse({ dataset: { name: "xor" } }).success).toBe(true);
    const json = z.toJSONSchema(datasetSpecSchema, { unrepresentable: "any" }) as { properties?: Record<string, unknown> };
    expect(Object.keys(json.properties ?? {})).toContain("csv");
  });

  it("loadDataset turns schema errors into one UserError naming the field", () => {
    try {
      loadDataset({ name: "moon" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as Error).message).toMatch(/^dataset\.name: unknown dataset "moon"; did you mean "moons"/);
    }
  });
});
