/**
 * The end of the terminal output: the report's findings in a few lines, in the
 * manner of hyperfine's summary ("gelu, mish lead on spirals (0.857 ± 0.004);
 * relu 6.8% dead units; ..."). Built from the same FindingsBlocks as the
 * report, so the terminal never says something the report does not.
 */
import type { ReportDocument } from "./document.js";
import { whereText, type FindingsBlock } from "./findings.js";
import { fmt } from "./tables.js";

/** How many leaders to name before "and N more". */
const MAX_NAMES = 5;

function names(xs: readonly string[]): string {
  return xs.length <= MAX_NAMES ? xs.join(", ") : `${xs.slice(0, MAX_NAMES).join(", ")} and ${xs.length - MAX_NAMES} more`;
}

function headline(b: FindingsBlock): string {
  const sig = b.significance;
  const where = whereText(b);
  const leader = sig.leader;
  if (!leader) return `nothing finished${where}`;
  const s = leader.summary;
  const figure = s.n > 1 ? `${fmt(s.mean)} ± ${fmt(s.std)}` : fmt(s.mean);
  const compared = sig.comparisons.filter((c) => c.verdict !== "identical" && c.verdict !== "no paired seeds");
  if (compared.length > 0 && compared.every((c) => c.verdict === "within margin"))
    return `cannot tell apart${where}: all ${compared.length + 1} within ${sig.marginText} of ${leader.activation} (${figure})`;
  if (!sig.canDetect)
    return `too few seeds to tell${where}: ${leader.activation} has the best mean (${figure}); ${sig.pairsNeeded} seeds would be needed`;
  const lead = sig.leading.filter((c) => c.identicalTo === undefined).map((c) => c.activation);
  const worse = sig.comparisons.filter((c) => c.verdict === "worse" || c.verdict === "diverged")
    .map((c) => (c.verdict === "diverged" ? `${c.contender.activation} (diverged)` : `${c.contender.activation} (${sig.metric === "val_acc" ? "-" : "+"}${fmt(c.test.meanDiff)})`));
  return `${names(lead)} lead${lead.length === 1 ? "s" : ""}${where} (${lead.length === 1 ? "" : `${leader.activation} `}${figure})${worse.length ? `; detectably worse: ${names(worse)}` : ""}`;
}

/** Short forms of the diagnoses ("relu 15.6% dead units"). */
function diagnosisLine(b: FindingsBlock): string | undefined {
  const parts: string[] = [];
  for (const f of b.findings) {
    const body = f.text.slice(f.text.indexOf(":") + 1).trim().replace(/\.$/, "");
    if (f.kind === "dying") parts.push(`dead units: ${body}`);
    else if (f.kind === "vanishing") parts.push(`vanishing gradient at init: ${body}`);
    else if (f.kind === "exploding") parts.push(`exploding gradient at init: ${body}`);
    else if (f.kind === "saturation") parts.push(`saturated: ${body}`);
    else if (f.kind === "divergence") parts.push(`diverged: ${body}`);
    else if (f.kind === "identical") parts.push(`identical: ${f.activations.join(" = ")}`);
  }
  return parts.length ? parts.join("; ") : undefined;
}

/** The lines to print after the file list (no trailing newlines). */
export function summaryLines(doc: ReportDocument): string[] {
  const out: string[] = ["findings:"];
  for (const b of doc.findings) {
    out.push(`  ${headline(b)}`);
    const d = diagnosisLine(b);
    if (d) out.push(`    ${d}`);
  }
  return out;
}
