/**
 * Sweep progress: runs done of total, running, failed, ETA. A cli-progress bar
 * on a terminal; plain lines (one per finished run) otherwise, so logs and CI
 * output stay readable.
 */
import cliProgress from "cli-progress";
import type { RunOutcome } from "./outcome.js";
import type { RunSpec } from "./plan.js";

export interface Progress {
  start(run: RunSpec): void;
  done(run: RunSpec, outcome: RunOutcome): void;
  stop(): void;
}

/** A progress display for `total` runs of which `skipped` were already done. */
export function createProgress(total: number, skipped: number, stream: NodeJS.WriteStream = process.stdout): Progress {
  let done = skipped;
  let running = 0;
  let failed = 0;
  const t0 = Date.now();
  const eta = (): string => {
    const fresh = done - skipped;
    if (fresh === 0) return "?";
    const s = Math.round((((Date.now() - t0) / 1000) * (total - done)) / fresh);
    return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
  };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: "{bar} {value}/{total} runs | running {running} | failed {failed} | ETA {eta_text}",
        hideCursor: true,
        stream,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, done, { running, failed, eta_text: "?" });
    return {
      start() {
        running++;
        bar.update(done, { running, failed, eta_text: eta() });
      },
      done(_run, outcome) {
        running--;
        done++;
        if (outcome.status === "failed") failed++;
        bar.update(done, { running, failed, eta_text: eta() });
      },
      stop() {
        bar.stop();
      },
    };
  }
  if (skipped > 0) stream.write(`resuming: ${skipped} of ${total} runs already done\n`);
  return {
    start() {
      running++;
    },
    done(run, outcome) {
      running--;
      done++;
      if (outcome.status === "failed") failed++;
      const grid = Object.entries(run.grid)
        .map(([k, v]) => ` ${k}=${JSON.stringify(v)}`)
        .join("");
      const what = outcome.status === "ok" ? "ok" : `${outcome.status}${outcome.message ? `: ${outcome.message}` : ""}`;
      stream.write(
        `[${done}/${total}] ${run.activation} seed ${run.seed}${grid} ${what} (${outcome.wall_s.toFixed(1)}s; running ${running}, failed ${failed}, ETA ${eta()})\n`,
      );
    },
    stop() {},
  };
}
