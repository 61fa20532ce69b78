// Whole runs on the two compute paths: the wasm kernels and the TypeScript
// reference agree to float32 rounding (not bit for bit: the summation order
// of the SIMD kernels differs), on losses, accuracies and probe figures.
import { describe, expect, it } from "vitest";
import { nativeEngine, resolveKernel } from "../../src/nn/index.js";
import type { RunConfig } from "../../src/nn/index.js";
import { blobs, wave } from "./toy.js";

const cases: Array<[string, RunConfig["activation"], RunConfig["model"]["head"], RunConfig["train"]["optimizer"]]> = [
  ["relu / softmax_ce / momentum", "relu", "softmax_ce", { name: "momentum", lr: 0.05 }],
  ["gelu / softmax_ce / adam", "gelu", "softmax_ce", { name: "adam", lr: 0.01 }],
  ["prelu / sigmoid_bce / nesterov", "prelu", "sigmoid_bce", { name: "nesterov", lr: 0.05 }],
  ["mish / softmax_ce / adamw, clipped", "mish", "softmax_ce", { name: "adamw", lr: 0.01, weightDecay: 0.01, clipNorm: 0.5 }],
  ["tanh / brainjs / sgd", "tanh", "brainjs", { name: "sgd", lr: 0.1 }],
];

function run(kernel: "ts" | "wasm", activation: RunConfig["activation"], head: RunConfig["model"]["head"], optimizer: RunConfig["train"]["optimizer"], regression = false) {
  const config: RunConfig = {
    seed: 5,
    activation,
    model: { hidden: [12, 7], init: "auto", head },
    train: { epochs: 3, batchSize: 16, optimizer, kernel },
    record: { every: 1, probeSize: 64, stepGradNorms: true },
  };
  return nativeEngine.train(config, regression ? wave(160, 3) : blobs(160, 2, 40));
}

function close(a: number | undefined, b: number | undefined, rel: number, what: string) {
  expect(a === undefined, what).toBe(b === undefined);
  if (a === undefined || b === undefined) return;
  expect(Math.abs(a - b), `${what}: ts ${a}, wasm ${b}`).toBeLessThanOrEqual(rel * Math.max(Math.abs(a), Math.abs(b)) + 1e-6);
}

describe("wasm and TypeScript paths agree on whole runs", () => {
  it("wasm is available here (the build made it)", () => {
    expect(resolveKernel("auto")).toBe("wasm");
  });
  for (const [label, activation, head, optimizer] of cases) {
    it(label, () => {
      const ts = run("ts", activation, head, optimizer);
      const wasm = run("wasm", activation, head, optimizer);
      expect(wasm.status).toBe(ts.status);
      expect(wasm.records.length).toBe(ts.records.length);
      ts.records.forEach((r, i) => {
        const w = wasm.records[i];
        close(r.train_loss, w.train_loss, 1e-4, `epoch ${r.epoch} train_loss`);
        close(r.val_loss, w.val_loss, 1e-4, `epoch ${r.epoch} val_loss`);
        close(r.train_acc, w.train_acc, 0.02, `epoch ${r.epoch} train_acc`);
        r.layers.forEach((l, k) => {
          close(l.grad_norm, w.layers[k].grad_norm, 1e-3, `epoch ${r.epoch} layer ${k + 1} grad_norm`);
          close(l.weight_norm, w.layers[k].weight_norm, 1e-4, `epoch ${r.epoch} layer ${k + 1} weight_norm`);
          close(l.step_grad_norm, w.layers[k].step_grad_norm, 1e-3, `epoch ${r.epoch} layer ${k + 1} step_grad_norm`);
          close(l.act_mean, w.layers[k].act_mean, 1e-3, `epoch ${r.epoch} layer ${k + 1} act_mean`);
        });
      });
      // Training moved the loss, so the agreement is about trajectories, not only the start.
      expect(ts.records.at(-1)!.train_loss).not.toBe(ts.records[0].train_loss);
    });
  }
  it("linear_mse regression", () => {
    const ts = run("ts", "silu", "linear_mse", { name: "adam", lr: 0.01 }, true);
    const wasm = run("wasm", "silu", "linear_mse", { name: "adam", lr: 0.01 }, true);
    ts.records.forEach((r, i) => close(r.train_loss, wasm.records[i].train_loss, 1e-4, `epoch ${r.epoch} train_loss`));
  });
});

describe("both wasm builds", () => {
  it("the plain SIMD build (ACTBENCH_WASM_FMA=0) also matches the TypeScript path", async () => {
    const { execFileSync } = await import("node:child_process");
    const { fileURLToPath } = await import("node:url");
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const script = `
      import { nativeEngine } from "./src/nn/index.js";
      import { wasmVariant } from "./src/nn/wasm/index.js";
      import { blobs } from "./test/nn/toy.js";
      const cfg = (kernel) => ({ seed: 5, activation: "gelu", model: { hidden: [12, 7], init: "auto", head: "softmax_ce" },
        train: { epochs: 3, batchSize: 16, optimizer: { name: "momentum", lr: 0.05 }, kernel }, record: { every: 1, probeSize: 64 } });
      const a = nativeEngine.train(cfg("ts"), blobs(160, 2, 40)), b = nativeEngine.train(cfg("wasm"), blobs(160, 2, 40));
      const diff = Math.max(...a.records.map((r, i) => Math.abs(r.train_loss - b.records[i].train_loss) / r.train_loss));
      console.log(JSON.stringify({ variant: wasmVariant(), diff }));`;
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: root,
      env: { ...process.env, ACTBENCH_WASM_FMA: "0" },
      encoding: "utf8",
    });
    const r = JSON.parse(out.trim().split("\n").pop()!);
    expect(r.variant).toBe("simd");
    expect(r.diff).toBeLessThan(1e-4);
  });

  it("this machine runs the fused multiply-add build by default", async () => {
    const { wasmVariant } = await import("../../src/nn/wasm/index.js");
    expect(wasmVariant()).toBe("simd+fma");
  });
});
