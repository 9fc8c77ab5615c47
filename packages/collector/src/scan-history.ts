import { identityKey } from "@sparky/messages";
import type { Logger } from "@sparky/harness";
import { HistoryIndex } from "./scan-cache/history-index.js";
import type { RawIdentity } from "./scan-cache/history-index.js";
import { HistoryRewritten, isBot, parseCommit } from "./scan-cache/read-commits.js";
import { startHistoryLog } from "./scan-cache/history-log.js";
import type { HistoryLog } from "./scan-cache/history-log.js";
import type { LoggedCommit } from "./scan-cache/read-commits.js";
import { encodeBlock } from "./scan-cache/scan-cache-file.js";
import { mailmapSource } from "./scan-cache/mailmap-sources.js";
import { MailmapMemo, mapAuthors } from "./scan-cache/mailmap-memo.js";
import { readNewCommits } from "./scan-cache/read-new-commits.js";
import type { ScanCacheMeta } from "./scan-cache/scan-cache-file.js";
import { appendScanCache, historyFingerprint, mailmapMemoPath, openScanCache, sameHistory, scanCachePath, writeScanCache } from "./scan-cache/scan-cache-store.js";
import type { ScanCache } from "./scan-cache/scan-cache-store.js";

/** A half-open interval [start, end) in epoch milliseconds. */
export interface TimeRange {
  start: number;
  end: number;
}

/** A commit of the window before its line counts are known: as logged, after .mailmap, bots marked. */
export type ScannedCommit = Omit<LoggedCommit, "raw"> & { isBot: boolean };

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
  /** A bare repository reads .mailmap from HEAD: identities are then always mapped again. */
  bare: boolean;
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
  // The cache file holds 20-byte SHA-1 names: a SHA-256 repository is read whole each run, not "rebuilt" with a warning each run.
  if (!cache || options.head.length !== 40) {
    const scanned = await fullScan(options, startHistoryLog(repoPath, options.head, options.signal));
    return summarizeFull(scanned, options, Promise.resolve());
  }
  const file = scanCachePath(cache.cacheDir, cache.realPath);
  let opened = await openScanCache(file, cache.realPath, cache.log);
  // git first, while the cache is checked: both a continued cache and a full read walk from HEAD.
  const history = opened?.meta.tip === options.head ? null : startHistoryLog(repoPath, options.head, options.signal);
  const fingerprint = historyFingerprint(cache.commonGitDir);
  const meta = { repository: cache.realPath, tip: options.head, fingerprint };
  const source = mailmapSource({ path: repoPath, ...cache });
  const memo = source.kind === "file" ? MailmapMemo.read(mailmapMemoPath(cache.cacheDir, cache.realPath), source.key) : null;
  if (opened && !sameHistory(opened, fingerprint, cache.log)) {
    await opened.close();
    opened = null;
  }
  if (opened) {
    let updated: Update | null;
    try {
      updated = await updateFromCache(repoPath, opened, options, { source, memo }, history);
    } catch (error) {
      await opened.close();
      throw error;
    } finally {
      // Read by the update (up to where it stopped) or not needed by it: not usable again.
      await history?.cancel();
    }
    if (updated) {
      const { added, mapped } = updated;
      memo?.learn(added.authors.slice(opened.authors.length), mapped.slice(opened.authors.length));
      // keep() closes the file once it has read what it needs from it.
      const written = updated.changed ? keep(file, opened, updated, meta, cache.log) : opened.close();
      return { ...updated.scan, cacheWritten: Promise.all([written, keepMemo(memo, cache.log)]).then(() => {}) };
    }
    await opened.close();
  }
  const unread = opened ? null : history;
  const scanned = await fullScan(options, unread ?? startHistoryLog(repoPath, options.head, options.signal));
  const { index } = scanned;
  memo?.learn(index.authors, scanned.mapped);
  const bytes = encodeBlock(blockHeader(meta, null, index.authors, index.firstSeen(), index.newest()), index);
  const written = guard(writeScanCache(file, bytes), file, cache.log);
  return summarizeFull(scanned, options, Promise.all([written, keepMemo(memo, cache.log)]).then(() => {}));
}

/** Write what the memo learnt (never rejects: without it, the next run asks git again). */
function keepMemo(memo: MailmapMemo | null, log: Logger): Promise<void> {
  if (!memo?.changed) return Promise.resolve();
  return memo.write().catch((error: unknown) => {
    log.warn({ err: (error as Error).message }, "mailmap memo not written: the next run asks git check-mailmap again");
  });
}

