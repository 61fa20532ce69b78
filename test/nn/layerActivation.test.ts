// The training forward's shortcut (f' taken from the float64 value of f) must
// give exactly the registry's f and f' bits.
import { describe, expect, it } from "vitest";
import { activationNames, getActivation } from "../../src/activations/index.js";
import { LayerActivation } from "../../src/nn/layerActivation.js";

describe("LayerActivation.forwardTrain", () => {
  for (const name of ["sigmoid", "tanh", "relu", "gelu"])
    it(`${name}: same a and f' as fArray / dfArray, bit for bit`, () => {
      const act = getActivation(name);
      const units = 7;
      const rows = 300;
      const z = Float32Array.from({ length: rows * units }, (_, i) => (i - 1050) / 25); // -42 .. 42
      const layer = new LayerActivation(act, units);
      const a = new Float32Array(z.length);
      const d = new Float32Array(z.length);
      const filled = layer.forwardTrain(z, a, d, rows);
      const a2 = new Float32Array(z.length);
      const d2 = new Float32Array(z.length);
      act.def.fArray(z, a2, act.params);
      act.def.dfArray(z, d2, act.params);
      expect(Array.from(a)).toEqual(Array.from(a2));
      if (filled) expect(Array.from(d)).toEqual(Array.from(d2));
      expect(filled).toBe(name === "sigmoid" || name === "tanh");
    });
});

describe("ActivationDef.dfFromOutput, where an activation gives it", () => {
  it("equals df bit for bit (the contract forwardTrain relies on), on every built-in that has it", () => {
    const withIt = activationNames().map((n) => getActivation(n)).filter((a) => a.def.dfFromOutput);
    expect(withIt.map((a) => a.name).sort()).toEqual(["sigmoid", "tanh"]);
    for (const a of withIt)
      for (let i = -4000; i <= 4000; i++) {
        const x = i / 97; // -41 .. 41, irregular steps
        expect(a.def.dfFromOutput!(a.f(x), a.params), `${a.name} at ${x}`).toBe(a.df(x));
      }
  });
});
