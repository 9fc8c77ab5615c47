import { SparkyError, countOf } from "@sparky/messages";
import type { GithubClient } from "./create-github-client.js";
import { githubError } from "./github-error.js";
import type { GqlCommit, GqlError, GqlIssue, GqlPullRequest, GqlRelease, GqlRepository, GqlReview, Page } from "./graphql-types.js";
import { followUpQuery, repositoriesQuery } from "./repository-query.js";
import type { BuiltQuery, FollowUp, QueryRange, RepoRef } from "./repository-query.js";

/** Everything fetched for one repository in the range, every page joined. */
export interface RepositoryData {
  ref: RepoRef;
  repository: GqlRepository | null;
  head: string | null;
  branch: string | null;
  commits: GqlCommit[];
  pullRequests: GqlPullRequest[];
  issues: GqlIssue[];
  releases: GqlRelease[];
  /** Every review of each pull request fetched, by pull request number. */
  reviews: Map<number, GqlReview[]>;
  /** Why the repository could not be fetched (deleted or renamed since discovery), else null. */
  vanished: string | null;
}

/** Follow-up pages per query: large enough to batch, small enough to stay far from GitHub's node limits. */
const FOLLOW_UPS_PER_QUERY = 20;

/**
 * Run a batched query. A repository that no longer exists makes GitHub answer NOT_FOUND
 * for its alias while `data` still holds the others: those aliases come back as
 * `missing`, anything else GitHub objects to is an error.
 */
export async function batchGraphql<T>(client: GithubClient, built: BuiltQuery, what: string): Promise<{ data: T; missing: Set<string> }> {
  try {
    return { data: await client.graphql<T>(built.query, built.variables), missing: new Set() };
  } catch (error) {
    const answer = error as { errors?: GqlError[]; data?: T | null };
    if (!Array.isArray(answer.errors)) throw githubError(error, what, client.baseUrl);
    const notFound = answer.errors.filter((e) => e.type === "NOT_FOUND" && typeof e.path?.[0] === "string");
    if (answer.data && notFound.length === answer.errors.length) {
      return { data: answer.data, missing: new Set(notFound.map((e) => String(e.path![0]))) };
    }
    const first = answer.errors.find((e) => !notFound.includes(e)) ?? answer.errors[0]!;
    throw new SparkyError(
      "SPARKY_GITHUB_QUERY",
      `GitHub rejected the query while ${what}: ${first.type ? `${first.type}: ` : ""}${first.message}`,
      { cause: error },
    );
  }
}

function emptyData(ref: RepoRef): RepositoryData {
  return { ref, repository: null, head: null, branch: null, commits: [], pullRequests: [], issues: [], releases: [], reviews: new Map(), vanished: null };
}

const lastOf = <T>(page: Page<T>): T | undefined => page.nodes[page.nodes.length - 1];

/**
 * Fetch a batch of repositories over the range: one query for all their first pages,
 * then follow-up queries (batched too) for every connection that still has pages inside
 * the range. Lists ordered newest first stop at the first page that reaches older items.
 */