/** Most blocks a file may hold before it is rewritten as one: reads stay a few seeks per block. */
const MAX_BLOCKS = 16;

/** Identities after .mailmap per author id, and the window's commits already read. */
interface Known {
  mapped: RawIdentity[];
  windowCommits: ScannedCommit[];
}

/** Read the whole history into a fresh index, handing the window's commits on as they come. */
async function fullScan(options: ScanOptions, history: HistoryLog): Promise<{ index: HistoryIndex } & Known> {
  const index = new HistoryIndex();
  const mapped: RawIdentity[] = [];
  const windowCommits: ScannedCommit[] = [];
  await history.read((record) => {
    const commit = parseCommit(record);
    addToIndex(index, mapped, commit);
    if (inRange(commit.committedAt, options.window)) {
      const scanned = toScanned(commit, options.botPatterns);
      windowCommits.push(scanned);
      options.onWindowCommit?.(scanned);
    }
  });
  return { index, mapped, windowCommits };
}

interface Update {
  scan: Omit<HistoryScan, "cacheWritten">;
  changed: boolean;
  /** The commits added since the cache's tip, and the authors' first times with them. */
  added: HistoryIndex;
  /** Every author (cached, then new) as .mailmap maps them, by id. */
  mapped: RawIdentity[];
  firstSeen: number[];
  newest: number | null;
}

/**
 * Windows with at most this many cached commits at or after their start are read on the
 * walk over the new commits, which passes them anyway (a daily run's window is at the top
 * of the history); older windows by sha, in a process of their own.
 */
const NEAR_WINDOW = 1000;

/**
 * Answer from the cache plus the commits added since its tip, or null when the cache cannot
 * be continued (the history was rewritten, or git could not answer about the old tip, e.g. it
 * was pruned). One git walk reads what is new and the window's cached commits (see
 * readNewCommits), .mailmap goes to git beside it when there may be one; the rows of the
 * window and the previous period are found by binary search in each block.
 */
async function updateFromCache(
  repoPath: string,
  cache: ScanCache,
  options: ScanOptions,
  mailmap: Parameters<typeof mapAuthors>[2],
  history: HistoryLog | null,
): Promise<Update | null> {
  const { signal, window, previous } = options;
  const seconds = (range: TimeRange) => [range.start / 1000, range.end / 1000] as const;
  let walk: ReturnType<typeof readNewCommits> | null = null;
  let identities: Promise<RawIdentity[]> | null = null;
  let added: LoggedCommit[];
  let details: LoggedCommit[];
  let mapped: RawIdentity[];
  let previousRows: HistoryIndex[];
  let cachedWindow: string[] = [];
  try {
    const windowRows = await cache.range(...seconds(window));
    cachedWindow = windowRows.flatMap((rows) => Array.from({ length: rows.count }, (_, at) => rows.sha(at)));
    const near = cache.countFrom(window.start / 1000);
    // git starts first: it runs while the previous period's rows are searched.
    walk = readNewCommits(repoPath, {
      head: options.head,
      oldTip: cache.meta.tip,
      isCached: (sha, time) => cache.has(sha, time),
      wanted: cachedWindow,
      wantedBudget: near > NEAR_WINDOW ? 0 : near + 256,
      ...(signal ? { signal } : {}),
      history,
    });
    // A copy: the identities of authors met among the new commits are added to it.
    identities = mapAuthors(repoPath, cache.authors, mailmap, signal);
    previousRows = await cache.range(...seconds(previous));
    let found: { added: LoggedCommit[]; wanted: LoggedCommit[] };
    [found, mapped] = await Promise.all([walk, identities]);
    ({ added, wanted: details } = found);
  } catch (error) {
    // Both git reads are settled before giving up, so no process outlives the scan unseen.
    await Promise.allSettled([walk, identities]);
    signal?.throwIfAborted();
    const reason = error instanceof HistoryRewritten ? "history rewritten" : (error as Error).message;
    options.cache?.log.info({ repository: repoPath, reason }, "git scan cache cannot be continued: reading the whole history");
    return null;
  }
  if (details.length !== cachedWindow.length) return null;
  const index = new HistoryIndex(Math.max(1, added.length), cache.authors.slice());
  const windowCommits = details.map((commit) => toScanned(commit, options.botPatterns));
  for (const commit of added) {
    addToIndex(index, mapped, commit);
    if (inRange(commit.committedAt, window)) windowCommits.push(toScanned(commit, options.botPatterns));
  }
  for (const commit of windowCommits) options.onWindowCommit?.(commit);
  const firstSeen = index.firstSeen(cache.firstSeen);
  const addedNewest = index.newest();
  const newest = addedNewest === null ? cache.newest : cache.newest === null ? addedNewest : Math.max(cache.newest, addedNewest);
  const scan = summarize({ mapped, windowCommits, previousRows: [...previousRows, index], firstSeen, newest }, options, added.length > 0 ? "incremental" : "cached");
  return { scan, changed: added.length > 0, added: index, mapped, firstSeen, newest };
}

