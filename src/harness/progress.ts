/**
 * Sweep progress: each finished run with its grid point (the keys the grid
 * varies, as key=value) and its result (final validation accuracy, or loss),
 * runs done, running and failed, the best result so far, and an ETA from the
 * cost model (harness/cost.ts) calibrated by the runs finished so far. A
 * cli-progress bar on a terminal; plain lines (one per finished run)
 * otherwise, so logs and CI output stay readable.
 */
import cliProgress from "cli-progress";
import type { EpochRecord } from "../nn/types.js";
import { CostClock, finishTime, formatDuration } from "./cost.js";
import { formatGridPoint } from "./grid-cells.js";
import type { RunOutcome } from "./outcome.js";
import type { RunSpec } from "./plan.js";

export interface Progress {
  start(run: RunSpec): void;
  done(run: RunSpec, outcome: RunOutcome): void;
  stop(): void;
}

/** What a progress display is told about the sweep before it starts. */
export interface ProgressPlan {
  /** Runs in the plan. */
  total: number;
  /** Runs an earlier sweep finished. */
  skipped: number;
  /** The runs to do, in the order the workers take them. */
  todo: readonly RunSpec[];
  /** Runs at a time. */
  workers: number;
  /** The cost model's figure for a run (harness/cost.ts). */
  cost(run: RunSpec): number;
  /** Dotted grid keys that tell the grid points apart (harness/grid-cells.ts varyingColumns). */
  gridKeys: readonly string[];
}

/** The figure a run is judged by: final validation accuracy, else validation loss (training figures without a validation split). */
export function runResult(records: readonly EpochRecord[]): { name: string; value: number; higherIsBetter: boolean } | undefined {
  const last = records[records.length - 1];
  if (!last) return undefined;
  const pick: Array<[string, number | undefined, boolean]> = [
    ["val_acc", last.val_acc, true],
    ["val_loss", last.val_loss, false],
    ["train_acc", last.train_acc, true],
    ["train_loss", last.train_loss, false],
  ];
  const hit = pick.find(([, v]) => Number.isFinite(v));
  return hit && { name: hit[0], value: hit[1]!, higherIsBetter: hit[2] };
}

