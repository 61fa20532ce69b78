/**
 * The results schema against what really gets recorded and written: real
 * sweeps on all three compute paths (wasm, TypeScript, brain.js), with every
 * optional figure switched on and one run made to diverge, must leave no
 * recorded field without a column and no column that nothing fills; and the
 * README's column table must list exactly the schema's columns. The same
 * sweeps show the manifest naming the path each run took.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadExperiment } from "../../src/harness/config.js";
import { runSweep } from "../../src/harness/sweep.js";
import { ACTIVATION_COLUMNS, CURVE_COLUMNS, curveColumns, LAYER_COLUMNS, layerColumns, PARAM_COLUMNS, paramColumns, runColumns } from "../../src/results/schema.js";
import type { EpochRecord } from "../../src/results/schema.js";
import { readCsv, ROOT, tmp, writeConfig, type Rows } from "../harness/helpers.js";

const quiet = () => ({ start() {}, done() {}, stop() {} });

const ENGINES = {
  wasm: "engine: native\ntrain: {epochs: 2, batchSize: 8, kernel: wasm, optimizer: {name: momentum, lr: 0.05}}",
  ts: "engine: native\ntrain: {epochs: 2, batchSize: 8, kernel: ts, optimizer: {name: momentum, lr: 0.05}}",
  brainjs: "engine: brainjs\ntrain: {epochs: 2, batchSize: 1, optimizer: {name: momentum, lr: 0.05}}",
} as const;
type Path = keyof typeof ENGINES;

interface Written {
  dir: string;
  csv: Record<string, { columns: string[]; rows: Rows }>;
  /** The records the engine returned, as the store keeps them (runs/<id>.json). */
  records: EpochRecord[];
}

const written = {} as Record<Path, Written>;

beforeAll(async () => {
  const dir = tmp("actbench-schema-");
  for (const path of Object.keys(ENGINES) as Path[]) {
    // A grid point with a tiny divergeAbove makes one run diverge, so that diverged_epoch and message are filled.
    const exp = await loadExperiment(
      writeConfig(
        dir,
        `name: schema-${path}
${ENGINES[path]}
seeds: 1
activations: [tanh, relu, prelu]
dataset: {name: blobs, n: 90, split: {val: 0.2, test: 0.2}}
model: {hidden: [5, 4]}
record: {probeSize: 16, stepGradNorms: true}
grid: {train.divergeAbove: [1000, 0.000001]}
`,
        `${path}.yaml`,
      ),
    );
    const out = await runSweep(exp, { out: join(dir, path), workers: 1, progress: quiet });
    const csv = Object.fromEntries(["runs.csv", "curves.csv", "layers.csv", "params.csv", "activations.csv"].map((f) => [f, readCsv(join(out.dir, f))]));
    const records = readdirSync(join(out.dir, "runs")).flatMap((f) => (JSON.parse(readFileSync(join(out.dir, "runs", f), "utf8")) as { records: EpochRecord[] }).records);
    written[path] = { dir: out.dir, csv, records };
  }
}, 120_000);

describe("results schema", () => {
  it("the files have the schema's columns, in its order", () => {
    for (const w of Object.values(written)) {
      expect(w.csv["runs.csv"].columns).toEqual(runColumns(["train.divergeAbove"]));
      expect(w.csv["curves.csv"].columns).toEqual(curveColumns(["train.divergeAbove"]));
      expect(w.csv["layers.csv"].columns).toEqual(layerColumns(["train.divergeAbove"]));
      expect(w.csv["params.csv"].columns).toEqual(paramColumns(["train.divergeAbove"]));
      expect(w.csv["activations.csv"].columns).toEqual([...ACTIVATION_COLUMNS]);
    }
  });

  it("every field an engine records has a column", () => {
    for (const [path, w] of Object.entries(written)) {
      expect(w.records.length, path).toBeGreaterThan(0);
      for (const r of w.records) {
        for (const key of Object.keys(r)) if (key !== "layers" && key !== "params") expect(CURVE_COLUMNS as readonly string[], `${path}: record field ${key}`).toContain(key);
        for (const l of r.layers) for (const key of Object.keys(l)) expect(LAYER_COLUMNS as readonly string[], `${path}: layer field ${key}`).toContain(key);
        for (const p of r.params ?? []) for (const key of Object.keys(p)) expect(PARAM_COLUMNS as readonly string[], `${path}: param field ${key}`).toContain(key);
      }
    }
  });

  it("every column is filled somewhere, on every compute path", () => {
    for (const [path, w] of Object.entries(written))
      for (const [file, { columns, rows }] of Object.entries(w.csv))
        for (const c of columns) expect(rows.some((r) => r[c] !== ""), `${path} ${file}: column ${c} is empty in every row`).toBe(true);
  });

  it("step_grad_norm is in layers.csv, empty at epoch 0 and a positive number at every later epoch, on all three paths", () => {
    for (const [path, w] of Object.entries(written)) {
      const layers = w.csv["layers.csv"].rows;
      const untrained = layers.filter((r) => r.epoch === "0");
      const trained = layers.filter((r) => r.epoch !== "0");
      expect(untrained.length, path).toBeGreaterThan(0);
      expect(trained.length, path).toBeGreaterThan(0);
      for (const r of untrained) expect(r.step_grad_norm, `${path} ${r.run_id} layer ${r.layer}`).toBe("");
      for (const r of trained) expect(Number(r.step_grad_norm), `${path} ${r.run_id} epoch ${r.epoch} layer ${r.layer}`).toBeGreaterThan(0);
      // The CSV holds what the engine recorded (shortest round-trip text, so equal as numbers).
      const recorded = w.records.flatMap((r) => r.layers.map((l) => l.step_grad_norm)).filter((v) => v !== undefined);
      expect(trained.map((r) => Number(r.step_grad_norm)).sort()).toEqual(recorded.sort());
    }
  });

  it("README's column table lists exactly the schema's columns", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const documented = (file: string): string[] => {
      const line = readme.split("\n").find((l) => l.startsWith(`| \`${file}\``));
      expect(line, `README has a row for ${file}`).toBeDefined();
      const cells = line!.split("|").map((c) => c.trim());
      // The columns cell names each column in backticks; `a.b` is the example grid key, not a column.
      return [...cells[3].matchAll(/`([^`]+)`/g)].map((m) => m[1]).filter((name) => /^[a-z][a-z0-9_]*$/.test(name));
    };
    expect(documented("runs.csv")).toEqual(runColumns([]));
    expect(documented("curves.csv")).toEqual([...CURVE_COLUMNS]);
    expect(documented("layers.csv")).toEqual([...LAYER_COLUMNS]);
    expect(documented("params.csv")).toEqual([...PARAM_COLUMNS]);
    expect(documented("activations.csv")).toEqual([...ACTIVATION_COLUMNS]);
  });

  it("the manifest says which compute path each run took, as its worker reported it", () => {
    for (const [path, w] of Object.entries(written)) {
      const manifest = JSON.parse(readFileSync(join(w.dir, "manifest.json"), "utf8")) as { runs: Array<{ path?: string; wasm_variant?: string }> };
      expect(manifest.runs.length, path).toBe(6);
      for (const run of manifest.runs) {
        expect(run.path).toBe(path);
        // The FMA build where relaxed SIMD runs (Node 20 here: actbench switches it on), only on the wasm path.
        expect(run.wasm_variant).toBe(path === "wasm" ? "simd+fma" : undefined);
      }
    }
  });
});
