/**
 * Who owns what in a results folder: the one home of the rules that keep a
 * user's files safe. actbench deletes or replaces only what its own manifest
 * (manifest.json, `files`) says it wrote in that folder. A folder holding
 * anything else is refused, naming what is in the way, whatever the flags;
 * a folder with no manifest is not actbench's, so it is used only when empty.
 * An input of the sweep (config, data file, activation module) may not lie
 * inside the folder, so it can never become an output. Every command that
 * writes a results folder (run, report, a shard, a merge) goes through here.
 */
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { UserError } from "../errors.js";
import { acquireLock, isLockFile } from "./lock.js";

export const MANIFEST = "manifest.json";

/** Names of a few entries, for a message: "a, b, c and 4 more". */
function listed(names: readonly string[], max = 5): string {
  const shown = names.slice(0, max).join(", ");
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

/** A manifest as read from disk: a JSON object whose `files` lists what actbench wrote there. */
export type Manifest = Record<string, unknown> & { files: string[] };

/**
 * The folder's manifest, or undefined when it has none. A manifest that is
 * not an actbench manifest (not JSON, not an object, no `files` list) is a
 * UserError: without it nobody can say which files are actbench's.
 */
export function readManifest(dir: string): Manifest | undefined {
  const path = join(dir, MANIFEST);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new UserError(`${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${path}: not valid JSON (${(err as Error).message}); actbench cannot tell which files in ${dir} are its own: move them away, or use --out for another folder`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new UserError(`${path}: found ${JSON.stringify(value)}, expected an actbench manifest (a JSON object); use --out for another folder`);
  const files = (value as Record<string, unknown>).files;
  if (!Array.isArray(files) || !files.every((f) => typeof f === "string"))
    throw new UserError(
      `${path}: has no "files" list of what actbench wrote (written by an older actbench, or not by actbench); actbench cannot tell which files in ${dir} are its own: move them away, or use --out for another folder`,
    );
  return value as Manifest;
}

/** A temp file of writeAtomic (`<file>.tmp-<pid>`) left by a crash: ours when its file is. */
function tempOf(name: string): string | undefined {
  const m = /^(.*)\.tmp-\d+$/.exec(name);
  return m?.[1];
}

/**
 * Entries of the folder (paths relative to it, "/"-separated) that the
 * manifest does not claim. Folders are entered only where the manifest
 * claims something inside, so a foreign tree is named once, not walked.
 */
export function foreignEntries(dir: string, owned: ReadonlySet<string>): string[] {
  const dirs = new Set<string>();
  for (const f of owned) for (let d = f.lastIndexOf("/"); d > 0; d = f.lastIndexOf("/", d - 1)) dirs.add(f.slice(0, d));
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = rel ? `${rel}/${name}` : name;
      if (!rel && isLockFile(name)) continue;
      // A claimed file; a folder standing in its place is not what actbench wrote.
      if (owned.has(path) && !lstatSync(join(dir, path)).isDirectory()) continue;
      const base = tempOf(path);
      if (base !== undefined && owned.has(base)) continue;
      if (dirs.has(path) && lstatSync(join(dir, path)).isDirectory()) walk(path);
      else out.push(path);
    }
  };
  walk("");
  return out;
}

/** An input of the sweep, for the check that it lies outside the output folder. */
export interface SweepInput {
  /** What it is, as the user wrote it ("dataset.csv.train runs.csv", "config exp.yaml"). */
  what: string;
  /** Absolute path. */
  path: string;
}

/** The real path when it exists (symlinks resolved), else the absolute path. */
export function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** True when path is dir or lies inside it. */
export function inside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/**
 * Checks that `dir` can be a results folder before anything is written:
 * a folder path (not a file, not ""), no input inside it, and, when it exists,
 * nothing in it but what its manifest claims. Returns the manifest (undefined
 * for an empty or absent folder). Throws UserError naming what is in the way.
 */
export function checkFolder(dir: string, inputs: readonly SweepInput[] = []): Manifest | undefined {
  if (dir.trim() === "") throw new UserError(`--out: found an empty path, expected a folder`);
  const where = real(dir);
  const within = inputs.filter((input) => inside(real(input.path), where)).map((input) => input.what);
  if (within.length > 0)
    throw new UserError(
      `${dir}: this output folder holds inputs of the sweep (${listed(within, 10)}); actbench never writes where its inputs are: use --out for a folder of its own`,
    );
  if (!existsSync(dir)) return undefined;
  if (!statSync(dir).isDirectory()) throw new UserError(`--out ${dir}: is a file, expected a folder`);
  const manifest = readManifest(dir);
  if (manifest === undefined) {
    const entries = foreignEntries(dir, new Set());
    if (entries.length > 0)
      throw new UserError(
        `${dir} is not an actbench results folder (no ${MANIFEST}) and is not empty: it holds ${listed(entries)}; actbench writes only into an empty folder or one it made: use --out for another folder`,
      );
    return undefined;
  }
  const foreign = foreignEntries(dir, new Set(manifest.files));
  if (foreign.length > 0)
    throw new UserError(
      `${dir} holds files actbench did not write (its ${MANIFEST} does not list them): ${listed(foreign)}; actbench never deletes or replaces them: move them out of the folder, or use --out for another folder`,
    );
  return manifest;
}

