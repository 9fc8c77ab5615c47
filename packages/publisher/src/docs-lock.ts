import { randomBytes } from "node:crypto";
import { link, open, readFile, rename, rm, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { SparkyError } from "@sparky/messages";

/** A lock this old belongs to a publisher that died without cleaning up. */
export const STALE_LOCK_MS = 10 * 60_000;
const LOCK_NAME = "sparky-publish.lock";
const POLL_MS = 100;

// Identifies this process incarnation: a restarted container often gets the same pid (1)
// and host name, and must not mistake its predecessor's lock for one it holds.
const PROCESS_STARTED = new Date(Date.now() - process.uptime() * 1000).toISOString();

export interface LockOwner {
  token: string;
  pid: number;
  host: string;
  started: string;
  since: string;
}

export interface DocsLockOptions {
  /** How long to wait for another publisher before giving up with SPARKY_DOCS_LOCKED. */
  waitMs: number;
  /** Shown in the error so the user knows which repository is held. */
  repoLabel: string;
}

export interface DocsLock {
  /** Call in `finally`. */
  release(): Promise<void>;
  /**
   * The holder whose stale lock was taken over (a publisher that died holding it), with when
   * it took it: git locks it left in the repository since then are its own, not a live git's.
   */
  inherited: LockOwner | null;
}

/**
 * Take the cross-process publish lock of one docs repository: a file inside its git
 * directory created with exclusive open, so only one process can hold it.
 */
export async function acquireDocsLock(gitDir: string, options: DocsLockOptions): Promise<DocsLock> {
  const path = join(gitDir, LOCK_NAME);
  const owner: LockOwner = {
    token: randomBytes(8).toString("hex"),
    pid: process.pid,
    host: hostname(),
    started: PROCESS_STARTED,
    since: new Date().toISOString(),
  };
  const deadline = Date.now() + options.waitMs;
  let inherited: LockOwner | null = null;
  for (;;) {
    if (await tryCreate(path, owner)) {
      return { release: () => release(path, owner.token), inherited };
    }
    const held = await inspect(path);
    if (held && held.stale) {
      if (await takeOver(path, held.ino, held.mtimeMs)) inherited = held.owner;
      continue;
    }
    if (Date.now() >= deadline) {
      const who = held?.owner ? ` by pid ${held.owner.pid} on ${held.owner.host} since ${held.owner.since}` : "";
      throw new SparkyError(
        "SPARKY_DOCS_LOCKED",
        `docs repository ${options.repoLabel} is being published to by another process (lock ${path} held${who}); ` +
          `retry later, or delete the lock file if no Sparky publisher is running (it is taken over automatically after ${STALE_LOCK_MS / 60_000} minutes)`,
        { transient: true },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function tryCreate(path: string, owner: LockOwner): Promise<boolean> {
  let handle;
  try {
    handle = await open(path, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    await handle.writeFile(`${JSON.stringify(owner)}\n`);
  } finally {
    await handle.close();
  }
  return true;
}

async function inspect(path: string): Promise<{ stale: boolean; ino: number; mtimeMs: number; owner: LockOwner | null } | null> {
  let info;
  let text = "";
  try {
    info = await stat(path);
    text = await readFile(path, "utf8");
  } catch (error) {
    // Released between our create attempt and now: simply try again.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  let owner: LockOwner | null = null;
  try {
    owner = JSON.parse(text) as LockOwner;
  } catch {
    // Written by a process that died mid-write, or being written right now: judge by age only.
  }
  const stale = Date.now() - info.mtimeMs > STALE_LOCK_MS || (owner !== null && ownerIsGone(owner));
  return { stale, ino: info.ino, mtimeMs: info.mtimeMs, owner };
}

/** Only decidable on the same host: a dead pid, or our own pid from an earlier incarnation. */
function ownerIsGone(owner: LockOwner): boolean {
  if (owner.host !== hostname() || typeof owner.pid !== "number") return false;
  if (owner.pid === process.pid) return owner.started !== PROCESS_STARTED;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Remove a stale lock without removing a fresh one: two processes may both judge the same
 * lock stale, and the first may already have replaced it by the time the second acts. The
 * lock is moved aside atomically and only deleted if it is the very file judged stale.
 */
async function takeOver(path: string, ino: number, mtimeMs: number): Promise<boolean> {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
  const moved = await stat(aside);
  const same = moved.ino === ino && moved.mtimeMs === mtimeMs;
  if (!same) {
    // We moved someone's fresh lock: put it back unless the slot was taken again meanwhile.
    await link(aside, path).catch(() => undefined);
  }
  await rm(aside, { force: true });
  return same;
}

async function release(path: string, token: string): Promise<void> {
  try {
    const text = await readFile(path, "utf8");
    // Never delete a lock another process took over (ours was judged stale): only our own.
    if ((JSON.parse(text) as LockOwner).token !== token) return;
  } catch {
    return;
  }
  await rm(path, { force: true });
}
