// @ts-nocheck -- AssemblyScript (compiled by scripts/build-wasm.mjs), not TypeScript.
/** Entry point of the MLP kernels module: everything JS calls. */
export { forward, inputGrad, weightGrad, biasGrad } from "./gemm";
export { actForward, actBackward } from "./activations";
export { paramForward, paramBackward } from "./learnable";
export { update, sumSquares, setHyper } from "./optimizer";

/** First free byte after the module's static data: JS lays out its buffers from here. */
export function heapBase(): usize {
  return __heap_base;
}
