import { identityKey } from "@sparky/messages";
import type { Logger } from "@sparky/harness";
import { streamGitRecords } from "./git-log-stream.js";
import { HistoryIndex } from "./scan-cache/history-index.js";
import type { RawIdentity } from "./scan-cache/history-index.js";
import { HistoryRewritten, isBot, logArgs, mapIdentities, parseCommit, readCommitsBySha, readCommitsSince } from "./scan-cache/read-commits.js";
import type { LoggedCommit } from "./scan-cache/read-commits.js";
import { historyFingerprint, readScanCache, scanCachePath, writeScanCache } from "./scan-cache/scan-cache-store.js";

/** A half-open interval [start, end) in epoch milliseconds. */
export interface TimeRange {
  start: number;
  end: number;
}

/** A commit of the window before its line counts are known. */
export interface ScannedCommit {
  sha: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  authoredAt: number;
  committedAt: number;
  subject: string;
  isMerge: boolean;
  isBot: boolean;
}

export interface HistoryScan {
  /** Commits whose committer time is in the window. */
  commits: ScannedCommit[];
  /** Identity keys of human authors with a commit before the window. */
  priorAuthors: Set<string>;
  previous: { commits: number; merges: number; authors: Set<string> };
  /** Newest committer time over the whole history, null when there are no commits. */
  newestCommitAt: number | null;
  /** How the history was read: all of it, only what was added since the cache, or nothing new. */
  source: "full" | "incremental" | "cached";
  /** Settles once the cache file is replaced (never rejects: a cache that cannot be written is only warned about). */
  cacheWritten: Promise<void>;
}

/** Where and for which repository to keep the scan cache. */
export interface ScanCacheOptions {
  /** `data/cache`: the file goes in its `git/` folder. */
  cacheDir: string;
  /** Real path of the repository (the cache's identity) and its common git folder. */
  realPath: string;
  commonGitDir: string;
  log: Logger;
}

export interface ScanOptions {
  /** The commit HEAD points to: the history is everything reachable from it. */
  head: string;
  window: TimeRange;
  previous: TimeRange;
  botPatterns: readonly string[];
  /** Called for each commit of the window once it is known to belong, to start work on it early. */
  onWindowCommit?(commit: ScannedCommit): void;
  /** Stops the walk (the job was given up on). */
  signal?: AbortSignal;
  /** Without it, the whole history is read each time and nothing is kept. */
  cache?: ScanCacheOptions;
}

/**
 * Pass 1: find the commits of the window and what the digest needs from the history before
 * it. Membership is decided per commit by committer time, never with `--since`, which stops
 * walking at the first older commit and so misses commits behind older-dated ones (rebases,
 * clock skew, imported history). Every commit's time is needed, so the times are kept in a
 * per-repository cache and the next run reads only the commits added since its tip; when
 * that tip is no longer an ancestor of HEAD (force-push, rebase, branch switch) or the
 * shallow boundary, grafts or replace refs changed, the whole history is read again.
 */
export async function scanHistory(repoPath: string, options: ScanOptions): Promise<HistoryScan> {
  const { cache } = options;
  if (!cache) {
    const scanned = await fullScan(repoPath, options);
    return summarize(scanned.index, { ...options, known: scanned }, "full", Promise.resolve());
  }
  const file = scanCachePath(cache.cacheDir, cache.realPath);
  const fingerprint = await historyFingerprint(cache.commonGitDir);
  const cached = await readScanCache(file, { repository: cache.realPath, fingerprint }, cache.log);
  if (cached) {
    const updated = await updateFromCache(repoPath, cached.meta.tip, cached.index, options);
    if (updated) {
      const written = updated.changed ? save(file, { repository: cache.realPath, tip: options.head, fingerprint }, cached.index, cache.log) : Promise.resolve();
      return summarize(cached.index, { ...options, known: updated }, updated.changed ? "incremental" : "cached", written);
    }
  }
  const scanned = await fullScan(repoPath, options);
  const written = save(file, { repository: cache.realPath, tip: options.head, fingerprint }, scanned.index, cache.log);
  return summarize(scanned.index, { ...options, known: scanned }, "full", written);
}

/** Identities after .mailmap per author of the index, and the window's commits already read. */
interface Known {
  mapped: RawIdentity[];
  windowCommits: ScannedCommit[];
}

/** Read the whole history into a fresh index, handing the window's commits on as they come. */
async function fullScan(repoPath: string, options: ScanOptions): Promise<{ index: HistoryIndex } & Known> {
  const index = new HistoryIndex();
  const mapped: RawIdentity[] = [];
  const windowCommits: ScannedCommit[] = [];
  await streamGitRecords(repoPath, logArgs([options.head]), {
    separator: "\0",
    ...(options.signal ? { signal: options.signal } : {}),
    onRecord(record) {
      if (record === "") return;
      const commit = parseCommit(record);
      addToIndex(index, mapped, commit);
      if (inRange(commit.committedAt, options.window)) {
        const scanned = toScanned(commit, options.botPatterns);
        windowCommits.push(scanned);
        options.onWindowCommit?.(scanned);
      }
    },
  });
  return { index, mapped, windowCommits };
}

