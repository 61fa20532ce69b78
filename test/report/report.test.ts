/**
 * Reports written from synthetic results folders (test/fixtures/report).
 * Expectations are computed here from the raw values the generator wrote,
 * with plain arithmetic and printed t-table constants, never from the
 * report's own output.
 */
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeSyntheticResults, PROFILES, type WrittenRun } from "../fixtures/report/synthetic-results.js";
import { writeReport, loadResults, buildDocument } from "../../src/report/index.js";
import { UserError } from "../../src/errors.js";
import { bruteSignFlip } from "./sign-flip-reference.js";

const dirs: string[] = [];
function tmp(name: string): string {
  const d = mkdtempSync(join(tmpdir(), `actbench-report-${name}-`));
  dirs.push(d);
  return d;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function handMean(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}
function handSd(xs: number[]): number {
  const m = handMean(xs);
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1));
}

/** Nothing in a finished report should show a missing value as text. */
function expectNoJunk(text: string): void {
  expect(text).not.toMatch(/\bNaN\b|\bundefined\b|\bInfinity\b|\[object Object\]/);
}

describe("report from a 5-seed sweep with a diverged and a failed run", () => {
  let dir = "";
  let written: WrittenRun[] = [];
  let html = "";
  let md = "";
  beforeAll(async () => {
    dir = tmp("five");
    written = writeSyntheticResults(dir, { seeds: 5, problems: true });
    const out = await writeReport(dir, { target: 0.85, measureCost: false });
    html = readFileSync(out.html, "utf8");
    md = readFileSync(out.md, "utf8");
  });

  it("ranks by mean final validation accuracy, with mean, sd and t-based CI over finished seeds", async () => {
    const doc = await buildDocument(loadResults(dir), { target: 0.85, measureCost: false });
    const accOf = (label: string): number[] => written.filter((w) => w.activation === label && w.status === "ok").map((w) => w.val_acc);
    const expectedOrder = PROFILES.map((p) => p.label).sort((a, b) => handMean(accOf(b)) - handMean(accOf(a)));
    expect(doc.board.rows.map((r) => r.group.activation)).toEqual(expectedOrder);

    const relu = doc.board.rows.find((r) => r.group.activation === "relu")!;
    const v = accOf("relu");
    expect(v.length).toBe(5);
    expect(relu.finalValAcc.mean).toBeCloseTo(handMean(v), 12);
    expect(relu.finalValAcc.std).toBeCloseTo(handSd(v), 12);
    // t(0.975, df = 4) = 2.776 from a printed table.
    expect(relu.finalValAcc.ciHigh - relu.finalValAcc.mean).toBeCloseTo((2.776 * handSd(v)) / Math.sqrt(5), 4);

    const sigmoid = doc.board.rows.find((r) => r.group.activation === "sigmoid")!;
    expect([sigmoid.ok, sigmoid.diverged, sigmoid.failed]).toEqual([4, 1, 0]);
    expect(sigmoid.finalValAcc.mean).toBeCloseTo(handMean(accOf("sigmoid")), 12);
    const leaky = doc.board.rows.find((r) => r.group.activation === "leaky_relu(alpha=0.2)")!;
    expect([leaky.ok, leaky.diverged, leaky.failed]).toEqual([4, 0, 1]);
    // Sigmoid's gradients shrink by 0.25 per layer toward the input (3 weight layers: ratio ~ 0.0625), ReLU's by 0.9.
    expect(sigmoid.gradAttenuation0).toBeGreaterThan(0.04);
    expect(sigmoid.gradAttenuation0).toBeLessThan(0.1);
    expect(relu.gradAttenuation0).toBeGreaterThan(0.6);
    // Sigmoid's accuracy never reaches 0.85 in the fixture; ReLU's does in every seed.
    expect(sigmoid.epochsToTarget?.reached).toBe(0);
    expect(relu.epochsToTarget?.reached).toBe(5);
  });

  it("compares each activation with the leader by seed (exact sign-flip test, Holm), and says 5 seeds cannot show a difference", async () => {
    const doc = await buildDocument(loadResults(dir), { measureCost: false });
    expect(doc.sections.length).toBe(1);
    const sig = doc.sections[0].significance;
    expect(sig.comparisons.length).toBe(PROFILES.length - 1);
    const leader = sig.leader!.activation;
    // A diverged run scores accuracy 0 (it lost); a failed run has no score.
    const score = new Map(written.filter((w) => w.status !== "failed").map((w) => [`${w.activation}|${w.seed}`, w.status === "ok" ? w.val_acc : 0]));
    for (const c of sig.comparisons) {
      const d: number[] = [];
      for (let seed = 0; seed < 5; seed++) {
        const a = score.get(`${leader}|${seed}`), b = score.get(`${c.contender.activation}|${seed}`);
        if (a !== undefined && b !== undefined) d.push(a - b);
      }
      expect(c.pairs).toBe(d.length);
      expect(c.test.meanDiff).toBeCloseTo(handMean(d), 12);
      expect(c.test.p).toBeCloseTo(bruteSignFlip(d), 12);
      expect(c.pHolm).toBeGreaterThanOrEqual(c.test.p);
    }
    // sigmoid diverged at seed 1: still 5 pairs, leaky_relu failed at seed 2: 4.
    expect(sig.comparisons.find((c) => c.contender.activation === "sigmoid")!.pairs).toBe(5);
    expect(sig.comparisons.find((c) => c.contender.activation === "leaky_relu(alpha=0.2)")!.pairs).toBe(4);
    // Holm's first step: the smallest p is multiplied by the number of tests.
    const ps = sig.comparisons.map((c) => c.test.p);
    const iMin = ps.indexOf(Math.min(...ps));
    expect(sig.comparisons[iMin].pHolm).toBeCloseTo(Math.min(1, ps[iMin] * ps.length), 12);
    // 5 pairs: the smallest possible p is 2/2^5 = 0.0625, and Holm over 3 needs 0.0167: nothing can be shown,
    // even sigmoid's 0.15 gap; the note says so with the same figures.
    expect(sig.canDetect).toBe(false);
    expect(sig.comparisons.find((c) => c.contender.activation === "sigmoid")!.verdict).toBe("cannot tell");
    const note = sig.notes.join(" ");
    expect(note).toContain("smallest p the exact test can give is 0.0625");
    expect(note).toContain("needs p < 0.0167");
    expect(note).toContain("7 seeds"); // 3 x 2/2^7 = 0.047 < 0.05 <= 3 x 2/2^6
    expect(doc.findings[0].findings[0].text).toMatch(/^Too few seeds to tell/);
  });

  it("writes a self-contained report.html and a report.md with SVG charts beside it", () => {
    // One inline script (legend toggling), nothing loaded from anywhere.
    expect(html).not.toMatch(/<script[^>]*\bsrc=|<link|<img|<iframe|@import|@font-face|fetch\(|XMLHttpRequest/i);
    expect((html.match(/<script>/g) ?? []).length).toBe(1);
    const withoutNamespaces = html.replace(/xmlns(:\w+)?="[^"]*"/g, "");
    expect(withoutNamespaces).not.toMatch(/https?:\/\//);
    for (const p of PROFILES) {
      expect(html).toContain(p.label.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!));
      expect(md).toContain(`| ${p.label} |`);
    }
    for (const heading of ["Findings", "Setup", "Leaderboard", "Is the difference real?", "Runs that did not finish", "Charts"]) {
      expect(md).toContain(`## ${heading}`);
      expect(html).toContain(`>${heading}<`);
    }
    expect(md).toContain("spirals");
    expect(md).toContain("adam");
    expect(md).toContain("boom");
    const images = [...md.matchAll(/!\[[^\]]*\]\((charts\/[^)]+\.svg)\)/g)].map((m) => m[1]);
    expect(images.length).toBe(7);
    for (const img of images) {
      const svg = readFileSync(join(dir, img), "utf8");
      expect(svg.startsWith("<svg")).toBe(true);
      expect(html).toContain(svg.slice(0, 200)); // the same chart is inlined in the HTML
    }
    expect((html.match(/<figure class="chart"/g) ?? []).length).toBe(7);
    expectNoJunk(html);
    expectNoJunk(md);
  });

  it("inlines charts whose clip-path ids do not collide", () => {
    const htmlIds = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(htmlIds).size).toBe(htmlIds.length);
    for (const [, ref] of html.matchAll(/url\(#([^)]+)\)/g)) expect(htmlIds).toContain(ref);
  });
});

describe("report from a single seed", () => {
  it("still writes every section and says plainly that it cannot tell", async () => {
    const dir = tmp("single");
    writeSyntheticResults(dir, { seeds: 1 });
    const out = await writeReport(dir, { measureCost: false });
    const md = readFileSync(out.md, "utf8");
    const html = readFileSync(out.html, "utf8");
    const doc = await buildDocument(loadResults(dir), { measureCost: false });
    expect(doc.board.rows.every((r) => r.finalValAcc.n === 1 && Number.isNaN(r.finalValAcc.std))).toBe(true);
    expect(doc.sections[0].significance.canDetect).toBe(false);
    expect(doc.sections[0].significance.comparisons.every((c) => c.verdict !== "worse")).toBe(true);
    expect(md).toMatch(/Too few seeds to tell/);
    expect(md).toContain("(1 seed)");
    expect(doc.charts.length).toBe(7);
    expectNoJunk(md);
    expectNoJunk(html);
  });
});

describe("report with an activation whose every run failed", () => {
  it("puts it last with its failures counted, leaves it out of charts, and stays sound", async () => {
    const dir = tmp("allfailed");
    writeSyntheticResults(dir, { seeds: 3, failAll: "tanh" });
    const out = await writeReport(dir, { measureCost: false });
    const doc = await buildDocument(loadResults(dir), { measureCost: false });
    const last = doc.board.rows[doc.board.rows.length - 1];
    expect(last.group.activation).toBe("tanh");
    expect([last.ok, last.failed]).toEqual([0, 3]);
    expect(doc.sections[0].significance.comparisons.find((c) => c.contender.activation === "tanh")!.verdict).toBe("no paired seeds");
    const loss = doc.charts.find((c) => c.id === "loss")!;
    expect(loss.labels).not.toContain("tanh");
    expect(loss.series).toBe(3);
    // The f/f' chart still shows every activation used.
    expect(doc.charts.find((c) => c.id === "functions")!.series).toBe(4);
    expectNoJunk(readFileSync(out.md, "utf8"));
    expectNoJunk(readFileSync(out.html, "utf8"));
  });
});

describe("report over a grid", () => {
  it("has one row per activation and grid point, ranked and compared within each grid point", async () => {
    const dir = tmp("grid");
    const written = writeSyntheticResults(dir, { seeds: 3, grid: true });
    const out = await writeReport(dir, { measureCost: false });
    const doc = await buildDocument(loadResults(dir), { measureCost: false });
    expect(doc.board.rows.length).toBe(PROFILES.length * 2);
    expect(doc.sections.map((s) => s.gridLabel)).toEqual(["model.hidden=[16, 16]", "model.hidden=[32, 32]"]);
    for (const [i, grid] of ["[16,16]", "[32,32]"].entries()) {
      const sec = doc.sections[i];
      expect(sec.leaderboard.rows.length).toBe(PROFILES.length);
      const accOf = (label: string): number => handMean(written.filter((w) => w.grid === grid && w.activation === label).map((w) => w.val_acc));
      const expected = PROFILES.map((p) => p.label).sort((a, b) => accOf(b) - accOf(a));
      expect(sec.leaderboard.rows.map((r) => r[1])).toEqual(expected);
      expect(sec.significance.leader!.activation).toBe(expected[0]);
      expect(sec.significance.comparisons.every((c) => c.contender.rows.every((r) => r.group.gridLabel === sec.gridLabel))).toBe(true);
    }
    const md = readFileSync(out.md, "utf8");
    expect(md).toContain("### model.hidden=[32, 32]");
    // The setup shows what the grid varies, not only the base config it overrides.
    expect(doc.setup.find((s) => s.key === "Model")!.value).toContain("the grid varies model.hidden: [16, 16] | [32, 32]");
    const html = readFileSync(out.html, "utf8");
    const htmlIds = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(htmlIds).size).toBe(htmlIds.length);
    // One set of training charts per grid point, f/f' once; colors stay per activation (4 series, not 8).
    const ids = doc.charts.map((c) => c.id);
    for (const kind of ["loss", "accuracy", "gradients", "dead", "saturation", "distributions"])
      expect(ids.filter((id) => id.startsWith(`${kind}-`))).toEqual([`${kind}-1`, `${kind}-2`]);
    expect(ids.filter((id) => id === "functions").length).toBe(1);
    expect(doc.charts.find((c) => c.id === "loss-2")!.series).toBe(4);
    expect(doc.charts.find((c) => c.id === "loss-2")!.title).toContain("model.hidden=[32, 32]");
  });
});

