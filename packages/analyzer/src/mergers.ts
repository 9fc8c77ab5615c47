import { identityKey, byText } from "@sparky/messages";
import type { GithubRepository, MergerStats, RawCommit, Window } from "@sparky/messages";
import { uniqueByNumber, within } from "./github/github-window.js";

interface MergerTally {
  key: string;
  name: string;
  mergeCommits: number;
  pullRequestsMerged: number;
  repositories: Set<string>;
}

export interface WindowMerge {
  commit: RawCommit;
  repository: string;
}

/**
 * People who merged in the window: the authors of merge commits (newest first, so the
 * newest gives the name) and, on GitHub, whoever merged a pull request in it. Bots are left
 * out. `contributors` are the identity keys of people with a non-merge commit: merging alone
 * does not make someone a contributor, as in `git shortlog --no-merges`.
 */
export function mergersOf(
  merges: readonly WindowMerge[],
  github: readonly GithubRepository[],
  window: Window,
  contributors: ReadonlySet<string>,
  /** The name each identity goes by in the window's commits, which wins over the one seen here. */
  names: ReadonlyMap<string, string> = new Map(),
): MergerStats[] {
  const tallies = new Map<string, MergerTally>();
  const tally = (key: string, name: string) => {
    let t = tallies.get(key);
    if (!t) {
      t = { key, name: names.get(key) ?? name, mergeCommits: 0, pullRequestsMerged: 0, repositories: new Set() };
      tallies.set(key, t);
    }
    return t;
  };
  for (const { commit, repository } of merges) {
    if (!commit.isMerge || commit.isBot) continue;
    const t = tally(identityKey(commit.authorName, commit.authorEmail), commit.authorName);
    t.mergeCommits += 1;
    t.repositories.add(repository);
  }
  const inWindow = within(window);
  for (const repo of github) {
    const repository = `${repo.owner}/${repo.name}`;
    const merged = uniqueByNumber(repo.pullRequests)
      .filter((pr) => inWindow(pr.mergedAt) && pr.mergedBy && !pr.mergedBy.isBot)
      .sort((a, b) => byText(b.mergedAt!, a.mergedAt!));
    for (const pr of merged) {
      const t = tally(identityKey(pr.mergedBy!.name, pr.mergedBy!.key), pr.mergedBy!.name);
      t.pullRequestsMerged += 1;
      t.repositories.add(repository);
    }
  }
  return [...tallies.values()]
    .map((t) => ({
      name: t.name,
      key: t.key,
      mergeCommits: t.mergeCommits,
      pullRequestsMerged: t.pullRequestsMerged,
      repositories: [...t.repositories].sort(byText),
      isContributor: contributors.has(t.key),
    }))
    .sort(
      (a, b) =>
        b.pullRequestsMerged + b.mergeCommits - (a.pullRequestsMerged + a.mergeCommits) || byText(a.name, b.name) || byText(a.key, b.key),
    );
}
