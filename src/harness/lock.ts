/**
 * One `actbench run` per output folder. The lock is a file naming its owner
 * by more than a pid (pids are reused): host, pid and, on Linux, the boot and
 * the process's start tick from /proc, so a lock whose process is gone, or
 * whose pid now belongs to an unrelated process, is stale and taken over, and
 * a kill -9 never leaves a folder that needs hand-cleaning.
 *
 * Taking it is atomic, takeover included. Lock files carry a generation,
 * `.actbench.lock.<g>`; the highest generation is the lock. A process takes
 * generation g+1 when g is absent or stale by linking a complete file to
 * that name (link fails when the name exists, so exactly one process gets
 * each generation, and nobody ever reads half a lock file), then checks that
 * no higher generation appeared meanwhile. Rewriting one lock file in place
 * cannot be made atomic: two processes that both judged it stale would both
 * take it (issue 19 saw it 17 times in 30).
 */
import { randomBytes } from "node:crypto";
import { linkSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { UserError } from "../errors.js";

/** The lock's name; generation g lives in `${LOCK_FILE}.${g}` (a bare LOCK_FILE, as older versions wrote it, is generation 0). */
export const LOCK_FILE = ".actbench.lock";

/** True for the lock's own files, which belong to no run's output. */
export function isLockFile(name: string): boolean {
  return name === LOCK_FILE || name.startsWith(`${LOCK_FILE}.`);
}

/** Who holds a lock: what the lock file says. */
interface Owner {
  pid: number;
  host?: string;
  /** Linux: /proc/sys/kernel/random/boot_id and the start time in clock ticks (/proc/<pid>/stat field 22). */
  boot_id?: string;
  start_ticks?: number;
  /** For people reading the file. */
  started_at?: string;
}

function bootId(): string | undefined {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  } catch {
    return undefined;
  }
}

/** The process's start time in clock ticks since boot (Linux), or undefined. */
function startTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[19]); // field 22 overall
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/** Seconds since the epoch at which the machine booted (Linux), or undefined. */
function bootTime(): number | undefined {
  try {
    const m = /^btime (\d+)$/m.exec(readFileSync("/proc/stat", "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function me(): Owner {
  return { pid: process.pid, host: hostname(), boot_id: bootId(), start_ticks: startTicks(process.pid), started_at: new Date().toISOString() };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Whether the lock's owner may still be running. Another host's process
 * cannot be checked from here, so it counts as alive (the message says which
 * file to delete if that machine's run is gone).
 */
function ownerAlive(owner: Owner, lockPath: string): boolean {
  if (owner.host !== undefined && owner.host !== hostname()) return true;
  if (owner.pid === process.pid && owner.start_ticks === startTicks(process.pid)) return true;
  if (!pidAlive(owner.pid)) return false;
  const ticks = startTicks(owner.pid);
  if (ticks === undefined) return true; // no /proc: the pid is all there is
  if (owner.start_ticks !== undefined) return owner.boot_id === bootId() && owner.start_ticks === ticks;
  // A lock without a start time (an older actbench): a process that started after the file was written cannot own it.
  const boot = bootTime();
  if (boot === undefined) return true;
  const startedMs = (boot + ticks / 100) * 1000; // USER_HZ is 100 on Linux
  try {
    return startedMs <= statSync(lockPath).mtimeMs + 2000;
  } catch {
    return false;
  }
}

function parseOwner(text: string): Owner | undefined {
  try {
    const o = JSON.parse(text) as Owner;
    if (o && typeof o === "object" && Number.isInteger(o.pid) && o.pid > 0) return o;
  } catch {
    // an older lock: the pid alone
  }
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 0 ? { pid } : undefined;
}

/** Lock generations present in the folder, highest first. */
function generations(dir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const name of names) {
    if (name === LOCK_FILE) out.push(0);
    else if (name.startsWith(`${LOCK_FILE}.`) && /^\d+$/.test(name.slice(LOCK_FILE.length + 1))) out.push(Number(name.slice(LOCK_FILE.length + 1)));
  }
  return out.sort((a, b) => b - a);
}

function fileOf(dir: string, gen: number): string {
  return join(dir, gen === 0 ? LOCK_FILE : `${LOCK_FILE}.${gen}`);
}

/** The current lock: its file and owner when the owner may be alive, else its (stale) generation, -1 for none. */
function liveLock(dir: string): { path: string; gen: number; owner?: Owner } | "changed" {
  const top = generations(dir)[0];
  if (top === undefined) return { path: "", gen: -1 };
  const path = fileOf(dir, top);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return "changed"; // released or taken over while we looked
  }
  const owner = parseOwner(text);
  return owner && ownerAlive(owner, path) ? { path, gen: top, owner } : { path, gen: top };
}

function inUse(dir: string, lock: { path: string; owner: Owner }): UserError {
  const o = lock.owner;
  const who = `pid ${o.pid}${o.host ? ` on host ${o.host}` : ""}${o.started_at ? `, since ${o.started_at}` : ""}`;
  const remote = o.host !== undefined && o.host !== hostname();
  return new UserError(
    `${dir} is in use by another actbench run (${who}; lock file ${lock.path}); wait for it to finish, or use --out for another folder` +
      (remote ? `; if no run on ${o.host} uses the folder any more, delete ${lock.path}` : ""),
  );
}

/** Refuses now, before anything is written, when a live process holds the folder. */
export function assertUnlocked(dir: string): void {
  const lock = liveLock(dir);
  if (lock !== "changed" && lock.owner && lock.owner.pid !== process.pid) throw inUse(dir, { path: lock.path, owner: lock.owner });
}

/** Takes the folder's lock (the folder must exist); returns the release function. Throws UserError when a live process holds it. */
export function acquireLock(dir: string): () => void {
  const identity = `${JSON.stringify(me())}\n`;
  for (let attempt = 0; attempt < 50; attempt++) {
    const lock = liveLock(dir);
    if (lock === "changed") continue;
    if (lock.owner) throw inUse(dir, { path: lock.path, owner: lock.owner });
    // The generation after the one judged stale (not after whatever is there now, which nobody judged).
    const gen = Math.max(lock.gen, 0) + 1;
    const path = fileOf(dir, gen);
    const tmp = join(dir, `${LOCK_FILE}.tmp-${process.pid}-${randomBytes(4).toString("hex")}`);
    try {
      writeFileSync(tmp, identity);
      linkSync(tmp, path); // atomic, and fails when the generation is taken
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw new UserError(`${dir}: cannot write the lock file ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    } finally {
      rmSync(tmp, { force: true });
    }
    // A process that judged an older generation stale long ago may have linked it just now: the highest one wins.
    if (generations(dir)[0] !== gen) {
      rmSync(path, { force: true });
      continue;
    }
    for (const old of generations(dir)) if (old < gen) rmSync(fileOf(dir, old), { force: true });
    return () => {
      try {
        if (readFileSync(path, "utf8") === identity) rmSync(path);
      } catch {
        // already gone
      }
    };
  }
  throw new UserError(`${dir}: could not take the lock (${LOCK_FILE}.*): other processes kept taking it; try again`);
}
