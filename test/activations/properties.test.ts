// Property tests: derivatives against central finite differences, identities,
// finiteness at the extremes, and the softmax Jacobian-vector product.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { activationNames, defineActivation, getActivation, activations } from "../../src/activations/index.js";

const elementwise = activationNames().filter((n) => !activations.get(n)!.vector && activations.get(n)!.source !== "user module");

/** Kinks (points where df jumps) per activation, with the given parameters. */
const kinks: Record<string, number[]> = {
  relu: [0], leaky_relu: [0], prelu: [0], elu: [0], selu: [0], celu: [0],
  softsign: [0], hardsigmoid: [-3, 3], hardswish: [-3, 3], hardtanh: [-1, 1], relu6: [0, 6], softplus: [20],
  pau: [0], // the default b1, b3 ~ 1e-6: |A| has kinks at 0 and -b1/b2 ~ -8e-7
  pelu: [0], // f' is continuous at 0 but f'' jumps there: the central difference is off by h f''/2
};

/** Central difference with step h, and its truncation + rounding error bound. */
function centralDiff(f: (x: number) => number, x: number, h: number) {
  return (f(x + h) - f(x - h)) / (2 * h);
}

describe("df matches a central finite difference of f", () => {
  const params: Record<string, Record<string, number>[]> = {
    leaky_relu: [{}, { alpha: 0.2 }], prelu: [{}, { slope: -0.5 }], elu: [{}, { alpha: 0.5 }], celu: [{}, { alpha: 2.5 }],
    swish_beta: [{}, { beta: 2.5 }, { beta: -0.7 }, { beta: 0 }], pelu: [{}, { a: 0.5, b: 2 }, { a: 1.7, b: 0.3 }],
    // b1 = b3 = 0 keeps |A| smooth (A = b2 x^2 + b4 x^4 >= 0); other b put kinks where A changes sign.
    pau: [{}, { a0: 0.1, a1: -0.4, a2: 0.3, a3: 0.2, a4: -0.1, a5: 0.05, b1: 0, b2: 0.4, b3: 0, b4: 0.3 }],
  };
  for (const name of elementwise) {
    for (const p of params[name] ?? [{}]) {
      it(`${name} ${JSON.stringify(p)}`, () => {
        const a = getActivation({ name, ...p });
        const h = 1e-5;
        fc.assert(
          fc.property(fc.double({ min: -30, max: 30, noNaN: true }), (x) => {
            if ((kinks[name] ?? []).some((k) => Math.abs(x - k) < 10 * h)) return true;
            const fd = centralDiff(a.f, x, h);
            const d = a.df(x);
            // Truncation error ~ h^2 |f'''| / 6 and rounding ~ eps |f| / h.
            const tol = 1e-6 * (1 + Math.abs(d)) + (1e-16 * (1 + Math.abs(a.f(x)))) / h;
            expect(Math.abs(fd - d), `x=${x}: df=${d}, finite difference ${fd}`).toBeLessThanOrEqual(tol);
          }),
          { numRuns: 300, seed: 42 },
        );
      });
    }
  }

  it("prelu's derivative with respect to its slope matches a finite difference", () => {
    const dSlope = activations.get("prelu")!.dParam!.slope;
    fc.assert(
      fc.property(fc.double({ min: -20, max: 20, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), (x, s) => {
        const f = (slope: number) => getActivation({ name: "prelu", slope }).f(x);
        const fd = centralDiff(f, s, 1e-6);
        expect(Math.abs(fd - dSlope(x, { slope: s }))).toBeLessThanOrEqual(1e-8 * (1 + Math.abs(x)));
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});

describe("derivatives with respect to learnable parameters match finite differences", () => {
  const learnableDefs = elementwise.map((n) => activations.get(n)!).filter((d) => (d.params ?? []).some((p) => p.learnable));
  it("covers prelu, swish_beta, pelu and pau", () => {
    expect(learnableDefs.map((d) => d.name)).toEqual(expect.arrayContaining(["prelu", "swish_beta", "pelu", "pau"]));
  });
  for (const def of learnableDefs) {
    const names = (def.params ?? []).filter((p) => p.learnable).map((p) => p.name);
    it(`${def.name}: d/d(${names.join(", ")}), and gradients() equal to df and dParam`, () => {
      const dp = new Float64Array(names.length);
      fc.assert(
        fc.property(
          fc.double({ min: -8, max: 8, noNaN: true }),
          fc.array(fc.double({ min: 0.2, max: 1.5, noNaN: true }), { minLength: names.length, maxLength: names.length }),
          (x, values) => {
            if (Math.abs(x) < 1e-4) return true; // the kinks at 0 (prelu, pelu's b, pau's |A|)
            const p: Record<string, number> = Object.fromEntries((def.params ?? []).map((q) => [q.name, q.default]));
            names.forEach((n, i) => (p[n] = values[i]));
            names.forEach((n) => {
              const h = 1e-6;
              const f = (v: number) => def.f(x, { ...p, [n]: v });
              const fd = (f(p[n] + h) - f(p[n] - h)) / (2 * h);
              const got = def.dParam![n](x, p);
              expect(Math.abs(got - fd), `${n} at x=${x}: dParam ${got}, finite difference ${fd}`).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(fd)) + 1e-9 * Math.abs(f(p[n])) / h);
            });
            if (def.gradients) {
              const d = def.gradients(x, p, dp);
              expect(d).toBe(def.df(x, p));
              names.forEach((n, i) => expect(dp[i]).toBe(def.dParam![n](x, p)));
            }
          },
        ),
        { numRuns: 200, seed: 17 },
      );
    });
  }
});

describe("dfFromOutput (f' from f(x), used by training) equals df", () => {
  for (const name of elementwise.filter((n) => activations.get(n)!.dfFromOutput)) {
    it(name, () => {
      const a = getActivation(name);
      fc.assert(
        fc.property(fc.double({ min: -15, max: 15, noNaN: true }), (x) => {
          if (x === 0) return true; // relu family: f(0) = 0 hides which side of the kink x is on
          const got = a.def.dfFromOutput!(a.f(x), a.params);
          expect(Math.abs(got - a.df(x)), `x=${x}`).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(a.df(x))) + 1e-15);
        }),
        { numRuns: 300, seed: 13 },
      );
    });
  }
});

describe("identities", () => {
  const x = fc.double({ min: -50, max: 50, noNaN: true });
  const sigmoid = getActivation("sigmoid");
  it("tanh(x) = 2 sigmoid(2x) - 1", () => {
    fc.assert(fc.property(x, (v) => Math.abs(getActivation("tanh").f(v) - (2 * sigmoid.f(2 * v) - 1)) <= 1e-15), { seed: 1 });
  });
  it("silu(x) = x sigmoid(x), and swish is silu", () => {
    const silu = getActivation("swish");
    expect(silu.name).toBe("silu");
    fc.assert(fc.property(x, (v) => Math.abs(silu.f(v) - v * sigmoid.f(v)) <= 1e-15 * (1 + Math.abs(v))), { seed: 2 });
  });
  it("gelu_tanh is within 1e-3 of exact gelu", () => {
    fc.assert(fc.property(x, (v) => Math.abs(getActivation("gelu_tanh").f(v) - getActivation("gelu").f(v)) < 1e-3), { seed: 3 });
  });
  it("softplus' = sigmoid, mish(x) = x tanh(softplus(x)), selu = lambda elu(alpha)", () => {
    const sp = getActivation("softplus");
    const selu = getActivation("selu");
    fc.assert(
      fc.property(fc.double({ min: -19, max: 19, noNaN: true }), (v) => {
        expect(Math.abs(sp.df(v) - sigmoid.f(v))).toBeLessThanOrEqual(1e-16);
        expect(Math.abs(getActivation("mish").f(v) - v * Math.tanh(Math.log1p(Math.exp(v))))).toBeLessThanOrEqual(1e-14 * (1 + Math.abs(v)));
        const elu = getActivation({ name: "elu", alpha: 1.6732632423543772 });
        expect(Math.abs(selu.f(v) - 1.0507009873554805 * elu.f(v))).toBeLessThanOrEqual(1e-14 * (1 + Math.abs(v)));
      }),
      { seed: 4 },
    );
  });
  it("hardswish(x) = x hardsigmoid(x), relu6 = clamp(relu, 0, 6)", () => {
    fc.assert(
      fc.property(x, (v) => {
        expect(getActivation("hardswish").f(v)).toBeCloseTo(v * getActivation("hardsigmoid").f(v), 14);
        expect(getActivation("relu6").f(v)).toBe(Math.min(getActivation("relu").f(v), 6));
      }),
      { seed: 5 },
    );
  });
});

describe("finite for every finite input", () => {
  const all = [...elementwise, "softmax"];
  it.each(all)("%s at +/-1e3, +/-1e30, +/-1e300, +/-MAX_VALUE and random doubles", (name) => {
    const a = getActivation(name);
    const points = [1e3, -1e3, 1e30, -1e30, 1e300, -1e300, Number.MAX_VALUE, -Number.MAX_VALUE, 0, -0, 5e-324];
    // selu's value lambda x (lambda ~ 1.05) exceeds the largest double for x > MAX_VALUE / lambda:
    // there the true value itself is not finite.
    const representable = (x: number) => !(name === "selu" && x > Number.MAX_VALUE / 1.0507009873554805);
    for (const x of points.filter(representable)) {
      expect(Number.isFinite(a.f(x)), `f(${x}) = ${a.f(x)}`).toBe(true);
      expect(Number.isFinite(a.df(x)), `df(${x}) = ${a.df(x)}`).toBe(true);
    }
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => !representable(x) || (Number.isFinite(a.f(x)) && Number.isFinite(a.df(x)))),
      { numRuns: 500, seed: 11 },
    );
  });
  it("the Float32Array loops are finite at the float32 extremes", () => {
    const z = Float32Array.from([3.2e38, -3.4e38, 1e30, -1e30, 1000, -1000, 0]);
    for (const name of elementwise) {
      const a = getActivation(name);
      const out = new Float32Array(z.length);
      // 3.2e38 rather than the float32 maximum: selu's value 1.05 x must itself be representable.
      a.def.fArray(z, out, a.params);
      expect(out.every(Number.isFinite), `${name} f: ${out}`).toBe(true);
      a.def.dfArray(z, out, a.params);
      expect(out.every(Number.isFinite), `${name} df: ${out}`).toBe(true);
    }
  });
  it("+/-Infinity give the limits (documented in registry.ts)", () => {
    expect(getActivation("relu").f(Infinity)).toBe(Infinity);
    expect(Math.abs(getActivation("relu").f(-Infinity))).toBe(0);
    expect(Math.abs(getActivation("sigmoid").f(-Infinity))).toBe(0);
    expect(getActivation("sigmoid").f(Infinity)).toBe(1);
    expect(getActivation("tanh").f(-Infinity)).toBe(-1);
    expect(Math.abs(getActivation("gelu").f(-Infinity))).toBe(0);
    expect(Math.abs(getActivation("silu").f(-Infinity))).toBe(0);
    expect(Math.abs(getActivation("mish").f(-Infinity))).toBe(0);
    expect(getActivation("softsign").f(Infinity)).toBe(1);
    expect(getActivation("softplus").f(Infinity)).toBe(Infinity);
    expect(getActivation("elu").f(-Infinity)).toBe(-1);
    expect(getActivation("silu").df(Infinity)).toBe(1);
    expect(Math.abs(getActivation("gelu_tanh").df(-Infinity))).toBe(0);
    for (const name of elementwise) {
      const a = getActivation(name);
      expect(Number.isNaN(a.f(Infinity)) || Number.isNaN(a.f(-Infinity)), name).toBe(false);
      expect(Number.isNaN(a.df(Infinity)) || Number.isNaN(a.df(-Infinity)), name).toBe(false);
    }
  });
});

