import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse } from "csv-parse/sync";
import { expect } from "vitest";
import { TIMING_COLUMNS } from "../../src/results/schema.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const FIXTURES = join(ROOT, "test", "fixtures", "harness");

/** tsx's loader by absolute URL, so a child started in another folder still finds it. */
export const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

export function tmp(prefix = "actbench-harness-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes a config (text) into dir and returns its path. */
export function writeConfig(dir: string, text: string, name = "exp.yaml"): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/**
 * Copies a fixture module into dir, beside a package.json saying "type":
 * "module", as in a user's ESM project (from source, tsx reads .js and .ts
 * files as CommonJS without it).
 */
export function copyModule(name: string, dir: string): void {
  copyFileSync(join(FIXTURES, name), join(dir, name));
  writeFileSync(join(dir, "package.json"), '{"type": "module"}\n');
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the CLI from source (tsx), so the test runs the code in this checkout, never a stale dist/. */
export function startCli(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ["--import", TSX, join(ROOT, "src", "cli.ts"), ...args], {
    cwd,
    env: { ...process.env, NODE_OPTIONS: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export function runCli(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const child = startCli(args, cwd, env);
  return collect(child);
}

export function collect(child: ChildProcess): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

export type Rows = Array<Record<string, string>>;

export function readCsv(path: string): { columns: string[]; rows: Rows } {
  let columns: string[] = [];
  const rows = parse(readFileSync(path, "utf8"), { columns: (h: string[]) => (columns = h) }) as Rows;
  return { columns, rows };
}


/** A CSV's rows with the timing columns removed: what must match byte for byte across runs. */
export function withoutTiming(path: string): Rows {
  return readCsv(path).rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !TIMING_COLUMNS.has(k))));
}

export const OUTPUT_CSVS = ["runs.csv", "curves.csv", "layers.csv", "params.csv", "activations.csv"];

/** The folder's lock files (.actbench.lock and its generations .actbench.lock.<g>). */
export function lockFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith(".actbench.lock")) : [];
}

export function exists(path: string): boolean {
  return existsSync(path);
}

/** Asserts that a results folder holds the results of another: every CSV but its timing columns, the model files byte for byte. */
export function expectSameResults(actual: string, expected: string): void {
  for (const name of OUTPUT_CSVS) expect(withoutTiming(join(actual, name)), name).toEqual(withoutTiming(join(expected, name)));
  const models = readdirSync(join(expected, "models")).sort();
  expect(readdirSync(join(actual, "models")).sort()).toEqual(models);
  for (const m of models) expect(readFileSync(join(actual, "models", m), "utf8"), m).toBe(readFileSync(join(expected, "models", m), "utf8"));
}

/** A sweep of 8 tiny runs (2 activations x 2 seeds x 2 depths) for the sharding examples: seconds of training. */
export const TINY_SWEEP = `name: tiny
seeds: 2
activations: [relu, tanh]
dataset: {name: moons, n: 200, noise: 0.2}
train: {epochs: 3, batchSize: 16, optimizer: {name: adam, lr: 0.01}}
record: {every: 1, probeSize: 32, models: [final]}
grid:
  model.hidden: [[8], [8, 8]]
`;