/**
 * Bring a cached index up to `options.head`, or null when the cache cannot be continued
 * (the history was rewritten, or git could not answer about the old tip, e.g. it was pruned).
 * The three questions (what is new, the window's cached commits, .mailmap) go to git at once.
 */
async function updateFromCache(
  repoPath: string,
  oldTip: string,
  index: HistoryIndex,
  options: ScanOptions,
): Promise<(Known & { changed: boolean }) | null> {
  const signal = options.signal;
  const cachedWindow: string[] = [];
  for (let at = 0; at < index.count; at++) if (inRange(index.times[at]! * 1000, options.window)) cachedWindow.push(index.sha(at));
  const authorsBefore = index.authors.slice();
  let added: LoggedCommit[];
  let details: LoggedCommit[];
  let mapped: RawIdentity[];
  try {
    [added, details, mapped] = await Promise.all([
      oldTip === options.head ? [] : readCommitsSince(repoPath, oldTip, options.head, signal),
      readCommitsBySha(repoPath, cachedWindow, signal),
      mapIdentities(repoPath, authorsBefore, signal),
    ]);
  } catch (error) {
    signal?.throwIfAborted();
    const reason = error instanceof HistoryRewritten ? "history rewritten" : (error as Error).message;
    options.cache?.log.info({ repository: repoPath, reason }, "git scan cache cannot be continued: reading the whole history");
    return null;
  }
  if (details.length !== cachedWindow.length) return null;
  const windowCommits = details.map((commit) => toScanned(commit, options.botPatterns));
  for (const commit of added) {
    addToIndex(index, mapped, commit);
    if (inRange(commit.committedAt, options.window)) windowCommits.push(toScanned(commit, options.botPatterns));
  }
  for (const commit of windowCommits) options.onWindowCommit?.(commit);
  return { mapped, windowCommits, changed: added.length > 0 };
}

function addToIndex(index: HistoryIndex, mapped: RawIdentity[], commit: LoggedCommit): void {
  const authors = index.authors.length;
  index.add(commit.sha, commit.committedAt / 1000, commit.raw, commit.isMerge);
  // A new author: the log printed its .mailmap form beside the raw one.
  if (index.authors.length > authors) mapped.push({ name: commit.authorName, email: commit.authorEmail });
}

/** Prior authors, the previous period and the newest time, by one pass over the index's columns. */
function summarize(
  index: HistoryIndex,
  options: ScanOptions & { known?: Known },
  source: HistoryScan["source"],
  cacheWritten: Promise<void>,
): HistoryScan {
  const known = options.known ?? { mapped: [], windowCommits: [] };
  const keys = known.mapped.map((identity) => identityKey(identity.name, identity.email));
  // Bots are never "returning contributors", so they stay out of both author sets.
  const bots = known.mapped.map((identity) => isBot(identity, options.botPatterns));
  const { window, previous } = options;
  const priorIds = new Set<number>();
  const previousIds = new Set<number>();
  const scan: HistoryScan = {
    commits: known.windowCommits,
    priorAuthors: new Set(),
    previous: { commits: 0, merges: 0, authors: new Set() },
    newestCommitAt: null,
    source,
    cacheWritten,
  };
  let newest = -Infinity;
  for (let at = 0; at < index.count; at++) {
    const time = index.times[at]! * 1000;
    if (time > newest) newest = time;
    const author = index.authorOf[at]!;
    const isMerge = index.merges[at] === 1;
    if (time >= previous.start && time < previous.end) {
      if (isMerge) scan.previous.merges += 1;
      else scan.previous.commits += 1;
      // Contributors are authors of non-merge commits, in the previous period as in this one.
      if (!isMerge && !bots[author]) previousIds.add(author);
    }
    if (time < window.start && !bots[author]) priorIds.add(author);
  }
  for (const id of priorIds) scan.priorAuthors.add(keys[id]!);
  for (const id of previousIds) scan.previous.authors.add(keys[id]!);
  scan.newestCommitAt = index.count === 0 ? null : newest;
  return scan;
}

function toScanned(commit: LoggedCommit, botPatterns: readonly string[]): ScannedCommit {
  return {
    sha: commit.sha,
    parents: commit.parents,
    authorName: commit.authorName,
    authorEmail: commit.authorEmail,
    authoredAt: commit.authoredAt,
    committedAt: commit.committedAt,
    subject: commit.subject,
    isMerge: commit.isMerge,
    isBot: isBot({ name: commit.authorName, email: commit.authorEmail }, botPatterns),
  };
}

function save(file: string, meta: { repository: string; tip: string; fingerprint: string }, index: HistoryIndex, log: Logger): Promise<void> {
  return writeScanCache(file, meta, index).catch((error: unknown) => {
    log.warn({ file, err: (error as Error).message }, "git scan cache not written: the next run reads the whole history");
  });
}

function inRange(time: number, range: TimeRange): boolean {
  return time >= range.start && time < range.end;
}
