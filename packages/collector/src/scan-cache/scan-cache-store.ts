import { createHash } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "@sparky/harness";
import type { Logger } from "@sparky/harness";
import type { HistoryIndex } from "./history-index.js";
import { decodeScanCache, encodeScanCache } from "./scan-cache-file.js";
import type { ScanCacheMeta } from "./scan-cache-file.js";

/** Where a repository's scan cache lives: one file per repository, named by its real path. */
export function scanCachePath(cacheDir: string, realPath: string): string {
  const hash = createHash("sha256").update(realPath).digest("hex").slice(0, 24);
  return join(cacheDir, "git", `${hash}.scan`);
}

/**
 * The cache for `expected.repository`, or null when there is none or it cannot be used:
 * a missing file silently, a damaged or foreign one with a warning (it is then rebuilt).
 */
export async function readScanCache(
  file: string,
  expected: Omit<ScanCacheMeta, "tip">,
  log: Logger,
): Promise<{ meta: ScanCacheMeta; index: HistoryIndex } | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    log.warn({ file, err: (error as Error).message }, "git scan cache unreadable, reading the whole history instead");
    return null;
  }
  let cache: { meta: ScanCacheMeta; index: HistoryIndex };
  try {
    cache = decodeScanCache(bytes);
  } catch (error) {
    log.warn({ file, reason: (error as Error).message }, "git scan cache ignored and rebuilt");
    return null;
  }
  if (cache.meta.repository !== expected.repository) {
    log.warn({ file, holds: cache.meta.repository }, "git scan cache belongs to another repository, ignored and rebuilt");
    return null;
  }
  // Not a warning: fetching a deeper shallow clone or adding a graft is ordinary.
  if (cache.meta.fingerprint !== expected.fingerprint) {
    log.info({ file }, "shallow boundary, grafts or replace refs changed: reading the whole history");
    return null;
  }
  return cache;
}

/**
 * Replace the cache file: a temp file renamed over it, so a kill at any moment leaves the
 * old file or the new one. Not flushed to disk: a file torn by a power cut fails its
 * checksum and is rebuilt, and a flush of tens of MiB would cost more than the day's scan.
 */
export async function writeScanCache(file: string, meta: ScanCacheMeta, index: HistoryIndex): Promise<void> {
  await writeFileAtomic(file, encodeScanCache(meta, index), { durable: false });
}

/**
 * What, besides the tip, decides which commits git walks: the shallow boundary, grafts and
 * replace refs. Read from the files, not with git, to keep the daily run to few processes.
 */
export async function historyFingerprint(commonGitDir: string): Promise<string> {
  const hash = createHash("sha256");
  for (const name of ["shallow", join("info", "grafts")]) hash.update(`${name}\0${await readOrEmpty(join(commonGitDir, name))}\0`);
  const packed = await readOrEmpty(join(commonGitDir, "packed-refs"));
  for (const line of packed.split("\n")) if (line.includes(" refs/replace/")) hash.update(`${line}\n`);
  const loose = await readdir(join(commonGitDir, "refs", "replace"), { recursive: true }).catch(() => [] as string[]);
  for (const name of [...loose].sort()) {
    hash.update(`${name}\0${await readOrEmpty(join(commonGitDir, "refs", "replace", name))}\0`);
  }
  return hash.digest("hex");
}

async function readOrEmpty(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch {
    // Missing (the usual case) or a folder (refs/replace/<dir>): nothing of it to add.
    return "";
  }
}
