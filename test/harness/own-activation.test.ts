/**
 * Activations from the user's modules: the shipped example, a module with
 * parameters as a default export, the derivative check (which must pass every
 * built-in and refuse a wrong df), and workers importing the module themselves.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { activationNames, getActivation, isBuiltin } from "../../src/activations/index.js";
import { loadExperiment } from "../../src/harness/config.js";
import { checkDerivative } from "../../src/harness/custom-activation.js";
import { runSweep } from "../../src/harness/sweep.js";
import { copyModule, ROOT, readCsv, tmp, writeConfig } from "./helpers.js";

const quiet = () => ({ start() {}, done() {}, stop() {} });

describe("own activations", () => {
  it("loads the shipped bent-identity example and trains it in workers", async () => {
    const exp = await loadExperiment(join(ROOT, "experiments", "own-activation.yaml"), { set: ["seeds=1", "train.epochs=2", "record.models=[]"] });
    const mine = exp.activations.find((a) => a.label === "bent_identity");
    expect(mine?.module?.path).toBe("./bent-identity.js");
    expect(mine?.module?.sha256).toMatch(/^[0-9a-f]{64}$/);
    // The module's metadata reached this thread (its code did not: module-isolation.test.ts).
    expect(getActivation("bent_identity").def.init).toBe("lecun_normal");
    const out = join(tmp(), "out");
    const s = await runSweep(exp, { out, workers: 2, progress: quiet });
    expect(s.failed).toBe(0);
    const rows = readCsv(join(out, "runs.csv")).rows;
    expect(rows.find((r) => r.activation === "bent_identity")?.status).toBe("ok");
    // Independent values: f(x) = (sqrt(x^2+1) - 1)/2 + x, f'(x) = x / (2 sqrt(x^2+1)) + 1.
    const samples = readCsv(join(out, "activations.csv")).rows.filter((r) => r.activation === "bent_identity");
    expect(samples).toHaveLength(201);
    for (const x of [-3, -0.5, 0, 2]) {
      const at = samples.find((r) => Number(r.x) === x)!;
      expect(Number(at.f)).toBeCloseTo((Math.sqrt(x * x + 1) - 1) / 2 + x, 14);
      expect(Number(at.df)).toBeCloseTo(x / (2 * Math.sqrt(x * x + 1)) + 1, 14);
    }
  });

  it("takes parameters from a default export, with defaults and overrides", async () => {
    const dir = tmp();
    copyModule("scaled-tanh.js", dir);
    const exp = await loadExperiment(
      writeConfig(
        dir,
        `seeds: 1
activations: [{module: ./scaled-tanh.js, name: scaled_tanh_p, a: 1, b: 1}]
dataset: {name: moons, n: 100}
`,
      ),
    );
    expect(exp.activations[0].label).toBe("scaled_tanh_p(a=1,b=1)");
    // Sampled (at the entry's parameters) in the thread that checked the module: a tanh(b x) at a = b = 1.
    const at = (x: number) => exp.activations[0].samples!.find((p) => p.x === x)!;
    expect(at(0.7).f).toBeCloseTo(Math.tanh(0.7), 15);
    expect(getActivation("scaled_tanh_p").params).toEqual({ a: 1.7159, b: 2 / 3 }); // the module's defaults
  });

  it("refuses a module name that is a built-in's", async () => {
    const dir = tmp();
    copyModule("scaled-tanh.js", dir);
    await expect(
      loadExperiment(writeConfig(dir, `activations: [{module: ./scaled-tanh.js, name: tanh}]\ndataset: {name: moons}\n`)),
    ).rejects.toThrow(/the name "tanh" is already taken by a built-in activation/);
  });

  it("the derivative check passes every built-in elementwise activation", () => {
    for (const name of activationNames()) {
      const act = getActivation(name);
      if (act.def.vector || !isBuiltin(act.def)) continue; // the modules registered above are stubs in this thread
      expect(() => checkDerivative(act, name)).not.toThrow();
    }
  });

  it("learnable parameters from a module: trained with the weights, kept within min, recorded in params.csv", async () => {
    const dir = tmp();
    copyModule("learnable-tanh.js", dir);
    const exp = await loadExperiment(
      writeConfig(
        dir,
        `seeds: 1
activations: [{module: ./learnable-tanh.js, name: learnable_tanh}, {module: ./learnable-tanh.js, name: learnable_tanh, share: layer}]
dataset: {name: moons, n: 120}
model: {hidden: [6]}
train: {epochs: 3, batchSize: 16, optimizer: {name: sgd, lr: 2}}
record: {probeSize: 32}
`,
      ),
    );
    const out = await runSweep(exp, { out: join(dir, "out"), workers: 1, progress: () => ({ start() {}, done() {}, stop() {} }) });
    const params = readCsv(join(out.dir, "params.csv")).rows;
    expect(new Set(params.map((r) => r.parameter))).toEqual(new Set(["a", "b"]));
    const last = params.filter((r) => r.epoch === "3");
    expect(last.length).toBe(4);
    expect(last.every((r) => Number(r.min) >= Math.fround(0.5) || r.parameter === "b")).toBe(true);
    expect(last.some((r) => r.mean !== "1")).toBe(true); // they moved
    expect(params.filter((r) => r.activation === "learnable_tanh(share=layer)").every((r) => r.std === "0")).toBe(true);
  });

  it("refuses a module whose dParam disagrees with f, naming the parameter and the worst point; and a learnable parameter without dParam", async () => {
    const dir = tmp();
    copyModule("bad-dparam.js", dir);
    await expect(loadExperiment(writeConfig(dir, `activations: [{module: ./bad-dparam.js, name: bad_dparam}]\ndataset: {name: moons}\n`))).rejects.toThrow(
      /activation module \.\/bad-dparam\.js: dParam\.b disagrees with the central finite difference of f; worst at x=.*dParam\.b\(x\)=.*the central difference in b=/,
    );
    writeFileSync(
      join(dir, "no-dparam.mjs"),
      "export const params = [{name: 'k', default: 1, learnable: true}];\nexport const f = (x, p) => p.k * x;\nexport const df = (x, p) => p.k;\n",
    );
    await expect(loadExperiment(writeConfig(dir, `activations: [{module: ./no-dparam.mjs, name: no_dparam}]\ndataset: {name: moons}\n`))).rejects.toThrow(
      /activation module \.\/no-dparam\.mjs: learnable parameter "k" needs export dParam: \{k\(x, params\)\}/,
    );
  });

  it("the derivative check refuses a df that is off by a little", () => {
    const tanh = getActivation("tanh");
    const off = { ...tanh, df: (x: number) => tanh.df(x) * (1 + 1e-3) };
    expect(() => checkDerivative(off, "tanh-ish")).toThrow(/tanh-ish: df disagrees .* worst at x=/);
  });
});
