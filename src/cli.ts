/**
 * The actbench command line (yargs). Exit codes: 0 ok; 1 some run failed (or
 * an internal error); 2 a usage, config or data mistake, in which case nothing
 * was written; 130 stopped by Ctrl-C (finished runs kept, the rest resumable).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { activationRows, benchActivations } from "./activations/index.js";
import { formatTable as table } from "./textTable.js";
import { formatDatasetTable, listDatasets } from "./data/index.js";
import { UserError } from "./errors.js";
import { KERNELS } from "./nn/names.js";
import { loadExperiment, type Experiment } from "./harness/config.js";
import { configJsonSchema } from "./harness/config-schema.js";
import { entriesOf, writeClaimed } from "./harness/folder.js";
import { planRuns } from "./harness/plan.js";
import { formatDuration } from "./harness/cost.js";
import { estimateSweep } from "./harness/estimate.js";
import { defaultWorkers } from "./harness/pool.js";
import { packageVersion } from "./harness/provenance.js";
import { expandShardArgs, mergeShards } from "./harness/merge.js";
import { formatShard, partition, shardFromOptions, type Shard } from "./harness/shard.js";
import { defaultOutDir, planSweep, runSweep } from "./harness/sweep.js";
import { claimsTerminal } from "./claims/render.js";
import { checkTarget, sweepTask } from "./report/target.js";

/** Loads the config and prints its warnings (on stderr: they are not results). */
async function loadConfig(file: string, set: readonly string[] | undefined): Promise<Experiment> {
  const exp = await loadExperiment(file, { set });
  for (const w of exp.warnings ?? []) process.stderr.write(`actbench: warning: ${w}\n`);
  return exp;
}

/** The report pulls in vega (a second to load): imported only by the commands that write one. */
async function writeReport(dir: string, target?: number, margin?: number): ReturnType<typeof import("./report/index.js").writeReport> {
  const report = await import("./report/index.js");
  let written!: Awaited<ReturnType<typeof report.writeReport>>;
  // The report replaces only report files actbench wrote (a user's report.md is refused, never overwritten).
  await writeClaimed(dir, ["report.html", "report.md", ...entriesOf(dir, "charts")], async () => {
    written = await report.writeReport(dir, { ...(target === undefined ? {} : { target }), ...(margin === undefined ? {} : { margin }) });
    return written.charts;
  });
  return written;
}

const out = (text: string): void => void process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);

function workersOption(n: number | number[] | undefined): number | undefined {
  if (n === undefined) return undefined;
  if (Array.isArray(n)) throw new UserError(`--workers: given ${n.length} times (${n.join(", ")}); give it once`);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`--workers: found ${n}, expected a whole number >= 1`);
  return n;
}

async function runCommand(args: {
  config: string;
  out?: string;
  workers?: number;
  set?: string[];
  kernel?: string;
  overwrite?: boolean;
  report?: boolean;
  target?: number;
  shard?: string;
  shards?: number;
  margin?: number;
  live?: boolean;
  port?: number;
  host?: string;
}): Promise<number> {
  const found = shardFromOptions(args.shard, args.shards, process.env);
  if (found && found.source !== "--shard") out(`--shard auto: shard ${formatShard(found.shard)} of the sweep, from the ${found.source}`);
  const shard = found?.shard;
  // --kernel is shorthand for --set train.kernel=... (so it is validated, and named in errors, like any key).
  // --margin likewise is report.margin (recorded in the manifest, so `actbench report` uses it too).
  const set = [...(args.set ?? []), ...(args.kernel ? [`train.kernel=${args.kernel}`] : []), ...(args.margin !== undefined ? [`report.margin=${args.margin}`] : [])];
  const exp = await loadConfig(args.config, set);
  // Refused now, not after the sweep: the report at its end is where the target is used.
  if (args.target !== undefined) checkTarget(args.target, sweepTask(exp.points.map((p) => p.dataset)));
  // The live view serves the output folder while the sweep fills it, and stops with it.
  const live = args.live ? await startLive(args.out ?? defaultOutDir(exp, shard), args) : undefined;
  try {
    return await sweepAndReport(exp, args, shard);
  } finally {
    await live?.close();
  }
}

