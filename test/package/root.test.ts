// The package root as a user imports it: `import { getActivation, activations } from "actbench"`,
// resolved by Node through package.json "exports" (the built dist/, which npm ci builds).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("package root", () => {
  it("exports getActivation and the activation registry", () => {
    const out = execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { getActivation, activations, nativeEngine, loadDataset, parseShard, partition, mergeShards } from "actbench";
         const a = getActivation({ name: "leaky_relu", alpha: 0.2 });
         console.log(JSON.stringify({ size: activations.size, f: a.f(-2), df: a.df(-2), swish: getActivation("swish").name,
           engine: nativeEngine.name, n: loadDataset({ name: "xor", n: 40 }).train.n,
           shard: parseShard("1/4"), sharding: [typeof partition, typeof mergeShards] }));`,
      ],
      { cwd: root, encoding: "utf8" },
    );
    const r = JSON.parse(out);
    expect(r.size).toBeGreaterThanOrEqual(20);
    expect(r.f).toBeCloseTo(-0.4, 15);
    expect(r.df).toBe(0.2);
    expect(r.swish).toBe("silu");
    expect(r.engine).toBe("native");
    expect(r.n).toBe(32); // 20% held out for validation by default
    expect(r.shard).toEqual({ index: 1, count: 4 });
    expect(r.sharding).toEqual(["function", "function"]);
  });
});
