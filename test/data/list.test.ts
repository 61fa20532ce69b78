import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { clearDatasetCache, formatDatasetTable, listDatasets, loadDataset, loadDatasetCached } from "../../src/data/index.js";

describe("listDatasets", () => {
  const rows = listDatasets();

  it("lists every built-in dataset, and its shape matches what loading it gives", () => {
    expect(rows.map((r) => r.name)).toEqual(["xor", "moons", "circles", "spirals", "blobs", "checkerboard", "sine", "friedman1", "mnist", "iris", "fashion-mnist", "cifar10"]);
    for (const r of rows) {
      // Sets read from a folder are checked here where their files are (fashion-mnist with Debian's
      // package; test/data/fashion-mnist.test.ts says when it is absent), and on files the tests write.
      if (r.name === "cifar10" || (r.name === "fashion-mnist" && !existsSync("/usr/share/datasets/fashion-mnist"))) continue;
      const d = loadDataset({ name: r.name });
      expect(d.train.n + (d.val?.n ?? 0)).toBe(r.samples);
      expect(d.test?.n ?? 0).toBe(r.test);
      expect(d.features).toBe(r.features);
      expect(d.classes).toBe(r.classes);
      expect(d.task).toBe(r.task);
      expect(d.source.startsWith(r.source)).toBe(true);
    }
  });

  it("formats an aligned text table with a header", () => {
    const text = formatDatasetTable(rows);
    const lines = text.trimEnd().split("\n");
    expect(lines).toHaveLength(rows.length + 1);
    expect(lines[0]).toMatch(/^name\s+task\s+samples\s+test\s+features\s+classes\s+source$/);
    const sourceCol = lines[0].indexOf("source");
    for (const [i, r] of rows.entries()) {
      expect(lines[i + 1].startsWith(r.name)).toBe(true);
      expect(lines[i + 1].slice(sourceCol)).toBe(r.source);
    }
    expect(lines.find((l) => l.startsWith("sine "))).toMatch(/\s-\s/);
  });
});

describe("loadDatasetCached", () => {
  it("returns the same dataset for the same resolved spec, a new one for another", () => {
    clearDatasetCache();
    const a = loadDatasetCached({ name: "moons" });
    const b = loadDatasetCached({ name: "moons", seed: 0, n: 1000, split: { val: 0.2 } });
    const c = loadDatasetCached({ name: "moons", seed: 1 });
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(Buffer.from(a.train.x.buffer).equals(Buffer.from(loadDataset({ name: "moons" }).train.x.buffer))).toBe(true);
  });
});