describe("report of a regression sweep", () => {
  it("ranks by final validation loss, lowest first, and has no accuracy column or chart", async () => {
    const dir = tmp("regression");
    const written = writeSyntheticResults(dir, { seeds: 3, regression: true });
    const doc = await buildDocument(loadResults(dir), { measureCost: false });
    expect(doc.board.task).toBe("regression");
    const lossOf = (label: string): number => handMean(written.filter((w) => w.activation === label).map((w) => w.val_loss));
    const expected = PROFILES.map((p) => p.label).sort((a, b) => lossOf(a) - lossOf(b));
    expect(doc.board.rows.map((r) => r.group.activation)).toEqual(expected);
    expect(doc.sections[0].leaderboard.header).not.toContain("final val acc");
    expect(doc.charts.map((c) => c.id)).not.toContain("accuracy");
  });
});

describe("compute cost column", () => {
  it("uses the manifest's activation_cost when present", async () => {
    const dir = tmp("cost");
    writeSyntheticResults(dir, { seeds: 2 });
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    manifest.activation_cost = { relu: { f_ns: 0.75, df_ns: 0.5 }, tanh: { f_ns: 6.25, df_ns: 3.5 } };
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
    const doc = await buildDocument(loadResults(dir), { measureCost: false });
    const table = doc.sections[0].diagnostics;
    const col = table.header.indexOf("cost ns/element (f / f′)");
    expect(col).toBeGreaterThan(0);
    const cellOf = (label: string): string => table.rows.find((r) => r[1] === label)![col];
    expect(cellOf("relu")).toBe("0.75 / 0.50");
    expect(cellOf("tanh")).toBe("6.25 / 3.50");
    expect(cellOf("sigmoid")).toBe("—");
  });
  it("measures registry activations when the manifest has no cost, and leaves the column out when nothing is known", async () => {
    const dir = tmp("cost2");
    writeSyntheticResults(dir, { seeds: 2 });
    const measured = await buildDocument(loadResults(dir));
    const table = measured.sections[0].diagnostics;
    const col = table.header.indexOf("cost ns/element (f / f′)");
    expect(col).toBeGreaterThan(0);
    for (const row of table.rows) expect(row[col]).toMatch(/^\S+ \/ \S+$/);
    const none = await buildDocument(loadResults(dir), { measureCost: false });
    expect(none.sections[0].diagnostics.header.indexOf("cost ns/element (f / f′)")).toBe(-1);
  });
});

describe("not a results folder", () => {
  it("is a UserError naming the folder", () => {
    const dir = tmp("empty");
    expect(() => loadResults(dir)).toThrow(UserError);
    expect(() => loadResults(dir)).toThrow(/no runs\.csv/);
    expect(existsSync(join(dir, "report.html"))).toBe(false);
  });
});
