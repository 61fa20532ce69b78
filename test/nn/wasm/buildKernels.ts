/** Builds dist/wasm/mlp.wasm when missing or stale (scripts/build-wasm.mjs is a no-op when fresh). */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const script = fileURLToPath(new URL("../../../scripts/build-wasm.mjs", import.meta.url));

export function buildKernels(): void {
  execFileSync(process.execPath, [script], { stdio: "pipe" });
}