export async function fetchRepositories(client: GithubClient, refs: readonly RepoRef[], range: QueryRange): Promise<RepositoryData[]> {
  const since = Date.parse(range.since);
  const out = refs.map(emptyData);
  const pending: FollowUp[] = [];
  const vanish = (i: number) => {
    out[i]!.vanished = `${refs[i]!.owner}/${refs[i]!.name} was not found (deleted, renamed or made inaccessible after discovery)`;
  };

  const addPulls = (i: number, page: Page<GqlPullRequest>) => {
    const data = out[i]!;
    for (const pr of page.nodes) {
      if (data.pullRequests.some((p) => p.number === pr.number)) continue; // moved between pages while listing
      data.pullRequests.push(pr);
      data.reviews.set(pr.number, [...(pr.reviews?.nodes ?? [])]);
      const reviews = pr.reviews?.pageInfo;
      if (reviews?.hasNextPage && reviews.endCursor) pending.push({ kind: "reviews", repo: i, pullRequest: pr.number, after: reviews.endCursor });
    }
    const last = lastOf(page);
    if (page.pageInfo.hasNextPage && page.pageInfo.endCursor && last && Date.parse(last.updatedAt) >= since) {
      pending.push({ kind: "pulls", repo: i, after: page.pageInfo.endCursor });
    }
  };
  const addIssues = (i: number, page: Page<GqlIssue>) => {
    const data = out[i]!;
    for (const issue of page.nodes) if (!data.issues.some((x) => x.number === issue.number)) data.issues.push(issue);
    // `filterBy: {since}` already keeps to the range: every page is wanted.
    if (page.pageInfo.hasNextPage && page.pageInfo.endCursor) pending.push({ kind: "issues", repo: i, after: page.pageInfo.endCursor });
  };
  const addReleases = (i: number, page: Page<GqlRelease>) => {
    out[i]!.releases.push(...page.nodes);
    const last = lastOf(page);
    if (page.pageInfo.hasNextPage && page.pageInfo.endCursor && last && Date.parse(last.createdAt) >= since) {
      pending.push({ kind: "releases", repo: i, after: page.pageInfo.endCursor });
    }
  };
  const addHistory = (i: number, page: Page<GqlCommit>) => {
    const data = out[i]!;
    data.commits.push(...page.nodes);
    if (page.pageInfo.hasNextPage && page.pageInfo.endCursor && data.head) {
      pending.push({ kind: "history", repo: i, head: data.head, after: page.pageInfo.endCursor });
    }
  };

  const what = `collecting ${countOf(refs.length, "repository", "repositories")} of ${refs[0]?.owner ?? "?"}`;
  const first = await batchGraphql<Record<string, GqlRepository | null>>(client, repositoriesQuery(refs, range), what);
  refs.forEach((_, i) => {
    const repo = first.data[`r${i}`];
    if (!repo || first.missing.has(`r${i}`)) return vanish(i);
    const data = out[i]!;
    data.repository = repo;
    const target = repo.defaultBranchRef?.target;
    data.branch = repo.defaultBranchRef?.name ?? null;
    data.head = target?.__typename === "Commit" ? (target.oid ?? null) : null;
    if (target?.history) addHistory(i, target.history);
    addPulls(i, repo.pullRequests);
    addIssues(i, repo.issues);
    addReleases(i, repo.releases);
  });

  while (pending.length > 0) {
    const chunk = pending.splice(0, FOLLOW_UPS_PER_QUERY).filter((f) => !out[f.repo]!.vanished);
    if (chunk.length === 0) continue;
    const next = await batchGraphql<Record<string, Record<string, unknown> | null>>(client, followUpQuery(refs, chunk, range), what);
    chunk.forEach((f, j) => {
      const repo = next.data[`f${j}`];
      if (!repo || next.missing.has(`f${j}`)) return vanish(f.repo);
      switch (f.kind) {
        case "history": {
          const history = (repo.object as { history?: Page<GqlCommit> } | null)?.history;
          if (history) addHistory(f.repo, history);
          return;
        }
        case "pulls":
          return addPulls(f.repo, repo.pullRequests as Page<GqlPullRequest>);
        case "issues":
          return addIssues(f.repo, repo.issues as Page<GqlIssue>);
        case "releases":
          return addReleases(f.repo, repo.releases as Page<GqlRelease>);
        case "reviews": {
          const page = (repo.pullRequest as { reviews: Page<GqlReview> | null } | null)?.reviews;
          if (!page) return;
          out[f.repo]!.reviews.get(f.pullRequest)?.push(...page.nodes);
          if (page.pageInfo.hasNextPage && page.pageInfo.endCursor) pending.push({ ...f, after: page.pageInfo.endCursor });
          return;
        }
      }
    });
  }
  return out;
}
