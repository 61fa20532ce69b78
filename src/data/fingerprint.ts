/**
 * A dataset's fingerprint: the sha256 of what a run trains on (the scaled
 * splits' bytes, their shapes, class labels, feature names, and the scaler
 * fitted on the raw rows, so shifted raw data is other data too). A run's id
 * and the results folder's manifest carry it, so editing a CSV file, or a
 * generator that now makes other rows, can never be mixed with runs trained
 * on the old data: a path names a file, not its contents.
 */
import { createHash } from "node:crypto";
import type { Dataset, Split } from "./types.js";

export function datasetSha256(d: Dataset): string {
  const h = createHash("sha256");
  h.update(JSON.stringify({ task: d.task, features: d.features, classes: d.classes, outputs: d.outputs, classLabels: d.classLabels ?? null, featureNames: d.featureNames ?? null, scaling: d.scaling ?? null }));
  const part = (name: string, s: Split | undefined): void => {
    h.update(`\n${name} ${s ? s.n : "none"}\n`);
    if (!s) return;
    // A copy when the rows live in shared memory (hash.update takes no SharedArrayBuffer view).
    for (const a of [s.x, s.y]) h.update(a.buffer instanceof SharedArrayBuffer ? new Uint8Array(a.slice().buffer) : new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  };
  part("train", d.train);
  part("val", d.val);
  part("test", d.test);
  return h.digest("hex");
}
