/**
 * Aligned plain-text tables for the terminal (`actbench list ...`, `bench ...`).
 * Written by hand because it is a few lines, and a table library would add a
 * dependency for less than it saves. The last column is not padded (no
 * trailing spaces); `right[j]` right-aligns column j (numbers).
 */
export function formatTable(head: readonly string[], rows: ReadonlyArray<readonly string[]>, right: readonly boolean[] = []): string {
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: readonly string[]): string =>
    r.map((v, j) => (j === r.length - 1 ? v : right[j] ? v.padStart(widths[j]) : v.padEnd(widths[j]))).join("  ");
  return [line(head), ...rows.map(line)].join("\n");
}
