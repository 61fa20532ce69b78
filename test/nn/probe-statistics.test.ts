// The probe statistics' cheaper computation (issue 14: radix-selected percentiles, one fused pass)
// gives every figure bit for bit as before: against a full sort for the percentiles, and against the
// code it replaced (test/nn/probes-before.ts, main at 02009ec) on random networks, data and
// activations, on the TypeScript and the wasm passes.
import { describe, expect, it } from "vitest";
import { activationNames } from "../../src/activations/index.js";
import { MLP, quantiles, runStreams, uniform01, type LayerRecord, type Rng } from "../../src/nn/index.js";
import { layerRecords, norm, type ProbePass } from "../../src/nn/probes.js";
import { createWasmTrainer, wasmAvailable } from "../../src/nn/wasm/index.js";
import { layerRecordsBefore, quantilesBefore } from "./probes-before.js";

/** Equal as numbers, NaN equal to NaN (-Infinity - -Infinity is NaN on both sides). */
const sameNumber = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));

/** Random float32 arrays of the shapes probe layers have, and the corners radix selection must get right. */
function arrays(rng: Rng): Float32Array[] {
  const u = () => uniform01(rng);
  const of = (n: number, f: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i));
  const out: Float32Array[] = [
    of(1, () => 3),
    of(2, () => u()),
    of(500, () => 7), // constant: one bucket through every round
    of(3000, () => (u() < 0.5 ? 0 : u() < 0.5 ? -0 : u())), // zeros of both signs
    of(5000, (i) => 1 + i * 2 ** -23), // one ulp apart: share their top bits, down to the last round
    of(5000, (i) => -(1 + (i % 700) * 2 ** -23)), // negative, with duplicates
    of(4000, () => (u() < 0.01 ? (u() < 0.5 ? Infinity : -Infinity) : (u() - 0.5) * 1e30)),
    of(4000, () => (u() - 0.5) * 2 ** -140), // subnormals
    of(16384, () => Math.tanh((u() - 0.5) * 6)), // a tanh layer's probe: crowded near +-1
    of(65536, () => (u() < 0.6 ? 0 : u() * u() * 5)), // a relu layer's: mostly zeros
    of(1000, (i) => i), // sorted
    of(1000, (i) => -i), // reversed
  ];
  for (let c = 0; c < 24; c++) {
    const n = 1 + Math.floor(u() * (c < 12 ? 100 : 5000));
    const scale = 10 ** Math.floor(u() * 12 - 6);
    const levels = c % 3 === 0 ? Math.floor(1 + u() * 20) : 0; // some with few distinct values
    out.push(of(n, () => (levels ? Math.floor(u() * levels) - levels / 2 : (u() - 0.3) * scale)));
  }
  return out;
}

describe("quantiles by radix selection", () => {
  const rng = runStreams(14).init;
  const cases = arrays(rng);
  const qsets: number[][] = [[0.05, 0.5, 0.95], [0, 0.25, 0.5, 0.75, 1], [0.5], [0.001, 0.999]];
  for (let i = 0; i < 2; i++) qsets.push(Array.from({ length: 4 }, () => uniform01(rng)).sort((a, b) => a - b));

  it("equals sort-and-interpolate exactly (the sorted array's values, -0 before +0)", () => {
    for (const v of cases) {
      const sorted = Float32Array.from(v).sort();
      const n = v.length;
      for (const qs of qsets) {
        const got = quantiles(v, qs);
        qs.forEach((q, i) => {
          const h = (n - 1) * q;
          const lo = Math.floor(h);
          const vlo = sorted[lo];
          const vhi = lo + 1 < n ? sorted[lo + 1] : vlo;
          expect(Object.is(got[i], vlo + (h - lo) * (vhi - vlo)), `n ${n}, q ${q}: ${got[i]}`).toBe(true);
        });
      }
    }
  });
  it("equals the quickselect it replaced on every array, and leaves its input as it was", () => {
    for (const v of cases) {
      const copy = Float32Array.from(v);
      for (const qs of qsets) {
        const before = quantilesBefore(Float32Array.from(v), qs);
        const scratch = new Float32Array(v.length + 3);
        // Equal as numbers (quickselect may hand back either zero of a tie of -0 and +0; a CSV prints both as 0).
        expect(quantiles(v, qs).every((g, i) => sameNumber(g, before[i])), `n ${v.length}, qs ${qs}`).toBe(true);
        expect(quantiles(v, qs, scratch).every((g, i) => sameNumber(g, before[i])), `n ${v.length}, qs ${qs}, scratch`).toBe(true);
      }
      expect(v).toEqual(copy);
    }
  });
  it("gives NaN for an empty array", () => {
    expect(quantiles(new Float32Array(0), [0.05, 0.5])).toEqual([NaN, NaN]);
  });
});

