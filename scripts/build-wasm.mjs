#!/usr/bin/env node
/**
 * Builds the WebAssembly SIMD kernels of the MLP engine from the repo's own
 * AssemblyScript sources (src/nn/wasm/assembly/) into dist/wasm/mlp.wasm, and
 * the same sources with relaxed SIMD (fused multiply-add in the GEMMs) into
 * dist/wasm/mlp-fma.wasm, which the loader uses where the engine runs it.
 * Offline: the `assemblyscript` dev dependency is the whole toolchain.
 *
 *   node scripts/build-wasm.mjs          build when a source is newer than the output
 *   node scripts/build-wasm.mjs --force  always build
 *
 * Flags: -O3, --noAssert (no bounds assertions in the kernels), the stub
 * runtime (no GC: the kernels only read and write memory laid out by JS) and
 * SIMD, which AssemblyScript 0.28 leaves off unless enabled.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const srcDir = join(root, "src/nn/wasm/assembly");
const out = join(root, "dist/wasm/mlp.wasm");
const variants = [
  { file: out, features: "simd" },
  { file: join(root, "dist/wasm/mlp-fma.wasm"), features: "simd,relaxed-simd" },
];

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

export async function buildWasm({ force = false, quiet = false } = {}) {
  const sources = readdirSync(srcDir).filter((f) => f.endsWith(".ts")).map((f) => join(srcDir, f));
  const newest = Math.max(...sources.map(mtime), mtime(fileURLToPath(import.meta.url)));
  const asc = await import("assemblyscript/asc");
  for (const { file, features } of variants) {
    if (!force && mtime(file) > newest) continue;
    mkdirSync(dirname(file), { recursive: true });
    // Written beside the target and renamed into place: test files build concurrently,
    // and a reader must never see a half-written module.
    const tmp = `${file}.${process.pid}.tmp`;
    const args = [join(srcDir, "index.ts"), "-O3", "--noAssert", "--runtime", "stub", "--enable", features, "--outFile", tmp];
    const { error, stderr } = await asc.main(args, { stdout: process.stdout, stderr: process.stderr });
    if (error) {
      rmSync(tmp, { force: true });
      throw new Error(`assemblyscript build failed: ${error.message}\n${stderr.toString()}`);
    }
    renameSync(tmp, file);
    if (!quiet) console.log(`built ${file}`);
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildWasm({ force: process.argv.includes("--force") }).catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
}
