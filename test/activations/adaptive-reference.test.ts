// The adaptive activations (swish_beta, pelu, pau, and prelu) against PyTorch:
// values and derivatives with respect to the input and to every learnable
// parameter, at single points (float64 scalar forms) and through one layer
// with the parameters one per unit or one per layer (the engine's float32
// LayerActivation, forward and backward). Fixture: adaptive-torch.json, made
// by adaptive-torch.py beside it.
import { describe, expect, it } from "vitest";
import { getActivation } from "../../src/activations/index.js";
import { LayerActivation } from "../../src/nn/layerActivation.js";
import { adaptiveFixture } from "./adaptive-fixture.js";

const fixture = adaptiveFixture;

/** 1e-12 relative to the value, or to the case's scale where the value cancels to near zero. */
function close(got: number, want: number, scale: number): boolean {
  return Math.abs(got - want) <= 1e-12 * Math.max(Math.abs(want), 1e-3 * scale) + 1e-300;
}

describe("adaptive activations match PyTorch at single points (float64)", () => {
  it("covers swish_beta, pelu, pau and prelu", () => {
    expect(new Set(fixture.points.map((c) => c.activation))).toEqual(new Set(["swish_beta", "pelu", "pau", "prelu"]));
  });
  for (const c of fixture.points)
    it(`${c.activation} ${JSON.stringify(c.params)}`, () => {
      const act = getActivation({ name: c.activation, ...c.params });
      const scale = Math.max(...c.rows.map((r) => Math.abs(r.f)));
      for (const r of c.rows) {
        expect(close(act.f(r.x), r.f, scale), `f(${r.x}) = ${act.f(r.x)}, PyTorch ${r.f}`).toBe(true);
        expect(close(act.df(r.x), r.df, 1), `df(${r.x}) = ${act.df(r.x)}, PyTorch ${r.df}`).toBe(true);
        for (const [name, want] of Object.entries(r.dparam)) {
          const got = act.def.dParam![name](r.x, act.params);
          const pscale = Math.max(...c.rows.map((q) => Math.abs(q.dparam[name])));
          expect(close(got, want, pscale), `d/d${name} at ${r.x} = ${got}, PyTorch ${want}`).toBe(true);
        }
      }
    });
});

describe("one layer, parameters per unit and per layer, match PyTorch (float32 engine)", () => {
  it("has both sharing modes for every adaptive activation", () => {
    for (const name of ["swish_beta", "pelu", "pau", "prelu"])
      expect(new Set(fixture.layers.filter((c) => c.activation === name).map((c) => c.share))).toEqual(new Set(["layer", "unit"]));
  });
  for (const c of fixture.layers)
    it(`${c.activation}, share ${c.share}`, () => {
      const rows = c.z.length;
      const units = c.z[0].length;
      const act = getActivation({ name: c.activation, share: c.share });
      const layer = new LayerActivation(act, units);
      expect(layer.paramWidth).toBe(c.share === "unit" ? units : 1);
      for (const [name, values] of Object.entries(c.params)) layer.unitParams[name].set(values);
      const z = Float32Array.from(c.z.flat());
      const g = Float32Array.from(c.g.flat());
      const a = new Float32Array(z.length);
      const dz = new Float32Array(z.length);
      layer.forward(z, a, rows);
      const pg: Record<string, Float32Array> = Object.fromEntries(layer.learnable.map((n) => [n, new Float32Array(layer.paramWidth)]));
      layer.backward(z, a, g, dz, rows, new Float32Array(z.length), pg);
      // The inputs are float32 numbers and the fixture's are the same doubles; differences are float32 rounding of the outputs.
      const tol = (want: number, scale: number) => 4e-7 * Math.abs(want) + 1e-6 * scale;
      const flatA = c.a.flat();
      const flatDz = c.dz.flat();
      const sa = Math.max(...flatA.map(Math.abs));
      const sd = Math.max(...flatDz.map(Math.abs));
      flatA.forEach((want, i) => expect(Math.abs(a[i] - want), `a[${i}]`).toBeLessThanOrEqual(tol(want, sa)));
      flatDz.forEach((want, i) => expect(Math.abs(dz[i] - want), `dz[${i}]`).toBeLessThanOrEqual(tol(want, sd)));
      for (const [name, want] of Object.entries(c.dparam)) {
        const sp = Math.max(...want.map(Math.abs));
        want.forEach((w, i) => expect(Math.abs(pg[name][i] - w), `d/d${name}[${i}]: ${pg[name][i]} vs ${w}`).toBeLessThanOrEqual(tol(w, sp)));
      }
    });
});
