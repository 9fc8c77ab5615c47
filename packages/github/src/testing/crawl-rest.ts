import type { GithubClient } from "../create-github-client.js";

interface Listed {
  name: string;
  archived?: boolean;
  fork: boolean;
}

/** Every page of a REST list, following the Link header. */
async function allPages<T>(client: GithubClient, route: string, params: Record<string, unknown>, more: (items: T[]) => boolean = () => true): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; ; page++) {
    const response = await client.request<T[]>(route, { ...params, per_page: 100, page });
    out.push(...response.data);
    if (!/\brel="next"/.test(String(response.headers.link ?? "")) || !more(response.data)) return out;
  }
}

/**
 * The per-repository REST crawl the collector is measured against: list the
 * organisation's repositories, then for each one its commits, pull requests and issues
 * over the same range, then each pull request's reviews. It runs for real (against the
 * fake server in the benchmark), so its request count is counted, not estimated.
 */
export async function crawlRest(client: GithubClient, org: string, range: { since: string; until: string }): Promise<{ repositories: number; pullRequests: number }> {
  const since = Date.parse(range.since);
  const repos = (await allPages<Listed>(client, "GET /orgs/{org}/repos", { org, type: "all" })).filter((r) => !r.archived && !r.fork);
  let pullRequests = 0;
  for (const repo of repos) {
    const at = { owner: org, repo: repo.name };
    await allPages(client, "GET /repos/{owner}/{repo}/commits", { ...at, since: range.since, until: range.until });
    const pulls = await allPages<{ number: number; updated_at: string }>(
      client,
      "GET /repos/{owner}/{repo}/pulls",
      { ...at, state: "all", sort: "updated", direction: "desc" },
      (items) => items.every((p) => Date.parse(p.updated_at) >= since),
    );
    await allPages(client, "GET /repos/{owner}/{repo}/issues", { ...at, state: "all", since: range.since });
    for (const pr of pulls.filter((p) => Date.parse(p.updated_at) >= since)) {
      pullRequests += 1;
      await allPages(client, "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { ...at, pull_number: pr.number });
    }
  }
  return { repositories: repos.length, pullRequests };
}
