// A user module may register other formulas under a built-in's name; the
// engine's fast paths keyed by name must not apply to it. (This file changes
// the registry; vitest runs each test file in its own module context.)
import { describe, expect, it } from "vitest";
import { defineActivation, getActivation, isBuiltin } from "../../src/activations/index.js";
import { LayerActivation } from "../../src/nn/layerActivation.js";

describe("a redefined built-in name", () => {
  it("is not treated as the built-in by the engine", () => {
    expect(isBuiltin(getActivation("tanh").def)).toBe(true);
    defineActivation({ name: "tanh", f: (x) => 2 * Math.tanh(x), df: (x) => 2 * (1 - Math.tanh(x) ** 2) });
    const act = getActivation("tanh");
    expect(isBuiltin(act.def)).toBe(false);
    const layer = new LayerActivation(act, 3);
    const z = Float32Array.from([-1, 0.5, 2]);
    const a = new Float32Array(3);
    const d = new Float32Array(3);
    const filled = layer.forwardTrain(z, a, d, 1);
    if (!filled) layer.derivative(z, a, d, 1);
    for (let i = 0; i < 3; i++) {
      expect(a[i]).toBeCloseTo(2 * Math.tanh(z[i]), 6);
      expect(d[i]).toBeCloseTo(2 * (1 - Math.tanh(z[i]) ** 2), 6);
    }
  });
});
