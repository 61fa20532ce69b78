/**
 * Decision-boundary maps from saved models, and the feature scaling the model
 * files carry. The data is a CSV written here, so the scaling is checked
 * against the training rows' mean and population sd computed by hand, and
 * the map's cells against the class the rule that made the data assigns
 * (label 1 exactly when a + b > 0, a line an identity network learns).
 */
import { describe, expect, it, afterAll } from "vitest";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadExperiment } from "../../src/harness/config.js";
import { runSweep } from "../../src/harness/sweep.js";
import { loadResults, buildDocument } from "../../src/report/index.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const quiet = () => ({ start() {}, done() {}, stop() {} });

describe("decision boundaries of a 2-D classification sweep", () => {
  it("records the training split's scaling in the model files and maps each activation's predicted class", async () => {
    const dir = mkdtempSync(join(tmpdir(), "actbench-boundaries-"));
    dirs.push(dir);
    // Raw features far from 0 and of different spreads, so scaling matters: a in [10, 30], b in [-2, 2].
    const rows = (n: number, phase: number) => Array.from({ length: n }, (_, i) => {
      const a = 20 + 10 * Math.sin(1.3 * i + phase), b = 2 * Math.cos(0.7 * i + phase);
      return [a, b, (a - 20) / 10 + b / 2 > 0 ? 1 : 0];
    });
    const train = rows(160, 0), val = rows(60, 0.5);
    const csv = (rs: number[][]) => `a,b,label\n${rs.map((r) => r.map((v) => +v.toFixed(6)).join(",")).join("\n")}\n`;
    writeFileSync(join(dir, "train.csv"), csv(train));
    writeFileSync(join(dir, "val.csv"), csv(val));
    writeFileSync(join(dir, "exp.yaml"), `seeds: 1
activations: [identity, relu]
dataset: {csv: {train: train.csv, val: val.csv, target: label, task: classification}, scaling: standardize}
model: {hidden: [8]}
train: {epochs: 30, batchSize: 16, optimizer: {name: adam, lr: 0.05}}
record: {every: 10, probeSize: 32, models: [final]}
`);
    const summary = await runSweep(await loadExperiment(join(dir, "exp.yaml")), { out: join(dir, "out"), workers: 1, progress: quiet });
    const files = readdirSync(join(summary.dir, "models")).filter((f) => f.endsWith(".final.json"));
    expect(files.length).toBe(2);
    const rounded = train.map((r) => r.map((v) => +v.toFixed(6)));
    for (const f of files) {
      const scaling = JSON.parse(readFileSync(join(summary.dir, "models", f), "utf8")).actbench.scaling;
      expect(scaling.method).toBe("standardize");
      for (let j = 0; j < 2; j++) {
        const xs = rounded.map((r) => r[j]);
        const m = xs.reduce((s, v) => s + v, 0) / xs.length;
        const sd = Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / xs.length);
        expect(scaling.offset[j]).toBeCloseTo(m, 4);
        expect(scaling.scale[j]).toBeCloseTo(sd, 4);
      }
    }

    const doc = await buildDocument(loadResults(summary.dir), { measureCost: false });
    const chart = doc.charts.find((c) => c.id === "boundaries")!;
    expect(chart.labels).toEqual(["identity", "relu"]);
    const data = (chart.spec as unknown as { datasets: { cells: Array<Record<string, number | string>>; points: Array<Record<string, number | string>> } }).datasets;
    expect(data.cells.length).toBe(2 * 28 * 28);
    // Validation points in raw units, as in val.csv.
    const shown = data.points;
    expect(shown.length).toBe(60);
    expect(Number(shown[0].x1)).toBeCloseTo(+val[0][0].toFixed(6), 3);
    expect(Number(shown[0].x2)).toBeCloseTo(+val[0][1].toFixed(6), 3);
    // The identity network learns the line: away from it (|margin| > 0.3) its cells are the rule's class.
    const idCells = data.cells.filter((c) => c.activation === "identity");
    const far = idCells.filter((c) => {
      const a = (Number(c.x1) + Number(c.x1e)) / 2, b = (Number(c.x2) + Number(c.x2e)) / 2;
      return Math.abs((a - 20) / 10 + b / 2) > 0.3;
    });
    const agree = far.filter((c) => {
      const a = (Number(c.x1) + Number(c.x1e)) / 2, b = (Number(c.x2) + Number(c.x2e)) / 2;
      return c.class === ((a - 20) / 10 + b / 2 > 0 ? "1" : "0");
    });
    expect(far.length).toBeGreaterThan(200);
    expect(agree.length / far.length).toBeGreaterThan(0.95);
    expect(chart.svg.startsWith("<svg")).toBe(true);
  }, 120_000);
});

describe("what a regression network computes", () => {
  it("plots predicted against true (its mean squared error is the run's val_loss) and, for one input, the fitted curve", async () => {
    const dir = mkdtempSync(join(tmpdir(), "actbench-regression-maps-"));
    dirs.push(dir);
    writeFileSync(join(dir, "exp.yaml"), `seeds: 1
activations: [identity, tanh]
dataset: {name: sine, n: 200}
model: {hidden: [8]}
train: {epochs: 5, batchSize: 16, optimizer: {name: adam, lr: 0.01}}
record: {every: 5, probeSize: 32, models: [final]}
`);
    const summary = await runSweep(await loadExperiment(join(dir, "exp.yaml")), { out: join(dir, "out"), workers: 1, progress: quiet });
    const results = loadResults(summary.dir);
    const doc = await buildDocument(results, { measureCost: false });
    const pred = doc.charts.find((c) => c.id === "predictions")!;
    expect([...pred.labels].sort()).toEqual(["identity", "tanh"]);
    const pairs = (pred.spec as unknown as { data: { values: Array<{ activation: string; truth: number; predicted: number }> } }).data.values;
    for (const act of ["identity", "tanh"]) {
      const mine = pairs.filter((p) => p.activation === act);
      expect(mine.length).toBe(40); // the 20% validation split of 200 rows
      const mse = mine.reduce((s, p) => s + (p.predicted - p.truth) ** 2, 0) / mine.length;
      expect(mse).toBeCloseTo(results.runs.find((r) => r.activation === act)!.val_loss, 4);
    }
    const fit = doc.charts.find((c) => c.id === "fit")!;
    const curve = (fit.spec as unknown as { datasets: { curve: Array<{ activation: string; x: number; y: number }> } }).datasets.curve;
    // A network of identity units computes an affine function of x: its curve is a straight line.
    const line = curve.filter((p) => p.activation === "identity");
    expect(line.length).toBe(200);
    const slope = (line[199].y - line[0].y) / (line[199].x - line[0].x);
    for (const p of line) expect(p.y).toBeCloseTo(line[0].y + slope * (p.x - line[0].x), 4);
    // ... and spans the data's x range, in raw units (sine is generated on [-2 pi, 2 pi]).
    expect(line[0].x).toBeGreaterThan(-2 * Math.PI - 1e-6);
    expect(line[199].x).toBeLessThan(2 * Math.PI + 1e-6);
    expect(line[199].x - line[0].x).toBeGreaterThan(10);
  }, 120_000);
});