/** Every figure of two probe records equal as numbers (the same columns, NaN equal to NaN). */
function sameFigures(got: LayerRecord[], want: LayerRecord[]): string[] {
  const diffs: string[] = [];
  if (got.length !== want.length) return [`${got.length} layers vs ${want.length}`];
  got.forEach((g, k) => {
    const keys = new Set([...Object.keys(g), ...Object.keys(want[k])]);
    for (const key of keys) {
      const a = (g as unknown as Record<string, number>)[key];
      const b = (want[k] as unknown as Record<string, number>)[key];
      if (!sameNumber(a, b)) diffs.push(`layer ${k + 1} ${key}: ${a} vs ${b}`);
    }
  });
  return diffs;
}

/** A network of `activation` with random weights, large enough to saturate and to kill some units. */
function randomNetwork(activation: string, sizes: number[], rng: Rng): MLP {
  const mlp = new MLP({ sizes, activation, head: "softmax_ce" });
  const scale = 0.5 + 3 * uniform01(rng);
  for (const w of mlp.weights) for (let i = 0; i < w.length; i++) w[i] = (uniform01(rng) - 0.5) * scale;
  for (const b of mlp.biases) for (let i = 0; i < b.length; i++) b[i] = (uniform01(rng) - 0.6) * 2 * scale;
  return mlp;
}

function probeData(mlp: MLP, rows: number, rng: Rng) {
  const x = Float32Array.from({ length: rows * mlp.inputs }, () => (uniform01(rng) - 0.5) * 4);
  const y = Float32Array.from({ length: rows }, () => Math.floor(uniform01(rng) * mlp.outputs));
  return { x, y };
}

describe("probe figures: the fused pass equals the loops it replaced", () => {
  const names = activationNames();
  const small = { sizes: [4, 9, 7, 3], rows: 37 };
  const bench = { sizes: [2, 32, 32, 2], rows: 512 }; // the probe of bench/probe-ab.ts's tanh shape
  const shapesOf = (name: string) => (["relu", "tanh", "sigmoid", "leaky_relu", "prelu"].includes(name) ? [small, bench] : [small]);

  it("on the TypeScript pass, with f'(z) from the forward and without, for every registry activation", () => {
    const rng = runStreams(41).init;
    let compared = 0;
    for (const name of names)
      for (const { sizes, rows } of shapesOf(name)) {
        const mlp = randomNetwork(name, sizes, rng);
        const { x, y } = probeData(mlp, rows, rng);
        const ws = mlp.workspace(rows);
        const grads = mlp.newGradients();
        mlp.lossInto(ws, x, y, "class", rows, grads);
        const widest = Math.max(...sizes);
        for (const withD of [true, false]) {
          const pass: ProbePass = {
            weightGradNorms: grads.weights.map(norm),
            biasGradNorms: grads.biases.map(norm),
            z: ws.z,
            a: ws.a,
            d: withD ? ws.d.map((d, k) => (ws.hasD[k] ? d : null)) : undefined,
          };
          const want = layerRecordsBefore(mlp, pass, rows, new Float32Array(rows * widest), new Float32Array(rows * widest));
          const got = layerRecords(mlp, pass, rows, new Float32Array(rows * widest), new Float32Array(rows * widest));
          expect(sameFigures(got, want), `${name} ${sizes.join("-")}`).toEqual([]);
          compared++;
        }
      }
    expect(compared).toBe(2 * names.reduce((s, name) => s + shapesOf(name).length, 0));
  });

  it.runIf(wasmAvailable())("on the wasm pass (the probe instance's z and a, f'(z) computed by the probe)", () => {
    const rng = runStreams(42).init;
    for (const name of ["relu", "tanh", "sigmoid", "leaky_relu", "elu", "gelu", "prelu"])
      for (const { sizes, rows } of shapesOf(name)) {
        const mlp = randomNetwork(name, sizes, rng);
        const { x, y } = probeData(mlp, rows, rng);
        const prober = createWasmTrainer(mlp, { name: "sgd", lr: 0 }, rows);
        const pass = prober.probe(x, y, rows, "class");
        const widest = Math.max(...sizes);
        const want = layerRecordsBefore(mlp, pass, rows, new Float32Array(rows * widest), new Float32Array(rows * widest));
        const got = layerRecords(mlp, pass, rows, new Float32Array(rows * widest), new Float32Array(rows * widest));
        expect(sameFigures(got, want), `${name} ${sizes.join("-")}`).toEqual([]);
        // Not a vacuous comparison: these networks have hidden-layer figures that vary.
        expect(got[0].act_p95).not.toBe(got[0].act_p05);
      }
  });
});
