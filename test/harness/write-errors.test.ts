/**
 * An output folder that cannot be written (issue 19): `--out ""`, `--out` a
 * file, a read-only folder, a full disk. Each is exit 2 with a message naming
 * the path and the cause, never a stack trace, and leaves nothing
 * half-written: no `*.tmp-<pid>` file, no lock file, no folder made for
 * nothing, no manifest stuck at "running".
 *
 * Root ignores file permissions, so as root (CI) the read-only folder and the
 * full disk are real mounts: a read-only tmpfs, and a tmpfs of 200 kB (50
 * pages: one per file). Elsewhere the read-only folder is a folder of mode
 * 0555, and the full disk cannot be made: that test is skipped, saying why.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { lockFiles, runCli, tmp, writeConfig } from "./helpers.js";

const isRoot = process.getuid?.() === 0;

/** Mounts a tmpfs at dir (options as for mount -o); false when this machine does not let us. */
function mountTmpfs(dir: string, options: string): boolean {
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const canMount = (() => {
  if (!isRoot) return false;
  const probe = tmp();
  const ok = mountTmpfs(probe, "size=64k");
  if (ok) execFileSync("umount", [probe]);
  return ok;
})();

const mounted: string[] = [];
afterEach(() => {
  for (const dir of mounted.splice(0)) execFileSync("umount", [dir]);
});

/** Every file under dir, relative, "/"-separated. */
function filesUnder(dir: string, rel = ""): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(dir, `${rel}${e.name}/`) : [`${rel}${e.name}`]));
}

const SMALL = "seeds: 1\nactivations: [relu]\ndataset: {name: moons, n: 64}\nmodel: {hidden: [4]}\ntrain: {epochs: 1, batchSize: 16}\n";

describe("an output folder that cannot be written: exit 2, the path and the cause, nothing half-written", () => {
  it('--out "" and --out naming a file', async () => {
    const dir = tmp();
    const file = writeConfig(dir, SMALL);
    const taken = join(dir, "notes.txt");
    writeFileSync(taken, "mine\n");
    const [empty, isFile] = await Promise.all([runCli(["run", file, "--out", ""]), runCli(["run", file, "--out", taken])]);
    expect(empty.code, empty.stderr).toBe(2);
    expect(empty.stderr).toMatch(/--out: found an empty path, expected a folder/);
    expect(isFile.code, isFile.stderr).toBe(2);
    expect(isFile.stderr).toMatch(new RegExp(`--out ${taken}: is a file, expected a folder`));
    expect(readFileSync(taken, "utf8")).toBe("mine\n");
    for (const r of [empty, isFile]) expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(dir).sort()).toEqual(["exp.yaml", "notes.txt"]);
  }, 60_000);

  it(`a read-only folder: run into it, into a new folder inside it, and report in it (${isRoot ? "a read-only tmpfs: root ignores file modes" : "mode 0555"})`, async (ctx) => {
    const dir = tmp();
    const file = writeConfig(dir, SMALL);
    // A finished sweep, for the report.
    const done = join(dir, "done");
    expect((await runCli(["run", file, "--out", done, "--no-report"])).code).toBe(0);
    const ro = join(dir, "ro");
    mkdirSync(ro);
    if (isRoot) {
      if (!canMount) return ctx.skip(); // as root, only a read-only mount is read-only
      expect(mountTmpfs(ro, "ro,size=64k")).toBe(true);
      mounted.push(ro);
      execFileSync("mount", ["--bind", done, done]);
      mounted.unshift(done);
      execFileSync("mount", ["-o", "remount,ro,bind", done]);
    } else {
      chmodSync(ro, 0o555);
      chmodSync(done, 0o555);
    }
    const before = filesUnder(done);
    const [into, inside, report] = await Promise.all([
      runCli(["run", file, "--out", ro]),
      runCli(["run", file, "--out", join(ro, "sub")]),
      runCli(["report", done]),
    ]);
    const cause = isRoot ? "EROFS: read-only file system" : "EACCES: permission denied";
    expect(into.code, into.stderr).toBe(2);
    expect(into.stderr).toContain(`${ro}: cannot write the lock file`);
    expect(inside.code, inside.stderr).toBe(2);
    expect(inside.stderr).toContain(`${join(ro, "sub")}: cannot create the folder (${cause})`);
    expect(report.code, report.stderr).toBe(2);
    expect(report.stderr).toContain(`${done}: cannot write the lock file`);
    for (const r of [into, inside, report]) expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(ro)).toEqual([]);
    expect(filesUnder(done)).toEqual(before);
    if (!isRoot) chmodSync(done, 0o755);
  }, 120_000);

  it.skipIf(!canMount)(
    `a full disk (a 200 kB tmpfs): the sweep stops, no temp or lock file is left, the manifest says interrupted and why; with room, the same command resumes${canMount ? "" : " (skipped: mounting a tmpfs needs root)"}`,
    async () => {
      const dir = tmp();
      // 20 runs with two model files each: more files than the 50 pages of the disk.
      const file = writeConfig(dir, "seeds: 10\nactivations: [relu, tanh]\ndataset: {name: moons, n: 64}\nmodel: {hidden: [4]}\ntrain: {epochs: 1, batchSize: 16}\nrecord: {models: [init, final]}\n");
      const disk = join(dir, "disk");
      mkdirSync(disk);
      expect(mountTmpfs(disk, "size=200k")).toBe(true);
      mounted.push(disk);
      const out = join(disk, "out");
      const full = await runCli(["run", file, "--out", out, "--workers", "1", "--no-report"]);
      expect(full.code, full.stderr).toBe(2);
      expect(full.stderr).toMatch(new RegExp(`^actbench: ${out}/\\S+: cannot be written \\(ENOSPC: no space left on the disk\\); the sweep stopped: the runs it finished are kept`, "m"));
      expect(full.stderr).not.toMatch(/\n\s+at /);
      const files = filesUnder(out);
      expect(files.filter((f) => /\.tmp-\d+$/.test(f))).toEqual([]);
      expect(lockFiles(out)).toEqual([]);
      const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
      expect(manifest.state).toBe("interrupted");
      expect(manifest.error).toMatch(/ENOSPC/);
      const kept = files.filter((f) => f.startsWith("runs/")).length;
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThan(20);

      execFileSync("mount", ["-o", "remount,size=4m", disk]);
      const resumed = await runCli(["run", file, "--out", out, "--workers", "1", "--no-report"]);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(resumed.stdout).toContain(`done: 20 of 20 runs (20 ok, 0 diverged, 0 failed; ${kept} from an earlier sweep)`);
      expect(JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")).state).toBe("complete");
      expect(existsSync(join(out, "runs.csv"))).toBe(true);
    },
    120_000,
  );
});
