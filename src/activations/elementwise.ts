/**
 * The array form of an activation that has no faster one: its scalar
 * function applied to every element. One home for the loop that the
 * adaptive activations, mixtures and user modules would otherwise each write.
 */
import type { Params } from "./types.js";

export function elementwise(g: (x: number, p: Params) => number): (z: Float32Array, out: Float32Array, p: Params) => void {
  return (z, out, p) => {
    for (let i = 0; i < z.length; i++) out[i] = g(z[i], p);
  };
}
