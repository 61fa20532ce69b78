/**
 * The wasm loops of the learnable-parameter activations (PReLU, Swish-beta;
 * assembly/learnable.ts), parameters one per unit and one per layer:
 *   - against PyTorch (test/fixtures/activations/adaptive-torch.json, made by
 *     adaptive-torch.py beside it): a = f(z), dL/dz and dL/dparam of one layer;
 *   - against the TypeScript engine's LayerActivation on batches with padding
 *     (7 units in P = 8): PReLU bit for bit (every product there is of two
 *     float32 numbers, the sums float64 in the same order), Swish-beta to
 *     float32 rounding of its sigmoid;
 *   - the padding columns and the padding parameters' gradients stay zero.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getActivation } from "../../../src/activations/index.js";
import { LayerActivation } from "../../../src/nn/layerActivation.js";
import { instantiateKernels, WASM_LEARNABLE, type Kernels } from "../../../src/nn/wasm/kernels.js";
import { buildKernels } from "./buildKernels.js";
import { adaptiveFixture } from "../../activations/adaptive-fixture.js";

let k: Kernels;
beforeAll(() => {
  buildKernels();
  k = instantiateKernels();
});

const fixture = adaptiveFixture;

/** What the kernels computed for one layer, compact rows x units (padding stripped), plus the padding itself. */
interface Pass {
  a: Float32Array;
  dz: Float32Array;
  dparam: Float32Array;
  /** Every padding value the kernels wrote: A and DZ columns beyond the units, parameter gradients beyond them. */
  padding: number[];
}

/** Runs paramForward and paramBackward on z, g (rows x units) with `values` (units long, or 1: shared). */
function runKernels(name: string, z: Float32Array, g: Float32Array, rows: number, units: number, values: Float32Array): Pass {
  const kind = WASM_LEARNABLE.get(name)!.kind;
  const P = (units + 3) & ~3;
  const perUnit = values.length > 1 ? 1 : 0;
  const n = rows * P;
  const base = (k.heapBase() + 15) & ~15;
  const [Z, A, G, DZ, PAR, GP] = [0, 1, 2, 3, 4, 5].map((i) => base + i * n * 4);
  const need = base + 6 * n * 4 - k.memory.buffer.byteLength;
  if (need > 0) k.memory.grow(Math.ceil(need / 65536));
  const f = new Float32Array(k.memory.buffer);
  // NaN everywhere first: a kernel that read or left a slot it should not shows up.
  f.fill(NaN, base / 4, base / 4 + 6 * n);
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < P; j++) {
      f[Z / 4 + r * P + j] = j < units ? z[r * units + j] : 0;
      f[G / 4 + r * P + j] = j < units ? g[r * units + j] : 0;
    }
  for (let j = 0; j < (perUnit ? P : 1); j++) f[PAR / 4 + j] = j < values.length ? values[j] : 0;
  k.paramForward(kind, Z, A, rows, P, PAR, perUnit);
  k.paramBackward(kind, Z, G, DZ, rows, P, PAR, perUnit, GP);
  const a = new Float32Array(rows * units);
  const dz = new Float32Array(rows * units);
  const padding: number[] = [];
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < P; j++) {
      if (j < units) {
        a[r * units + j] = f[A / 4 + r * P + j];
        dz[r * units + j] = f[DZ / 4 + r * P + j];
      } else padding.push(f[A / 4 + r * P + j], f[DZ / 4 + r * P + j]);
    }
  const width = perUnit ? units : 1;
  if (perUnit) for (let j = units; j < P; j++) padding.push(f[GP / 4 + j]);
  return { a, dz, dparam: f.slice(GP / 4, GP / 4 + width), padding };
}

/** The TypeScript engine's pass over the same layer (the reference path). */
function runTypeScript(name: string, z: Float32Array, g: Float32Array, rows: number, units: number, values: Float32Array) {
  const param = WASM_LEARNABLE.get(name)!.param;
  const layer = new LayerActivation(getActivation({ name, share: values.length > 1 ? "unit" : "layer" }), units);
  layer.unitParams[param].set(values);
  const a = new Float32Array(rows * units);
  const dz = new Float32Array(rows * units);
  layer.forward(z, a, rows);
  const pg = { [param]: new Float32Array(layer.paramWidth) };
  layer.backward(z, a, g, dz, rows, new Float32Array(rows * units), pg);
  return { a, dz, dparam: pg[param] };
}

