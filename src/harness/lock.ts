/**
 * One `actbench run` per output folder: a lock file holding the owner's pid.
 * A lock whose process is gone (killed, crashed) is stale and taken over, so a
 * kill -9 never leaves a folder that needs hand-cleaning.
 */
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";

export const LOCK_FILE = ".actbench.lock";

/** True for the lock's own files, which belong to no run's output. */
export function isLockFile(name: string): boolean {
  return name.startsWith(LOCK_FILE);
}

/** The pid of a live process other than this one holding the folder, if any. */
export function lockHolder(dir: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, LOCK_FILE), "utf8");
  } catch {
    return undefined;
  }
  const pid = Number.parseInt(text, 10);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return undefined;
  return isAlive(pid) ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function inUse(dir: string, pid: number): UserError {
  return new UserError(`${dir} is in use by another actbench run (pid ${pid}); wait for it to finish, or use --out for another folder`);
}

/** Takes the folder's lock (the folder must exist); returns the release function. */
export function acquireLock(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  try {
    const fd = openSync(path, "wx");
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    const holder = lockHolder(dir);
    if (holder !== undefined) throw inUse(dir, holder);
    writeFileSync(path, `${process.pid}\n`); // stale: its process is gone
  }
  return () => {
    try {
      if (Number.parseInt(readFileSync(path, "utf8"), 10) === process.pid) rmSync(path);
    } catch {
      // already gone
    }
  };
}

/** Refuses now, before anything is written, when a live process holds the folder. */
export function assertUnlocked(dir: string): void {
  const holder = lockHolder(dir);
  if (holder !== undefined) throw inUse(dir, holder);
}
