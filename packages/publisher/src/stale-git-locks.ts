import { randomBytes } from "node:crypto";
import { link, lstat, readFile, readdir, readlink, realpath, rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Logger } from "@sparky/harness";
import { BLOCK_TIMEOUT_MS } from "./docs-git.js";
import type { LockOwner } from "./docs-lock.js";

/**
 * A git lock older than this cannot belong to a git command of ours: each is killed after
 * BLOCK_TIMEOUT_MS without output, and a commit prints nothing, so that bounds it.
 */
export const STALE_GIT_LOCK_MS = BLOCK_TIMEOUT_MS + 60_000;

export interface StaleLockContext {
  workDir: string;
  gitDir: string;
  branch: string;
  /** The dead publisher whose docs lock we took over, if any (see acquireDocsLock). */
  inherited: LockOwner | null;
  log: Logger;
  now?: () => number;
}

/** The locks a `git add` + `git commit -- paths` of ours takes, in the order git takes them. */
async function lockFiles(gitDir: string, branch: string): Promise<string[]> {
  // A linked work tree keeps its index and HEAD in gitDir but its refs in the shared git folder its `commondir` file names.
  const common = await readFile(join(gitDir, "commondir"), "utf8").then((text) => resolve(gitDir, text.replace(/\r?\n$/, "")), () => gitDir);
  const fixed = [join(gitDir, "index.lock"), join(gitDir, "HEAD.lock"), join(common, `refs/heads/${branch}.lock`), join(common, "packed-refs.lock")];
  // A pathspec commit builds its tree in a second index, `next-index-<pid>.lock`.
  const next = (await readdir(gitDir).catch(() => [] as string[])).filter((n) => /^next-index-\d+\.lock$/.test(n)).map((n) => join(gitDir, n));
  return [...fixed, ...next];
}

/**
 * Git processes working in this repository, as far as this process can see (its own pid
 * namespace): any process named git* whose working folder is the repository or whose
 * command line names it. Null when /proc is not readable (then nothing is known).
 */
export async function gitProcessesIn(workDir: string, gitDir: string): Promise<number[] | null> {
  let pids: string[];
  try {
    pids = (await readdir("/proc")).filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const roots = await Promise.all([workDir, gitDir].map((p) => realpath(p).catch(() => p)));
  const inside = (path: string) => roots.some((root) => path === root || path.startsWith(`${root}/`));
  const found: number[] = [];
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    const comm = (await readFile(`/proc/${pid}/comm`, "utf8").catch(() => "")).trim();
    if (!comm.startsWith("git")) continue;
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => "");
    const args = (await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")).split("\0");
    if (inside(cwd) || args.some((arg) => inside(arg))) found.push(Number(pid));
  }
  return found;
}

/**
 * Remove git locks that a publisher killed together with its git child left behind, which
 * would otherwise fail every later publish with SPARKY_DOCS_LOCKED until someone deleted
 * them by hand. Called while holding the docs lock, so no other Sparky publisher runs git
 * here. A lock is removed only when no git process is working in the repository and either
 * - it was made while a publisher we now know to be dead held the docs lock, or
 * - it is older than any git command of ours could run.
 * A lock held by a live git process (a person's, another tool's) is never touched: the
 * publish then fails with SPARKY_DOCS_LOCKED as before, to be retried.
 */
export async function recoverStaleGitLocks(ctx: StaleLockContext): Promise<string[]> {
  const now = ctx.now ?? Date.now;
  const removed: string[] = [];
  let busy: number[] | null | undefined;
  for (const lock of await lockFiles(ctx.gitDir, ctx.branch)) {
    const info = await lstat(lock).catch(() => null);
    if (!info) continue;
    busy ??= await gitProcessesIn(ctx.workDir, ctx.gitDir);
    const ageMs = now() - info.mtimeMs;
    if (busy === null || busy.length > 0) {
      ctx.log.warn({ lock, ageMs, gitPids: busy }, "git lock in the docs repository is held by a running git process (or cannot be checked): left alone");
      continue;
    }
    const since = ctx.inherited ? Date.parse(ctx.inherited.since) : Number.NaN;
    // 1 s of slack: file systems round mtimes.
    const fromDeadPublisher = Number.isFinite(since) && info.mtimeMs >= since - 1000;
    if (!fromDeadPublisher && ageMs <= STALE_GIT_LOCK_MS) {
      ctx.log.warn({ lock, ageMs }, "git lock in the docs repository is recent and of unknown origin: left alone");
      continue;
    }
    // Moved aside first and checked to be the very file judged, like the docs lock's takeover.
    const aside = `${lock}.stale-${process.pid}-${randomBytes(4).toString("hex")}`;
    try {
      await rename(lock, aside);
    } catch {
      continue;
    }
    const moved = await lstat(aside);
    if (moved.ino !== info.ino || moved.mtimeMs !== info.mtimeMs) {
      // A live git re-created it meanwhile: put it back unless the slot was taken again.
      await link(aside, lock).catch(() => undefined);
      await rm(aside, { force: true });
      continue;
    }
    await rm(aside, { force: true });
    removed.push(lock);
    ctx.log.warn(
      {
        lock,
        ageMs: Math.round(ageMs),
        reason: fromDeadPublisher
          ? `left by publisher pid ${ctx.inherited!.pid} on ${ctx.inherited!.host}, which died holding the docs lock`
          : `older than any git command of Sparky's runs (${STALE_GIT_LOCK_MS / 1000} s)`,
      },
      "removed a stale git lock from the docs repository; no git process was working there",
    );
  }
  return removed;
}
