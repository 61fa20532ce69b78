/**
 * docs/api.md runs as written: every ```js block, in order, in one folder
 * where "actbench" resolves to this package as it does for a user (through
 * package.json "exports" to the built dist/), and each block's output equals
 * the ```text block that follows it.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tmp } from "../harness/helpers.js";

/** The page's examples: each ```js block with the ```text block right after it, if any. */
function examples(markdown: string): Array<{ code: string; output?: string; line: number }> {
  const blocks = [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], body: m[2], line: markdown.slice(0, m.index).split("\n").length }));
  const out: Array<{ code: string; output?: string; line: number }> = [];
  blocks.forEach((b, i) => {
    if (b.lang !== "js") return;
    const next = blocks[i + 1];
    out.push({ code: b.body, output: next?.lang === "text" ? next.body : undefined, line: b.line });
  });
  return out;
}

describe("docs/api.md", () => {
  const page = readFileSync(join(ROOT, "docs", "api.md"), "utf8");
  const all = examples(page);

  it("has an example per stage of the pipeline, each with its output", () => {
    for (const stage of ["## 1. Config", "## 2. Plan", "## 3. Sweep", "## 4. Report"]) expect(page).toContain(stage);
    expect(all.length).toBeGreaterThanOrEqual(6);
    for (const e of all) expect(e.output, `example at line ${e.line} has an output block`).toBeDefined();
  });

  it("every example runs and prints what the page says", () => {
    const dir = tmp("actbench-api-docs-");
    mkdirSync(join(dir, "node_modules"));
    symlinkSync(ROOT, join(dir, "node_modules", "actbench"), "dir");
    all.forEach((e, i) => {
      const file = join(dir, `example-${i + 1}.mjs`);
      writeFileSync(file, e.code);
      const stdout = execFileSync(process.execPath, [file], { cwd: dir, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
      expect(stdout, `docs/api.md line ${e.line}`).toBe(e.output);
    });
  }, 240_000);
});
