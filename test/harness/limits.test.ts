/**
 * Refused up front, exit 2, naming the field (issue 19): sizes that used to
 * hang or exhaust memory (seeds 1e9 and 1e6, a grid explosion, hidden [1e8],
 * a YAML alias bomb), what engine brainjs cannot do, a --set of a key that
 * does not exist (and a warning for one the grid overrides), and .inf, .nan
 * and 1e400 reported as written. Each runs `validate` in a child process
 * with a small heap and a time limit, so the old behaviour (a hang, an
 * out-of-memory crash) fails the test instead of taking it down.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collect, ROOT, tmp, TSX, writeConfig } from "./helpers.js";

async function validate(text: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const file = writeConfig(tmp(), text);
  const child = spawn(process.execPath, ["--max-old-space-size=384", "--import", TSX, join(ROOT, "src", "cli.ts"), "validate", file, ...args], {
    env: { ...process.env, NODE_OPTIONS: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 40_000);
  const r = await collect(child);
  clearTimeout(timer);
  return r;
}

const BASE = (extra: string) => `activations: [relu]
dataset: {name: moons, n: 100}
model: {hidden: [4]}
train: {epochs: 1, batchSize: 16}
${extra}
`;

describe("sizes refused up front", () => {
  it("seeds: 1e9 and seeds: 1e6", async () => {
    for (const n of ["1e9", "1e6"]) {
      const r = await validate(BASE(`seeds: ${n}`));
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/seeds: found \d+: .*10000/);
    }
  }, 120_000);

  it("a list of 1e6 seeds is refused at once, not checked for duplicates in quadratic time", async () => {
    const r = await validate(BASE(`seeds: [${Array.from({ length: 200_000 }, (_, i) => i).join(",")}]`));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/seeds: .*10000/);
  }, 60_000);

  it("a grid of 5 keys x 20 values", async () => {
    const values = (f: (i: number) => string) => `[${Array.from({ length: 20 }, (_, i) => f(i)).join(", ")}]`;
    const grid = `grid: {train.epochs: ${values((i) => String(i + 1))}, train.batchSize: ${values((i) => String(i + 1))}, train.optimizer.lr: ${values((i) => `0.0${i + 1}`)}, record.probeSize: ${values((i) => String(i + 1))}, dataset.n: ${values((i) => String(i + 50))}}`;
    const r = await validate(BASE(`seeds: 1\n${grid}`));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/grid \(train\.epochs: 20 x train\.batchSize: 20 x train\.optimizer\.lr: 20 x record\.probeSize: 20 x dataset\.n: 20 = 3200000 points\).*at most 100000 runs/);
  }, 60_000);

  it("hidden: [1e8], by an estimate of the memory the network needs", async () => {
    const r = await validate(BASE("seeds: 1").replace("hidden: [4]", "hidden: [100000000]"));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/model\.hidden \[100000000\]: a 2-100000000-2 network needs about [\d.]+ GB/);
  }, 60_000);

  it("a YAML alias bomb names the file", async () => {
    const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
`;
    const r = await validate(bomb);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/exp\.yaml: .*alias/i);
    expect(r.stderr).not.toMatch(/internal error/);
  }, 60_000);
});

describe("promised exit 2", () => {
  it("engine brainjs with the default batch size, or an optimizer brain.js does not have", async () => {
    const r = await validate(BASE("seeds: 1\nengine: brainjs").replace("train: {epochs: 1, batchSize: 16}", "train: {epochs: 1, optimizer: {name: nesterov}}"));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/train\.batchSize: found 32; engine brainjs trains one sample at a time/);
    expect(r.stderr).toMatch(/train\.optimizer\.name: found nesterov; engine brainjs has brain\.js's optimizers sgd, momentum, adam/);
  }, 60_000);

  it("--set of a key that does not exist; a warning for a key the grid varies", async () => {
    for (const flag of ["model.hidden.-1=3", "activations.foo=gelu", "train.epoch=3"]) {
      const r = await validate(BASE("seeds: 1"), "--set", flag);
      expect(r.code, `${flag}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain(`--set ${flag}: no such config key`);
    }
    const w = await validate(BASE("seeds: 1\ngrid: {train.epochs: [1, 2]}"), "--set", "train.epochs=5");
    expect(w.code, w.stderr).toBe(0);
    expect(w.stderr).toMatch(/warning: --set train\.epochs=5: the grid varies train\.epochs/);
  }, 120_000);

  it(".inf, .nan and 1e400 are reported as written", async () => {
    const r = await validate(BASE("seeds: 1").replace("train: {epochs: 1, batchSize: 16}", "train: {epochs: .inf, optimizer: {lr: 1e400}}\nrecord: {probeSize: .nan}"));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/train\.epochs: found \.inf/);
    expect(r.stderr).toMatch(/train\.optimizer\.lr: found 1e400/);
    expect(r.stderr).toMatch(/record\.probeSize: found \.nan/);
    expect(r.stderr).not.toMatch(/found null/);
  }, 60_000);
});
