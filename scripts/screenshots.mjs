// Screenshots of a results folder's report.html for the README (docs/report-*.png):
//   node scripts/screenshots.mjs results/quickstart
// Uses Debian's chromium through playwright-core (no browser download), offline.
import { chromium } from "playwright-core";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const dir = resolve(process.argv[2] ?? "results/quickstart");
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
await page.goto(pathToFileURL(resolve(dir, "report.html")).href);
await page.screenshot({ path: "docs/report-quickstart.png" });
const chart = page.locator("#chart-gradients-1, #chart-gradients").first();
await chart.scrollIntoViewIfNeeded();
await chart.screenshot({ path: "docs/report-gradients.png" });
await browser.close();
