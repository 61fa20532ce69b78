// A pool worker that takes a second to boot (its module's evaluation waits), then
// leaves a file saying it booted in $ACTBENCH_TEST_BOOT_DIR and announces its boot as
// the harness's worker does: a pool closed at once must let it finish booting first.
// (tsx registered first, as worker-source.mjs does, to import boot.ts from source.)
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { threadId } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { announceBoot } = await import(new URL("../../../src/harness/boot.ts", import.meta.url).href);
await new Promise((resolve) => setTimeout(resolve, 1000));
writeFileSync(join(process.env.ACTBENCH_TEST_BOOT_DIR, `booted-${threadId}`), "");
announceBoot();

export default function task() {
  return "ran";
}
