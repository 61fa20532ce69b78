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
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { writeSyntheticResults, PROFILES } from "../fixtures/report/synthetic-results.js";
import { writeReport } from "../../src/report/index.js";
import { loadExperiment } from "../../src/harness/config.js";
import { runSweep } from "../../src/harness/sweep.js";

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
const inCi = process.env.CI === "true";

/** Debian's Chromium, headless, with nothing that would reach the network. */
function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/** A page at 1280 x 900 showing this file, with every console error and every request that leaves file: collected. */
async function openPage(browser: Browser, file: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("request", (r) => { if (!r.url().startsWith("file:")) requests.push(r.url()); });
  await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
  return { page, errors, requests };
}

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
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("renders every chart with its series, without console errors or network requests", async () => {
    const { page, errors, requests } = await openPage(browser!, join(dir, "report.html"));

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

    // Hover text: points carry an SVG <title> naming the activation.
    const titles = await page.$$eval("#chart-loss g.role-mark title", (ts) => ts.map((t) => t.textContent ?? ""));
    expect(titles.some((t) => t.startsWith("relu · train · epoch"))).toBe(true);
    // Clicking a legend entry hides that activation's marks in its chart, and a second click shows them.
    const shown = (color: string) => page.$$eval("#chart-loss g.role-mark path", (ps, c) => ps.filter((p) => (p.getAttribute("stroke") === c || p.getAttribute("fill") === c) && getComputedStyle(p).display !== "none").length, color);
    const entry = page.locator("#chart-loss [data-toggle]").first();
    const color = (await entry.getAttribute("data-toggle"))!;
    const before = await shown(color);
    expect(before).toBeGreaterThan(0);
    await entry.locator("path.background").click({ force: true });
    expect(await shown(color)).toBe(0);
    await entry.locator("path.background").click({ force: true });
    expect(await shown(color)).toBe(before);

    const shot = join(tmpdir(), "actbench-report-browser.png");
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot)).toBe(true);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  });
});

/**
 * Reports of real sweeps whose answers are known by construction: a linear
 * network (identity) cannot separate spirals, so relu leads; leaky_relu with
 * alpha 0 is relu, so the two must be reported identical; eight sigmoid
 * layers shrink the gradient by about 0.25 per layer toward the input, so
 * the vanishing gradient must be a finding.
 */
