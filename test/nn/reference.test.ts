// The engine's loss and gradients against PyTorch 1.13.1 (float64 autograd),
// copied into test/fixtures/nn/ (see the README there). The engine computes in
// float32 with float64 accumulators; tolerance 1e-5 relative.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MLP, probeLayers } from "../../src/nn/index.js";
import type { Head } from "../../src/nn/index.js";

interface RefResult {
  loss: number;
  weight_grad_norms: number[];
  bias_grad_norms: number[];
  weight_grads: number[][][];
  /** Per hidden layer, how many units are never positive over the inputs. */
  never_positive_units: number[];
}
interface Ref {
  sizes: number[];
  layers: Array<{ weights: number[][]; biases: number[] }>;
  inputs: number[][];
  targets: number[] | number[][];
  results: Record<string, RefResult>;
}

const load = (f: string): Ref => JSON.parse(readFileSync(new URL(`../fixtures/nn/${f}`, import.meta.url), "utf8")) as Ref;

function relClose(actual: number, expected: number, tol: number, scale = 0): boolean {
  return Math.abs(actual - expected) <= tol * Math.max(Math.abs(expected), scale);
}

function build(ref: Ref, activation: string, head: Head): MLP {
  return new MLP({ sizes: ref.sizes, activation, head }).setLayers(ref.layers);
}

for (const [file, head] of [
  ["mlp-softmax.json", "softmax_ce"],
  ["mlp-mse.json", "linear_mse"],
] as const) {
  const ref = load(file);
  const n = ref.inputs.length;
  const x = Float32Array.from(ref.inputs.flat());
  const y = Float32Array.from((ref.targets as Array<number | number[]>).flat());
  describe(`PyTorch reference ${file} (${head})`, () => {
    it("covers several activations", () => {
      expect(Object.keys(ref.results).length).toBeGreaterThanOrEqual(10);
    });
    for (const [name, r] of Object.entries(ref.results)) {
      it(`${name}: loss, weight gradients and gradient norms`, () => {
        const mlp = build(ref, name, head);
        const g = mlp.lossAndGradients(x, y, n);
        expect(relClose(g.loss, r.loss, 1e-5), `loss ${g.loss} vs ${r.loss}`).toBe(true);
        for (let k = 0; k < mlp.layerCount; k++) {
          const expected = r.weight_grads[k].flat();
          const norm = r.weight_grad_norms[k];
          // Elements relative to themselves, or to 1e-3 of their layer's norm
          // for elements that are tiny by cancellation.
          expected.forEach((e, i) => {
            expect(relClose(g.weights[k][i], e, 1e-5, 1e-3 * norm), `layer ${k + 1} element ${i}: ${g.weights[k][i]} vs ${e}`).toBe(
              true,
            );
          });
        }
        const ws = mlp.workspace(n);
        const layers = probeLayers(mlp, ws, mlp.newGradients(), x, y, mlp.targetKind(y, n), n, new Float32Array(n * 8));
        layers.forEach((l, k) => {
          expect(relClose(l.grad_norm, r.weight_grad_norms[k], 1e-5), `grad_norm layer ${k + 1}`).toBe(true);
          expect(relClose(l.bias_grad_norm, r.bias_grad_norms[k], 1e-5), `bias_grad_norm layer ${k + 1}`).toBe(true);
        });
        // Dead units are never-positive units exactly for relu; leaky_relu/elu/selu never die.
        if (name === "relu") layers.slice(0, -1).forEach((l, k) => expect(l.dead_units).toBe(r.never_positive_units[k]));
        if (["leaky_relu", "elu", "selu"].includes(name)) layers.slice(0, -1).forEach((l) => expect(l.dead_units).toBe(0));
      });
    }
  });
}
