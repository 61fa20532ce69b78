/**
 * The live view's train_loss chart (a regression sweep shows it) says what a
 * point is, as the report's captions do: with record.trainMetrics running the
 * mean over the epoch's batches, with full a full pass.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadExperiment } from "../../src/harness/config.js";
import { runSweep } from "../../src/harness/sweep.js";
import { renderFragments } from "../../src/live/page.js";
import { LiveReader } from "../../src/live/state.js";
import { tmp, writeConfig } from "../harness/helpers.js";

const quiet = () => ({ start() {}, done() {}, stop() {} });

describe("live view train_loss title", () => {
  it.each([
    ["running", "each epoch's mean over its batches"],
    ["full", "full passes at each epoch's end"],
  ])("with record.trainMetrics %s says %s", async (setting, words) => {
    const dir = tmp("actbench-live-train-");
    const config = `seeds: 1
activations: [tanh]
dataset: {name: sine, n: 80}
model: {hidden: [4]}
train: {epochs: 2, batchSize: 16}
record: {probeSize: 16, trainMetrics: ${setting}}
`;
    const out = join(dir, "out");
    await runSweep(await loadExperiment(writeConfig(dir, config)), { out, workers: 1, progress: quiet });
    const state = new LiveReader(out).read();
    expect(state.metric).toBe("val_loss");
    const { charts } = await renderFragments(state, 1);
    expect(charts).toContain(`train_loss by epoch (mean over finished seeds; ${words})`);
  }, 60_000);
});
