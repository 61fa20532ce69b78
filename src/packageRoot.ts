/**
 * The folder holding actbench's package.json, from a source checkout (src/),
 * the compiled package (dist/) or an installed copy: where the build's
 * outputs (dist/wasm, dist/data) and the package metadata are found.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "actbench") return (root = dir);
    const up = dirname(dir);
    if (up === dir) return (root = process.cwd());
    dir = up;
  }
}
