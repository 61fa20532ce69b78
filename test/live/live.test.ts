/**
 * The live view in headless Chromium (Debian's, through playwright-core): the
 * page shows the runs finished so far and updates in place when a run file
 * lands, as the store writes it (temp file, then rename); it fetches nothing
 * but its own server; the server binds to the loopback address only; `run
 * --live` stops the server with the sweep and `serve` stops on Ctrl-C.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync } from "node:fs";
import { request } from "node:http";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser } from "playwright-core";
import { loadExperiment } from "../../src/harness/config.js";
import { runSweep } from "../../src/harness/sweep.js";
import { startLiveServer, type LiveServer } from "../../src/live/server.js";
import { collect, startCli, tmp, writeConfig } from "../harness/helpers.js";

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
const inCi = process.env.CI === "true";
const quiet = () => ({ start() {}, done() {}, stop() {} });

const CONFIG = `seeds: 2
activations: [relu, tanh]
dataset: {name: moons, n: 120}
model: {hidden: [4]}
train: {epochs: 3, batchSize: 16}
record: {probeSize: 16}
`;

/** GET a URL; resolves with the status, or rejects with the connection error. */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe.skipIf(!haveChromium && !inCi)("the live view", () => {
  let browser: Browser | undefined;
  let server: LiveServer | undefined;
  let dir = "";

  beforeAll(async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} is missing; .ci/run should have installed chromium`).toBe(true);
    dir = tmp("actbench-live-");
    await runSweep(await loadExperiment(writeConfig(dir, CONFIG)), { out: join(dir, "done"), workers: 2, progress: quiet });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"] });
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await browser?.close();
  });

  it("shows the runs finished so far and updates when a run finishes, fetching nothing from elsewhere", async () => {
    // A folder in the middle of a sweep: the manifest and two of the four run files.
    const live = join(dir, "live");
    mkdirSync(join(live, "runs"), { recursive: true });
    copyFileSync(join(dir, "done", "manifest.json"), join(live, "manifest.json"));
    const files = readdirSync(join(dir, "done", "runs")).sort();
    expect(files).toHaveLength(4);
    for (const f of files.slice(0, 2)) copyFileSync(join(dir, "done", "runs", f), join(live, "runs", f));

    server = await startLiveServer(live, { port: 0, pollMs: 100 });
    expect(server.host).toBe("127.0.0.1");
    const page = await browser!.newPage();
    const errors: string[] = [];
    const foreign: string[] = [];
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("request", (r) => { if (!r.url().startsWith(server!.url)) foreign.push(r.url()); });
    await page.goto(server.url, { waitUntil: "load" });
    await page.waitForSelector('body[data-finished="2"]');
    const finishedCell = async () => page.$$eval("#live-board tbody tr", (rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent ?? "")));
    const before = await finishedCell();
    expect(before.reduce((s, r) => s + Number(r[2]), 0)).toBe(2);
    expect(await page.textContent("#status")).toMatch(/^2 of 4 runs finished/);

    // A run finishes: its file appears by rename, as the store commits it.
    const third = files[2];
    copyFileSync(join(dir, "done", "runs", third), join(live, "runs", `${third}.tmp`));
    renameSync(join(live, "runs", `${third}.tmp`), join(live, "runs", third));
    await page.waitForSelector('body[data-finished="3"]', { timeout: 30_000 });
    const after = await finishedCell();
    expect(after.reduce((s, r) => s + Number(r[2]), 0)).toBe(3);
    expect(await page.textContent("#status")).toMatch(/^3 of 4 runs finished/);
    // Curves: val_acc and val_loss, each with a line per activation that has a finished run.
    const charts = await page.$$eval("figure.chart", (figs) => figs.map((f) => ({ field: f.getAttribute("data-field"), series: Number(f.getAttribute("data-series")), svg: f.querySelector("svg") !== null })));
    expect(charts.map((c) => c.field)).toEqual(["val_acc", "val_loss"]);
    for (const c of charts) expect(c.svg).toBe(true);
    expect(errors).toEqual([]);
    expect(foreign).toEqual([]);
    await page.close();
  }, 120_000);

  it("listens on the loopback address only, and answers only loopback names", async () => {
    server ??= await startLiveServer(join(dir, "done"), { port: 0 });
    expect((await get(server.url)).status).toBe(200);
    expect((await get(server.url, { host: "attacker.example" })).status).toBe(403);
    const external = Object.values(networkInterfaces()).flat().find((a) => a && a.family === "IPv4" && !a.internal);
    if (external) await expect(get(`http://${external.address}:${server.port}/`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it("run --live serves while the sweep runs and stops with it; serve stops on Ctrl-C", async () => {
    const out = join(dir, "cli");
    const child = startCli(["run", writeConfig(dir, CONFIG, "cli.yaml"), "--out", out, "--workers", "1", "--no-report", "--live", "--port", "0"]);
    let url = "";
    child.stdout!.on("data", (d: Buffer) => {
      const m = /live view: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(d.toString());
      if (m) url = m[1];
    });
    const r = await collect(child);
    expect(r.code, r.stderr).toBe(0);
    expect(url).not.toBe("");
    await expect(get(url)).rejects.toThrow(/ECONNREFUSED/);

    const serve = startCli(["serve", out, "--port", "0"]);
    let serveUrl = "";
    const seen = new Promise<void>((resolve) =>
      serve.stdout!.on("data", (d: Buffer) => {
        const m = /live view: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(d.toString());
        if (m) {
          serveUrl = m[1];
          resolve();
        }
      }),
    );
    const done = collect(serve);
    await seen;
    const state = JSON.parse((await get(`${serveUrl}state.json`)).body) as { finished: number; state: string };
    expect(state).toMatchObject({ finished: 4, state: "complete" });
    serve.kill("SIGINT");
    expect((await done).code).toBe(0);
    await expect(get(serveUrl)).rejects.toThrow(/ECONNREFUSED/);
  }, 180_000);
});
