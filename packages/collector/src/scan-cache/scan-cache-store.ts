import { createHash } from "node:crypto";
import { closeSync, fstatSync, ftruncateSync, openSync, readFileSync, readdirSync, statSync, writeSync } from "node:fs";
import { join, sep } from "node:path";
import { writeFileAtomic } from "@sparky/harness";
import type { Logger } from "@sparky/harness";
import type { HistoryIndex, RawIdentity } from "./history-index.js";
import { authorsOf, blockHas, countFrom, readAll, readBlocks, readRange } from "./scan-cache-file.js";
import type { Block, OpenFile, ScanCacheMeta } from "./scan-cache-file.js";

/** Where a repository's scan cache lives: one file per repository, named by its real path. */
export function scanCachePath(cacheDir: string, realPath: string): string {
  const hash = createHash("sha256").update(realPath).digest("hex").slice(0, 24);
  return join(cacheDir, "git", `${hash}.scan`);
}

/** Beside it, the identities its repository's .mailmap gave (see MailmapMemo). */
export function mailmapMemoPath(cacheDir: string, realPath: string): string {
  return scanCachePath(cacheDir, realPath).replace(/\.scan$/, ".mailmap.json");
}

/** An open cache file: its blocks, read piece by piece. Close it when done. */
export interface ScanCache {
  /** The tip and identity of the history it holds (its last block's). */
  meta: ScanCacheMeta;
  blocks: Block[];
  /** Bytes of the file that belong to the chain: a torn tail after them is overwritten. */
  validLength: number;
  authors: RawIdentity[];
  firstSeen: number[];
  newest: number | null;
  /** Rows with committer time in [start, end) seconds, one index per block. */
  range(start: number, end: number): Promise<HistoryIndex[]>;
  /** Every row, block by block (to rewrite the file as one block). */
  all(): Promise<HistoryIndex[]>;
  /** Whether the cached history holds commit `sha`, found by its committer time in seconds. */
  has(sha: string, seconds: number): boolean;
  /** How many cached commits have a committer time at or after `seconds`. */
  countFrom(seconds: number): number;
  close(): Promise<void>;
}

/**
 * The cache of `repository`, or null when there is none or it cannot be used: a missing
 * file silently, a damaged or foreign one with a warning (it is then rebuilt). Whether it
 * still fits the history is for `sameHistory` to say.
 */
export async function openScanCache(file: string, repository: string, log: Logger): Promise<ScanCache | null> {
  // Synchronous, as the reads of the file are (see readAtSync in scan-cache-file.ts).
  let handle: OpenFile;
  try {
    handle = { fd: openSync(file, "r") };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      log.warn({ file, err: (error as Error).message }, "git scan cache unreadable, reading the whole history instead");
    }
    return null;
  }
  const close = async () => closeSync(handle.fd);
  const give = async (result: ScanCache | null) => {
    if (!result) await close();
    return result;
  };
  let chain: { blocks: Block[]; validLength: number };
  try {
    chain = await readBlocks(handle, fstatSync(handle.fd).size);
  } catch (error) {
    log.warn({ file, reason: (error as Error).message }, "git scan cache ignored and rebuilt");
    return give(null);
  }
  const last = chain.blocks.at(-1)!.header;
  if (last.repository !== repository) {
    log.warn({ file, holds: last.repository }, "git scan cache belongs to another repository, ignored and rebuilt");
    return give(null);
  }
  return give({
    meta: { repository: last.repository, tip: last.tip, fingerprint: last.fingerprint },
    ...chain,
    authors: authorsOf(chain.blocks),
    firstSeen: last.firstSeen,
    newest: last.newest,
    range: (start, end) => Promise.all(chain.blocks.map((block) => readRange(handle, block, start, end))),
    all: () => Promise.all(chain.blocks.map((block) => readAll(handle, block))),
    has: (sha, seconds) => {
      // Newer than anything cached: no need to look (the usual case for a day's new commits).
      if (last.newest === null || seconds > last.newest) return false;
      const bytes = Buffer.from(sha, "hex");
      return bytes.length === 20 && chain.blocks.some((block) => blockHas(handle, block, bytes, seconds));
    },
    countFrom: (seconds) => chain.blocks.reduce((sum, block) => sum + countFrom(handle, block, seconds), 0),
    close,
  });
}

