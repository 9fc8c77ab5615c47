import { startGitStream } from "../git-log-stream.js";
import { logArgs } from "./read-commits.js";

/**
 * `git log` over the history of one commit, in the format `parseCommit` reads, started
 * before it is known how much of it will be read: the whole of it (no usable cache) or its
 * top (the commits added since the cache's tip). Both read the same command, so starting
 * it at once is never wasted, and git starts up while the cache file is checked.
 */
export interface HistoryLog {
  /**
   * Hand each record to `onRecord`, those printed so far first; returning true stops git
   * there. Settles when git is done or stopped; rejects as git or `onRecord` failed.
   */
  read(onRecord: (record: string) => boolean | void): Promise<void>;
  /** Stop git unread: nothing of it is needed after all. */
  cancel(): Promise<void>;
}

export function startHistoryLog(repoPath: string, head: string, signal?: AbortSignal): HistoryLog {
  // Records printed before a reader came: a few hundred at most, the cache check is short.
  const early: string[] = [];
  let reader: ((record: string) => boolean | void) | null = null;
  const stream = startGitStream(repoPath, logArgs([head]), {
    separator: "\0",
    ...(signal ? { signal } : {}),
    onRecord(record) {
      if (record === "") return;
      if (reader === null) early.push(record);
      else if (reader(record) === true) stream.stop();
    },
  });
  return {
    async read(onRecord) {
      try {
        for (const record of early.splice(0)) {
          if (onRecord(record) === true) {
            stream.stop();
            return await stream.finish();
          }
        }
      } catch (error) {
        // finish() then rejects with it, once git is stopped.
        stream.abort(error);
      }
      reader = onRecord;
      return stream.finish();
    },
    cancel() {
      stream.stop();
      return stream.finish().catch(() => {});
    },
  };
}
