/**
 * report.html in a real browser (Debian's Chromium driven by playwright-core,
 * never a downloaded browser): no console errors, every chart drawn with one
 * legend entry and at least one mark per expected series, and a screenshot.
 *
 * Expected series are counted here from the fixture's own runs.csv (the
 * activations with a finished run; for the f/f' chart every activation
 * sampled), not from the report's attributes.
 */
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { writeSyntheticResults, PROFILES } from "../fixtures/report/synthetic-results.js";
import { writeReport } from "../../src/report/index.js";

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
const inCi = process.env.CI === "true";

if (!haveChromium && !inCi)
  console.warn(`browser test skipped: ${CHROMIUM} is missing (install Debian's chromium: apt-get install -y chromium)`);

describe.skipIf(!haveChromium && !inCi)("report.html in headless Chromium", () => {
  let browser: Browser | undefined;
  let dir = "";

  beforeAll(async () => {
    // In CI a missing browser is a failure, not a skip.
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing; .ci/run should have installed chromium`).toBe(true);
    dir = mkdtempSync(join(tmpdir(), "actbench-report-browser-"));
    writeSyntheticResults(dir, { seeds: 4, problems: true });
    await writeReport(dir, { target: 0.85, measureCost: false });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("renders every chart with its series, without console errors or network requests", async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("request", (r) => { if (!r.url().startsWith("file:")) requests.push(r.url()); });
    await page.goto(pathToFileURL(join(dir, "report.html")).href, { waitUntil: "load" });

    const charts = await page.$$eval("figure.chart", (figs) => figs.map((f) => {
      const svg = f.querySelector("svg");
      const box = svg?.getBoundingClientRect();
      const legendLabels = [...f.querySelectorAll("g.role-legend-label text")].map((t) => t.textContent ?? "");
      // A mark "series" is a drawn path/line/symbol with geometry inside a role-mark group.
      const marks = [...f.querySelectorAll("g.role-mark path, g.role-mark line")].filter((p) => {
        const d = p.getAttribute("d");
        return p.tagName === "line" || (d !== null && d !== "" && p.getAttribute("display") !== "none");
      }).length;
      return { id: f.getAttribute("data-chart"), series: Number(f.getAttribute("data-series")), legendLabels, marks, w: box?.width ?? 0, h: box?.height ?? 0 };
    }));

    // Expected from the fixture's runs.csv: activations with at least one finished run.
    const runsCsv = readFileSync(join(dir, "runs.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(","));
    const finished = new Set(runsCsv.filter((c) => c[3] === "ok").map((c) => c[1]));
    const expected: Record<string, number> = {
      loss: finished.size, accuracy: finished.size, gradients: finished.size, dead: finished.size,
      saturation: finished.size, distributions: finished.size, functions: PROFILES.length,
    };
    expect(charts.map((c) => c.id).sort()).toEqual(Object.keys(expected).sort());
    for (const c of charts) {
      expect(c.legendLabels.length, `legend entries of ${c.id}`).toBe(expected[c.id!]);
      expect(c.series, `data-series of ${c.id}`).toBe(expected[c.id!]);
      expect(c.marks, `drawn marks of ${c.id}`).toBeGreaterThanOrEqual(expected[c.id!]);
      expect(c.w).toBeGreaterThan(100);
      expect(c.h).toBeGreaterThan(100);
    }
    // One color per activation: the legend swatch of each label is the same in every chart.
    const swatches = await page.$$eval("figure.chart", (figs) => figs.map((f) => {
      const labels = [...f.querySelectorAll("g.role-legend-label text")].map((t) => t.textContent ?? "");
      const symbols = [...f.querySelectorAll("g.role-legend-symbol path")].map((p) => p.getAttribute("stroke") ?? p.getAttribute("fill") ?? "");
      return Object.fromEntries(labels.map((l, i) => [l, symbols[i]]));
    }));
    const colorOf = new Map<string, string>();
    for (const m of swatches)
      for (const [label, color] of Object.entries(m)) {
        if (!colorOf.has(label)) colorOf.set(label, color);
        expect(color, `color of ${label}`).toBe(colorOf.get(label));
      }
    expect(new Set(colorOf.values()).size).toBe(colorOf.size);

    const shot = join(tmpdir(), "actbench-report-browser.png");
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot)).toBe(true);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});
