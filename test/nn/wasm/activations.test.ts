/**
 * The wasm elementwise activations against the registry's float64 scalar
 * forms (themselves checked against PyTorch in test/activations): every
 * value within 2e-6 relative plus 6e-8 absolute (half a float32 ulp at 1),
 * i.e. float32 rounding of the result or of the terms it is summed from.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getActivation } from "../../../src/activations/index.js";
import { instantiateKernels, WASM_ACTIVATION_PARAM, WASM_ACTIVATIONS, type Kernels } from "../../../src/nn/wasm/kernels.js";
import { buildKernels } from "./buildKernels.js";

let k: Kernels;
beforeAll(() => {
  buildKernels();
  k = instantiateKernels();
});

/** A dense grid over [-30, 30], the points where a formula switches branch, and extremes. */
function grid(): Float32Array {
  const xs: number[] = [];
  for (let i = -6000; i <= 6000; i++) xs.push(i / 200);
  xs.push(0, -0, 1e-7, -1e-7, 1e-30, -1e-30, 0.4999, 0.5001, -0.4999, -0.5001, 0.6249, 0.6251, -0.6249, -0.6251);
  xs.push(50, -50, 88, -88, 100, -100, 1e4, -1e4, 3, -3, 6, 1, -1, -1.2785);
  while (xs.length % 4) xs.push(0.25);
  return Float32Array.from(xs);
}

function worst(
  got: Float32Array,
  xs: Float32Array,
  ref: (x: number) => number,
): { ratio: number; x: number; got: number; want: number } {
  let w = { ratio: 0, x: 0, got: 0, want: 0 };
  for (let i = 0; i < xs.length; i++) {
    const want = ref(xs[i]);
    // A NaN where the reference has a number is the worst of all (and must not be overwritten by later points).
    const err = Math.abs(got[i] - want) / (2e-6 * Math.abs(want) + 6e-8);
    const ratio = Number.isNaN(err) ? (Object.is(got[i], want) ? 0 : Infinity) : err;
    if (ratio > w.ratio) w = { ratio, x: xs[i], got: got[i], want };
  }
  return w;
}

describe("wasm elementwise activations", () => {
  for (const [name, code] of WASM_ACTIVATIONS) {
    for (const params of [{}, ...(WASM_ACTIVATION_PARAM[name] ? [{ [WASM_ACTIVATION_PARAM[name]]: 0.3 }] : [])]) {
      it(`${name} ${JSON.stringify(params)}: f and f' equal the registry's to float32 rounding`, () => {
        const act = getActivation({ name, ...params });
        const pname = WASM_ACTIVATION_PARAM[name];
        const p = pname ? act.params[pname] : 0;
        const xs = grid();
        const n = xs.length;
        const base = (k.heapBase() + 15) & ~15;
        const need = base + 4 * n * 4 - k.memory.buffer.byteLength;
        if (need > 0) k.memory.grow(Math.ceil(need / 65536));
        const f = new Float32Array(k.memory.buffer);
        const [Z, A, G, D] = [0, 1, 2, 3].map((i) => base + i * n * 4);
        f.set(xs, Z / 4);
        // Upstream gradient 1 except a second half of 0.5, so dz = g f' checks the product too.
        for (let i = 0; i < n; i++) f[G / 4 + i] = i < n / 2 ? 1 : 0.5;
        k.actForward(code, Z, A, n, p);
        k.actBackward(code, Z, G, D, n, p);
        const a = f.slice(A / 4, A / 4 + n);
        const d = f.slice(D / 4, D / 4 + n);
        for (let i = Math.ceil(n / 2); i < n; i++) d[i] *= 2;
        const wf = worst(a, xs, (x) => act.f(x));
        const wd = worst(d, xs, (x) => act.df(x));
        expect(wf.ratio, `f worst at x=${wf.x}: ${wf.got} vs ${wf.want}`).toBeLessThanOrEqual(1);
        expect(wd.ratio, `f' worst at x=${wd.x}: ${wd.got} vs ${wd.want}`).toBeLessThanOrEqual(1);
      });
    }
  }
});
