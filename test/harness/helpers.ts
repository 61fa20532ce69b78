import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parse } from "csv-parse/sync";
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
export function startCli(args: string[], cwd = ROOT): ChildProcess {
  return spawn(process.execPath, ["--import", TSX, join(ROOT, "src", "cli.ts"), ...args], {
    cwd,
    env: { ...process.env, NODE_OPTIONS: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

export function runCli(args: string[], cwd = ROOT): Promise<CliResult> {
  const child = startCli(args, cwd);
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

export const OUTPUT_CSVS = ["runs.csv", "curves.csv", "layers.csv", "activations.csv"];

export function exists(path: string): boolean {
  return existsSync(path);
}