/** 0.9125 -> "0.9125"; 0.000123456 -> "0.0001235": four significant digits. */
function figure(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

/** The state of a sweep as the displays show it; `now` in ms (injectable for tests). */
export class SweepTracker {
  done: number;
  failed = 0;
  private readonly clock = new CostClock();
  private readonly started = new Map<string, { run: RunSpec; at: number }>();
  private readonly pending: Set<string>;
  private best: { name: string; value: number; higherIsBetter: boolean; run: RunSpec } | undefined;
  private readonly costs = new Map<string, number>();

  constructor(
    readonly plan: ProgressPlan,
    private readonly now: () => number = Date.now,
  ) {
    this.done = plan.skipped;
    this.pending = new Set(plan.todo.map((r) => r.runId));
  }

  private cost(run: RunSpec): number {
    let c = this.costs.get(run.runId);
    if (c === undefined) this.costs.set(run.runId, (c = this.plan.cost(run)));
    return c;
  }

  start(run: RunSpec): void {
    this.pending.delete(run.runId);
    this.started.set(run.runId, { run, at: this.now() });
  }

  finish(run: RunSpec, outcome: RunOutcome): void {
    this.started.delete(run.runId);
    this.pending.delete(run.runId);
    this.done++;
    if (outcome.status === "failed") this.failed++;
    else this.clock.observe(this.cost(run), outcome.wall_s);
    const result = outcome.status === "ok" ? runResult(outcome.records) : undefined;
    // Accuracy outranks loss (a sweep over a classification and a regression dataset ranks by accuracy).
    if (result && (!this.best || this.better(result, this.best))) this.best = { ...result, run };
  }

  private better(a: { name: string; value: number; higherIsBetter: boolean }, b: { name: string; value: number; higherIsBetter: boolean }): boolean {
    const rank = (n: string) => ["val_acc", "val_loss", "train_acc", "train_loss"].indexOf(n);
    if (a.name !== b.name) return rank(a.name) < rank(b.name);
    return a.higherIsBetter ? a.value > b.value : a.value < b.value;
  }

  get running(): RunSpec[] {
    return [...this.started.values()].map((s) => s.run);
  }

  /** Seconds left, NaN until a run has been timed. */
  etaSeconds(): number {
    if (!this.clock.calibrated) return NaN;
    const t = this.now();
    const busy = [...this.started.values()].map((s) => this.clock.predict(this.cost(s.run)) - (t - s.at) / 1000);
    const pending = this.plan.todo.filter((r) => this.pending.has(r.runId)).map((r) => this.clock.predict(this.cost(r)));
    return finishTime(this.plan.workers, busy, pending);
  }

  eta(): string {
    return formatDuration(this.etaSeconds());
  }

  /** `relu seed 1 dataset.name=mnist`: a run as the displays name it. */
  label(run: RunSpec): string {
    const grid = formatGridPoint(run.grid, this.plan.gridKeys);
    return `${run.activation} seed ${run.seed}${grid ? ` ${grid}` : ""}`;
  }

  /** `best val_acc 0.9125 (relu seed 1 dataset.name=mnist)`, or "" before any result. */
  bestText(): string {
    return this.best ? `best ${this.best.name} ${figure(this.best.value)} (${this.label(this.best.run)})` : "";
  }

  /** `relu s1, gelu s0 +2`: the runs in flight, short. */
  runningText(max = 3): string {
    const runs = this.running;
    const names = runs.slice(0, max).map((r) => `${r.activation} s${r.seed}`);
    return `${names.join(", ") || "-"}${runs.length > max ? ` +${runs.length - max}` : ""}`;
  }
}

/** `ok val_acc 0.9125`, `diverged at epoch 3: loss is NaN`, `failed: ...`: what became of a run. */
export function outcomeText(outcome: RunOutcome): string {
  if (outcome.status === "ok") {
    const r = runResult(outcome.records);
    return r ? `ok ${r.name} ${figure(r.value)}` : "ok";
  }
  const at = outcome.status === "diverged" && outcome.divergedEpoch !== undefined ? ` at epoch ${outcome.divergedEpoch}` : "";
  return `${outcome.status}${at}${outcome.message ? `: ${outcome.message}` : ""}`;
}

/** A progress display for the plan: a bar on a terminal, one line per finished run otherwise. */
export function createProgress(plan: ProgressPlan, stream: NodeJS.WriteStream = process.stdout, now: () => number = Date.now): Progress {
  const t = new SweepTracker(plan, now);
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: "{bar} {value}/{total} runs | {best}running {running} | failed {failed} | ETA {eta_text}",
        hideCursor: true,
        stream,
        // Lines longer than the terminal are cut (cli-progress's default), so the bar redraws in place.
        linewrap: false,
      },
      cliProgress.Presets.shades_classic,
    );
    const payload = () => ({ running: t.runningText(), failed: t.failed, eta_text: t.eta(), best: t.bestText() ? `${t.bestText()} | ` : "" });
    bar.start(plan.total, t.done, payload());
    // The ETA counts down between events too.
    const tick = setInterval(() => bar.update(t.done, payload()), 1000);
    tick.unref();
    return {
      start(run) {
        t.start(run);
        bar.update(t.done, payload());
      },
      done(run, outcome) {
        t.finish(run, outcome);
        bar.update(t.done, payload());
      },
      stop() {
        clearInterval(tick);
        bar.stop();
        if (t.bestText()) stream.write(`${t.bestText()}\n`);
      },
    };
  }
  if (plan.skipped > 0) stream.write(`resuming: ${plan.skipped} of ${plan.total} runs already done\n`);
  return {
    start(run) {
      t.start(run);
    },
    done(run, outcome) {
      t.finish(run, outcome);
      stream.write(`[${t.done}/${plan.total}] ${t.label(run)} ${outcomeText(outcome)} (${outcome.wall_s.toFixed(1)}s; running ${t.running.length}, failed ${t.failed}, ETA ${t.eta()})\n`);
    },
    stop() {},
  };
}
