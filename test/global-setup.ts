// Before any test file: build dist/ (the package root test imports "actbench" as a
// user would, through package.json "exports") and the WebAssembly kernels when
// missing or stale, so that every file, the `auto` kernel included, sees them;
// and the MNIST pack (scripts/pack-mnist.mjs), which test/data checks.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { buildKernels } from "./nn/wasm/buildKernels.js";

export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  execFileSync(process.execPath, [fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url)), "-p", "tsconfig.build.json"], {
    cwd: root,
    stdio: "inherit",
  });
  buildKernels();
  execFileSync(process.execPath, [fileURLToPath(new URL("../scripts/pack-mnist.mjs", import.meta.url))], { cwd: root, stdio: "inherit" });
}
