/**
 * Image sets read from files (IDX: Fashion-MNIST, MNIST, KMNIST, EMNIST;
 * CIFAR-10's batches) turned into tables: a seeded, stratified subsample of
 * the training images (`n`), average pooling (`pool`), the set's own test
 * images kept as its test split. Pixels stay bytes (Table's Features) until
 * the Float32 splits are made, so a 60,000-image set costs its 47 MB of bytes
 * and its Float32 splits, nothing in between.
 */
import { UserError } from "../errors.js";
import { DataRng } from "./random.js";
import { allocate } from "./split.js";
import { featureDivisor, type Features, type Table } from "./table.js";

/** Images with their labels, as the files hold them. */
export interface ImageSet {
  /** Images. */
  n: number;
  /** Colour planes per image (1: grey, 3: CIFAR's red, green, blue). */
  channels: number;
  height: number;
  width: number;
  /** n x channels x height x width bytes, row-major, each image's planes one after the other. */
  pixels: Uint8Array;
  /** A class index per image. */
  labels: Uint8Array;
  /** The files read, for messages. */
  files: string[];
}

/**
 * For a subsample of `n` rows out of classes of `counts` rows, the rows each
 * class keeps (indices within the class, ascending): each class's share by
 * largest remainder, its rows picked by a seeded permutation of the class
 * (drawn only for a class not kept whole, in class order). All rows when n is
 * undefined or covers them.
 */
export function stratifiedChoice(counts: readonly number[], n: number | undefined, rng: DataRng): Int32Array[] {
  const total = counts.reduce((a, b) => a + b, 0);
  const take = n === undefined || n >= total ? counts : allocate(n, [...counts]);
  return counts.map((c, k) => (take[k] === c ? Int32Array.from({ length: c }, (_, i) => i) : rng.permutation(c).slice(0, take[k]).sort()));
}

/** Rows of `labels` a stratified subsample of n keeps, in file order (see stratifiedChoice). */
export function subsampleRows(labels: Uint8Array, classes: number, n: number, rng: DataRng): Int32Array {
  const members: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < labels.length; i++) members[labels[i]].push(i);
  const chosen = stratifiedChoice(
    members.map((m) => m.length),
    n,
    rng,
  );
  const rows: number[] = [];
  chosen.forEach((within, c) => within.forEach((k) => rows.push(members[c][k])));
  return Int32Array.from(rows).sort();
}

/**
 * The mean of each pool x pool block of every image plane, as values (bytes
 * divided by 255): rows x channels x (height / pool) x (width / pool).
 */
export function averagePool(x: Features, rows: number, shape: { channels: number; height: number; width: number }, pool: number): Float64Array {
  const { channels, height, width } = shape;
  const h = height / pool;
  const w = width / pool;
  const inPlane = height * width;
  const outPlane = h * w;
  const out = new Float64Array(rows * channels * outPlane);
  for (let p = 0; p < rows * channels; p++)
    for (let i = 0; i < height; i++)
      for (let j = 0; j < width; j++) out[p * outPlane + Math.floor(i / pool) * w + Math.floor(j / pool)] += x[p * inPlane + i * width + j];
  const inv = 1 / (pool * pool);
  const div = featureDivisor(x);
  for (let k = 0; k < out.length; k++) out[k] = (out[k] * inv) / div;
  return out;
}

/** How an image set becomes a table: subsample, pooling, classes. */
export interface ImageTableOptions {
  /** Training images to keep (stratified, seeded); undefined keeps all. */
  n?: number;
  pool: number;
  classes: number;
  classLabels: string[];
}

/** One table of `set` (the rows given, or all), pooled. */
function imageTable(set: ImageSet, rows: Int32Array | undefined, o: ImageTableOptions): Table {
  const perImage = set.channels * set.height * set.width;
  const n = rows ? rows.length : set.n;
  let x: Features = set.pixels;
  let y: Float64Array;
  if (rows) {
    const picked = new Uint8Array(n * perImage);
    y = new Float64Array(n);
    rows.forEach((r, i) => {
      picked.set(set.pixels.subarray(r * perImage, (r + 1) * perImage), i * perImage);
      y[i] = set.labels[r];
    });
    x = picked;
  } else y = Float64Array.from(set.labels);
  if (o.pool > 1) x = averagePool(x, n, set, o.pool);
  return {
    task: "classification",
    n,
    features: perImage / (o.pool * o.pool),
    classes: o.classes,
    outputs: o.classes,
    x,
    y,
    classLabels: o.classLabels,
  };
}

/**
 * The training table (subsampled to o.n, pooled) and the test table (whole,
 * pooled) of an image set. Checks what the config asks against the files:
 * pool must divide the image sides, n must not exceed the training images,
 * the test images must match the training images' shape.
 */
export function imageTables(train: ImageSet, test: ImageSet | undefined, o: ImageTableOptions, rng: DataRng): { table: Table; test?: Table } {
  if (train.height % o.pool !== 0 || train.width % o.pool !== 0)
    throw new UserError(`dataset.pool: ${o.pool} does not divide the ${train.height} x ${train.width} images of ${train.files[0]}; use a divisor of both sides`);
  if (o.n !== undefined && o.n > train.n)
    throw new UserError(`dataset.n: ${o.n} is more than the ${train.n.toLocaleString("en-US")} training images of ${train.files.join(", ")}`);
  if (test && (test.channels !== train.channels || test.height !== train.height || test.width !== train.width))
    throw new UserError(`${test.files[0]}: test images of ${test.height} x ${test.width} x ${test.channels} do not match the training images' ${train.height} x ${train.width} x ${train.channels} (${train.files[0]})`);
  const rows = o.n !== undefined && o.n < train.n ? subsampleRows(train.labels, o.classes, o.n, rng) : undefined;
  return { table: imageTable(train, rows, o), test: test && imageTable(test, undefined, o) };
}
