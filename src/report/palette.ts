/**
 * One color per activation, the same in every chart: the color follows the
 * activation's position in the sweep's order (first appearance in runs.csv),
 * not its position in a chart, so a chart that lacks some activation does not
 * shift the others' colors.
 *
 * Tableau 10 first (distinct for the usual handful), then twelve more hues
 * chosen to stay apart from those for sweeps over the whole registry.
 */
const COLORS = [
  "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
  "#17becf", "#7f3c8d", "#bcbd22", "#3969ac", "#e73f74", "#11a579", "#f2b701", "#4b4b8f", "#80ba5a", "#cf1c90",
  "#008695", "#8c564b",
];

/** Color of each label, by its index in `order`. */
export function colorMap(order: readonly string[]): Map<string, string> {
  return new Map(order.map((label, i) => [label, COLORS[i % COLORS.length]]));
}