/** Starts the live view of a folder and says where it is. */
async function startLive(dir: string, args: { port?: number; host?: string }): Promise<{ close(): Promise<void> }> {
  if (args.port !== undefined && !(Number.isInteger(args.port) && args.port >= 0 && args.port < 65536)) throw new UserError(`--port: found ${args.port}, expected a port number 0-65535`);
  const { startLiveServer } = await import("./live/server.js");
  const server = await startLiveServer(dir, { port: args.port, host: args.host });
  out(`live view: ${server.url} (${dir})`);
  if (args.host && !["127.0.0.1", "localhost", "::1"].includes(args.host)) process.stderr.write(`actbench: the live view listens on ${args.host}: anyone who can reach this machine can read the results\n`);
  return server;
}

async function sweepAndReport(
  exp: Experiment,
  args: Parameters<typeof runCommand>[0],
  shard: Shard | undefined,
): Promise<number> {
  const controller = new AbortController();
  let stops = 0;
  const onSigint = (): void => {
    if (++stops > 1) process.exit(130);
    process.stderr.write("\nstopping: runs in flight are dropped, finished runs are kept; run the same command again to resume (Ctrl-C again to quit at once)\n");
    controller.abort();
  };
  process.on("SIGINT", onSigint);
  let summary;
  try {
    summary = await runSweep(exp, { out: args.out, shard, workers: workersOption(args.workers), overwrite: args.overwrite, signal: controller.signal });
  } finally {
    process.off("SIGINT", onSigint);
  }
  const done = summary.ok + summary.diverged + summary.failed;
  out(
    `${summary.interrupted ? "stopped" : "done"}: ${done} of ${summary.total} runs${shard ? ` of shard ${formatShard(shard)}` : ""} (${summary.ok} ok, ${summary.diverged} diverged, ${summary.failed} failed` +
      `${summary.skipped ? `; ${summary.skipped} from an earlier sweep` : ""})`,
  );
  for (const f of summary.failures.slice(0, 5)) process.stderr.write(`failed: ${f.activation} seed ${f.seed} (${f.run_id}): ${f.message}\n`);
  if (summary.failures.length > 5) process.stderr.write(`failed: ... and ${summary.failures.length - 5} more (see runs.csv)\n`);
  out(`results: ${summary.dir}/ (runs.csv, curves.csv, layers.csv, params.csv, activations.csv, manifest.json)`);
  if (summary.interrupted) return 130;
  let claims;
  if (shard) out(`report: none for a shard (it holds part of the runs); actbench merge writes the sweep's report`);
  else if (args.report !== false) {
    const r = await writeReport(summary.dir, args.target);
    out(`report: ${r.html}`);
    out(`report: ${r.md} (charts in ${summary.dir}/charts)`);
    r.summary.forEach((line) => out(line));
    claims = r.claims;
  } else if (exp.claims.length > 0) {
    const { evaluateClaims } = await import("./claims/index.js");
    const { loadResults } = await import("./report/results.js");
    claims = await evaluateClaims(loadResults(summary.dir));
  }
  // Claims are findings: whatever they say, the exit code is the runs'.
  if (claims) for (const line of claimsTerminal(claims)) out(line);
  return summary.failed > 0 ? 1 : 0;
}

async function validateCommand(args: { config: string; set?: string[]; workers?: number; estimate?: boolean }): Promise<number> {
  const workers = workersOption(args.workers) ?? defaultWorkers();
  const exp = await loadConfig(args.config, args.set);
  const { runs, datasetOf } = await planSweep(exp);
  out(
    `${args.config}: ok. ${runs.length} runs = ${exp.activations.length} activations x ${exp.seeds.length} seeds x ${exp.points.length} grid point${exp.points.length === 1 ? "" : "s"}; output folder ${defaultOutDir(exp)}/ (config hash ${exp.hash})`,
  );
  if (args.estimate !== false) {
    const e = await estimateSweep(runs, datasetOf, Math.min(workers, runs.length));
    const shapes = `${e.calibrated} network shape${e.calibrated === 1 ? "" : "s"} timed here${e.predicted ? `, ${e.predicted} more from the cost model` : ""}`;
    out(`estimated time: about ${formatDuration(e.seconds)} on ${e.workers} worker${e.workers === 1 ? "" : "s"} (${shapes}, in ${e.calibrationSeconds.toFixed(1)}s)`);
  }
  return 0;
}