describe.skipIf(!haveChromium && !inCi)("findings of real sweeps, in headless Chromium", () => {
  let browser: Browser | undefined;
  let root = "";
  const quiet = () => ({ start() {}, done() {}, stop() {} });
  const sweeps: Record<string, string> = {
    known: `seeds: 6
activations: [identity, relu, {name: leaky_relu, alpha: 0}]
dataset: {name: spirals, n: 400, noise: 0.1}
model: {hidden: [32, 32]}
train: {epochs: 20, batchSize: 32, optimizer: {name: adam, lr: 0.01}}
record: {every: 5, probeSize: 128, models: [final]}
`,
    deep: `seeds: 2
activations: [sigmoid, relu]
dataset: {name: spirals, n: 200, noise: 0.1}
model: {hidden: [16, 16]}
train: {epochs: 2, batchSize: 32, optimizer: {name: adam, lr: 0.01}}
record: {every: 1, probeSize: 64}
grid:
  model.hidden: [[16, 16], [16, 16, 16, 16, 16, 16, 16, 16]]
`,
  };
  const dirs: Record<string, string> = {};
  const summaries: Record<string, string[]> = {};

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing; .ci/run should have installed chromium`).toBe(true);
    root = mkdtempSync(join(tmpdir(), "actbench-findings-"));
    for (const [name, text] of Object.entries(sweeps)) {
      const file = join(root, `${name}.yaml`);
      writeFileSync(file, text);
      const summary = await runSweep(await loadExperiment(file), { out: join(root, name), workers: 2, progress: quiet });
      dirs[name] = summary.dir;
      summaries[name] = (await writeReport(summary.dir, { measureCost: false })).summary;
    }
    browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** The findings sections as the browser shows them, and any console error or request. */
  async function open(name: string) {
    const { page, errors, requests } = await openPage(browser!, join(dirs[name], "report.html"));
    const blocks = await page.$$eval("section.findings", (ss) => ss.map((s) => ({
      scope: s.getAttribute("data-scope") ?? "",
      items: [...s.querySelectorAll("li.finding")].map((li) => ({ kind: li.getAttribute("data-kind"), text: li.textContent ?? "", activations: JSON.parse(li.getAttribute("data-activations") ?? "[]") as string[] })),
      recommendation: s.querySelector("p.recommendation")?.textContent ?? "",
    })));
    // Findings come first: the first h2 after the contents.
    const firstHeading = await page.$eval("h2", (h) => h.textContent);
    await page.close();
    return { blocks, errors, requests, firstHeading };
  }

  it("names relu the leader over identity on spirals, and reports leaky_relu(alpha=0) identical to relu", async () => {
    const { blocks, errors, requests, firstHeading } = await open("known");
    expect(firstHeading).toBe("Findings");
    expect(blocks.length).toBe(1);
    const items = blocks[0].items;
    const leader = items.find((i) => i.kind === "leader")!;
    expect(leader.text).toMatch(/^relu \(identical to leaky_relu\(alpha=0\)\) leads with/);
    const worse = items.find((i) => i.kind === "worse")!;
    expect(worse.activations).toEqual(["identity"]);
    const identical = items.filter((i) => i.kind === "identical");
    expect(identical.map((i) => i.activations)).toEqual([["relu", "leaky_relu(alpha=0)"]]);
    // Identical activations are never ranked or tested against each other.
    expect(items.some((i) => i.kind !== "identical" && i.kind !== "leader" && i.activations.includes("leaky_relu(alpha=0)"))).toBe(false);
    expect(blocks[0].recommendation).toMatch(/^Recommendation: Use relu \(or leaky_relu\(alpha=0\), identical here\)/);
    expect(summaries.known.join("\n")).toMatch(/relu leads .*detectably worse: identity/);
    // Decision boundaries of the 2-D dataset: one map per activation, side by side, with the validation points.
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pathToFileURL(join(dirs.known, "report.html")).href, { waitUntil: "load" });
    const maps = await page.$eval("#chart-boundaries", (f) => ({
      headers: [...f.querySelectorAll("g.role-title-text text")].map((t) => t.textContent ?? "").filter((t) => t),
      cells: f.querySelectorAll("g.mark-rect.role-mark path").length,
      points: f.querySelectorAll("g.mark-symbol.role-mark path").length,
      box: f.querySelector("svg")!.getBoundingClientRect().width,
    }));
    await page.close();
    expect(maps.headers).toEqual(expect.arrayContaining(["identity", "relu", "leaky_relu(alpha=0)"]));
    expect(maps.cells).toBe(3 * 28 * 28);
    expect(maps.points).toBe(3 * 80); // the 20% validation split of 400 rows, on each map
    expect(maps.box).toBeGreaterThan(300);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it("finds the 8-layer sigmoid network's vanishing gradient", async () => {
    const { blocks, errors } = await open("deep");
    const deep = blocks.find((b) => b.scope.includes("16-16-16-16-16-16-16-16"))!;
    const vanishing = deep.items.find((i) => i.kind === "vanishing")!;
    expect(vanishing.activations).toContain("sigmoid");
    // The ratio quoted is below 0.25^6 (six sigmoid layers' worth of f' <= 0.25 between layer 1 and the last).
    const ratio = Number(/sigmoid ([0-9.e+-]+)/.exec(vanishing.text)![1]);
    expect(ratio).toBeLessThan(0.25 ** 6);
    expect(summaries.deep.join("\n")).toMatch(/vanishing gradient at init: sigmoid/);
    expect(errors).toEqual([]);
  });

  it("draws a chart against each multi-valued grid key: final metric, init gradient ratio and dead fraction, a line per activation", async () => {
    const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(pathToFileURL(join(dirs.deep, "report.html")).href, { waitUntil: "load" });
    const axes = await page.$$eval("figure.chart[data-chart^='axis-']", (figs) => figs.map((f) => ({
      title: f.querySelector("h3")?.textContent ?? "",
      legend: [...f.querySelectorAll("g.role-legend-label text")].map((t) => t.textContent ?? ""),
      yTitles: [...f.querySelectorAll("g.role-axis-title text")].map((t) => t.textContent ?? "").filter((t) => t !== "model.hidden"),
      xLabels: [...new Set([...f.querySelectorAll("g.role-axis-label text")].map((t) => t.textContent ?? ""))],
      lines: f.querySelectorAll("g.mark-line.role-mark path").length,
    })));
    await page.close();
    // The sweep's one multi-valued grid key, model.hidden (2 and 8 hidden layers).
    expect(axes.length).toBe(1);
    expect(axes[0].title).toBe("Against model.hidden");
    expect(axes[0].legend.sort()).toEqual(["relu", "sigmoid"]);
    expect(axes[0].yTitles).toEqual(["final val accuracy", "grad ratio L1/Llast at init (log)", "dead fraction at end"]);
    expect(axes[0].xLabels).toContain("16-16");
    // Two activations in each of three panels.
    expect(axes[0].lines).toBe(6);
    expect(errors).toEqual([]);
  });
});
