/**
 * npm run reproduce [-- name ...] [--workers N] [--docs-only]: runs the
 * reproductions of published results (all, or those named) afresh, prints
 * each one's claims as they finish, then writes docs/reproductions.md from
 * every reproduction that has complete results (src/harness/reproduce.ts).
 */
import { writeFileSync } from "node:fs";
import { cpus, loadavg, platform, release } from "node:os";
import { claimsTerminal } from "../src/claims/render.js";
import { outcome, reproductionConfigs, reproductionsMarkdown, runReproduction } from "../src/harness/reproduce.js";


const args = process.argv.slice(2);
const docsOnly = args.includes("--docs-only");
const wi = args.indexOf("--workers");
const workers = wi >= 0 ? Number(args[wi + 1]) : undefined;
const names = args.filter((a, i) => !a.startsWith("--") && !(wi >= 0 && i === wi + 1));

try {
  const configs = await reproductionConfigs();
  const unknown = names.filter((n) => !configs.some((c) => c.exp.name === n));
  if (unknown.length) throw new Error(`no reproduction named ${unknown.join(", ")}; expected one of ${configs.map((c) => c.exp.name).join(", ")}`);
  // A line every 10% of a sweep's runs: born-dead alone has 16,000.
  const progress = (total: number) => {
    let done = 0;
    return {
      start() {},
      done() {
        done++;
        if (done === total || done % Math.max(1, Math.ceil(total / 10)) === 0) process.stdout.write(`  ${done} of ${total} runs\n`);
      },
      stop() {},
    };
  };
  // One that cannot run (e.g. Fashion-MNIST not installed) is named and skipped: the others
  // still run and the page is still written, showing it as not run.
  const failed: string[] = [];
  if (!docsOnly)
    for (const c of configs.filter((c) => names.length === 0 || names.includes(c.exp.name))) {
      process.stdout.write(`${c.title} (${c.file})\n`);
      try {
        const o = await runReproduction(c, { workers, progress });
        process.stdout.write(`  ${o.runs} runs in ${o.seconds?.toFixed(1)} s\n`);
        for (const line of claimsTerminal(o.claims?.map((x) => x.result) ?? [])) process.stdout.write(`${line}\n`);
      } catch (err) {
        failed.push(c.exp.name);
        process.stderr.write(`reproduce: ${c.exp.name} did not run: ${(err as Error).message}\n`);
      }
    }
  const outcomes = [];
  for (const c of configs) outcomes.push(await outcome(c));
  const cpu = cpus()[0]?.model.trim() ?? "unknown CPU";
  const md = reproductionsMarkdown(outcomes, { machine: `${cpus().length} cores (${cpu}), ${platform()} ${release()}, Node ${process.version}, load average ${loadavg()[0].toFixed(1)} when written`, date: new Date().toISOString().slice(0, 10) });
  writeFileSync("docs/reproductions.md", md);
  process.stdout.write("wrote docs/reproductions.md\n");
  if (failed.length) {
    process.stderr.write(`reproduce: ${failed.length} did not run (${failed.join(", ")}); see above\n`);
    process.exit(2);
  }
} catch (err) {
  process.stderr.write(`reproduce: ${(err as Error).message}\n`);
  process.exit(2);
}
