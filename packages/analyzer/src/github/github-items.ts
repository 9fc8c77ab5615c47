import { byText } from "@sparky/messages";
import type { GithubRepository, IssueItem, PullRequestItem, Window } from "@sparky/messages";
import { numberedItemId } from "../item-ids.js";
import { pullActiveIn, uniqueByNumber, within } from "./github-window.js";

/**
 * The window's pull requests and issues as analysis items (`<owner/repo>#<number>`, one
 * number space per repository on GitHub, so ids never collide), by repository and number:
 * what themes group beside the commits and what the digest lists and links.
 */
export function githubItems(repositories: readonly GithubRepository[], window: Window): Array<PullRequestItem | IssueItem> {
  const inWindow = within(window);
  const items: Array<PullRequestItem | IssueItem> = [];
  const ordered = [...repositories].sort((a, b) => byText(`${a.owner}/${a.name}`, `${b.owner}/${b.name}`));
  for (const repo of ordered) {
    const repository = `${repo.owner}/${repo.name}`;
    const pulls = uniqueByNumber(repo.pullRequests).filter((pr) => pullActiveIn(pr, inWindow));
    const issues = uniqueByNumber(repo.issues).filter((i) => inWindow(i.createdAt) || inWindow(i.closedAt));
    const entries: Array<PullRequestItem | IssueItem> = [
      ...pulls.map(
        (pr): PullRequestItem => ({
          id: numberedItemId(repository, pr.number),
          kind: "pull_request",
          repository,
          labels: pr.labels,
          number: pr.number,
          title: pr.title,
          author: pr.author.name,
          authorKey: pr.author.key,
          isBot: pr.author.isBot,
          isDraft: pr.isDraft,
          state: pr.state,
          createdAt: pr.createdAt,
          mergedAt: pr.mergedAt,
          closedAt: pr.closedAt,
          additions: pr.additions,
          deletions: pr.deletions,
          url: pr.url,
        }),
      ),
      ...issues.map(
        (issue): IssueItem => ({
          id: numberedItemId(repository, issue.number),
          kind: "issue",
          repository,
          labels: issue.labels,
          number: issue.number,
          title: issue.title,
          author: issue.author.name,
          authorKey: issue.author.key,
          isBot: issue.author.isBot,
          state: issue.state,
          createdAt: issue.createdAt,
          closedAt: issue.closedAt,
          url: issue.url,
        }),
      ),
    ];
    items.push(...entries.sort((a, b) => a.number - b.number));
  }
  return items;
}
