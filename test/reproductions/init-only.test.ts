// The init-only reproductions (1, 2, 3 and 4b of experiments/reproductions/) run in
// seconds, so CI runs them and asserts that every claim they state holds: these are
// published results (Lu et al. 2019, Klambauer et al. 2017, He et al. 2015, Glorot and
// Bengio 2010) that the harness must get right before anyone trusts it with new questions.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateClaims } from "../../src/claims/evaluate.js";
import { loadExperiment } from "../../src/harness/config.js";
import { runSweep } from "../../src/harness/sweep.js";
import { loadResults } from "../../src/report/results.js";
import { ROOT, tmp } from "../harness/helpers.js";

// Seconds on a quiet 2-core machine; minutes when it is shared.
const TIMEOUT = 600_000;
const quiet = () => ({ start() {}, done() {}, stop() {} });

async function claimsOf(name: string, set: string[] = []) {
  const exp = await loadExperiment(join(ROOT, "experiments", "reproductions", `${name}.yaml`), { set });
  const out = join(tmp("actbench-repro-"), name);
  const s = await runSweep(exp, { out, workers: 2, progress: quiet });
  expect(s.failed).toBe(0);
  return evaluateClaims(loadResults(out), exp.claims);
}

describe("init-only reproductions: every claim holds", () => {
  for (const name of ["selu-self-normalising", "he-init", "glorot-gradients"])
    it(name, async () => {
      const results = await claimsOf(name);
      expect(results.length).toBeGreaterThan(0);
      for (const r of results) expect(r.verdict, `${r.text}: ${r.statistic}`).toBe("holds");
    }, TIMEOUT);
  it("born-dead (250 of its 1,000 seeds per grid point: 4,000 runs instead of 16,000)", async () => {
    // Fewer seeds widen the binomial standard error the claim allows, so the test is
    // as exact as the full run, only less sharp.
    const [r] = await claimsOf("born-dead", ["seeds=250"]);
    expect(r.verdict, r.statistic).toBe("holds");
    expect(r.details).toHaveLength(16);
  }, TIMEOUT);
});
