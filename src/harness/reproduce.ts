/**
 * The reproductions of published results (experiments/reproductions/*.yaml):
 * run each as an ordinary sweep into results/reproductions/<name>/, check its
 * claims, and write docs/reproductions.md from every one that has results:
 * the paper, the claim, their number, ours (the deciding statistic, with mean
 * and CI), whether it holds here, and the sweep's runtime. `npm run
 * reproduce` is the entry (scripts/reproduce.ts).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { evaluateClaims, type ClaimResult } from "../claims/index.js";
import type { Claim } from "../claims/schema.js";
import { loadResults } from "../report/results.js";
import { loadExperiment, type Experiment } from "./config.js";
import type { Progress, ProgressPlan } from "./progress.js";
import { runSweep } from "./sweep.js";

/** One reproduction's config file and what its comment block says. */
export interface ReproductionConfig {
  file: string;
  exp: Experiment;
  /** The comment block's first line, e.g. "Reproduction 1: born-dead ReLU networks." */
  title: string;
  /** The rest of the comment block (paper, claim, original setup, ours, deviations). */
  about: string[];
}

/** A reproduction's outcome, as docs/reproductions.md shows it. */
export interface ReproductionOutcome {
  config: ReproductionConfig;
  /** Absent when the reproduction has no complete results folder yet. */
  claims?: Array<{ claim: Claim; result: ClaimResult }>;
  runs?: number;
  /** Runs by status, e.g. "9 ok, 3 diverged". */
  statuses?: string;
  /** Wall time of the sweep that made the results (manifest start to end). */
  seconds?: number;
}

export const REPRODUCTIONS_DIR = join("experiments", "reproductions");
export const REPRODUCTIONS_OUT = join("results", "reproductions");

/** The leading comment block of a YAML file: title line, then the rest (comment marks removed). */
export function commentBlock(text: string): { title: string; about: string[] } {
  const lines: string[] = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("#")) break;
    lines.push(line.replace(/^# ?/, ""));
  }
  const [title = "", ...rest] = lines;
  while (rest.length && rest[0].trim() === "") rest.shift();
  return { title: title.trim(), about: rest };
}

/** The reproduction configs, in the order of their titles' numbers. */
export async function reproductionConfigs(dir = REPRODUCTIONS_DIR): Promise<ReproductionConfig[]> {
  const files = readdirSync(dir).filter((f) => f.endsWith(".yaml")).map((f) => join(dir, f));
  const out: ReproductionConfig[] = [];
  for (const file of files) {
    const { title, about } = commentBlock(readFileSync(file, "utf8"));
    out.push({ file, exp: await loadExperiment(file), title, about });
  }
  const num = (t: string) => /Reproduction (\d+)([a-z]?)/.exec(t) ?? ["", "999", ""];
  return out.sort((a, b) => {
    const [, na, la] = num(a.title);
    const [, nb, lb] = num(b.title);
    return Number(na) - Number(nb) || la.localeCompare(lb) || a.file.localeCompare(b.file);
  });
}

export function outDir(config: ReproductionConfig, root = REPRODUCTIONS_OUT): string {
  return join(root, config.exp.name);
}

/** Runs one reproduction afresh (its results folder is replaced) and returns its outcome. */
export async function runReproduction(
  config: ReproductionConfig,
  opts: { root?: string; workers?: number; progress?: (plan: ProgressPlan) => Progress; signal?: AbortSignal } = {},
): Promise<ReproductionOutcome> {
  await runSweep(config.exp, { out: outDir(config, opts.root), workers: opts.workers, overwrite: true, progress: opts.progress, signal: opts.signal });
  return outcome(config, opts.root);
}

