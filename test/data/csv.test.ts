import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.js";
import { loadDataset } from "../../src/data/index.js";
import type { DatasetSpec } from "../../src/data/index.js";

const baseDir = fileURLToPath(new URL("../fixtures/data/", import.meta.url));

function load(csv: NonNullable<DatasetSpec["csv"]>, extra: Partial<DatasetSpec> = {}) {
  return loadDataset({ csv, split: { val: 0 }, scaling: "none", ...extra }, { baseDir });
}

/** The UserError a load throws (fails the test if it throws nothing or something else). */
function errorOf(f: () => unknown): UserError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error("expected a UserError, nothing was thrown");
}

const cls = (train: string, target: string | number = "label") => ({ train, target, task: "classification" as const });

describe("csv files", () => {
  it("reads train/val/test as they are, rows in file order, string labels indexed in sorted order", () => {
    const d = load({ train: "flowers-train.csv", val: "flowers-val.csv", test: "flowers-test.csv", target: "species", task: "classification" });
    expect(d.classLabels).toEqual(["setosa", "versicolor", "virginica"]);
    expect(d.features).toBe(3);
    expect(d.featureNames).toEqual(["length", "width", "constant"]);
    expect(d.classes).toBe(3);
    expect(d.outputs).toBe(3);
    expect(d.name).toBe("flowers-train");
    expect(Array.from(d.train.x.filter((_, i) => i % 3 === 0))).toEqual([1, 2, 3, 4, 5, 6]);
    // virginica, setosa, versicolor, setosa, virginica, versicolor
    expect(Array.from(d.train.y)).toEqual([2, 0, 1, 0, 2, 1]);
    expect(Array.from(d.val!.y)).toEqual([0, 2]);
    expect(Array.from(d.val!.x)).toEqual([1.5, 1, 7, 2.5, 2, 7]);
    expect(Array.from(d.test!.y)).toEqual([1]);
  });

  it("accepts the target as a 0-based or negative index", () => {
    const a = load({ train: "flowers-train.csv", target: 3, task: "classification" });
    const b = load({ train: "flowers-train.csv", target: -1, task: "classification" });
    expect(Array.from(a.train.y)).toEqual([2, 0, 1, 0, 2, 1]);
    expect(Array.from(b.train.y)).toEqual([2, 0, 1, 0, 2, 1]);
  });

  it("sorts numeric labels as numbers", () => {
    const d = load(cls("numeric-labels.csv"));
    expect(d.classLabels).toEqual(["1", "2", "10"]);
    expect(Array.from(d.train.y)).toEqual([1, 2, 0, 2]);
  });

  it("handles CRLF line ends and quoted fields with commas", () => {
    const d = load(cls("crlf-quoted.csv"));
    expect(d.classLabels).toEqual(["big, red", "small"]);
    expect(Array.from(d.train.x)).toEqual([1, 2, 3, 4]);
  });

  it("reads a regression target as a number", () => {
    const d = load({ train: "regression.csv", target: "y", task: "regression" });
    expect(d.task).toBe("regression");
    expect(d.outputs).toBe(1);
    expect(d.classes).toBe(0);
    expect(Array.from(d.train.y)).toEqual([0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5]);
  });

  it("carves a seeded validation split from the training file when no val file is given", () => {
    const d = loadDataset({ csv: { train: "regression.csv", target: "y", task: "regression" }, split: { val: 0.3 }, scaling: "none" }, { baseDir });
    expect(d.train.n).toBe(7);
    expect(d.val!.n).toBe(3);
    const ys = [...d.train.y, ...d.val!.y].sort((a, b) => a - b);
    expect(ys).toEqual([0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5]);
  });

  it("fits scaling on the training file and maps a constant column to 0, not NaN", () => {
    const d = loadDataset(
      { csv: { train: "flowers-train.csv", val: "flowers-val.csv", target: "species", task: "classification" }, scaling: "standardize" },
      { baseDir },
    );
    // length in train is 1..6: mean 3.5, population sd sqrt(35/12)
    const sd = Math.sqrt(35 / 12);
    expect(d.train.x[0]).toBeCloseTo((1 - 3.5) / sd, 6);
    expect(d.val!.x[0]).toBeCloseTo((1.5 - 3.5) / sd, 6);
    for (const v of [...d.train.x, ...d.val!.x]) expect(Number.isFinite(v)).toBe(true);
    for (let i = 2; i < d.train.x.length; i += 3) expect(d.train.x[i]).toBe(0);
  });

  describe("mistakes name the file, line and column", () => {
    it("a non-numeric cell", () => {
      const e = errorOf(() => load(cls("non-numeric.csv")));
      expect(e.message).toContain("non-numeric.csv");
      expect(e.message).toMatch(/line 3, column 2 \("x2"\)/);
      expect(e.message).toContain('"abc" is not a number');
    });

    it("a non-numeric cell after a blank line (line numbers count the blank line)", () => {
      const e = errorOf(() => load(cls("blank-line-then-bad-cell.csv")));
      expect(e.message).toMatch(/blank-line-then-bad-cell\.csv, line 5, column 2/);
    });

    it("a wrong column count", () => {
      const e = errorOf(() => load(cls("wrong-column-count.csv")));
      expect(e.message).toContain("wrong-column-count.csv");
      expect(e.message).toMatch(/line 4, column 4/);
      expect(e.message).toContain("found 4 columns, expected 3");
    });

    it("a missing target column, with a close match", () => {
      const e = errorOf(() => load(cls("missing-target.csv", "clas")));
      expect(e.message).toContain("missing-target.csv, line 1");
      expect(e.message).toContain('no target column "clas"');
      expect(e.message).toContain('did you mean "class"');
      expect(e.message).toContain("Columns: x1, x2, class");
    });

    it("a target index out of range", () => {
      const e = errorOf(() => load(cls("missing-target.csv", 5)));
      expect(e.message).toContain("missing-target.csv, line 1");
      expect(e.message).toContain("index 5 is out of range");
    });

    it("an empty file", () => {
      const e = errorOf(() => load(cls("empty.csv")));
      expect(e.message).toContain("empty.csv, line 1, column 1");
      expect(e.message).toContain("empty");
    });

    it("a single class", () => {
      const e = errorOf(() => load(cls("single-class.csv")));
      expect(e.message).toContain("single-class.csv, lines 2-4, column 3");
      expect(e.message).toContain('every row has class "a"');
    });

    it("NaN", () => {
      const e = errorOf(() => load(cls("nan.csv")));
      expect(e.message).toMatch(/nan\.csv, line 4, column 2 \("x2"\): NaN is not allowed/);
    });

    it("Infinity", () => {
      const e = errorOf(() => load(cls("infinity.csv")));
      expect(e.message).toMatch(/infinity\.csv, line 4, column 1 \("x1"\): -Infinity is not allowed/);
    });

    it("a val file whose header differs from the training file's", () => {
      const e = errorOf(() => load({ train: "ab-train.csv", val: "val-other-header.csv", target: "label", task: "classification" }));
      expect(e.message).toContain("val-other-header.csv, line 1, column 2");
    });

    it("an empty cell", () => {
      const e = errorOf(() => load(cls("empty-cell.csv")));
      expect(e.message).toMatch(/empty-cell\.csv, line 2, column 2 \("x2"\): empty cell/);
    });

    it("a class in the val file that the training file lacks", () => {
      const e = errorOf(() => load({ train: "ab-train.csv", val: "val-new-class.csv", target: "label", task: "classification" }));
      expect(e.message).toMatch(/val-new-class\.csv, line 4, column 3 \("label"\): class "c" does not occur in the training file/);
    });

    it("a missing file", () => {
      const e = errorOf(() => load(cls("no-such-file.csv")));
      expect(e.message).toContain("no-such-file.csv");
      expect(e.message).toContain("ENOENT");
    });
  });

  describe("data the engine cannot represent, and ambiguous headers, are refused naming the file, line and column", () => {
    /** Writes files into a folder of their own and loads them from there. */
    function loadFiles(files: Record<string, string>, csv: NonNullable<DatasetSpec["csv"]>, extra: Partial<DatasetSpec> = {}) {
      const dir = mkdtempSync(join(tmpdir(), "actbench-csv-"));
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
      return loadDataset({ csv, split: { val: 0 }, scaling: "none", ...extra }, { baseDir: dir });
    }
    const rows = (n: number, cell: (i: number) => string) => Array.from({ length: n }, (_, i) => `${cell(i)},${i % 2 ? "a" : "b"}\n`).join("");

    it("a cell of 1e300 whose column's standard deviation overflows (it used to become a column of 0)", () => {
      const text = "x1,x2,label\n0,0,a\n1,1,b\n2,2,a\n3,1e300,b\n4,4,a\n";
      const e = errorOf(() => loadFiles({ "big.csv": text }, cls("big.csv"), { scaling: "standardize" }));
      expect(e.message).toBe('big.csv, line 5, column 2 ("x2"): 1e+300 makes the column\'s mean and standard deviation overflow (scaling standardize); values must stay within float32\'s range (±3.4e38) after scaling');
    });

    it("a cell beyond float32 after scaling (none; and in a val file scaled by the training file's minmax), its line kept through a carved split", () => {
      const big = `x,label\n${rows(10, (i) => (i === 7 ? "1e39" : String(i)))}`;
      expect(errorOf(() => loadFiles({ "big.csv": big }, cls("big.csv"))).message).toMatch(/^big\.csv, line 9, column 1 \("x"\): 1e\+39 scales to 1e\+39 \(scaling none\), beyond float32's range/);
      // Rows are shuffled into train and val: the message still names the row's own line.
      expect(errorOf(() => loadFiles({ "big.csv": big }, cls("big.csv"), { split: { val: 0.3 } })).message).toMatch(/^big\.csv, line 9, column 1 \("x"\): 1e\+39 scales to/);
      const train = `x,label\n${rows(4, (i) => String(i))}`; // minmax: offset 0, scale 3
      const val = "x,label\n1,a\n2e39,b\n";
      const e = errorOf(() => loadFiles({ "train.csv": train, "val.csv": val }, { train: "train.csv", val: "val.csv", target: "label", task: "classification" }, { scaling: "minmax" }));
      expect(e.message).toBe(`val.csv, line 3, column 1 ("x"): 2e+39 scales to ${2e39 / 3} (scaling minmax), beyond float32's range (±3.4e38), which the engine computes in`);
    });

    it("a regression target beyond float32 (it used to diverge at epoch 0)", () => {
      const text = "x,y\n1,2\n2,1e300\n3,4\n";
      const e = errorOf(() => loadFiles({ "reg.csv": text }, { train: "reg.csv", target: "y", task: "regression" }));
      expect(e.message).toBe('reg.csv, line 3, column 2 ("y"): 1e300 is beyond float32\'s range (±3.4e38), which the engine computes in; expected a smaller target');
    });

    it("two columns of one name, the target's twin included (label leakage)", () => {
      const e = errorOf(() => loadFiles({ "dup.csv": "x,label,label\n1,a,a\n2,b,b\n" }, cls("dup.csv")));
      expect(e.message).toBe('dup.csv, line 1, column 3: column name "label" is also column 2\'s; each column needs a name of its own');
      const f = errorOf(() => loadFiles({ "dup2.csv": "x,x,label\n1,1,a\n2,2,b\n" }, cls("dup2.csv")));
      expect(f.message).toMatch(/^dup2\.csv, line 1, column 2: column name "x" is also column 1's/);
    });
  });
});
