import { areasOf, changedPath } from "./commit-areas.js";
import { startGitStream } from "./git-log-stream.js";

export interface LineCounts {
  additions: number;
  deletions: number;
  filesChanged: number;
  /** Where the commit changed files (see `areasOf`). */
  areas: string[];
}

/** Line counts of commits fed one by one while git works on the ones already sent. */
export interface NumstatReader {
  add(sha: string): void;
  /** Counts of every added commit, once git has diffed them all. */
  finish(): Promise<Map<string, LineCounts>>;
  abort(reason: unknown): void;
}

const MARKER = "\x1e";
// One numstat line: "<added>\t<deleted>\t<path>", or "-\t-\t<path>" for a binary file.
const NUMSTAT_LINE = /^(\d+|-)\t(\d+|-)\t(.*)$/;

/**
 * Pass 2: line counts for exactly the commits given, each diffed against its parent, so
 * the cost follows the size of the window, not of the history. `diff-tree --stdin` diffs
 * each commit as it arrives (`git log --stdin` would read all of stdin first), so this
 * runs while pass 1 is still reading the history. As plumbing it ignores the user's diff
 * settings; the options give what `git log --numstat` shows by default: recursive, renames
 * found, the first commit against the empty tree, a header even for an empty commit.
 * Binary files count as one file and zero lines. The paths give the commit's areas.
 */
export function startNumstat(
  repoPath: string,
  options: { signal?: AbortSignal; workspaces?: ReadonlySet<string> | Promise<ReadonlySet<string>> } = {},
): NumstatReader {
  const { signal } = options;
  const counts = new Map<string, LineCounts>();
  // The workspace folders may still be on their way (read by a git beside this one): the
  // commits diffed before they arrive wait for them to get their areas.
  let workspaces: ReadonlySet<string> | undefined;
  let waiting: { sha: string; entry: Omit<LineCounts, "areas">; paths: string[] }[] | null = [];
  const ready = Promise.resolve(options.workspaces).then((folders) => {
    workspaces = folders;
    for (const { sha, entry, paths } of waiting!) counts.set(sha, { ...entry, areas: areasOf(paths, folders) });
    waiting = null;
  });
  ready.catch(() => undefined); // reported by finish()
  const stream = startGitStream(
    repoPath,
    ["diff-tree", "--stdin", "-r", "--root", "-M", "--always", "--no-ext-diff", "--no-textconv", "--numstat", `--format=${MARKER}%H`],
    {
      separator: MARKER,
      stdin: true,
      ...(signal ? { signal } : {}),
      onRecord(record) {
        if (record === "") return;
        const lines = record.split("\n");
        const entry = { additions: 0, deletions: 0, filesChanged: 0 };
        const paths: string[] = [];
        for (let i = 1; i < lines.length; i++) {
          const match = NUMSTAT_LINE.exec(lines[i]!);
          if (!match) continue;
          entry.filesChanged += 1;
          if (match[1] !== "-") entry.additions += Number(match[1]);
          if (match[2] !== "-") entry.deletions += Number(match[2]);
          paths.push(changedPath(match[3]!));
        }
        if (waiting) waiting.push({ sha: lines[0]!, entry, paths });
        else counts.set(lines[0]!, { ...entry, areas: areasOf(paths, workspaces) });
      },
    },
  );
  return {
    add: (sha) => stream.write(sha),
    finish: async () => {
      await stream.finish();
      await ready;
      return counts;
    },
    abort: (reason) => stream.abort(reason),
  };
}

/**
 * A NumstatReader whose git (and the workspace read beside it) starts with the first
 * commit added: a quiet day in a quiet repository costs no process. Each git forks the whole
 * collector, and an organisation's digest opens dozens of repositories.
 */
export function lazyNumstat(start: () => Promise<NumstatReader>): NumstatReader {
  let started: Promise<NumstatReader> | null = null;
  return {
    add(sha) {
      // Chained on one promise: the commits reach git in the order they were added.
      started ??= start();
      void started.then((reader) => reader.add(sha), () => undefined);
    },
    async finish() {
      return started ? (await started).finish() : new Map();
    },
    abort(reason) {
      void started?.then((reader) => reader.abort(reason), () => undefined);
    },
  };
}
