import type { Logger } from "@sparky/harness";
import { streamGitRecords } from "./git-log-stream.js";
import { openRepository } from "./open-repository.js";
import { historyFingerprint, openScanCache, sameHistory, scanCachePath } from "./scan-cache/scan-cache-store.js";
import { scanHistory } from "./scan-history.js";

/** `data/cache` and where to say what happened to the scan cache (as the collector keeps it). */
export interface NewestCommitCache {
  cacheDir: string;
  log: Logger;
}

/**
 * Newest committer time over the history of HEAD, null for a repository without commits.
 * It is a maximum over every commit, not the time of HEAD: histories are not in date
 * order, and HEAD can be older than a commit behind it. With `cache`, the collector's scan
 * cache answers: at once when it was read up to HEAD, else after reading only the commits
 * added since (or, without a usable cache, the whole history once, kept for the next run).
 */
export async function newestCommitTime(repoPath: string, cache?: NewestCommitCache): Promise<Date | null> {
  const repository = await openRepository(repoPath);
  const head = repository.head;
  if (head === null) return null;
  if (!cache) return dateOf(await newestByWalk(repository.path, head));
  const { realPath, commonGitDir, bare } = repository;
  const file = scanCachePath(cache.cacheDir, realPath);
  const opened = await openScanCache(file, realPath, cache.log);
  await opened?.close();
  if (opened?.meta.tip === head && sameHistory(opened, historyFingerprint(commonGitDir), cache.log)) return dateOf(opened.newest);
  // An empty window: only the history's figures are wanted, and the cache brought up to HEAD.
  const none = { start: 0, end: 0 };
  const scan = await scanHistory(repository.path, {
    head,
    window: none,
    previous: none,
    botPatterns: [],
    cache: { ...cache, realPath, commonGitDir, bare },
  });
  await scan.cacheWritten;
  return scan.newestCommitAt === null ? null : new Date(scan.newestCommitAt);
}

/** Every commit's time read: the answer without a cache. */
async function newestByWalk(path: string, head: string): Promise<number | null> {
  let newest: number | null = null;
  await streamGitRecords(path, ["log", head, "-z", "--format=%ct", "--"], {
    separator: "\0",
    onRecord(record) {
      if (record === "") return;
      const seconds = Number(record);
      if (newest === null || seconds > newest) newest = seconds;
    },
  });
  return newest;
}

function dateOf(seconds: number | null): Date | null {
  return seconds === null ? null : new Date(seconds * 1000);
}
