/** WebAssembly SIMD path of the MLP engine (the TypeScript engine stays the reference and the fallback). */
export { createWasmTrainer, WasmTrainer, type WasmTrainerOptions } from "./trainer.js";
export { wasmAvailable, wasmUnavailableReason, wasmPath, wasmVariant, WASM_ACTIVATIONS } from "./kernels.js";
