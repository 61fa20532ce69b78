/**
 * The pool never tears a thread down while it boots (issue 19: rerunning a
 * finished sweep, which closes its pool at once, aborted about 7% of the time
 * with exit 134, V8's "IsGraphAsync ... must be used on an instantiated
 * module"). piscina reports its first threads ready before they load
 * anything, so the pool waits for each thread's own boot message (boot.ts):
 * a pool closed right after it started must let every thread finish booting.
 */
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { startPool } from "../../src/harness/pool.js";
import { tmp } from "./helpers.js";

describe("the pool and booting threads", () => {
  it("a pool closed right after it started lets its threads finish booting first", async () => {
    const dir = tmp();
    process.env.ACTBENCH_TEST_BOOT_DIR = dir;
    try {
      const pool = startPool({ workers: 2, workerUrl: new URL("./workers/slow-boot.mjs", import.meta.url) });
      await pool.close();
      // Each thread wrote its file at the end of its (one second) boot, before the pool ended it.
      expect(readdirSync(dir).filter((f) => f.startsWith("booted-"))).toHaveLength(2);
    } finally {
      delete process.env.ACTBENCH_TEST_BOOT_DIR;
    }
  }, 60_000);
});