/** A reproduction's outcome from its results folder (no claims when it has no complete results). */
export async function outcome(config: ReproductionConfig, root = REPRODUCTIONS_OUT): Promise<ReproductionOutcome> {
  const dir = outDir(config, root);
  const manifestPath = join(dir, "manifest.json");
  if (!existsSync(manifestPath)) return { config };
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { state?: string; started_at?: string; ended_at?: string; config_hash?: string };
  // Results of another version of the config, or of an interrupted sweep, say nothing about this one.
  if (manifest.state !== "complete" || manifest.config_hash !== config.exp.hash) return { config };
  const results = loadResults(dir);
  const claimResults = await evaluateClaims(results, config.exp.claims);
  const seconds = manifest.started_at && manifest.ended_at ? (Date.parse(manifest.ended_at) - Date.parse(manifest.started_at)) / 1000 : undefined;
  return {
    config,
    runs: results.runs.length,
    statuses: (["ok", "diverged", "failed"] as const)
      .map((st) => [st, results.runs.filter((r) => r.status === st).length] as const)
      .filter(([, n]) => n > 0)
      .map(([st, n]) => `${n} ${st}`)
      .join(", "),
    seconds,
    claims: config.exp.claims.map((claim, i) => ({ claim, result: claimResults[i] })),
  };
}

function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function runtime(s: number | undefined): string {
  if (s === undefined) return "";
  return s < 90 ? `${s.toFixed(s < 10 ? 1 : 0)} s` : `${(s / 60).toFixed(1)} min`;
}

/** docs/reproductions.md: a summary table, then each reproduction's comment block and verdicts. */
export function reproductionsMarkdown(outcomes: readonly ReproductionOutcome[], context: { machine: string; date: string }): string {
  const out = [
    "# Reproductions of published results",
    "",
    "Written by `npm run reproduce`, which runs every config in",
    "[experiments/reproductions/](../experiments/reproductions/) as an ordinary sweep",
    "(into results/reproductions/) and checks the claims the config states (README, \"Claims\").",
    "A claim that does not hold here is a result, reported with its figures and what",
    "differs from the original setup; no setup was tuned until it agreed.",
    "",
    `Last run: ${context.date}, ${context.machine}. Runtimes are wall times of each whole sweep;`,
    "the machine may be shared with other jobs, so they say how long a sweep took there and then, not how fast",
    "actbench is (the load average is the hint); every other figure is the same whenever the same version runs it.",
    "",
    "| # | reproduction | claim | theirs | ours | holds? | runtime |",
    "| --- | --- | --- | --- | --- | --- | ---: |",
  ];
  for (const o of outcomes) {
    const num = /Reproduction (\d+[a-z]?)/.exec(o.config.title)?.[1] ?? "";
    const name = o.config.title.replace(/^Reproduction \d+[a-z]?:\s*/, "").replace(/\.$/, "");
    const link = `[${cell(name)}](#${o.config.exp.name})`;
    if (!o.claims) {
      out.push(`| ${num} | ${link} | ${cell(o.config.exp.claims.map((c) => c.says ?? "").join("; "))} | | not run yet | | |`);
      continue;
    }
    o.claims.forEach(({ claim, result }, i) => {
      out.push(
        `| ${i === 0 ? num : ""} | ${i === 0 ? link : ""} | ${cell(result.text)} | ${cell(claim.their ?? "")} | ${cell(result.statistic)} | **${result.verdict}** | ${i === 0 ? runtime(o.seconds) : ""} |`,
      );
    });
  }
  out.push("");
  for (const o of outcomes) {
    out.push(`## ${o.config.title.replace(/\.$/, "")}`, "", `<a id="${o.config.exp.name}"></a>`, "");
    const done = o.runs !== undefined ? `: ${o.runs} runs (${o.statuses}) in ${runtime(o.seconds)}.` : " (not run yet).";
    out.push(`Config: [${basename(o.config.file)}](../experiments/reproductions/${basename(o.config.file)})${done}`, "");
    out.push("```text", ...o.config.about, "```", "");
    for (const { claim, result } of o.claims ?? []) {
      out.push(`- **${result.verdict}**: ${result.text}${claim.source ? ` (${claim.source})` : ""}`);
      if (claim.their) out.push(`  - theirs: ${claim.their}`);
      for (const d of result.details.length > 1 ? result.details : [result.statistic]) out.push(`  - ${d}`);
    }
    out.push("");
  }
  return out.join("\n");
}