/** Multiply-adds with an SI prefix, 3 significant digits (27.6M, 1.20G). */
function si(x: number): string {
  const units = ["", "k", "M", "G", "T", "P", "E"];
  let u = 0;
  while (Math.abs(x) >= 999.5 && u < units.length - 1) (x /= 1000), u++;
  return `${u === 0 ? String(Math.round(x)) : x.toPrecision(3)}${units[u]}`;
}

async function planCommand(args: { config: string; set?: string[]; shards?: number; runs?: boolean; json?: boolean }): Promise<number> {
  const exp = await loadConfig(args.config, args.set);
  const { runs, datasetOf } = await planSweep(exp);
  const parts = partition(runs, args.shards ?? 1, datasetOf);
  const total = parts.reduce((s, p) => s + p.cost, 0);
  if (args.json) {
    out(JSON.stringify({ config_hash: exp.hash, runs: runs.length, cost: total, shards: parts.map((p) => ({ shard: p.index, cost: p.cost, runs: p.runs.map((r) => ({ run_id: r.runId, activation: r.activation, seed: r.seed, grid: r.grid })) })) }, null, 2));
    return 0;
  }
  const mean = total / parts.length;
  out(`${args.config}: ${runs.length} runs in ${parts.length} shard${parts.length === 1 ? "" : "s"} (config hash ${exp.hash}); cost = multiply-adds x rows x epochs (brain.js runs count 10x)`);
  out(table(["shard", "runs", "cost", "share", "folder"], parts.map((p) => [formatShard(p), String(p.runs.length), si(p.cost), `${((100 * p.cost) / total).toFixed(1)}%`, `${defaultOutDir(exp, p)}/`])));
  out(`largest shard: ${(Math.max(...parts.map((p) => p.cost)) / mean).toFixed(2)}x the mean${parts.some((p) => p.runs.length === 0) ? `; some shards are empty (more shards than runs)` : ""}`);
  if (args.runs)
    for (const p of parts) {
      out(`\nshard ${formatShard(p)}:`);
      out(table(["run_id", "activation", "seed", "grid"], p.runs.map((r) => [r.runId, r.activation, String(r.seed), JSON.stringify(r.grid)])));
    }
  return 0;
}

async function mergeCommand(args: { out: string; shards: string[]; partial?: boolean; report?: boolean; target?: number }): Promise<number> {
  const m = mergeShards(args.out, expandShardArgs(args.shards), { partial: args.partial });
  for (const w of m.warnings) process.stderr.write(`note: ${w}\n`);
  const c = m.counts;
  out(`merged ${m.shards} shard folder${m.shards === 1 ? "" : "s"}: ${m.total - m.missing} of ${m.total} runs (${c.ok} ok, ${c.diverged} diverged, ${c.failed} failed)${m.missing ? `; PARTIAL: ${m.missing} missing` : ""}`);
  out(`results: ${m.dir}/ (runs.csv, curves.csv, layers.csv, activations.csv, manifest.json)`);
  if (args.report !== false) {
    const r = await writeReport(m.dir, args.target);
    out(`report: ${r.html}`);
  }
  return c.failed > 0 ? 1 : 0;
}

function listCommand(args: { what: string; json?: boolean }): number {
  if (args.what === "datasets") {
    const rows = listDatasets();
    out(args.json ? JSON.stringify(rows, null, 2) : formatDatasetTable(rows));
    return 0;
  }
  const rows = activationRows();
  if (args.json) {
    out(JSON.stringify(rows, null, 2));
    return 0;
  }
  out(
    table(
      ["name", "aliases", "params", "zero derivative", "init", "source"],
      rows.map((r) => [r.name, r.aliases.join(",") || "-", r.params.join(", ") || "-", r.zero_derivative, r.init, r.source]),
    ),
  );
  return 0;
}

