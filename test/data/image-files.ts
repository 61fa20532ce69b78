/**
 * Small IDX and CIFAR-10 files written by the tests themselves, byte by byte
 * from the formats' definitions (LeCun's IDX: magic 0x00000801 / 0x00000803,
 * big-endian uint32 dimensions, then bytes; CIFAR-10's binary batches: a label
 * byte then 1024 red, 1024 green, 1024 blue bytes per record), independently
 * of src/data's readers.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { expect } from "vitest";
import { UserError } from "../../src/errors.js";

export function tmpFolder(prefix = "actbench-images-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** An IDX file's bytes: type 0x08, the given dimensions, the data. */
export function idxBytes(dims: number[], data: ArrayLike<number>, type = 0x08): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = type;
  head[3] = dims.length;
  dims.forEach((d, k) => head.writeUInt32BE(d, 4 + 4 * k));
  return Buffer.concat([head, Buffer.from(Array.from(data))]);
}

/** Pixel j of image i in the synthetic sets: a pattern that tells images and positions apart. */
export const pixel = (i: number, j: number) => (i * 31 + j * 7) % 256;

/** `n` images of h x w with labels[i] as the label of image i. */
export interface Images {
  n: number;
  h: number;
  w: number;
  labels: number[];
}

export function imageData({ n, h, w }: Images): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < h * w; j++) out.push(pixel(i, j));
  return out;
}

/** Writes `prefix`-images-idx3-ubyte and `prefix`-labels-idx1-ubyte (gzipped with .gz when asked) into dir. */
export function writeIdxPair(dir: string, prefix: string, set: Images, gz = false): void {
  mkdirSync(dir, { recursive: true });
  const write = (name: string, bytes: Buffer) => writeFileSync(join(dir, gz ? `${name}.gz` : name), gz ? gzipSync(bytes) : bytes);
  write(`${prefix}-images-idx3-ubyte`, idxBytes([set.n, set.h, set.w], imageData(set)));
  write(`${prefix}-labels-idx1-ubyte`, idxBytes([set.n], set.labels));
}

/** Labels 0..classes-1 with counts[c] images of class c, interleaved (image i has class i mod classes while counts last). */
export function labelsWithCounts(counts: number[]): number[] {
  const left = [...counts];
  const out: number[] = [];
  while (left.some((c) => c > 0)) left.forEach((c, k) => c > 0 && (out.push(k), left[k]--));
  return out;
}

/** A CIFAR-10 record: label, then red, green, blue planes of 32 x 32; channel c of pixel j of image i holds (i + 3 j + 101 c) mod 256. */
export function cifarRecord(i: number, label: number): Buffer {
  const b = Buffer.alloc(3073);
  b[0] = label;
  for (let c = 0; c < 3; c++) for (let j = 0; j < 1024; j++) b[1 + c * 1024 + j] = (i + 3 * j + 101 * c) % 256;
  return b;
}

/** Writes data_batch_1..5.bin with `perBatch` records each and test_batch.bin with `test` records; image i (counted across the batches) has label i mod 10. */
export function writeCifar(dir: string, perBatch: number, test: number): void {
  mkdirSync(dir, { recursive: true });
  let i = 0;
  for (let k = 1; k <= 5; k++) {
    const recs: Buffer[] = [];
    for (let r = 0; r < perBatch; r++, i++) recs.push(cifarRecord(i, i % 10));
    writeFileSync(join(dir, `data_batch_${k}.bin`), Buffer.concat(recs));
  }
  writeFileSync(join(dir, "test_batch.bin"), Buffer.concat(Array.from({ length: test }, (_, r) => cifarRecord(1000 + r, (r * 3) % 10))));
}

/** The message of the UserError `f` throws (fails the test if it throws nothing or something else). */
export function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as UserError).message;
  }
  throw new Error("expected a UserError, nothing was thrown");
}
