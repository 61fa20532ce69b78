// The PyTorch fixture of the adaptive activations (test/fixtures/activations/adaptive-torch.json,
// made by adaptive-torch.py beside it), typed: read by the registry's and the wasm kernels' tests.
import { readFileSync } from "node:fs";

/** f, df/dx and df/dparam at single points, for one parameter set (float64). */
export interface PointCase {
  activation: string;
  params: Record<string, number>;
  rows: Array<{ x: number; f: number; df: number; dparam: Record<string, number> }>;
}

/** One layer's batch z (rows x units) with upstream g: a = f(z), dL/dz and dL/dparam, parameters per unit or per layer. */
export interface LayerCase {
  activation: string;
  share: "unit" | "layer";
  params: Record<string, number[]>;
  z: number[][];
  g: number[][];
  a: number[][];
  dz: number[][];
  dparam: Record<string, number[]>;
}

export const adaptiveFixture = JSON.parse(readFileSync(new URL("../fixtures/activations/adaptive-torch.json", import.meta.url), "utf8")) as {
  points: PointCase[];
  layers: LayerCase[];
};