describe("wasm learnable-parameter activations match PyTorch (one layer, both sharing modes)", () => {
  const cases = fixture.layers.filter((c) => WASM_LEARNABLE.has(c.activation));
  it("the fixture has prelu and swish_beta, per unit and per layer", () => {
    expect(cases.map((c) => `${c.activation}/${c.share}`).sort()).toEqual(["prelu/layer", "prelu/unit", "swish_beta/layer", "swish_beta/unit"]);
  });
  for (const c of cases)
    it(`${c.activation}, share ${c.share}`, () => {
      const rows = c.z.length;
      const units = c.z[0].length;
      const values = Float32Array.from(c.params[WASM_LEARNABLE.get(c.activation)!.param]);
      expect(values.length).toBe(c.share === "unit" ? units : 1);
      const got = runKernels(c.activation, Float32Array.from(c.z.flat()), Float32Array.from(c.g.flat()), rows, units, values);
      // float32 results of float32 inputs (the fixture's doubles are those float32 numbers): a few float32 ulps.
      const tol = (want: number, scale: number) => 1e-6 * Math.abs(want) + 1e-6 * scale;
      const check = (label: string, out: Float32Array, want: number[]) => {
        const scale = Math.max(...want.map(Math.abs));
        want.forEach((w, i) => expect(Math.abs(out[i] - w), `${label}[${i}]: ${out[i]} vs PyTorch ${w}`).toBeLessThanOrEqual(tol(w, scale)));
      };
      check("a", got.a, c.a.flat());
      check("dz", got.dz, c.dz.flat());
      check("dparam", got.dparam, c.dparam[WASM_LEARNABLE.get(c.activation)!.param]);
      expect(got.padding.every((v) => v === 0)).toBe(true);
    });
});

/** A batch of rows x units: values spread over [-span, span], some exactly 0, a few extremes. */
function batch(rows: number, units: number, span: number, seed: number): Float32Array {
  const out = new Float32Array(rows * units);
  let s = seed;
  for (let i = 0; i < out.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = ((s / 2147483648) * 2 - 1) * span;
  }
  out[0] = 0;
  out[1] = -0;
  out[2] = 1e4;
  out[3] = -1e4;
  out[4] = 150; // beyond float32 exp's range: sigmoid saturated exactly
  out[5] = -150;
  return out;
}

describe("wasm learnable-parameter activations against the TypeScript engine (7 units: padded to 8)", () => {
  const rows = 9;
  const units = 7;
  const z = batch(rows, units, 6, 1);
  const g = batch(rows, units, 1, 2);
  const valueSets: Record<string, Float32Array[]> = {
    prelu: [Float32Array.of(0.25), Float32Array.from({ length: units }, (_, j) => 0.05 + 0.1 * j - (j === 3 ? 0.5 : 0))],
    swish_beta: [Float32Array.of(1), Float32Array.of(-0.7), Float32Array.from({ length: units }, (_, j) => 0.3 + 0.4 * j)],
  };

  for (const values of valueSets.prelu)
    it(`prelu with ${values.length > 1 ? "a slope per unit" : "one slope per layer"}: bit for bit`, () => {
      const got = runKernels("prelu", z, g, rows, units, values);
      const want = runTypeScript("prelu", z, g, rows, units, values);
      expect(got.a).toEqual(want.a);
      expect(got.dz).toEqual(want.dz);
      expect(got.dparam).toEqual(want.dparam);
      expect(got.padding.every((v) => v === 0)).toBe(true);
    });

  for (const values of valueSets.swish_beta)
    it(`swish_beta with ${values.length > 1 ? "a beta per unit" : `one beta per layer (${values[0]})`}: to float32 rounding`, () => {
      const got = runKernels("swish_beta", z, g, rows, units, values);
      const want = runTypeScript("swish_beta", z, g, rows, units, values);
      // Elementwise: float32 sigmoid (a few ulps) of a float32-rounded beta x; the sums: the same relative to their terms.
      const close = (x: number, w: number, scale: number) => Math.abs(x - w) <= 2e-6 * Math.abs(w) + 1e-7 * scale;
      const scaleA = Math.max(...want.a.map(Math.abs));
      for (let i = 0; i < want.a.length; i++) expect(close(got.a[i], want.a[i], scaleA), `a[${i}] at z=${z[i]}: ${got.a[i]} vs ${want.a[i]}`).toBe(true);
      for (let i = 0; i < want.dz.length; i++) expect(close(got.dz[i], want.dz[i], 1), `dz[${i}] at z=${z[i]}: ${got.dz[i]} vs ${want.dz[i]}`).toBe(true);
      // Scale of a parameter's sum: the sum of its terms' magnitudes (|g| x^2 q <= |g| x^2 / 4, computed from the TS form).
      const terms = runTypeScript("swish_beta", z, g.map(Math.abs), rows, units, values).dparam;
      for (let j = 0; j < want.dparam.length; j++)
        expect(Math.abs(got.dparam[j] - want.dparam[j]), `dbeta[${j}]: ${got.dparam[j]} vs ${want.dparam[j]}`).toBeLessThanOrEqual(2e-6 * Math.abs(terms[j]) + 1e-30);
      for (const v of [...got.a, ...got.dz, ...got.dparam]) expect(Number.isFinite(v)).toBe(true);
      expect(got.padding.every((v) => v === 0)).toBe(true);
    });
});
