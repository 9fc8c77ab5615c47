import { SparkyError, byText } from "@sparky/messages";
import type { RawCommit, RawRepository, Window } from "@sparky/messages";
import type { Logger } from "@sparky/harness";
import type { OpenedRepository } from "./open-repository.js";
import { lazyNumstat, startNumstat } from "./read-numstat.js";
import type { LineCounts } from "./read-numstat.js";
import type { RepositoryName } from "./repository-name.js";
import { readTags } from "./read-tags.js";
import { scanHistory } from "./scan-history.js";
import type { HistoryScan, ScannedCommit } from "./scan-history.js";
import { workspaceFolders } from "./workspace-folders.js";

export interface CollectedRepository {
  raw: RawRepository;
  /** Newest committer time of the whole history (ISO), null without commits. */
  newestCommitAt: string | null;
}

const NO_LINES: LineCounts = { additions: 0, deletions: 0, filesChanged: 0, areas: [] };

/** Read one repository's window: its commits with line counts, prior authors, the previous period's summary and its tags. */
export async function collectRepository(
  repository: OpenedRepository,
  name: RepositoryName,
  options: {
    window: Window;
    previousWindow: Window;
    botPatterns: readonly string[];
    signal?: AbortSignal;
    /** `data/cache` and a logger: keep the history's scan there so the next run reads only new commits. */
    cache?: { cacheDir: string; log: Logger };
  },
): Promise<CollectedRepository> {
  let scan: HistoryScan | null = null;
  let counts = new Map<string, LineCounts>();
  // The tags are read beside the history walk: nothing in one waits on the other.
  const tagsRead =
    repository.head === null
      ? Promise.resolve([])
      : readTags(repository.path, { window: toRange(options.window), botPatterns: options.botPatterns, signal: options.signal });
  tagsRead.catch(() => undefined); // when the walk fails first, its error is the one reported
  if (repository.head !== null) {
    // Pass 2 (line counts) runs beside pass 1 (the history walk), fed each commit as it is found.
    // The workspace folders (one git) are read beside the diffs (another), not before them.
    const numstat = lazyNumstat(async () => {
      const workspaces = workspaceFolders(repository.path).then((folders) => new Set(folders));
      return startNumstat(repository.path, { ...(options.signal ? { signal: options.signal } : {}), workspaces });
    });
    try {
      scan = await scanHistory(repository.path, {
        head: repository.head,
        ...(options.cache
          ? { cache: { ...options.cache, realPath: repository.realPath, commonGitDir: repository.commonGitDir, bare: repository.bare } }
          : {}),
        window: toRange(options.window),
        previous: toRange(options.previousWindow),
        botPatterns: options.botPatterns,
        ...(options.signal ? { signal: options.signal } : {}),
        onWindowCommit: (commit) => {
          if (!commit.isMerge) numstat.add(commit.sha);
        },
      });
    } catch (error) {
      numstat.abort(error);
      await numstat.finish().catch(() => {});
      throw error;
    }
    counts = await numstat.finish();
  }

  const commits = (scan?.commits ?? []).map((commit) => {
    // A merge's diff is the merged branch's work, already counted in that branch's commits.
    const lines = commit.isMerge ? NO_LINES : counts.get(commit.sha);
    if (!lines) {
      throw new SparkyError("SPARKY_GIT_FAILED", `git printed no line counts for commit ${commit.sha} in ${repository.path}`);
    }
    return toRawCommit(commit, lines);
  });
  commits.sort(newestFirst);
  const tags = await tagsRead;

  const raw: RawRepository = {
    schema: "sparky.raw.repository/1",
    source: "git",
    owner: name.owner,
    name: name.name,
    path: repository.path,
    webUrl: name.webUrl,
    // The schema wants a string; a repository without commits has no HEAD commit to name.
    head: repository.head ?? "",
    branch: repository.branch,
    window: options.window,
    commits,
    priorAuthors: [...(scan?.priorAuthors ?? [])].sort(),
    previous: {
      window: options.previousWindow,
      commits: scan?.previous.commits ?? 0,
      merges: scan?.previous.merges ?? 0,
      authors: [...(scan?.previous.authors ?? [])].sort(),
    },
    tags,
  };
  // Written while the line counts and tags were read; it never fails the collection.
  await scan?.cacheWritten;
  const newest = scan?.newestCommitAt ?? null;
  return { raw, newestCommitAt: newest === null ? null : new Date(newest).toISOString() };
}

function toRawCommit(commit: ScannedCommit, lines: LineCounts): RawCommit {
  return {
    sha: commit.sha,
    parents: commit.parents,
    authorName: commit.authorName,
    authorEmail: commit.authorEmail,
    authoredAt: new Date(commit.authoredAt).toISOString(),
    committedAt: new Date(commit.committedAt).toISOString(),
    subject: commit.subject,
    additions: lines.additions,
    deletions: lines.deletions,
    filesChanged: lines.filesChanged,
    isMerge: commit.isMerge,
    isBot: commit.isBot,
    // A merge is not diffed (see above): where it changed files is not known, so not said.
    ...(commit.isMerge ? {} : { areas: lines.areas }),
  };
}

function toRange(window: Window): { start: number; end: number } {
  return { start: Date.parse(window.start), end: Date.parse(window.end) };
}

/** Newest first by committer time; the sha breaks ties so the order never depends on git's walk. */
function newestFirst(a: RawCommit, b: RawCommit): number {
  if (a.committedAt !== b.committedAt) return a.committedAt < b.committedAt ? 1 : -1;
  return byText(a.sha, b.sha);
}
