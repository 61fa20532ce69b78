/**
 * What the train curves are, said where they are shown (issue 14): the
 * manifest records record.trainMetrics, and the report's loss and accuracy
 * captions say "mean over the epoch's batches" for `running` and "full
 * passes" for `full`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadExperiment } from "../../src/harness/config.js";
import { runSweep } from "../../src/harness/sweep.js";
import { writeReport } from "../../src/report/index.js";
import { tmp, writeConfig } from "../harness/helpers.js";

/** The caption paragraph under a chart's heading in report.md. */
function caption(md: string, title: string): string {
  const at = md.indexOf(`### ${title}\n`);
  expect(at, title).toBeGreaterThanOrEqual(0);
  return md.slice(at).split("\n\n")[2];
}

describe("record.trainMetrics in the manifest and the report's captions", () => {
  for (const trainMetrics of ["running", "full"] as const)
    it(trainMetrics, async () => {
      const dir = tmp();
      const exp = await loadExperiment(
        writeConfig(
          dir,
          `seeds: 1\nactivations: [relu]\ndataset: {name: moons, n: 100}\nmodel: {hidden: [4]}\ntrain: {epochs: 2, batchSize: 16}\nrecord: {probeSize: 16, trainMetrics: ${trainMetrics}}\n`,
        ),
      );
      const out = join(dir, "out");
      await runSweep(exp, { out, workers: 1, progress: () => ({ start() {}, done() {}, stop() {} }) });
      const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { config: { record: { trainMetrics: string } } };
      expect(manifest.config.record.trainMetrics).toBe(trainMetrics);
      const md = readFileSync((await writeReport(out)).md, "utf8");
      for (const title of ["Loss over training", "Accuracy over training"]) {
        const text = caption(md, title);
        if (trainMetrics === "running") {
          expect(text, title).toContain("Train: mean over the epoch's batches");
          expect(text, title).not.toContain("Train and validation: full passes");
        } else {
          expect(text, title).toContain("Train and validation: full passes with the end-of-epoch weights");
          expect(text, title).not.toContain("epoch's batches");
        }
      }
    });
});
