// Init schemes: each draws from the distribution its paper defines
// (He 2015, Glorot & Bengio 2010, LeCun 1998, brain.js's U[-0.2, 0.2]; "standard" by
// PyTorch's nn.Linear formula, Glorot & Bengio's U[-1/sqrt(n), 1/sqrt(n)]).
import { describe, expect, it } from "vitest";
import { initSchemes, initWeights, runStreams } from "../../src/nn/index.js";

const units = 256;
const inputs = 512;
const expected: Record<string, { normal: boolean; std: number }> = {
  he_normal: { normal: true, std: Math.sqrt(2 / inputs) },
  he_uniform: { normal: false, std: Math.sqrt(6 / inputs) / Math.sqrt(3) },
  xavier_normal: { normal: true, std: Math.sqrt(2 / (inputs + units)) },
  xavier_uniform: { normal: false, std: Math.sqrt(6 / (inputs + units)) / Math.sqrt(3) },
  lecun_normal: { normal: true, std: Math.sqrt(1 / inputs) },
  lecun_uniform: { normal: false, std: Math.sqrt(3 / inputs) / Math.sqrt(3) },
  // PyTorch nn.Linear.reset_parameters: kaiming_uniform_(w, a=sqrt(5)), i.e. gain = sqrt(2 / (1 + a^2)),
  // std = gain / sqrt(fan_in), bound = sqrt(3) std (torch/nn/init.py), which is 1 / sqrt(fan_in).
  standard: { normal: false, std: Math.sqrt(3) * (Math.sqrt(2 / (1 + 5)) / Math.sqrt(inputs)) / Math.sqrt(3) },
  brainjs: { normal: false, std: 0.2 / Math.sqrt(3) },
};

describe("init schemes", () => {
  for (const scheme of initSchemes)
    it(`${scheme}: mean 0, the scheme's standard deviation and shape`, () => {
      const w = new Float32Array(units * inputs);
      initWeights(scheme, units, inputs, runStreams(11).init, w);
      const n = w.length;
      let s = 0;
      let ss = 0;
      let beyond2 = 0;
      let maxAbs = 0;
      for (const v of w) {
        s += v;
        ss += v * v;
        maxAbs = Math.max(maxAbs, Math.abs(v));
      }
      const e = expected[scheme];
      for (const v of w) if (Math.abs(v) > 2 * e.std) beyond2++;
      const mean = s / n;
      const std = Math.sqrt(ss / n - mean * mean);
      // n = 131072: standard errors are ~0.3% of std for the mean and ~0.2% for the std.
      expect(Math.abs(mean)).toBeLessThan(0.015 * e.std);
      expect(Math.abs(std / e.std - 1)).toBeLessThan(0.01);
      if (e.normal) {
        // P(|N(0,1)| > 2) = 4.55%.
        expect(Math.abs(beyond2 / n - 0.0455)).toBeLessThan(0.003);
      } else {
        // Uniform with limit sqrt(3) std: nothing beyond 2 std, and the limit is reached.
        expect(beyond2).toBe(0);
        expect(maxAbs).toBeGreaterThan(0.999 * Math.sqrt(3) * e.std);
        expect(maxAbs).toBeLessThanOrEqual(Math.sqrt(3) * e.std * (1 + 1e-7));
      }
    });
});
