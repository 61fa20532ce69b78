/** Rows for `actbench list activations`: one per registry entry. */
import { activations } from "./registry.js";

export interface ActivationRow {
  name: string;
  aliases: string[];
  params: string[];
  zero_derivative: string;
  max_abs_df: number;
  init: string;
  description: string;
  source: string;
}

export function activationRows(): ActivationRow[] {
  return [...activations.values()].map((d) => ({
    name: d.name,
    aliases: [...(d.aliases ?? [])],
    params: (d.params ?? []).map((p) => `${p.name}=${p.default}${p.learnable ? " (learnable)" : ""}`),
    zero_derivative: d.zeroDerivative,
    max_abs_df: Number(d.maxAbsDf(Object.fromEntries((d.params ?? []).map((p) => [p.name, p.default]))).toPrecision(6)),
    init: d.init,
    description: d.description,
    source: d.source,
  }));
}
