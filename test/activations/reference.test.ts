// Values and derivatives against PyTorch (float64) and erf against CPython's libm.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { erf, erfc, getActivation } from "../../src/activations/index.js";

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/activations/${name}`, import.meta.url), "utf8").trim().split("\n").slice(1).map((l) => l.split(","));

const rows = fixture("pytorch-activations.csv").map(([name, x, f, df]) => ({ name, x: Number(x), f: Number(f), df: Number(df) }));

/** 1e-12 relative, or 1e-300 absolute (the tolerance for float64). */
function close64(got: number, want: number): boolean {
  return Math.abs(got - want) <= Math.max(1e-300, 1e-12 * Math.abs(want));
}

describe("float64 scalar forms match PyTorch", () => {
  it("has every elementwise activation in the fixture", () => {
    expect(new Set(rows.map((r) => r.name)).size).toBe(18);
  });
  for (const r of rows) {
    it(`${r.name}(${r.x})`, () => {
      const a = getActivation(r.name);
      const f = a.f(r.x);
      const df = a.df(r.x);
      expect(close64(f, r.f), `f: got ${f}, PyTorch ${r.f}`).toBe(true);
      expect(close64(df, r.df), `df: got ${df}, PyTorch ${r.df}`).toBe(true);
    });
  }
});

describe("Float32Array loops match PyTorch to float32 rounding", () => {
  const eps32 = 2 ** -23;
  const byName = new Map<string, typeof rows>();
  for (const r of rows) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  for (const [name, rs] of byName) {
    it(name, () => {
      const a = getActivation(name);
      const z = Float32Array.from(rs.map((r) => r.x));
      const f = new Float32Array(z.length);
      const df = new Float32Array(z.length);
      a.def.fArray(z, f, a.params);
      a.def.dfArray(z, df, a.params);
      rs.forEach((r, i) => {
        // The input itself is rounded to float32, which moves f by about f'(x) (x - fround(x)).
        const inputShift = Math.abs(r.x - z[i]);
        const tolF = 2 * eps32 * Math.abs(r.f) + Math.abs(r.df) * inputShift * 1.01 + 1e-45;
        expect(Math.abs(f[i] - r.f), `f(${r.x}) = ${f[i]}, PyTorch ${r.f}`).toBeLessThanOrEqual(tolF);
        // df's own slope is not in the fixture; bound its change over the input shift by a finite difference.
        const slope = Math.abs(a.df(r.x + 1e-6) - a.df(r.x - 1e-6)) / 2e-6;
        const tolD = 2 * eps32 * Math.abs(r.df) + slope * inputShift * 1.5 + 1e-45;
        expect(Math.abs(df[i] - r.df), `df(${r.x}) = ${df[i]}, PyTorch ${r.df}`).toBeLessThanOrEqual(tolD);
      });
    });
  }
});

describe("erf (Cody) against CPython's math.erf / math.erfc", () => {
  for (const [xs, es, ecs] of fixture("cpython-erf.csv")) {
    it(`erf(${xs})`, () => {
      const x = Number(xs);
      expect(close(erf(x), Number(es))).toBe(true);
      expect(close(erfc(x), Number(ecs))).toBe(true);
    });
  }
  function close(got: number, want: number) {
    return Math.abs(got - want) <= Math.max(1e-300, 2e-15 * Math.abs(want));
  }
});