/**
 * Whether the cache holds the history git would walk now: the same shallow boundary,
 * grafts and replace refs (see historyFingerprint). Checked apart from opening, so a run
 * can start git on the cache's tip first.
 */
export function sameHistory(cache: ScanCache, fingerprint: string, log: Logger): boolean {
  if (cache.meta.fingerprint === fingerprint) return true;
  // Not a warning: fetching a deeper shallow clone or adding a graft is ordinary.
  log.info({ repository: cache.meta.repository }, "shallow boundary, grafts or replace refs changed: reading the whole history");
  return false;
}

/**
 * Replace the cache file with one block holding the whole history: a temp file, flushed,
 * renamed over it, so a kill or a power cut at any moment leaves the old file or the new one.
 */
export async function writeScanCache(file: string, parts: readonly Buffer[]): Promise<void> {
  await writeFileAtomic(file, parts);
}

/**
 * Add a block after the file's valid chain (over any torn tail a killed append left).
 * Not flushed and not renamed: a torn or lost block fails its checksum and is ignored,
 * so the worst a kill or power cut does is make the next run read those commits again.
 */
export async function appendScanCache(file: string, validLength: number, parts: readonly Buffer[]): Promise<void> {
  const bytes = Buffer.concat(parts);
  // Synchronous: a block of a day's commits is a few KiB, written in microseconds.
  const fd = openSync(file, "r+");
  try {
    ftruncateSync(fd, validLength);
    if (writeSync(fd, bytes, 0, bytes.length, validLength) !== bytes.length) throw new Error("the block was written in part (disk full?)");
  } finally {
    closeSync(fd);
  }
}

/**
 * What, besides the tip, decides which commits git walks: the shallow boundary, grafts and
 * replace refs. Read from the files, not with git, to keep the daily run to few processes;
 * synchronously, as a handful of small reads cost microseconds where each trip through
 * libuv's thread pool costs a good part of a millisecond on a busy machine.
 */
export function historyFingerprint(commonGitDir: string): string {
  const hash = createHash("sha256");
  for (const name of ["shallow", join("info", "grafts")]) hash.update(`${name}\0${readOrEmpty(join(commonGitDir, name))}\0`);
  // Each replace ref by name and target, wherever it is kept: `git pack-refs` (run by gc)
  // moves loose refs into packed-refs without changing what git walks.
  const replaced = new Map<string, string>();
  for (const line of readOrEmpty(join(commonGitDir, "packed-refs")).split("\n")) {
    const ref = /^([0-9a-f]{40,64}) (refs\/replace\/\S+)$/.exec(line);
    if (ref) replaced.set(ref[2]!, ref[1]!);
  }
  const replace = join(commonGitDir, "refs", "replace");
  let loose: string[] = [];
  try {
    if (statSync(replace, { throwIfNoEntry: false })?.isDirectory()) loose = readdirSync(replace, { recursive: true }) as string[];
  } catch {
    // Unreadable: as if there were none, as git would find none.
  }
  // A loose ref wins over its packed line, as in git.
  for (const name of loose) {
    const target = readOrEmpty(join(replace, name)).trim();
    if (target) replaced.set(`refs/replace/${name.split(sep).join("/")}`, target);
  }
  for (const [ref, target] of [...replaced].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hash.update(`${ref}\0${target}\0`);
  return hash.digest("hex");
}

/** A file's text, "" when it is missing: asked first, as a thrown ENOENT costs more than the read. */
export function readOrEmpty(path: string): string {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ? readFileSync(path, "utf8") : "";
  } catch {
    // Missing (the usual case) or a folder (refs/replace/<dir>): nothing of it to add.
    return "";
  }
}
