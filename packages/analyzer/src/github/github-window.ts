import type { GithubPullRequest, GithubRepository, RawRepository, Window } from "@sparky/messages";

/** The repository files with GitHub's full data (read with `AnyRawRepositorySchema`). */
export function githubRepositories(repositories: readonly RawRepository[]): GithubRepository[] {
  return repositories.filter((repo): repo is GithubRepository => repo.schema === "sparky.raw.github-repository/1" && "pullRequests" in repo);
}

/** Whether a time falls in [start, end): every figure claims to be "in the window", so it is held to that. */
export function within(window: Window): (time: string | null | undefined) => boolean {
  const start = Date.parse(window.start);
  const end = Date.parse(window.end);
  return (time) => {
    if (!time) return false;
    const at = Date.parse(time);
    return at >= start && at < end;
  };
}

/** A pull request's activity in the window: opened, merged, closed or first reviewed there. */
export function pullActiveIn(pr: GithubPullRequest, inWindow: (time: string | null | undefined) => boolean): boolean {
  return inWindow(pr.createdAt) || inWindow(pr.mergedAt) || inWindow(pr.closedAt) || inWindow(pr.firstHumanReviewAt);
}

/** Each number once: a collector retry that appended a page twice must not count twice. */
export function uniqueByNumber<T extends { number: number }>(list: readonly T[]): T[] {
  const seen = new Set<number>();
  return list.filter((x) => (seen.has(x.number) ? false : (seen.add(x.number), true)));
}

