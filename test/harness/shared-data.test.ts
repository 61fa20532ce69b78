import { describe, expect, it } from "vitest";
import { loadDataset, shareDataset } from "../../src/data/index.js";
import { loadExperiment } from "../../src/harness/config.js";
import { planRuns } from "../../src/harness/plan.js";
import { checkDatasets } from "../../src/harness/sweep.js";
import runTask from "../../src/harness/worker.js";
import { tmp, writeConfig } from "./helpers.js";
import { untimed } from "../untimed.js";

const CONFIG = `name: shared
seeds: [1, 2]
activations: [relu, tanh]
dataset: {name: mnist, n: 200, pool: 4, split: {val: 0.25, test: 0.1}}
model: {hidden: [8]}
train: {epochs: 2, batchSize: 16, optimizer: {name: momentum, lr: 0.05}}
`;

describe("the dataset the main thread shares with the workers", () => {
  it("holds the same numbers as a fresh load, in shared memory", () => {
    const spec = { name: "moons", n: 120, split: { val: 0.25, test: 0.25 } } as const;
    const plain = loadDataset(spec);
    const shared = shareDataset(plain);
    for (const k of ["train", "val", "test"] as const) {
      expect(shared[k]!.x.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(shared[k]!.y.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(Array.from(shared[k]!.x)).toEqual(Array.from(plain[k]!.x));
      expect(Array.from(shared[k]!.y)).toEqual(Array.from(plain[k]!.y));
      expect(shared[k]!.n).toBe(plain[k]!.n);
    }
    expect({ ...shared, train: 0, val: 0, test: 0 }).toEqual({ ...plain, train: 0, val: 0, test: 0 });
    // Sharing twice copies nothing more.
    expect(shareDataset(shared).train.x).toBe(shared.train.x);
  });

  it("gives a run the same records as a worker that loads the data itself", async () => {
    const runs = planRuns(await loadExperiment(writeConfig(tmp(), CONFIG)));
    const datasetOf = await checkDatasets(runs, shareDataset);
    expect(datasetOf(runs[0])).toBe(datasetOf(runs[3])); // one copy for every run of the dataset
    for (const run of [runs[0], runs[3]]) {
      const given = await runTask({ run, data: datasetOf(run) });
      const loaded = await runTask({ run });
      expect(given.status).toBe("ok");
      const strip = (o: typeof given) => o.records?.map(untimed);
      expect(strip(given)).toEqual(strip(loaded));
    }
    // And the worker trains on the data it is given, not on a load of its own.
    const d = datasetOf(runs[0]);
    const other = { ...d, train: { ...d.train, y: d.train.y.map((c) => (c + 1) % 10) } };
    const changed = await runTask({ run: runs[0], data: other });
    expect(changed.records![0].train_loss).not.toBe((await runTask({ run: runs[0] })).records![0].train_loss);
  });
});
