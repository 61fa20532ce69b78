/**
 * Weight initialisation schemes. Draws depend only on the scheme, the layer
 * shapes and the init stream, never on the activation, so that one seed and
 * one scheme give every activation exactly the same starting weights.
 *
 * `standard` is U[-1/sqrt(fan_in), 1/sqrt(fan_in)]: Glorot and Bengio's (2010)
 * "commonly used heuristic", and PyTorch nn.Linear's default weights
 * (kaiming_uniform_ with a = sqrt(5): bound = sqrt(3) sqrt(2 / (1 + 5)) / sqrt(fan_in)).
 * PyTorch draws the biases from the same range; here biases stay model.biasInit
 * (0), as in Glorot and Bengio's setup.
 *
 * Normal schemes are untruncated (Keras' "untruncated" variants / PyTorch's
 * kaiming_normal_ and xavier_normal_); uniform schemes draw from [-limit, limit).
 */
import type { InitScheme } from "../activations/types.js";
import { normal, uniform, type Rng } from "./rng.js";

export const initSchemes: readonly InitScheme[] = [
  "he_normal",
  "he_uniform",
  "xavier_normal",
  "xavier_uniform",
  "lecun_normal",
  "lecun_uniform",
  "standard",
  "brainjs",
];

/** Either the standard deviation of a normal draw or the limit of a uniform one. */
export interface InitDistribution {
  kind: "normal" | "uniform";
  /** Standard deviation (normal) or half-width (uniform). */
  scale: number;
}

export function initDistribution(scheme: InitScheme, fanIn: number, fanOut: number): InitDistribution {
  switch (scheme) {
    case "he_normal":
      return { kind: "normal", scale: Math.sqrt(2 / fanIn) };
    case "he_uniform":
      return { kind: "uniform", scale: Math.sqrt(6 / fanIn) };
    case "xavier_normal":
      return { kind: "normal", scale: Math.sqrt(2 / (fanIn + fanOut)) };
    case "xavier_uniform":
      return { kind: "uniform", scale: Math.sqrt(6 / (fanIn + fanOut)) };
    case "lecun_normal":
      return { kind: "normal", scale: Math.sqrt(1 / fanIn) };
    case "lecun_uniform":
      return { kind: "uniform", scale: Math.sqrt(3 / fanIn) };
    case "standard":
      return { kind: "uniform", scale: 1 / Math.sqrt(fanIn) };
    case "brainjs":
      // brain.js randomWeight(): Math.random() * 0.4 - 0.2, whatever the shape.
      return { kind: "uniform", scale: 0.2 };
  }
}

/** Fill a units x inputs weight matrix (row-major) from the init stream. */
export function initWeights(scheme: InitScheme, units: number, inputs: number, rng: Rng, out: Float32Array): void {
  const d = initDistribution(scheme, inputs, units);
  const n = units * inputs;
  if (d.kind === "normal") for (let i = 0; i < n; i++) out[i] = d.scale * normal(rng);
  else for (let i = 0; i < n; i++) out[i] = uniform(rng, -d.scale, d.scale);
}
