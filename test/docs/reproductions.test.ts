/**
 * The README's short table of reproductions says what docs/reproductions.md
 * (written by `npm run reproduce`) says: the same reproductions, and for each
 * the verdict of its claims there (holds, does not hold, inconclusive, mixed
 * when its claims differ, or not run yet), so that the README cannot drift
 * from the measured page when one of them is refreshed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../harness/helpers.js";

/** Rows of the first Markdown table after `heading` (or of the whole text), as cells. */
function tableRows(markdown: string, heading?: string): string[][] {
  const text = heading ? markdown.slice(markdown.indexOf(heading)) : markdown;
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.startsWith("| "));
  const rows: string[][] = [];
  for (const line of lines.slice(start)) {
    if (!line.startsWith("|")) break;
    if (/^\|\s*-/.test(line)) continue;
    rows.push(line.replace(/\\\|/g, "¦").split("|").slice(1, -1).map((c) => c.trim()));
  }
  return rows.slice(1); // the header
}

/** docs/reproductions.md's summary: reproduction number -> the verdict of each claim. */
function docsVerdicts(page: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current = "";
  for (const [num, , , , ours, holds] of tableRows(page)) {
    if (num) current = num;
    const verdict = ours === "not run yet" ? "not run yet" : holds.replace(/\*/g, "");
    out.set(current, [...(out.get(current) ?? []), verdict]);
  }
  return out;
}

describe("README's table of reproductions", () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const page = readFileSync(join(ROOT, "docs", "reproductions.md"), "utf8");
  const docs = docsVerdicts(page);
  const rows = tableRows(readme, "## Reproductions");

  it("lists the reproductions docs/reproductions.md has, in its order", () => {
    expect(rows.map((r) => r[0])).toEqual([...docs.keys()]);
  });

  it("opens each verdict with the one docs/reproductions.md gives (mixed when its claims differ)", () => {
    for (const [num, , said] of rows) {
      const verdicts = [...new Set(docs.get(num))];
      const expected = verdicts.length === 1 ? verdicts[0] : "mixed";
      const word = /^(holds|does not hold|inconclusive|mixed|not run yet)\b/.exec(said)?.[1];
      expect(word, `README row ${num}: "${said}" (docs: ${docs.get(num)?.join(", ")})`).toBe(expected);
    }
  });
});