/**
 * Record the added commits: one more block after the file's chain, or, once the file holds
 * MAX_BLOCKS, the whole history rewritten as one block. Closes the cache file when done.
 */
function keep(file: string, cache: ScanCache, update: Update, meta: ScanCacheMeta, log: Logger): Promise<void> {
  const work = async () => {
    try {
      const { added } = update;
      if (cache.blocks.length < MAX_BLOCKS) {
        const authors = added.authors.slice(cache.authors.length);
        const bytes = encodeBlock(blockHeader(meta, cache.meta.tip, authors, update.firstSeen, update.newest), added);
        return await appendScanCache(file, cache.validLength, bytes);
      }
      const whole = new HistoryIndex(1024, added.authors.slice());
      for (const rows of [...(await cache.all()), added]) whole.append(rows);
      await writeScanCache(file, encodeBlock(blockHeader(meta, null, whole.authors, update.firstSeen, update.newest), whole));
    } finally {
      await cache.close();
    }
  };
  return guard(work(), file, log);
}

function blockHeader(meta: ScanCacheMeta, from: string | null, authors: RawIdentity[], firstSeen: number[], newest: number | null) {
  return { ...meta, from, authors: authors.map((a): [string, string] => [a.name, a.email]), firstSeen, newest };
}

function addToIndex(index: HistoryIndex, mapped: RawIdentity[], commit: LoggedCommit): void {
  const authors = index.authors.length;
  index.add(commit.sha, commit.committedAt / 1000, commit.raw, commit.isMerge);
  // A new author: the log printed its .mailmap form beside the raw one.
  if (index.authors.length > authors) mapped.push({ name: commit.authorName, email: commit.authorEmail });
}

function summarizeFull(scanned: { index: HistoryIndex } & Known, options: ScanOptions, cacheWritten: Promise<void>): HistoryScan {
  const { index } = scanned;
  const inputs = { ...scanned, previousRows: [index], firstSeen: index.firstSeen(), newest: index.newest() };
  return { ...summarize(inputs, options, "full"), cacheWritten };
}

/** Prior authors and the previous period, from the authors' first times and the previous period's rows. */
function summarize(
  inputs: Known & { previousRows: HistoryIndex[]; firstSeen: number[]; newest: number | null },
  options: ScanOptions,
  source: HistoryScan["source"],
): Omit<HistoryScan, "cacheWritten"> {
  const keys = inputs.mapped.map((identity) => identityKey(identity.name, identity.email));
  // Bots are never "returning contributors", so they stay out of both author sets.
  const bots = inputs.mapped.map((identity) => isBot(identity, options.botPatterns));
  const { window, previous } = options;
  const scan = {
    commits: inputs.windowCommits,
    priorAuthors: new Set<string>(),
    previous: { commits: 0, merges: 0, authors: new Set<string>() },
    newestCommitAt: inputs.newest === null ? null : inputs.newest * 1000,
    source,
  };
  for (const rows of inputs.previousRows) {
    for (let at = 0; at < rows.count; at++) {
      if (!inRange(rows.times[at]! * 1000, previous)) continue;
      const author = rows.authorOf[at]!;
      if (rows.merges[at] === 1) scan.previous.merges += 1;
      else scan.previous.commits += 1;
      // Contributors are authors of non-merge commits, in the previous period as in this one.
      if (rows.merges[at] !== 1 && !bots[author]) scan.previous.authors.add(keys[author]!);
    }
  }
  inputs.firstSeen.forEach((time, author) => {
    if (time * 1000 < window.start && !bots[author]) scan.priorAuthors.add(keys[author]!);
  });
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

function guard(writing: Promise<void>, file: string, log: Logger): Promise<void> {
  return writing.catch((error: unknown) => {
    log.warn({ file, err: (error as Error).message }, "git scan cache not written: the next run reads those commits again");
  });
}

function inRange(time: number, range: TimeRange): boolean {
  return time >= range.start && time < range.end;
}
