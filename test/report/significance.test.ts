/**
 * The verdicts of the comparison with the leader, on results folders written
 * here with chosen accuracies (runs.csv alone), so each expectation is
 * worked by hand: the exact sign-flip p of n equal differences is 2/2^n, Holm
 * multiplies the smallest of k by k, and the margin splits "worse" from
 * "within margin". These are the cases that contradicted each other before:
 * zero-variance differences, a larger difference that could not be shown,
 * and activations that diverged in every seed.
 */
import { describe, expect, it, afterAll } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadResults, buildDocument } from "../../src/report/index.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** activation -> per-seed val_acc, or "diverged" / "failed". */
type Spec = Record<string, Array<number | "diverged" | "failed">>;

function folder(spec: Spec, config: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "actbench-significance-"));
  dirs.push(dir);
  const lines = ["run_id,activation,seed,status,diverged_epoch,message,train_loss,val_loss,val_acc,best_val_acc,best_epoch,wall_s"];
  let id = 0;
  for (const [act, vals] of Object.entries(spec))
    vals.forEach((v, seed) => {
      const runId = `r${String(id++).padStart(7, "0")}`;
      if (v === "diverged") lines.push(`${runId},${act},${seed},diverged,3,loss became non-finite,,,,,,0.1`);
      else if (v === "failed") lines.push(`${runId},${act},${seed},failed,,boom,,,,,,0.1`);
      else lines.push(`${runId},${act},${seed},ok,,,0.3,${(1 - v).toFixed(6)},${v},${v},5,0.1`);
    });
  writeFileSync(join(dir, "runs.csv"), `${lines.join("\n")}\n`);
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({ config: { name: "hand", train: { epochs: 5 }, ...config } }));
  return dir;
}

async function significance(spec: Spec, opts: { margin?: number; config?: Record<string, unknown> } = {}) {
  const doc = await buildDocument(loadResults(folder(spec, opts.config)), { measureCost: false, margin: opts.margin });
  return { doc, sig: doc.sections[0].significance, verdict: (a: string) => doc.sections[0].significance.comparisons.find((c) => c.contender.activation === a)!.verdict };
}

const base = [0.9, 0.8, 0.85, 0.7, 0.95, 0.9];
const minus = (d: number) => base.map((v) => +(v - d).toFixed(6));

describe("verdicts against the leader", () => {
  it("equal differences in 6 seeds: p = 2/64 exactly; within the 0.5-point margin they are equivalent, not worse", async () => {
    const { sig, verdict } = await significance({ a: base, b: minus(0.005) });
    const c = sig.comparisons[0];
    expect(c.test.p).toBeCloseTo(2 / 64, 12);
    expect(c.pHolm).toBeCloseTo(2 / 64, 12); // one comparison
    expect(c.leaderBetter).toBe(6);
    expect(verdict("b")).toBe("within margin");
    // With a smaller margin the same numbers are a (detectable) difference.
    const strict = await significance({ a: base, b: minus(0.005) }, { margin: 0.001 });
    expect(strict.verdict("b")).toBe("worse");
  });

  it("a 5-point gap in 3 seeds cannot be shown (p = 2/8) and is never called worse, while the findings say why", async () => {
    const { doc, verdict, sig } = await significance({ a: base.slice(0, 3), b: minus(0.05).slice(0, 3) });
    expect(sig.comparisons[0].test.p).toBe(0.25);
    expect(verdict("b")).toBe("cannot tell");
    expect(sig.canDetect).toBe(false);
    expect(sig.pairsNeeded).toBe(6);
    const text = doc.findings[0].findings.map((f) => f.text).join(" ");
    expect(text).toMatch(/Too few seeds to tell/);
    expect(text).toContain("the smallest possible p is 0.25");
    expect(text).toContain("Below a in every seed by more than the margin (suggestive, not shown): b by 0.050");
    expect(doc.findings[0].recommendation).toContain("--set seeds=6");
  });

  it("Holm's family: 3 comparisons with 6 seeds cannot reach 0.05 (3 x 2/64 = 0.094), with 7 they can", async () => {
    const six = await significance({ a: base, b: minus(0.1), c: minus(0.2), d: minus(0.3) });
    expect(six.sig.family).toBe(3);
    expect(six.sig.canDetect).toBe(false);
    // Every raw p is 2/64; Holm: 3 x 2/64 for the first, then max(previous, 2 x 2/64), ...: all 0.09375.
    for (const c of six.sig.comparisons) expect(c.pHolm).toBeCloseTo(0.09375, 12);
    const seven = await significance({ a: [...base, 0.6], b: [...minus(0.1), 0.5], c: [...minus(0.2), 0.4], d: [...minus(0.3), 0.3] });
    expect(seven.sig.canDetect).toBe(true);
    for (const c of seven.sig.comparisons) expect(c.pHolm).toBeCloseTo(3 * (2 / 128), 12);
    expect(["b", "c", "d"].map(seven.verdict)).toEqual(["worse", "worse", "worse"]);
  });

  it("an activation that diverged in every seed has lost: 'diverged', never 'too few seeds', and out of the leading group", async () => {
    const { sig, verdict, doc } = await significance({ a: base.slice(0, 3), b: ["diverged", "diverged", "diverged"] });
    expect(verdict("b")).toBe("diverged");
    expect(sig.leading.map((c) => c.activation)).toEqual(["a"]);
    // Its score is accuracy 0: the pairs are a's accuracies themselves.
    expect(sig.comparisons[0].test.meanDiff).toBeCloseTo((0.9 + 0.8 + 0.85) / 3, 12);
    const text = doc.findings[0].findings.map((f) => f.text).join(" ");
    expect(text).toContain("Divergence: b in 3 of 3 seeds (at epoch 3)");
  });

  it("divergence counts as a loss in the ranking: a better mean over fewer finished seeds does not lead", async () => {
    const { sig } = await significance({ a: [0.9, 0.9, 0.9, 0.9, 0.9, 0.9], b: [0.95, 0.95, 0.95, "diverged", "diverged", 0.95] });
    expect(sig.leader!.activation).toBe("a");
  });

  it("failed runs are left out of the pairs", async () => {
    const { sig } = await significance({ a: base, b: [...minus(0.1).slice(0, 5), "failed"] });
    expect(sig.comparisons[0].pairs).toBe(5);
  });

  it("every activation within the margin: 'cannot tell apart' said plainly, and the recommendation says any will do", async () => {
    const { doc } = await significance({ a: base, b: minus(0.002), c: minus(0.004) });
    const f = doc.findings[0];
    expect(f.findings[0].kind).toBe("cannot-tell");
    expect(f.findings[0].text).toMatch(/^Cannot tell apart: every activation's mean lies within the margin \(0\.5 accuracy points\)/);
    expect(f.recommendation).toMatch(/^Any of the activations tried will do/);
  });

  it("reads the margin from the config's report.margin, and the option overrides it", async () => {
    const spec = { a: base, b: minus(0.02) };
    expect((await significance(spec, { config: { report: { margin: 0.05 } } })).verdict("b")).toBe("within margin");
    expect((await significance(spec, { config: { report: { margin: 0.05 } }, margin: 0.01 })).verdict("b")).toBe("worse");
  });
});
