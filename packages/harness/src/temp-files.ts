import { randomBytes } from "node:crypto";
import { lstat, readdir, unlink } from "node:fs/promises";
import { join } from "node:path";
import type { Counter, Registry } from "prom-client";
import type { Logger } from "pino";
import { ownerAlive, ownerToken } from "./process-identity.js";
import { promClient } from "./prom-client.js";

/**
 * A temp file another host's writer may still own is only removed once it is older than
 * any write could take: a write is one buffer, flushed and renamed within seconds.
 */
export const STALE_TEMP_MS = 10 * 60_000;

// `<target>.tmp-<scope>-<pid>-<start>-<random>`; older versions wrote `<target>.tmp-<pid>-<random>`.
const TEMP = /\.tmp-(?:([0-9a-f]{8})-(\d+)-([0-9a-z]+)|(\d+))-[0-9a-f]{8}$/;

/** The temp name beside `path` for one write by this process. */
export function tempPathFor(path: string): string {
  return `${path}.tmp-${ownerToken()}-${randomBytes(4).toString("hex")}`;
}

export function isTempFile(name: string): boolean {
  return TEMP.test(name);
}

/** Why a temp file is removable, or null while a live (or possibly live) writer owns it. */
export function orphanReason(name: string, mtimeMs: number, now = Date.now()): "owner-gone" | "stale" | null {
  const match = TEMP.exec(name);
  if (!match) return null;
  if (match[1] !== undefined) {
    const alive = ownerAlive({ scope: match[1], pid: Number(match[2]), start: match[3]! });
    if (alive === false) return "owner-gone";
    if (alive === true) return null;
  }
  return now - mtimeMs > STALE_TEMP_MS ? "stale" : null;
}

const METRIC = "sparky_temp_files_removed_total";

/** The counter of orphaned temp files removed, registered once per service registry. */
export function tempFilesRemovedCounter(registry: Registry): Counter<"reason"> {
  const existing = registry.getSingleMetric(METRIC) as Counter<"reason"> | undefined;
  return (
    existing ??
    new (promClient().Counter)({
      name: METRIC,
      help: "Temporary files left by a writer that died mid-write (owner-gone) or by an unknown writer long ago (stale), removed.",
      labelNames: ["reason"],
      registers: [registry],
    })
  );
}

export interface SweepOptions {
  log: Logger;
  /** Where the removals are counted; none in a process that serves no metrics. */
  registry?: Registry | null;
  /** Also look in sub-folders (never inside `.git`). */
  recursive?: boolean;
}

/**
 * Remove the temp files under `dirs` that no live writer owns: what a process killed
 * between writing a temp file and renaming it leaves behind. Our own live writes and those
 * of other live processes are left alone. Returns how many were removed.
 */
export async function sweepTempFiles(dirs: readonly string[], options: SweepOptions): Promise<number> {
  const counter = options.registry ? tempFilesRemovedCounter(options.registry) : null;
  let removed = 0;
  const visit = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // Missing or unreadable: nothing of ours can be in it.
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (options.recursive && entry.name !== ".git") await visit(path);
        continue;
      }
      if (!entry.isFile() || !isTempFile(entry.name)) continue;
      const info = await lstat(path).catch(() => null);
      const reason = info ? orphanReason(entry.name, info.mtimeMs) : null;
      if (!reason) continue;
      try {
        await unlink(path);
      } catch (error) {
        // Another sweeper got there first, or the folder is read-only: not ours to fail on.
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
          options.log.warn({ path, err: error }, "could not remove an orphaned temporary file");
        }
        continue;
      }
      removed++;
      counter?.inc({ reason });
      options.log.warn({ path, reason }, "removed a temporary file left by an interrupted write");
    }
  };
  for (const dir of dirs) await visit(dir);
  return removed;
}
