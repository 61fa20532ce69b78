/**
 * One test per kind of config mistake, through the real CLI: exit code 2, a
 * message naming the file and line (or flag), the field, what was found and
 * what was expected, and nothing written.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { copyModule, runCli, tmp, writeConfig } from "./helpers.js";

const LINES = [
  "name: cfg",
  "seeds: 1",
  "activations: [relu, tanh]",
  "dataset: {name: moons, n: 100}",
  "model: {hidden: [4]}",
  "train: {epochs: 1, batchSize: 16, optimizer: {name: adam, lr: 0.01}}",
  "record: {every: 1, probeSize: 32}",
];

/** The valid base config with line `n` (1-based) replaced, plus extra lines. */
function variant(replace: Record<number, string>, extra: string[] = []): string {
  return [...LINES.map((l, i) => replace[i + 1] ?? l), ...extra].join("\n") + "\n";
}

async function expectRefused(text: string, patterns: Array<string | RegExp>, opts: { args?: string[]; files?: string[] } = {}) {
  const dir = tmp();
  for (const f of opts.files ?? []) copyModule(f, dir);
  const file = writeConfig(dir, text);
  const out = join(dir, "out");
  const r = await runCli(["run", file, "--out", out, "--no-report", ...(opts.args ?? ["--workers", "1"])]);
  expect(r.code, r.stderr + r.stdout).toBe(2);
  for (const p of patterns) expect(r.stderr).toMatch(typeof p === "string" ? new RegExp(escape(p)) : p);
  expect(existsSync(out)).toBe(false);
  expect(r.stdout).toBe("");
  return r.stderr;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("config mistakes: exit 2, clear message, nothing written", () => {
  it("the base config is valid (so each variant fails for its one mistake)", async () => {
    const dir = tmp();
    const r = await runCli(["validate", writeConfig(dir, variant({}))]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/2 runs = 2 activations x 1 seeds x 1 grid point/);
  });

  it("YAML syntax error: line and column", async () => {
    await expectRefused(variant({ 5: "model: {hidden: [4}" }), [/exp\.yaml:5:\d+: /]);
  });

  it("misspelt key: names it with a close match", async () => {
    await expectRefused(variant({ 6: "train: {epochs: 1, batchsize: 16}" }), [
      /exp\.yaml:6:\d+: train\.batchsize: unknown key "batchsize" \(did you mean batchSize\?\)/,
    ]);
  });

  it("unknown top-level key", async () => {
    await expectRefused(variant({}, ["seed: 3"]), [/exp\.yaml:8:\d+: seed: unknown key "seed" \(did you mean seeds\?\)/]);
  });

  it("wrong type: found and expected", async () => {
    await expectRefused(variant({ 6: 'train: {epochs: "ten"}' }), [/exp\.yaml:6:\d+: train\.epochs: found "ten", expected a number/]);
  });

  it("out of range", async () => {
    await expectRefused(variant({ 6: "train: {optimizer: {name: sgd, lr: -1}}" }), [/exp\.yaml:6:\d+: train\.optimizer\.lr: found -1: expected number to be >0/]);
  });

  it("unknown choice: lists the options and the close ones", async () => {
    await expectRefused(variant({ 6: "train: {optimizer: {name: adma}}" }), [/train\.optimizer\.name: found "adma", expected one of sgd, momentum, nesterov, adam, adamw; did you mean adam/]);
  });

  it("softmax as a hidden activation: refused, as the README says", async () => {
    await expectRefused(variant({ 3: "activations: [relu, softmax]" }), [/exp\.yaml:3:\d+: activations\[1\]: softmax is a vector activation \(output heads only\)/]);
  });

  it("missing required section", async () => {
    await expectRefused(variant({ 4: "" }), [/dataset: found nothing, expected a mapping/]);
  });

  it("unknown activation: line and close matches", async () => {
    await expectRefused(variant({ 3: "activations: [relu, gelo]" }), [/exp\.yaml:3:\d+: activations\[1\]: unknown activation "gelo"; did you mean "gelu"/]);
  });

  it("unknown activation parameter", async () => {
    await expectRefused(variant({ 3: "activations: [{name: leaky_relu, alfa: 0.2}]" }), [/activations\[0\]: activation "leaky_relu" has no parameter "alfa".*did you mean "alpha"/]);
  });

  it("the same activation twice", async () => {
    await expectRefused(variant({ 3: "activations: [relu, {name: relu}]" }), [/exp\.yaml:3:\d+: activations\[1\]: relu is listed twice/]);
  });

  it("unknown dataset", async () => {
    await expectRefused(variant({ 4: "dataset: {name: spiral}" }), [/exp\.yaml:4:\d+: dataset\.name: .*unknown dataset "spiral"; did you mean "spirals"/]);
  });

  it("unknown grid key", async () => {
    await expectRefused(variant({}, ["grid: {train.optimiser.lr: [0.1, 0.01]}"]), [/exp\.yaml:8:\d+: grid\["train\.optimiser\.lr"\]: no such config key; did you mean train\.optimizer\.lr/]);
  });

  it("grid over an axis (seeds)", async () => {
    await expectRefused(variant({}, ["grid: {seeds: [1, 2]}"]), [/grid\["seeds"\]: "seeds" cannot be a grid key/]);
  });

  it("invalid grid value: points at the value", async () => {
    await expectRefused(variant({}, ["grid:", "  model.hidden:", "    - [4, 4]", "    - [0]"]), [/exp\.yaml:11:\d+: grid point \{"model\.hidden":\[0\]\}: model\.hidden\[0\]: found 0/]);
  });

  it("every mistake in one pass: a misspelt key, an unknown activation, a bad grid key, a bad flag, in file order", async () => {
    const err = await expectRefused(
      variant({ 3: "activations: [relu, rleu, tanh]", 4: "dataset: {name: moons, n: 100, nosie: 0.1}" }, ["grid: {train.optimiser.lr: [0.1, 0.01]}"]),
      [],
      { args: ["--workers", "1", "--set", "train.epochs"] },
    );
    const lines = err.trim().split("\n").slice(1).map((l) => l.trim());
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^.*exp\.yaml:3:\d+: activations\[1\]: unknown activation "rleu".*relu/);
    expect(lines[1]).toMatch(/^.*exp\.yaml:4:\d+: dataset\.nosie: unknown key "nosie" \(did you mean noise/);
    expect(lines[2]).toMatch(/^.*exp\.yaml:8:\d+: grid\["train\.optimiser\.lr"\]: no such config key; did you mean train\.optimizer\.lr/);
    expect(lines[3]).toMatch(/^--set train\.epochs: expected key=value/);
  });

  it("a bad grid value shared by several points is reported once", async () => {
    const err = await expectRefused(variant({}, ["grid:", "  model.hidden: [[4], [0]]", "  train.optimizer.lr: [0.1, 0.01, 0.001]"]), [/model\.hidden\[0\]: found 0/]);
    expect(err.match(/found 0/g)).toHaveLength(1);
  });

  it("--set with a bad value: names the flag", async () => {
    await expectRefused(variant({}), [/--set train\.epochs=many\): train\.epochs: found "many", expected a number/], { args: ["--set", "train.epochs=many"] });
  });

  it("--set without '='", async () => {
    await expectRefused(variant({}), [/--set train\.epochs: expected key=value/], { args: ["--set", "train.epochs"] });
  });

  it("activation module not found", async () => {
    await expectRefused(variant({ 3: "activations: [relu, {module: ./nowhere.js, name: mine}]" }), [/exp\.yaml:3:\d+: activations\[1\]\.module: file not found: \.\/nowhere\.js/]);
  });

  it("activation module whose df disagrees with f: names the worst point", async () => {
    const err = await expectRefused(variant({ 3: "activations: [relu, {module: ./bad-derivative.js, name: cubic}]" }), [/activations\[1\]: activation module \.\/bad-derivative\.js: df disagrees with the central finite difference of f; worst at x=/], {
      files: ["bad-derivative.js"],
    });
    // f = x^3/10, df = x/5: the error |3x^2/10 - x/5| / (1 + 3x^2/10) is largest on the grid's end at x ~ -5.
    const x = Number(/worst at x=(-?[\d.]+)/.exec(err)![1]);
    expect(x).toBeCloseTo(-4.96, 1);
  });

  it("share on an activation without learnable parameters, a bad share value, share: layer with engine brainjs", async () => {
    await expectRefused(variant({ 3: "activations: [relu, {name: tanh, share: layer}]" }), [
      /exp\.yaml:3:\d+: activations\[1\]: activation "tanh" has no learnable parameters to share \(share applies to prelu, swish_beta, pelu, pau\)/,
    ]);
    await expectRefused(variant({ 3: "activations: [{name: pelu, share: layers}]" }), [/activations\[0\]: activation "pelu" share must be "unit" or "layer", found "layers"/]);
    await expectRefused(variant({ 3: "activations: [{name: pelu, a: 0.05}]" }), [/activations\[0\]: activation "pelu" parameter "a" must be at least 0.1, found 0.05/]);
    await expectRefused(variant({ 1: "engine: brainjs" }, ["grid: {}"]).replace("activations: [relu, tanh]", "activations: [relu, {name: swish_beta, share: layer}]"), [
      /activations\[1\]: swish_beta\(share=layer\): engine brainjs keeps learnable activation parameters per unit/,
    ]);
  });

  it("per-layer entry longer than model.hidden; a mixture of a learnable activation; layers or mix with engine brainjs", async () => {
    await expectRefused(variant({ 3: "activations: [relu, {layers: [tanh, relu]}]" }), [
      /exp\.yaml:3:\d+: activations\[1\]: layers\(tanh,relu\): lists 2 activations but model\.hidden \[4\] has 1 hidden layer; give at most one per hidden layer/,
    ]);
    await expectRefused(variant({ 3: "activations: [{mix: [relu, prelu]}]" }), [/activations\[0\]: prelu has learnable parameters; a mixture's bases must be fixed functions/]);
    await expectRefused(variant({ 1: "engine: brainjs" }).replace("activations: [relu, tanh]", "activations: [relu, {mix: [relu, tanh]}]"), [
      /activations\[1\]: mix\(relu,tanh\): engine brainjs runs registry activations only \(mix needs engine native\)/,
    ]);
    await expectRefused(variant({ 1: "engine: brainjs", 5: "model: {hidden: [4, 4]}" }).replace("activations: [relu, tanh]", "activations: [{layers: [tanh, relu]}]"), [
      /activations\[0\]: layers\(tanh,relu\): engine brainjs runs one activation on every layer/,
    ]);
  });

  it("a data file that does not exist: a data error, also before anything is written", async () => {
    await expectRefused(variant({ 4: "dataset: {csv: {train: ./missing.csv, target: -1, task: classification}}" }), [/missing\.csv/]);
  });

  it("a config file that does not exist", async () => {
    const dir = tmp();
    const r = await runCli(["run", join(dir, "nope.yaml"), "--out", join(dir, "out")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/nope\.yaml: cannot be read \(ENOENT\)/);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("a bad flag value (--workers 0) and an unknown flag", async () => {
    await expectRefused(variant({}), [/--workers: found 0, expected a whole number >= 1/], { args: ["--workers", "0"] });
    await expectRefused(variant({}), [/--workers: given 2 times/], { args: ["--workers", "1", "--workers", "2"] });
    await expectRefused(variant({}), [/Unknown argument: frobnicate\n\(see actbench run --help\)/], { args: ["--frobnicate"] });
  });

  it("a --target the metric cannot reach (2 for an accuracy), before anything runs", async () => {
    await expectRefused(variant({}), [/--target: found 2, but the sweep is judged by validation accuracy, which lies between 0 and 1/], { args: ["--target", "2"] });
  });
});
