// Before any test file: build the WebAssembly kernels when missing or stale
// (a no-op when fresh), so that every file, the `auto` kernel included, sees them.
import { buildKernels } from "./nn/wasm/buildKernels.js";

export default function setup(): void {
  buildKernels();
}
