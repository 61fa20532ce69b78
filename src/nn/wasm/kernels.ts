/**
 * Loading the WebAssembly SIMD kernels (dist/wasm/mlp.wasm, built from
 * ./assembly by scripts/build-wasm.mjs) and the typed view of their exports.
 *
 * The module is compiled once per process and instantiated once per trainer,
 * so each trainer owns its linear memory (weights stay resident there).
 *
 * Two builds of the same sources: mlp-fma.wasm uses relaxed SIMD's fused
 * multiply-add in the GEMMs (about 1.5x faster where the core has FMA) and is
 * taken when this engine runs it (on Node 20 that needs V8's
 * --experimental-wasm-relaxed-simd, which is switched on here at run time);
 * mlp.wasm, plain SIMD, otherwise. The two agree to float32 rounding, not bit
 * for bit; ACTBENCH_WASM_FMA=0 keeps the plain build for comparisons across
 * machines. wasmVariant() says which one runs.
 */
import { existsSync, readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { dirname, join } from "node:path";
import { packageRoot } from "../../packageRoot.js";

/** The kernels' exports; pointers are byte offsets into the instance's memory. */
export interface Kernels {
  memory: WebAssembly.Memory;
  heapBase(): number;
  forward(X: number, xs: number, rows: number, K: number, WT: number, P: number, b: number, Z: number, A: number, relu: number): void;
  inputGrad(DZ: number, P: number, rows: number, WT: number, K: number, out: number, os: number, Zp: number, relu: number): void;
  /** fused = 0: GW receives the gradient; else GW is scratch for 4 P floats and the optimizer of setHyper updates the weights at W (state at M, V). */
  weightGrad(X: number, xs: number, rows: number, K: number, DZ: number, P: number, GW: number, W: number, M: number, V: number, fused: number): void;
  setHyper(kind: number, lr: number, l2: number, scale: number, mu: number, b1: number, b2: number, eps: number, c1: number, c2: number): void;
  biasGrad(DZ: number, P: number, rows: number, gb: number): void;
  actForward(kind: number, Z: number, A: number, n: number, p: number): void;
  actBackward(kind: number, Z: number, G: number, DZ: number, n: number, p: number): void;
  /** A learnable-parameter activation (WASM_LEARNABLE) over rows x P; par holds P values (perUnit 1) or one (0). */
  paramForward(kind: number, Z: number, A: number, rows: number, P: number, par: number, perUnit: number): void;
  /** Its backward: DZ = G f'(Z), and dL/dpar written at GP (P floats, or one). */
  paramBackward(kind: number, Z: number, G: number, DZ: number, rows: number, P: number, par: number, perUnit: number, GP: number): void;
  update(
    kind: number, w: number, g: number, m: number, v: number, n: number,
    lr: number, l2: number, scale: number, mu: number, b1: number, b2: number, eps: number, c1: number, c2: number,
  ): void;
  sumSquares(g: number, n: number): number;
}

/**
 * Activation name -> kind code of the wasm elementwise loops (the switch in
 * assembly/activations.ts). Activations not listed run their registry
 * Float32Array loops from JS, once per layer.
 */
export const WASM_ACTIVATIONS: ReadonlyMap<string, number> = new Map([
  ["identity", 0],
  ["relu", 1],
  ["leaky_relu", 2],
  ["sigmoid", 3],
  ["tanh", 4],
  ["gelu", 5],
  ["gelu_tanh", 6],
  ["silu", 7],
  ["elu", 8],
  ["selu", 9],
  ["celu", 10],
  ["softsign", 11],
  ["hardtanh", 12],
  ["relu6", 13],
  ["hardsigmoid", 14],
  ["hardswish", 15],
]);

/** The activation parameter each wasm loop reads (passed as its `p`). */
export const WASM_ACTIVATION_PARAM: Readonly<Record<string, string>> = { leaky_relu: "alpha", elu: "alpha", celu: "alpha" };

/**
 * Activations with one learnable parameter (per unit or per layer) that have
 * wasm loops (assembly/learnable.ts): name -> kind code and the parameter.
 * The other learnable ones (pelu, pau, mixtures) run their TypeScript forms.
 */
export const WASM_LEARNABLE: ReadonlyMap<string, { kind: number; param: string }> = new Map([
  ["prelu", { kind: 0, param: "slope" }],
  ["swish_beta", { kind: 1, param: "beta" }],
]);

/** Optimizer name -> kind code of assembly/optimizer.ts. */
export const WASM_OPTIMIZERS = { sgd: 0, momentum: 1, nesterov: 2, adam: 3, adamw: 4 } as const;

/** Where the build puts the module (dist/wasm under the package root), or null before a build. */
export function wasmPath(): string | null {
  const p = join(packageRoot(), "dist", "wasm", "mlp.wasm");
  return existsSync(p) ? p : null;
}

/** Every export the glue calls (a stale build lacking one is reported, not called). */
const KERNEL_EXPORTS: ReadonlyArray<keyof Kernels> = [
  "memory", "heapBase", "forward", "inputGrad", "weightGrad", "biasGrad", "actForward", "actBackward", "paramForward", "paramBackward", "update", "setHyper", "sumSquares",
];

let compiled: WebAssembly.Module | null | undefined;
let failure = "";
let variant: "simd" | "simd+fma" = "simd";

/** The FMA build's bytes when this engine can run them (relaxed SIMD, switched on if needed), else null. */
function fmaBytes(plainPath: string): Uint8Array<ArrayBuffer> | null {
  if (process.env.ACTBENCH_WASM_FMA === "0") return null;
  const path = join(dirname(plainPath), "mlp-fma.wasm");
  if (!existsSync(path)) return null;
  const bytes = new Uint8Array(readFileSync(path));
  if (WebAssembly.validate(bytes)) return bytes;
  // Node 20's V8 has relaxed SIMD behind a flag; it is read when a module is validated, so setting it now works.
  setFlagsFromString("--experimental-wasm-relaxed-simd");
  return WebAssembly.validate(bytes) ? bytes : null;
}

/** Which build the kernels run: plain 128-bit SIMD, or SIMD with fused multiply-add. */
export function wasmVariant(): "simd" | "simd+fma" | null {
  return compile() ? variant : null;
}

function compile(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  const path = wasmPath();
  if (!path) {
    failure = "dist/wasm/mlp.wasm not found (run `node scripts/build-wasm.mjs`)";
    compiled = null;
    return null;
  }
  try {
    // Compiling validates every instruction: it fails where the engine lacks 128-bit SIMD.
    const fma = fmaBytes(path);
    variant = fma ? "simd+fma" : "simd";
    const mod = new WebAssembly.Module(fma ?? readFileSync(path));
    const have = new Set(WebAssembly.Module.exports(mod).map((e) => e.name));
    const missing = KERNEL_EXPORTS.filter((name) => !have.has(name));
    if (missing.length) {
      failure = `${path} is from an older build (no ${missing.join(", ")}): run \`node scripts/build-wasm.mjs\``;
      compiled = null;
      return null;
    }
    compiled = mod;
  } catch (e) {
    failure = `cannot compile ${path}: ${(e as Error).message}`;
    compiled = null;
  }
  return compiled;
}

/** True when the kernels are built and this engine runs WebAssembly SIMD; else the TypeScript engine is the path. */
export function wasmAvailable(): boolean {
  return compile() !== null;
}

/** Why wasmAvailable() is false ("" when it is true). */
export function wasmUnavailableReason(): string {
  compile();
  return failure;
}

/** A fresh instance (own memory) of the kernels; throws when unavailable. */
export function instantiateKernels(): Kernels {
  const mod = compile();
  if (!mod) throw new Error(`WebAssembly kernels unavailable: ${failure}`);
  const instance = new WebAssembly.Instance(mod, {});
  return instance.exports as unknown as Kernels;
}