function benchCommand(args: { json?: boolean }): number {
  const rows = benchActivations();
  if (args.json) out(JSON.stringify(rows, null, 2));
  else
    out(
      `ns per element of each activation's Float32Array loops over 2^20 values (median of 5 passes; lower is faster)\n` +
        table(
          ["activation", "f_ns", "df_ns"],
          rows.map((r) => [r.name, r.f_ns.toFixed(2), r.df_ns.toFixed(2)]),
        ),
    );
  return 0;
}

async function reportCommand(args: { dir: string; target?: number; margin?: number }): Promise<number> {
  const r = await writeReport(args.dir, args.target, args.margin);
  out(`report: ${r.html}`);
  out(`report: ${r.md} (+ ${r.charts.length} charts)`);
  r.summary.forEach((line) => out(line));
  return 0;
}

async function serveCommand(args: { dir: string; port?: number; host?: string }): Promise<number> {
  if (!existsSync(join(args.dir, "manifest.json")) && !existsSync(join(args.dir, "runs")))
    throw new UserError(`${args.dir}: no manifest.json or runs/ here; expected a results folder written by \`actbench run\``);
  const server = await startLive(args.dir, args);
  out("Ctrl-C to stop");
  await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
  await server.close();
  return 0;
}

async function compareCommand(args: { a: string; b: string; out?: string; margin?: number }): Promise<number> {
  if (args.margin !== undefined && !(Number.isFinite(args.margin) && args.margin >= 0)) throw new UserError(`--margin: found ${args.margin}, expected a number >= 0`);
  const { compareFolders, compareTable, defaultCompareDir, writeComparison } = await import("./report/compare.js");
  const c = compareFolders(args.a, args.b, { margin: args.margin });
  const t = compareTable(c);
  out(`A: ${c.a}\nB: ${c.b}\n${table(t.header, t.rows.map((r) => r.map((cell) => cell.replace(/\n/g, " "))))}`);
  const files = writeComparison(c, args.out ?? defaultCompareDir(args.a, args.b));
  out(`compare: ${files.html}`);
  out(`compare: ${files.md}, ${files.csv}`);
  return 0;
}

