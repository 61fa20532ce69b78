/**
 * A mistake of the user's (config, data file, flag), as opposed to a bug or a
 * failed run. The CLI prints its message alone and exits with code 2, having
 * written nothing. The message names the file, the field or line, what was
 * found and what was expected.
 */
export class UserError extends Error {
  override name = "UserError";
  readonly exitCode = 2;
}

/** Names within `distance` edits of `name`, closest first (for "did you mean"). */
export function closeMatches(name: string, candidates: Iterable<string>, max = 3): string[] {
  const scored: Array<[number, string]> = [];
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    const limit = Math.max(2, Math.floor(Math.max(name.length, c.length) / 3));
    if (d <= limit || c.toLowerCase().includes(name.toLowerCase()) || name.toLowerCase().includes(c.toLowerCase()))
      scored.push([d, c]);
  }
  return scored.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1])).slice(0, max).map(([, c]) => c);
}

/** Levenshtein distance; small strings only (names), so the O(nm) table is fine. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}
