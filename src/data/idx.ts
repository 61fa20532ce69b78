/**
 * IDX files, the format MNIST, Fashion-MNIST, KMNIST and EMNIST ship in
 * (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, gzipped or not):
 * a 4-byte magic number (two zero bytes, the element type, the number of
 * dimensions), one big-endian uint32 per dimension, then the elements. Each
 * file is read whole, once, into bytes and checked against its own header
 * before a row is used: a truncated download, a label file paired with the
 * wrong image file or a label beyond the classes is a UserError naming the
 * file and what is wrong. Written by hand: the format is a 20-line header and
 * no well-kept npm package reads it (the ones there are fetch MNIST over the
 * network or parse only the 28 x 28 case).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { UserError } from "../errors.js";
import type { ImageSet } from "./images.js";

/** The element type code of unsigned bytes, the only one image and label files use. */
const UBYTE = 0x08;

/** Names of the IDX element type codes, for the message when a file holds another type. */
const TYPE_NAMES: Record<number, string> = { 0x08: "unsigned byte", 0x09: "signed byte", 0x0b: "int16", 0x0c: "int32", 0x0d: "float32", 0x0e: "float64" };

/**
 * The bytes of `path`, gunzipped when they start with gzip's magic number
 * (1f 8b; an IDX file starts with two zero bytes and a CIFAR-10 batch with a
 * label below 10, so neither is mistaken for gzip).
 */
export function readMaybeGzipped(path: string): Uint8Array {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (e) {
    throw new UserError(`${path}: cannot read: ${(e as Error).message}`);
  }
  if (raw.length < 2 || raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  try {
    return gunzipSync(raw);
  } catch (e) {
    throw new UserError(`${path}: not a valid gzip file (${(e as Error).message}); a truncated download? Fetch the file again`);
  }
}

/** An IDX array: its dimensions and its elements (unsigned bytes), row-major. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const count = (n: number) => n.toLocaleString("en-US");

/** Parse and check an IDX file of unsigned bytes with `ndims` dimensions (1: labels, 3: images). */
export function parseIdx(bytes: Uint8Array, path: string, ndims: 1 | 3): IdxArray {
  const what = ndims === 1 ? "label file (idx1-ubyte: magic 0x00000801)" : "image file (idx3-ubyte: magic 0x00000803)";
  if (bytes.length < 4) throw new UserError(`${path}: ${bytes.length} bytes is too short for an IDX header; expected an ${what}`);
  const magic = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  const hex = `0x${magic.toString(16).padStart(8, "0")}`;
  if (bytes[0] !== 0 || bytes[1] !== 0)
    throw new UserError(`${path}: not an IDX file: it starts with ${hex}, expected an ${what}`);
  if (bytes[2] !== UBYTE)
    throw new UserError(`${path}: IDX element type 0x${bytes[2].toString(16).padStart(2, "0")} (${TYPE_NAMES[bytes[2]] ?? "unknown"}) is not supported; expected 0x08 (unsigned byte), an ${what}`);
  if (bytes[3] !== ndims)
    throw new UserError(`${path}: an IDX array of ${bytes[3]} dimension(s) (magic ${hex}); expected an ${what}`);
  const header = 4 + 4 * ndims;
  if (bytes.length < header) throw new UserError(`${path}: truncated: ${bytes.length} bytes, shorter than the ${header}-byte header of an ${what}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: ndims }, (_, k) => view.getUint32(4 + 4 * k, false));
  const size = dims.reduce((a, b) => a * b, 1);
  const found = bytes.length - header;
  const shape = `${dims.map(count).join(" x ")} = ${count(size)} bytes`;
  if (found < size) throw new UserError(`${path}: truncated: its header says ${shape} of data, the file holds ${count(found)}; fetch the file again`);
  if (found > size) throw new UserError(`${path}: ${count(found - size)} bytes past the end of the data its header describes (${shape}); not an IDX file, or two files joined?`);
  if (ndims === 3 && (dims[1] === 0 || dims[2] === 0)) throw new UserError(`${path}: images of ${dims[1]} x ${dims[2]} pixels; expected at least 1 x 1`);
  return { dims, data: bytes.subarray(header) };
}

/** Read and check one IDX file (gzipped or not). */
export function readIdx(path: string, ndims: 1 | 3): IdxArray {
  return parseIdx(readMaybeGzipped(path), path, ndims);
}

/**
 * The file of `folder` that holds `prefix`'s images or labels, under the names
 * distributions use: `train-images-idx3-ubyte`, `train-images.idx3-ubyte`,
 * each possibly with `.gz`; or undefined. The names it tried are in idxNames.
 */
export function findIdxFile(folder: string, prefix: string, kind: "images" | "labels"): string | undefined {
  for (const name of idxNames(prefix, kind)) {
    const p = join(folder, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** File names findIdxFile accepts for `prefix`'s images or labels, in the order it tries them. */
export function idxNames(prefix: string, kind: "images" | "labels"): string[] {
  const ext = kind === "images" ? "idx3-ubyte" : "idx1-ubyte";
  return [`${prefix}-${kind}-${ext}`, `${prefix}-${kind}-${ext}.gz`, `${prefix}-${kind}.${ext}`, `${prefix}-${kind}.${ext}.gz`];
}

/**
 * The images and labels of `prefix` in `folder` as one image set (1 channel),
 * checked: both files present, as many labels as images, every label below
 * `classes` when given.
 */
export function readIdxImages(folder: string, prefix: string, classes?: number): ImageSet {
  const paths = (["images", "labels"] as const).map((kind) => {
    const p = findIdxFile(folder, prefix, kind);
    if (!p) throw new UserError(`${folder}: no ${kind} file for "${prefix}" (looked for ${idxNames(prefix, kind).join(", ")})`);
    return p;
  });
  const images = readIdx(paths[0], 3);
  const labels = readIdx(paths[1], 1);
  const [n, height, width] = images.dims;
  if (labels.dims[0] !== n)
    throw new UserError(`${paths[1]}: ${count(labels.dims[0])} labels, but ${paths[0]} holds ${count(n)} images; the two files must come from the same set`);
  if (n === 0) throw new UserError(`${paths[0]}: holds no image`);
  if (classes !== undefined) checkLabels(labels.data, classes, paths[1], "item");
  return { n, channels: 1, height, width, pixels: images.data, labels: labels.data, files: paths };
}

/** Every label below `classes`, or a UserError naming the file and the first label out of range. */
export function checkLabels(labels: Uint8Array, classes: number, path: string, unit: "item" | "record"): void {
  for (let i = 0; i < labels.length; i++)
    if (labels[i] >= classes)
      throw new UserError(`${path}: label ${labels[i]} at ${unit} ${i} (counting from 0) is outside 0..${classes - 1}; expected ${classes} classes`);
}