/**
 * Deletes the files the manifest claims (and the folders they leave empty),
 * nothing else. The caller has checked the folder and holds its lock.
 */
export function removeOwned(dir: string, manifest: Manifest): void {
  const dirs = new Set<string>();
  for (const file of manifest.files) {
    rmSync(join(dir, file), { force: true });
    for (let d = dirname(file); d !== "." && d !== ""; d = dirname(d)) dirs.add(d);
  }
  // Deepest first.
  removeEmptyFolders([...dirs].sort((a, b) => b.length - a.length).map((d) => join(dir, d)));
}

/** Removes each folder, in the order given, only while it is empty: a folder is never removed with anything in it. */
export function removeEmptyFolders(paths: readonly string[]): void {
  for (const path of paths) {
    try {
      rmdirSync(path);
    } catch {
      // not empty, or already gone
    }
  }
}

/** What the system's refusals to write mean, for messages. */
const WRITE_ERRORS: Record<string, string> = {
  ENOSPC: "no space left on the disk",
  EDQUOT: "disk quota exceeded",
  EROFS: "read-only file system",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOTDIR: "a file is in the way of a folder",
  EEXIST: "a file is in the way",
  EISDIR: "a folder is in the way",
};

/**
 * A write the system refused (a full disk, a read-only folder) as a
 * UserError naming the path and the cause: the machine's state, not a bug,
 * so exit 2 and no stack trace. Anything else is returned as it is.
 */
export function writeFailure(path: string, err: unknown, what = "cannot be written"): Error {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (typeof code !== "string") return err as Error;
  return new UserError(`${path}: ${what} (${code}${WRITE_ERRORS[code] ? `: ${WRITE_ERRORS[code]}` : ""})`);
}

/** Writes text to path via a temp file and a rename, so readers never see half a file; no temp file is left on failure. */
export function writeAtomic(path: string, text: string): void {
  viaTemp(path, (tmp) => writeFileSync(tmp, text));
}

/** Copies a file the same way. */
export function copyAtomic(from: string, to: string): void {
  viaTemp(to, (tmp) => copyFileSync(from, tmp));
}

/** `make` fills `<path>.tmp-<pid>`, which is then renamed to path; a failed write leaves no temp file and names path. */
function viaTemp(path: string, make: (tmp: string) => void): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    make(tmp);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw writeFailure(path, err);
  }
}

/** Creates the folder (and parents), as a UserError naming it when that is impossible (read-only, a file in the way, a full disk). */
export function makeFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    let cause = err;
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      // A recursive mkdir reports some refusals (a read-only file system) as ENOENT: creating the first missing folder alone says why.
      let first = resolve(dir);
      while (!existsSync(dirname(first)) && dirname(first) !== first) first = dirname(first);
      try {
        mkdirSync(first);
      } catch (again) {
        cause = again;
      }
    }
    throw writeFailure(dir, cause, "cannot create the folder");
  }
}

/**
 * Checks that files about to be written (paths relative to the folder) are
 * absent or the manifest's: a report into a folder must not replace a user's
 * report.md. Throws UserError naming the ones in the way.
 */
export function assertWritable(dir: string, files: readonly string[], manifest: Manifest | undefined): void {
  const owned = new Set(manifest?.files ?? []);
  const taken = files.filter((f) => !owned.has(f) && existsSync(join(dir, f)));
  if (taken.length > 0)
    throw new UserError(`${dir}: ${listed(taken)} ${taken.length === 1 ? "is" : "are"} not actbench's (not in its ${MANIFEST}); actbench never replaces them: move them away, or use --out for another folder`);
}

/** Adds files (relative paths) to the manifest's list and rewrites it atomically. */
export function recordFiles(dir: string, manifest: Manifest, files: readonly string[]): void {
  const all = new Set(manifest.files);
  for (const f of files) all.add(f);
  manifest.files = [...all];
  writeAtomic(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** A path inside the folder as the manifest records it ("/"-separated, relative). */
export function relativeTo(dir: string, path: string): string {
  return relative(dir, path).split(sep).join("/");
}

/**
 * Writes files into a results folder the way every writer must: under the
 * folder's lock, refusing files in the way that are not actbench's, claiming
 * `files` in the manifest before `write` runs and whatever else it reports
 * (paths inside the folder) after. A folder without a manifest gets new files
 * only, never a replaced one.
 */
export async function writeClaimed(dir: string, files: readonly string[], write: () => Promise<readonly string[]>): Promise<void> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${dir}: no such folder; expected a results folder written by \`actbench run\``);
  const release = acquireLock(dir);
  try {
    const manifest = readManifest(dir);
    assertWritable(dir, files, manifest);
    if (manifest) recordFiles(dir, manifest, files);
    const more = await write();
    if (manifest) recordFiles(dir, manifest, more.map((p) => relativeTo(dir, p)));
  } finally {
    release();
  }
}

/** Entries of a subfolder (relative to dir), for writers that replace a folder's contents (charts/). */
export function entriesOf(dir: string, sub: string): string[] {
  try {
    return readdirSync(join(dir, sub)).map((name) => `${sub}/${name}`);
  } catch {
    return [];
  }
}
