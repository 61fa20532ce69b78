/**
 * Where the numbers came from, for the manifest: actbench's version, the
 * installed versions of its runtime dependencies, and the git commit.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { resolveKernel } from "../nn/train.js";
import { wasmVariant } from "../nn/wasm/index.js";
import { packageRoot } from "../packageRoot.js";

export function packageVersion(): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Installed versions of the runtime dependencies (they can change the numbers). */
export function dependencyVersions(): Record<string, string> {
  const root = packageRoot();
  const out: Record<string, string> = {};
  let deps: Record<string, string> = {};
  try {
    deps = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies?: Record<string, string> }).dependencies ?? {};
  } catch {
    return out;
  }
  for (const name of Object.keys(deps).sort()) {
    for (let dir = root; ; ) {
      const pkg = join(dir, "node_modules", name, "package.json");
      if (existsSync(pkg)) {
        out[name] = (JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version;
        break;
      }
      const up = dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return out;
}

/**
 * What a sweep's numbers depend on besides its config and data: actbench's
 * version, brain.js's for brain.js runs, and the native compute path each
 * run resolves to here (wasm and ts agree to float32 rounding, not bit for
 * bit; the FMA build rounds differently from the plain one). A resume under
 * other values would mix numbers of two programs, so the store refuses it.
 */
export function numericsOf(runs: ReadonlyArray<{ engine: string; config: { train: { kernel?: "auto" | "wasm" | "ts" } } }>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { actbench: packageVersion() };
  if (runs.some((r) => r.engine === "brainjs")) out["brain.js"] = dependencyVersions()["brain.js"];
  const kernels = new Set<string>();
  for (const r of runs) {
    if (r.engine !== "native") continue;
    try {
      kernels.add(resolveKernel(r.config.train.kernel ?? "auto"));
    } catch {
      kernels.add("wasm (unavailable)"); // the run will fail and say why
    }
  }
  if (kernels.size > 0) out.native_kernels = [...kernels].sort().join(", ");
  if (kernels.has("wasm")) out.wasm_variant = wasmVariant() ?? undefined;
  return out;
}

export function gitCommit(): string | undefined {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: packageRoot(), stdio: ["ignore", "pipe", "ignore"] }).toString().trim() || undefined;
  } catch {
    return undefined;
  }
}
