/**
 * Where the numbers came from, for the manifest: actbench's version, the
 * installed versions of its runtime dependencies, and the git commit.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
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

export function gitCommit(): string | undefined {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: packageRoot(), stdio: ["ignore", "pipe", "ignore"] }).toString().trim() || undefined;
  } catch {
    return undefined;
  }
}