/** Runs a command handler and turns its outcome into the exit code. */
function handle<A>(fn: (args: A) => number | Promise<number>): (args: A) => Promise<void> {
  return async (args) => {
    try {
      process.exitCode = await fn(args);
    } catch (err) {
      if (err instanceof UserError) {
        process.stderr.write(`actbench: ${err.message}\n`);
        process.exitCode = 2;
      } else {
        process.stderr.write(`actbench: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
        process.exitCode = 1;
      }
    }
  };
}

/** The commands yargs knows, read once all are registered (inside a command yargs forgets its siblings). */
function commandNames(cli: unknown): string[] {
  const internal = (cli as { getInternalMethods?: () => { getCommandInstance(): { getCommands(): string[] } } }).getInternalMethods;
  return internal ? internal.call(cli).getCommandInstance().getCommands() : [];
}

/** `actbench run --help` when the mistake is in a command's arguments, else `actbench --help`. */
export function helpCommand(argv: readonly string[], commands: readonly string[]): string {
  const first = argv.find((a) => !a.startsWith("-"));
  return first !== undefined && commands.includes(first) ? `actbench ${first} --help` : "actbench --help";
}

export async function main(argv: string[]): Promise<void> {
  const cli = yargs(argv)
    .scriptName("actbench")
    .usage("$0 <command> [options]\n\nTrain identical MLPs with each activation function and compare them.")
    .command(
      "run <config>",
      "Run the sweep a config describes; write CSVs, manifest and report",
      (y) =>
        y
          .positional("config", { type: "string", demandOption: true, describe: "experiment config (YAML or JSON)" })
          .option("out", { type: "string", describe: "output folder (default results/<name>)" })
          .option("workers", { type: "number", describe: "worker threads (default: number of cores)" })
          .option("set", { type: "string", array: true, describe: "override a config key: key=value (value read as YAML); repeatable" })
          .option("kernel", { type: "string", choices: KERNELS, describe: "native engine's compute path (same as --set train.kernel=...)" })
          .option("overwrite", { type: "boolean", default: false, describe: "start afresh, replacing the files actbench wrote in the folder (never anything else)" })
          .option("target", { type: "number", describe: "report epochs to reach this validation accuracy (loss for regression)" })
          .option("margin", { type: "number", describe: "report: accuracy difference (e.g. 0.005) or relative loss difference (0.01) below which activations count as equivalent; default report.margin" })
          .option("report", { type: "boolean", default: true, describe: "write report.html/report.md at the end (--no-report to skip)" })
          .option("live", { type: "boolean", default: false, describe: "serve the live view of the output folder while the sweep runs (stops with it)" })
          .option("port", { type: "number", describe: "--live: port (default: the first free one from 7007)" })
          .option("host", { type: "string", describe: "--live: address to listen on (default 127.0.0.1: this machine only)" })
          .option("shard", { type: "string", describe: "run only shard i/n (0-based) of the plan, into results/<name>/shard-i-of-n; auto: from SLURM_ARRAY_TASK_* or JOB_COMPLETION_INDEX" })
          .option("shards", { type: "number", describe: "with --shard auto on Kubernetes: the number of shards (the Job's completions; or set ACTBENCH_SHARDS)" })
          .example("$0 run experiments/quickstart.yaml", "the main job: every activation, 3 seeds, spirals and MNIST")
          .example("$0 run experiments/quickstart.yaml --set train.epochs=5 --out results/short", "a shorter sweep elsewhere")
          .example("$0 run experiments/depth.yaml --workers 2", "the depth sweep on 2 threads; run it again to resume")
          .example("$0 run experiments/quickstart.yaml --kernel ts --out results/qs-ts", "the TypeScript reference path instead of WebAssembly")
          .example("$0 run experiments/quickstart.yaml --shard 1/4", "the second of 4 shards (on another machine); then actbench merge"),
      handle(runCommand),
    )
    .command(
      "validate <config>",
      "Check a config (and its datasets) without running anything",
      (y) =>
        y
          .positional("config", { type: "string", demandOption: true, describe: "experiment config (YAML or JSON)" })
          .option("set", { type: "string", array: true, describe: "override a config key: key=value" })
          .option("workers", { type: "number", describe: "worker threads the time estimate assumes (default: number of cores)" })
          .option("estimate", { type: "boolean", default: true, describe: "estimate the sweep's time from short calibration runs (--no-estimate to skip)" })
          .example("$0 validate experiments/quickstart.yaml", "prints the number of runs and the estimated time, or every problem and where")
          .example("$0 validate experiments/depth.yaml --workers 8", "the time on 8 workers"),
      handle(validateCommand),
    )
    .command(
      "plan <config>",
      "Print how a sweep splits into shards: runs and estimated cost per shard",
      (y) =>
        y
          .positional("config", { type: "string", demandOption: true, describe: "experiment config (YAML or JSON)" })
          .option("shards", { type: "number", default: 1, describe: "number of shards" })
          .option("set", { type: "string", array: true, describe: "override a config key: key=value" })
          .option("runs", { type: "boolean", default: false, describe: "also list each shard's runs" })
          .option("json", { type: "boolean", default: false, describe: "print the partition as JSON" })
          .example("$0 plan experiments/quickstart.yaml --shards 4", "size a 4-task job array"),
      handle(planCommand),
    )
    .command(
      "merge <out> <shards..>",
      "Join the folders of a sweep's shards into one results folder (as if run on one machine)",
      (y) =>
        y
          .positional("out", { type: "string", demandOption: true, describe: "output folder (new, or an earlier merge of the same sweep)" })
          .positional("shards", { type: "string", array: true, demandOption: true, describe: "the shard folders (actbench run --shard i/n), or a quoted glob" })
          .option("partial", { type: "boolean", default: false, describe: "merge even with runs missing; the manifest and report say partial" })
          .option("report", { type: "boolean", default: true, describe: "write report.html/report.md (--no-report to skip)" })
          .option("target", { type: "number", describe: "report epochs to reach this validation accuracy (loss for regression)" })
          .example("$0 merge results/quickstart results/quickstart/shard-*", "after every shard of a 4-way split finished"),
      handle(mergeCommand),
    )
    .command(
      "list <what>",
      "List the registry's activations or the built-in datasets",
      (y) =>
        y
          .positional("what", { choices: ["activations", "datasets"] as const, demandOption: true })
          .option("json", { type: "boolean", default: false, describe: "print JSON instead of a table" })
          .example("$0 list activations", "name, aliases, parameters, zero-derivative region, recommended init, source")
          .example("$0 list datasets --json", "the built-in datasets as JSON"),
      handle(listCommand),
    )
    .command(
      "bench <what>",
      "Measure the compute cost of each activation (ns per element)",
      (y) =>
        y
          .positional("what", { choices: ["activations"] as const, demandOption: true })
          .option("json", { type: "boolean", default: false, describe: "print JSON instead of a table" })
          .example("$0 bench activations", "f and f' cost of every registry activation"),
      handle(benchCommand),
    )
    .command(
      "report <dir>",
      "Write report.html and report.md for a results folder",
      (y) =>
        y
          .positional("dir", { type: "string", demandOption: true, describe: "results folder written by `actbench run`" })
          .option("target", { type: "number", describe: "report epochs to reach this validation accuracy (loss for regression)" })
          .option("margin", { type: "number", describe: "report: accuracy difference (e.g. 0.005) or relative loss difference (0.01) below which activations count as equivalent; default report.margin" })
          .example("$0 report results/quickstart", "rebuild the quickstart report")
          .example("$0 report results/quickstart --target 0.8", "with epochs to 80% validation accuracy"),
      handle(reportCommand),
    )
    .command(
      "serve <dir>",
      "Serve a results folder's live view: the leaderboard so far and the curves, updating as runs finish",
      (y) =>
        y
          .positional("dir", { type: "string", demandOption: true, describe: "results folder (of a running or a finished sweep)" })
          .option("port", { type: "number", describe: "port (default: the first free one from 7007)" })
          .option("host", { type: "string", describe: "address to listen on (default 127.0.0.1: this machine only)" })
          .example("$0 serve results/quickstart", "open the printed address in a browser; Ctrl-C stops it"),
      handle(serveCommand),
    )
    .command(
      "compare <a> <b>",
      "Compare two results folders: matched activations side by side, differences and their statistics",
      (y) =>
        y
          .positional("a", { type: "string", demandOption: true, describe: "results folder A (the baseline)" })
          .positional("b", { type: "string", demandOption: true, describe: "results folder B (differences are B - A)" })
          .option("out", { type: "string", describe: "folder for compare.html, compare.md, compare.csv (default results/compare/<A>-vs-<B>)" })
          .option("margin", { type: "number", describe: "accuracy difference (e.g. 0.005) or relative loss difference (0.01) below which results count as equivalent" })
          .example("$0 compare results/sgd results/adam", "the same activations trained with two optimizers")
          .example("$0 compare results/mine-v1 results/mine-v2 --out results/v1-v2", "before and after a change to a custom activation"),
      handle(compareCommand),
    )
    .command(
      "schema",
      "Print the config's JSON Schema (for editor completion and checks)",
      (y) => y.example("$0 schema > actbench.schema.json", "save it for your editor"),
      handle(() => {
        out(JSON.stringify(configJsonSchema(), null, 2));
        return 0;
      }),
    )
    .demandCommand(1, "give a command: run, validate, plan, merge, list, bench, report, compare, serve or schema")
    .strict()
    .recommendCommands()
    .help()
    .alias("h", "help")
    .version(packageVersion() ?? "unknown")
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      process.stderr.write(`actbench: ${msg}\n(see ${helpCommand(argv, commands)})\n`);
      process.exit(2);
    });
  const commands = commandNames(cli);
  await cli.parseAsync();
}

await main(hideBin(process.argv));
