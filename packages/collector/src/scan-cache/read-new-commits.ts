import { startHistoryLog } from "./history-log.js";
import type { HistoryLog } from "./history-log.js";
import { HistoryRewritten, parseCommit, readCommitsBySha } from "./read-commits.js";
import type { LoggedCommit } from "./read-commits.js";

/** What the walk asks of the cached history: what it holds, and which of its commits to read again. */
export interface NewCommitsQuery {
  /** The commit HEAD points to now, and the tip the cache was read from. */
  head: string;
  oldTip: string;
  /** Whether the cache holds commit `sha` (committer time in seconds, to find it by). */
  isCached(sha: string, seconds: number): boolean;
  /** Cached commits whose details are wanted again (the window's), read on the way when they are near. */
  wanted: readonly string[];
  /**
   * How many other commits the walk may pass while wanted ones are still missing; beyond it
   * they are read by sha in a process of their own. 0: read them that way from the start.
   */
  wantedBudget: number;
  signal?: AbortSignal;
  /** `git log` over `head` already started (see HistoryLog); cancelled when there is nothing to read. */
  history?: HistoryLog | null;
}

export interface NewCommits {
  /** Commits reachable from `head` and not from `oldTip`. */
  added: LoggedCommit[];
  /** The wanted commits, each once, in no order. */
  wanted: LoggedCommit[];
}

/**
 * The commits added since the cache's tip, in one `git log` over HEAD stopped as soon as it
 * has passed them. No negative revision (`^oldTip`, `oldTip...head`): with one, git walks the
 * old side by date until it is older than every new commit, and a rebased-in commit dated
 * months back would cost months of history. Without one, git prints commits as it pops
 * them, and a commit is popped only after one of its children. So a commit the old tip
 * does not reach is always met while it is pending (a parent of a new commit), and the
 * walk is done when no parent is left pending: each is either new (its parents become
 * pending) or cached (the walk stops there). The old tip is an ancestor of HEAD exactly
 * when the walk meets it; if it never does, the history was rewritten (HistoryRewritten).
 * A new commit dated back on a line of new commits costs nothing more; one on a merged
 * branch dated before cached commits is met once git's date order reaches it, so the walk
 * then passes the cached commits dated in between (as the old walk did).
 */
export async function readNewCommits(repoPath: string, query: NewCommitsQuery): Promise<NewCommits> {
  const { head, oldTip, signal } = query;
  const added: LoggedCommit[] = [];
  const found: LoggedCommit[] = [];
  const pending = new Set<string>(head === oldTip ? [] : [head]);
  // Everything printed so far: a parent printed before its new child (dated newer) is not waited for.
  const printed = new Set<string>();
  let metOldTip = head === oldTip;
  const wanted = new Set(query.wanted);
  let bySha: Promise<LoggedCommit[]> = Promise.resolve([]);
  let passed = 0;
  const handOver = () => {
    if (wanted.size === 0) return;
    bySha = readCommitsBySha(repoPath, [...wanted], signal);
    // Settled below; until then a failure is not "unhandled".
    bySha.catch(() => {});
    wanted.clear();
  };
  if (query.wantedBudget <= 0) handOver();
  // Once nothing is pending, a walk that missed the old tip has its answer (rewritten): wanted commits no longer matter.
  const done = () => pending.size === 0 && (wanted.size === 0 || !metOldTip);

  if (done()) await query.history?.cancel();
  else {
    const history = query.history ?? startHistoryLog(repoPath, head, signal);
    try {
      await history.read((record) => {
        const sha = record.slice(0, 40);
        printed.add(sha);
        const isPending = pending.delete(sha);
        const isWanted = wanted.delete(sha);
        if (!isPending && !isWanted) {
          if (++passed > query.wantedBudget) handOver();
        } else {
          const commit = parseCommit(record);
          if (isWanted) found.push(commit);
          if (isPending) {
            if (sha === oldTip) metOldTip = true;
            else if (!query.isCached(sha, commit.committedAt / 1000)) {
              added.push(commit);
              for (const parent of commit.parents) if (!printed.has(parent)) pending.add(parent);
            }
          }
        }
        return done();
      });
    } catch (error) {
      await bySha.catch(() => {});
      throw error;
    }
  }
  const rest = await bySha;
  // Pending parents left over mean git ended first: only a history that changed under the walk.
  if (!metOldTip || pending.size > 0 || wanted.size > 0) throw new HistoryRewritten(oldTip);
  return { added, wanted: [...found, ...rest] };
}
