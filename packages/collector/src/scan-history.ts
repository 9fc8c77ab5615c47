import { identityKey, isBotAuthor } from "@sparky/messages";
import { streamGitRecords } from "./git-log-stream.js";

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
  /** Commits whose committer time is in the window, in git's order. */
  commits: ScannedCommit[];
  /** Identity keys of human authors with a commit before the window. */
  priorAuthors: Set<string>;
  previous: { commits: number; merges: number; authors: Set<string> };
  /** Newest committer time over the whole history, null when there are no commits. */
  newestCommitAt: number | null;
}

const FIELD = "\x1f";
// %aN/%aE apply .mailmap. The subject goes last: it is the only field that could hold a
// stray separator, and everything after the sixth separator belongs to it.
const FORMAT = ["%H", "%P", "%aN", "%aE", "%at", "%ct", "%s"].join("%x1f");

/**
 * Pass 1: read the whole history reachable from HEAD once, without diffs, and keep only
 * what the window needs. Membership is decided per commit by committer time, never with
 * `--since`, which stops walking once it meets commits older than the start and so misses
 * commits that sit behind older-dated ones (rebases, clock skew, imported history).
 */
export async function scanHistory(
  repoPath: string,
  options: {
    window: TimeRange;
    previous: TimeRange;
    botPatterns: readonly string[];
    /** Called for each commit of the window as soon as it is read, to start work on it early. */
    onWindowCommit?(commit: ScannedCommit): void;
    /** Stops the walk (the job was given up on). */
    signal?: AbortSignal;
  },
): Promise<HistoryScan> {
  const { window, previous, botPatterns, onWindowCommit } = options;
  const scan: HistoryScan = {
    commits: [],
    priorAuthors: new Set(),
    previous: { commits: 0, merges: 0, authors: new Set() },
    newestCommitAt: null,
  };
  await streamGitRecords(repoPath, ["log", "HEAD", "-z", "--no-color", `--format=${FORMAT}`, "--"], {
    separator: "\0",
    ...(options.signal ? { signal: options.signal } : {}),
    onRecord(record) {
      if (record === "") return;
      const fields = record.split(FIELD);
      if (fields.length < 7) throw new Error(`unexpected git log record: ${JSON.stringify(record.slice(0, 200))}`);
      const [sha, parentList, authorName, authorEmail, authored, committed] = fields as [
        string, string, string, string, string, string,
      ];
      const committedAt = Number(committed) * 1000;
      if (scan.newestCommitAt === null || committedAt > scan.newestCommitAt) scan.newestCommitAt = committedAt;
      const parents = parentList === "" ? [] : parentList.split(" ");
      const isMerge = parents.length > 1;
      const isBot = isBotAuthor(authorName, authorEmail, botPatterns);
      const inWindow = committedAt >= window.start && committedAt < window.end;
      if (inWindow) {
        const commit: ScannedCommit = {
          sha,
          parents,
          authorName,
          authorEmail,
          authoredAt: Number(authored) * 1000,
          committedAt,
          subject: fields.length === 7 ? fields[6]! : fields.slice(6).join(FIELD),
          isMerge,
          isBot,
        };
        scan.commits.push(commit);
        onWindowCommit?.(commit);
      }
      const inPrevious = committedAt >= previous.start && committedAt < previous.end;
      if (inPrevious) {
        if (isMerge) scan.previous.merges += 1;
        else scan.previous.commits += 1;
      }
      // Bots are never "returning contributors", so they stay out of both author sets.
      if (isBot) return;
      if (committedAt < window.start) scan.priorAuthors.add(identityKey(authorName, authorEmail));
      // Contributors are authors of non-merge commits, in the previous period as in this one.
      if (inPrevious && !isMerge) scan.previous.authors.add(identityKey(authorName, authorEmail));
    },
  });
  return scan;
}