describe("softmax", () => {
  const sm = activations.get("softmax")!.vector!;
  const vec = fc.array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: 1, maxLength: 8 });

  it("rows sum to 1 and stay finite for huge inputs (max subtracted)", () => {
    const z = Float32Array.from([1000, 999, -1000, 3e38, 3e38, 0]);
    const out = new Float32Array(6);
    sm.forward(z, out, 2, 3);
    expect(out[0] + out[1] + out[2]).toBeCloseTo(1, 6);
    expect(out[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
    expect([...out.slice(3)]).toEqual([0.5, 0.5, 0]);
  });

  it("backward is the full Jacobian-vector product, matching a finite-difference Jacobian", () => {
    fc.assert(
      fc.property(vec, fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 8, maxLength: 8 }), (zs, gs) => {
        const n = zs.length;
        const soft = (v: number[]) => {
          const m = Math.max(...v);
          const e = v.map((t) => Math.exp(t - m));
          const s = e.reduce((a, b) => a + b, 0);
          return e.map((t) => t / s);
        };
        const g = gs.slice(0, n);
        // J^T g by finite differences (float64), column by column: d/dz_i <g, softmax(z)>.
        const h = 1e-6;
        const fdJvp = zs.map((_, i) => {
          const up = [...zs];
          const dn = [...zs];
          up[i] += h;
          dn[i] -= h;
          const su = soft(up);
          const sd = soft(dn);
          return g.reduce((acc, gj, j) => acc + (gj * (su[j] - sd[j])) / (2 * h), 0);
        });
        const z32 = Float32Array.from(zs);
        const s32 = new Float32Array(n);
        sm.forward(z32, s32, 1, n);
        const out = new Float32Array(n);
        sm.backward(s32, Float32Array.from(g), out, 1, n);
        for (let i = 0; i < n; i++) expect(Math.abs(out[i] - fdJvp[i]), `i=${i}`).toBeLessThanOrEqual(2e-6);
        // And it is not the diagonal-only s(1 - s) g that many texts give, whenever g varies.
        return true;
      }),
      { numRuns: 200, seed: 9 },
    );
  });

  it("the diagonal-only shortcut would fail this check (the test can tell them apart)", () => {
    const z = Float32Array.from([0.5, -1, 2]);
    const s = new Float32Array(3);
    sm.forward(z, s, 1, 3);
    const g = Float32Array.from([1, 0, 0]);
    const out = new Float32Array(3);
    sm.backward(s, g, out, 1, 3);
    // d s_0 / d z_1 = -s_0 s_1, nonzero: the full Jacobian's off-diagonal term.
    expect(out[1]).toBeCloseTo(-s[0] * s[1], 7);
    expect(out[1]).not.toBe(0);
  });
});

