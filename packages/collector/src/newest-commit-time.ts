import { streamGitRecords } from "./git-log-stream.js";
import { openRepository } from "./open-repository.js";

/**
 * Newest committer time over the history of HEAD, null for a repository without commits.
 * It is a maximum over every commit, not the time of HEAD: histories are not in date
 * order, and HEAD can be older than a commit behind it.
 */
export async function newestCommitTime(repoPath: string): Promise<Date | null> {
  const repository = await openRepository(repoPath);
  if (repository.head === null) return null;
  let newest: number | null = null;
  await streamGitRecords(repository.path, ["log", "HEAD", "-z", "--format=%ct", "--"], {
    separator: "\0",
    onRecord(record) {
      if (record === "") return;
      const seconds = Number(record);
      if (newest === null || seconds > newest) newest = seconds;
    },
  });
  return newest === null ? null : new Date(newest * 1000);
}
