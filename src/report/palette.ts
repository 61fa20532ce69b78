/**
 * One line style per activation, the same in every chart: families share a
 * hue (the ReLU family blues, the exponential units greens, the gated smooth
 * ones oranges and reds, the sigmoid-like ones purples, the rest greys and
 * browns) and the members of a family differ by shade and by dash, so
 * nineteen lines stay tellable apart where a 20-colour cycle puts
 * look-alikes side by side. The style follows the activation's position in
 * its family in the sweep's order (first appearance in runs.csv), never its
 * position in a chart, so a chart lacking some activation does not shift the
 * others' styles.
 */

/** Families by canonical name (the label before any "(parameters)"). */
const FAMILY_OF: Record<string, string> = {
  relu: "relu", leaky_relu: "relu", prelu: "relu", relu6: "relu", rrelu: "relu",
  elu: "exp", selu: "exp", celu: "exp", pelu: "exp",
  gelu: "gated", gelu_tanh: "gated", silu: "gated", swish: "gated", swish_beta: "gated", mish: "gated", hardswish: "gated",
  sigmoid: "sigmoid", hardsigmoid: "sigmoid", tanh: "sigmoid", hardtanh: "sigmoid", softsign: "sigmoid",
};

/** Shades per family, dark to light but all readable on white. */
const SHADES: Record<string, string[]> = {
  relu: ["#08519c", "#4292c6", "#2171b5", "#6baed6", "#084594"],
  exp: ["#006d2c", "#41ab5d", "#238b45", "#74c476"],
  gated: ["#d94801", "#a50f15", "#fd8d3c", "#e31a1c", "#8c2d04", "#fb6a4a", "#f16913"],
  sigmoid: ["#54278f", "#807dba", "#6a51a3", "#9e9ac8", "#3f007d"],
  other: ["#252525", "#8c6d31", "#737373", "#bd9e39", "#17becf", "#e7969c", "#7b4173", "#393b79", "#637939", "#969696"],
};

/** Dash patterns (SVG stroke-dasharray) for a family's 1st, 2nd, ... member. */
const DASHES: number[][] = [[], [6, 3], [2, 2], [8, 3, 2, 3], [4, 1], [1, 3], [10, 4]];

export interface LineStyle {
  color: string;
  /** Empty for a solid line. */
  dash: number[];
}

function familyOf(label: string): string {
  const i = label.indexOf("(");
  return FAMILY_OF[i < 0 ? label : label.slice(0, i)] ?? "other";
}

/** Style of each label, by its rank within its family in `order`. */
export function styleMap(order: readonly string[]): Map<string, LineStyle> {
  const seen = new Map<string, number>();
  const out = new Map<string, LineStyle>();
  for (const label of order) {
    const fam = familyOf(label);
    const k = seen.get(fam) ?? 0;
    seen.set(fam, k + 1);
    const shades = SHADES[fam];
    out.set(label, { color: shades[k % shades.length], dash: DASHES[k % DASHES.length] });
  }
  return out;
}

/** Color of each label (the style's color). */
export function colorMap(order: readonly string[]): Map<string, string> {
  return new Map([...styleMap(order)].map(([l, s]) => [l, s.color]));
}