describe("registry", () => {
  it("resolves aliases and lists close matches for unknown names", () => {
    expect(getActivation("linear").name).toBe("identity");
    expect(() => getActivation("rleu")).toThrow(/did you mean .*"relu"/);
    expect(() => getActivation("gelu_tan")).toThrow(/gelu_tanh/);
    expect(() => getActivation({ name: "leaky_relu", alpah: 0.2 })).toThrow(/no parameter "alpah".*did you mean "alpha"/);
  });
  it("applies parameters and labels non-defaults", () => {
    const a = getActivation({ name: "leaky_relu", alpha: 0.2 });
    expect(a.f(-1)).toBe(-0.2);
    expect(a.label).toBe("leaky_relu(alpha=0.2)");
    expect(getActivation({ name: "leaky_relu", alpha: 0.01 }).label).toBe("leaky_relu");
  });
  it("has the defaults the issue names and the recommended inits", () => {
    expect(getActivation("leaky_relu").params.alpha).toBe(0.01);
    expect(getActivation("elu").params.alpha).toBe(1);
    expect(getActivation("celu").params.alpha).toBe(1);
    expect(getActivation("prelu").params.slope).toBe(0.25);
    expect(activations.get("prelu")!.params![0].learnable).toBe(true);
    expect(activations.get("relu")!.init).toMatch(/^he_/);
    expect(activations.get("tanh")!.init).toMatch(/^xavier_/);
    expect(activations.get("sigmoid")!.init).toMatch(/^xavier_/);
    expect(activations.get("selu")!.init).toBe("lecun_normal");
  });
  it("max |f'| agrees with a dense scan of df", () => {
    for (const name of elementwise) {
      const a = getActivation(name);
      let m = 0;
      for (let x = -40; x <= 40; x += 0.0007) m = Math.max(m, Math.abs(a.df(x)));
      expect(a.maxAbsDf, name).toBeGreaterThanOrEqual(m * (1 - 1e-6));
      expect(a.maxAbsDf, name).toBeLessThanOrEqual(m * (1 + 1e-3));
    }
  });
  it("defineActivation adds an open entry with array loops built from the scalars", () => {
    const def = defineActivation({ name: "test_bent_identity", f: (x) => (Math.sqrt(x * x + 1) - 1) / 2 + x, df: (x) => x / (2 * Math.sqrt(x * x + 1)) + 1 });
    const a = getActivation("test_bent_identity");
    expect(a.def).toBe(def);
    const out = new Float32Array(2);
    def.fArray(Float32Array.from([0, 1]), out, {});
    expect(out[1]).toBeCloseTo((Math.SQRT2 - 1) / 2 + 1, 6);
    activations; // registry is shared: the entry stays visible
    expect(activationNames()).toContain("test_bent_identity");
  });
});
