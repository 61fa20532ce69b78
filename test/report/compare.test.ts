/**
 * actbench compare: two folders' matched activations side by side, paired by
 * seed. The differences are checked against runs.csv read here, the p-values
 * against a brute-force enumeration of the sign-flip distribution written
 * here, and the refusals name why nothing matches.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadExperiment } from "../../src/harness/config.js";
import { runSweep } from "../../src/harness/sweep.js";
import { compareFolders, writeComparison } from "../../src/report/compare.js";
import { readCsv, runCli, tmp, writeConfig } from "../harness/helpers.js";

const quiet = () => ({ start() {}, done() {}, stop() {} });
const config = (optimizer: string, activations = "[relu, tanh]", grid = "") => `seeds: 3
activations: ${activations}
dataset: {name: moons, n: 120, noise: 0.2}
model: {hidden: [4]}
train: {epochs: 3, batchSize: 16, optimizer: ${optimizer}}
record: {probeSize: 16}
${grid}`;

let dir = "";
const folder = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = tmp("actbench-compare-");
  const make = async (name: string, text: string) => runSweep(await loadExperiment(writeConfig(dir, text, `${name}.yaml`)), { out: folder(name), workers: 2, progress: quiet });
  await make("sgd", config("{name: sgd, lr: 0.05}"));
  await make("adam", config("{name: adam, lr: 0.02}"));
  await make("gelu", config("{name: adam, lr: 0.02}", "[gelu]"));
  await make("deep", config("{name: adam, lr: 0.02}", "[relu]", "grid: {model.hidden: [[4, 4], [8]]}"));
}, 240_000);

/** Two-sided sign-flip p by brute force over all 2^n sign patterns. */
function bruteSignFlip(d: number[]): number {
  const obs = Math.abs(d.reduce((s, v) => s + v, 0));
  let hits = 0;
  for (let mask = 0; mask < 2 ** d.length; mask++) {
    const sum = d.reduce((s, v, i) => s + (mask & (1 << i) ? -v : v), 0);
    if (Math.abs(sum) >= obs - 1e-12) hits++;
  }
  return hits / 2 ** d.length;
}

describe("compare", () => {
  it("pairs each activation's seeds across the folders: B - A from runs.csv, sign-flip p by enumeration", () => {
    const c = compareFolders(folder("sgd"), folder("adam"));
    expect(c.metric).toBe("val_acc");
    expect(c.matches.map((m) => m.activation)).toEqual(["relu", "tanh"]);
    const a = readCsv(join(folder("sgd"), "runs.csv")).rows;
    const b = readCsv(join(folder("adam"), "runs.csv")).rows;
    for (const m of c.matches) {
      const d = ["0", "1", "2"].map((s) => {
        const pick = (rows: typeof a) => Number(rows.find((r) => r.activation === m.activation && r.seed === s)!.val_acc);
        return pick(b) - pick(a);
      });
      expect(m.pairs).toBe(3);
      expect(m.diff.mean).toBeCloseTo(d.reduce((x, y) => x + y, 0) / 3, 12);
      expect(m.test.p).toBeCloseTo(bruteSignFlip(d), 12);
    }
    // Holm over two tests: the smaller p doubled, the larger max(that, itself); capped at 1.
    const ps = c.matches.map((m) => m.test.p);
    const lo = Math.min(...ps), hi = Math.max(...ps);
    expect(c.matches.map((m) => m.pHolm).sort()).toEqual([Math.min(1, 2 * lo), Math.min(1, Math.max(2 * lo, hi))].sort());
    // Three pairs can never give p below 2/8, so nothing can be "better" or "worse" here.
    for (const m of c.matches) expect(["within margin", "cannot tell"]).toContain(m.verdict);
  });

  it("writes compare.html, .md and .csv, and never replaces a file it did not write", () => {
    const c = compareFolders(folder("sgd"), folder("adam"));
    const out = join(dir, "cmp");
    const files = writeComparison(c, out);
    const csv = readCsv(files.csv);
    expect(csv.rows.map((r) => r.activation)).toEqual(["relu", "tanh"]);
    expect(Number(csv.rows[0].diff_mean)).toBe(c.matches[0].diff.mean);
    expect(readFileSync(files.md, "utf8")).toMatch(/\| relu \|/);
    expect(readFileSync(files.html, "utf8")).toMatch(/<table id="compare">/);
    writeComparison(c, out); // its own files: replaced
    writeFileSync(files.md, "my notes\n");
    expect(() => writeComparison(c, out)).toThrow(/compare\.md exists and was not written by actbench compare/);
    expect(readFileSync(files.md, "utf8")).toBe("my notes\n");
  });

  it("refuses, naming why, when nothing matches", () => {
    expect(() => compareFolders(folder("sgd"), folder("gelu"))).toThrow(/nothing to compare: no activation in common \(.*sgd: relu, tanh; .*gelu: gelu\)/);
    expect(() => compareFolders(folder("sgd"), folder("deep"))).toThrow(
      /nothing to compare: activations in common \(relu\) but no grid point in common \(.*sgd: \(no grid\); .*deep: model\.hidden=4-4, model\.hidden=8\)/,
    );
    expect(() => compareFolders(folder("sgd"), folder("sgd"))).toThrow(/the same folder/);
  });

  it("the CLI prints the table and exits 2 on a refusal", async () => {
    const ok = await runCli(["compare", folder("sgd"), folder("adam"), "--out", join(dir, "cli")]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^activation\s+A: val_acc\s+B: val_acc\s+B - A \(paired\)/m);
    expect(ok.stdout).toMatch(/compare: .*compare\.html/);
    const bad = await runCli(["compare", folder("sgd"), folder("gelu")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no activation in common/);
  }, 120_000);
});
