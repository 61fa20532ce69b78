/**
 * The folder lock (issue 19): taking it, and taking over a stale one, is
 * atomic (many processes racing for a stale lock: exactly one wins, every
 * round); the owner is identified beyond its pid (a pid now used by an
 * unrelated process does not block the folder); messages name the lock file.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { acquireLock, assertUnlocked } from "../../src/harness/lock.js";
import { ROOT, tmp, TSX } from "./helpers.js";

const LOCK = ".actbench.lock";

/** A dead pid: a process that has exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString());
}

/**
 * One racer: waits for the start time, tries to take the lock, prints "got"
 * or "busy", and stays alive (its lock live) until the test kills it, after
 * every racer has answered.
 */
const RACER = `
import { acquireLock } from ${JSON.stringify(join(ROOT, "src", "harness", "lock.ts"))};
const [dir, start] = process.argv.slice(2);
while (Date.now() < Number(start)) {}
let got = false;
try { acquireLock(dir); got = true; } catch (e) { if (e.name !== "UserError") { console.log("error " + e.message); } }
console.log(got ? "got" : "busy");
setInterval(() => {}, 1000);
`;

/** The racer's first line of output. */
function answer(child: ChildProcess): Promise<string> {
  let out = "";
  return new Promise((resolve) => {
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve(out.trim());
    });
    child.on("exit", () => resolve(out.trim() || "exited"));
  });
}

describe("folder lock", () => {
  it("exactly one of several processes takes over a stale lock, every round", async () => {
    const script = join(tmp(), "racer.mts");
    writeFileSync(script, RACER);
    const rounds = 4;
    const racers = 5;
    for (let round = 0; round < rounds; round++) {
      const dir = tmp();
      writeFileSync(join(dir, LOCK), `${deadPid()}\n`);
      const start = Date.now() + 2500;
      const children = Array.from({ length: racers }, () => spawn(process.execPath, ["--import", TSX, script, dir, String(start)], { stdio: ["ignore", "pipe", "inherit"] }));
      const lines = await Promise.all(children.map(answer));
      for (const child of children) child.kill();
      expect(lines.filter((l) => l !== "got" && l !== "busy")).toEqual([]);
      expect(lines.filter((l) => l === "got"), `round ${round}: ${lines.join(" ")}`).toHaveLength(1);
    }
  }, 120_000);

  it("a pid now used by an unrelated process (started after the lock was written) does not block the folder", async () => {
    const dir = tmp();
    const sleeper = spawn("sleep", ["30"]);
    try {
      const lock = join(dir, LOCK);
      writeFileSync(lock, `${sleeper.pid}\n`);
      const hourAgo = Date.now() / 1000 - 3600;
      utimesSync(lock, hourAgo, hourAgo);
      const release = acquireLock(dir);
      release();
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      sleeper.kill();
    }
  });

  it("a live owner is refused with the lock file's path, and so is an owner on another host", () => {
    const dir = tmp();
    const parent = process.ppid; // alive, started before this lock was written
    writeFileSync(join(dir, LOCK), `${parent}\n`);
    expect(() => assertUnlocked(dir)).toThrow(`pid ${parent}`);
    expect(() => assertUnlocked(dir)).toThrow(`lock file ${join(dir, LOCK)}`);
    expect(() => acquireLock(dir)).toThrow(/in use by another actbench run/);

    const other = tmp();
    writeFileSync(join(other, LOCK), JSON.stringify({ pid: 1, host: "elsewhere.example", started_at: "2026-01-01T00:00:00Z" }));
    expect(() => acquireLock(other)).toThrow(/host elsewhere\.example.*\.actbench\.lock/);
  });

  it("a lock taken and released leaves no file behind", () => {
    const dir = tmp();
    const release = acquireLock(dir);
    expect(readdirSync(dir).filter((f) => f.startsWith(LOCK))).toHaveLength(1);
    release();
    expect(readdirSync(dir)).toEqual([]);
  });
});
