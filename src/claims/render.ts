/**
 * How claim verdicts are shown: the report's "Claims" section (Markdown and
 * HTML) and the lines at the end of `actbench run`'s terminal output.
 */
import type { ClaimResult } from "./evaluate.js";

const MARK: Record<ClaimResult["verdict"], string> = { holds: "holds", "does not hold": "does not hold", inconclusive: "inconclusive" };

/** Explains the verdicts once, above the list. */
export const CLAIMS_NOTE =
  "Each claim of the config, checked against this sweep: holds (the test or the 95% interval says so), does not hold (it says the opposite), or inconclusive (neither), with the statistic that decided it. Orders and trends are one-sided tests at p < 0.05 paired over seeds (sign-flip permutation test; Page's L test for a trend); bounds need the 95% interval of the mean over seeds inside them; fractions must lie within the stated number of binomial standard errors of the expected value at every grid point.";

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function claimsMarkdown(results: readonly ClaimResult[]): string[] {
  if (results.length === 0) return [];
  const out = [CLAIMS_NOTE, ""];
  for (const r of results) {
    out.push(`${r.index + 1}. **${MARK[r.verdict]}**: ${r.text}  `, `   ${r.statistic}`);
    if (r.details.length > 1) for (const d of r.details) out.push(`   - ${d}`);
    out.push("");
  }
  return out;
}

export function claimsHtml(results: readonly ClaimResult[]): string {
  if (results.length === 0) return "";
  const items = results
    .map((r) => {
      const details = r.details.length > 1 ? `<ul>${r.details.map((d) => `<li>${escapeHtml(d)}</li>`).join("")}</ul>` : "";
      return `<li class="claim ${r.verdict.replace(/ /g, "-")}"><strong>${MARK[r.verdict]}</strong>: ${escapeHtml(r.text)}<br><span class="statistic">${escapeHtml(r.statistic)}</span>${details}</li>`;
    })
    .join("\n");
  return `<p class="note">${escapeHtml(CLAIMS_NOTE)}</p>\n<ol class="claims">\n${items}\n</ol>`;
}

/** The terminal's summary: a count, then one line per claim. */
export function claimsTerminal(results: readonly ClaimResult[]): string[] {
  if (results.length === 0) return [];
  const count = (v: ClaimResult["verdict"]) => results.filter((r) => r.verdict === v).length;
  return [
    `claims: ${count("holds")} hold, ${count("does not hold")} do not hold, ${count("inconclusive")} inconclusive`,
    ...results.map((r) => `  ${MARK[r.verdict]}: ${r.text}\n    ${r.statistic}`),
  ];
}
