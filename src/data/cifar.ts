/**
 * CIFAR-10's binary version (`cifar-10-binary.tar.gz`, unpacked to the folder
 * `cifar-10-batches-bin/`): data_batch_1.bin .. data_batch_5.bin (the 50,000
 * training images) and test_batch.bin (10,000), each a run of 3,073-byte
 * records: the label (0..9), then 32 x 32 red, then green, then blue bytes.
 * Read whole, once, and checked (record size, labels) with a UserError naming
 * the file; written by hand because the format is one record layout and npm
 * has no well-kept reader of it.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { checkLabels, readMaybeGzipped } from "./idx.js";
import type { ImageSet } from "./images.js";

export const CIFAR_SIDE = 32;
export const CIFAR_CHANNELS = 3;
const PIXELS = CIFAR_CHANNELS * CIFAR_SIDE * CIFAR_SIDE;
const RECORD = 1 + PIXELS;

/** CIFAR-10's classes in label order (as its batches.meta.txt lists them). */
export const CIFAR10_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

/** The training batches' file names, in the order their images are concatenated. */
export const CIFAR10_TRAIN_FILES = [1, 2, 3, 4, 5].map((k) => `data_batch_${k}.bin`);
export const CIFAR10_TEST_FILE = "test_batch.bin";

/** Every file of CIFAR-10's binary version missing from `folder`. */
export function missingCifarFiles(folder: string): string[] {
  return [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE].filter((f) => !existsSync(join(folder, f)));
}

/** The records of the given batch files, in order, as one image set. */
export function readCifarBatches(paths: readonly string[]): ImageSet {
  const files = paths.map((path) => {
    const bytes = readMaybeGzipped(path);
    if (bytes.length === 0 || bytes.length % RECORD !== 0)
      throw new UserError(
        `${path}: ${bytes.length.toLocaleString("en-US")} bytes is not a whole number of CIFAR-10 records (${RECORD.toLocaleString("en-US")} bytes each: a label and 32 x 32 x 3 pixels); ` +
          `a truncated file, or CIFAR-100 / the Python version?`,
      );
    return { path, bytes };
  });
  const n = files.reduce((a, f) => a + f.bytes.length / RECORD, 0);
  const pixels = new Uint8Array(n * PIXELS);
  const labels = new Uint8Array(n);
  let row = 0;
  for (const { path, bytes } of files) {
    const records = bytes.length / RECORD;
    const first = row;
    for (let r = 0; r < records; r++, row++) {
      labels[row] = bytes[r * RECORD];
      pixels.set(bytes.subarray(r * RECORD + 1, (r + 1) * RECORD), row * PIXELS);
    }
    checkLabels(labels.subarray(first, row), CIFAR10_CLASSES.length, path, "record");
  }
  return { n, channels: CIFAR_CHANNELS, height: CIFAR_SIDE, width: CIFAR_SIDE, pixels, labels, files: [...paths] };
}

/** CIFAR-10's training and test images from its folder. */
export function readCifar10(folder: string): { train: ImageSet; test: ImageSet } {
  const missing = missingCifarFiles(folder);
  if (missing.length) throw new UserError(`${folder}: CIFAR-10 files missing: ${missing.join(", ")} (expected the binary version's data_batch_1.bin .. data_batch_5.bin and test_batch.bin)`);
  return {
    train: readCifarBatches(CIFAR10_TRAIN_FILES.map((f) => join(folder, f))),
    test: readCifarBatches([join(folder, CIFAR10_TEST_FILE)]),
  };
}
