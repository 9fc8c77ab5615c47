// Builders for GitHub raw fixtures shared by this package's tests (excluded from the build).
import { GithubRepositorySchema, RawManifestSchema, githubIdentityKey, previousPeriod } from "@sparky/messages";
import type { GithubActor, GithubCommit, GithubIssue, GithubPullRequest, GithubRelease, GithubRepository, GithubReview, PeriodSpec, RawManifest } from "@sparky/messages";

export const WEB = "https://github.com";

export function actor(login: string, name = login): GithubActor {
  return { login, key: githubIdentityKey(login), name, isBot: /\[bot\]$/.test(login) };
}

export function ghCommit(fullName: string, fields: Partial<GithubCommit> & Pick<GithubCommit, "sha" | "committedAt">, who = actor("alice", "Alice")): GithubCommit {
  return {
    parents: ["p1"],
    authorName: who.name,
    authorEmail: who.key,
    authoredAt: fields.committedAt,
    subject: `change ${fields.sha}`,
    additions: 1,
    deletions: 1,
    filesChanged: 1,
    isMerge: false,
    isBot: who.isBot,
    url: `${WEB}/${fullName}/commit/${fields.sha}`,
    message: `change ${fields.sha}`,
    author: who,
    gitAuthor: { name: who.name, email: who.key },
    committer: { name: who.name, email: who.key, login: who.login },
    ...fields,
  };
}

/** A pull request opened ready for review at `createdAt`, unless fields say otherwise. */
export function pull(fullName: string, fields: Partial<GithubPullRequest> & Pick<GithubPullRequest, "number" | "createdAt">): GithubPullRequest {
  return {
    title: `Pull request ${fields.number}`,
    url: `${WEB}/${fullName}/pull/${fields.number}`,
    author: actor("alice", "Alice"),
    labels: [],
    isDraft: false,
    state: "OPEN",
    updatedAt: fields.createdAt,
    mergedAt: null,
    closedAt: null,
    mergedBy: null,
    additions: 10,
    deletions: 2,
    changedFiles: 1,
    firstReviewAt: null,
    firstReviewer: null,
    readyAt: fields.isDraft ? null : fields.createdAt,
    firstHumanReviewAt: null,
    firstHumanReviewer: null,
    ...fields,
  };
}

export function review(fullName: string, pullRequest: number, n: number, who: GithubActor, submittedAt: string, byAuthor = false): GithubReview {
  return {
    pullRequest,
    pullRequestUrl: `${WEB}/${fullName}/pull/${pullRequest}`,
    url: `${WEB}/${fullName}/pull/${pullRequest}#pullrequestreview-${n}`,
    author: who,
    state: "APPROVED",
    submittedAt,
    byAuthor,
  };
}

export function issue(fullName: string, fields: Partial<GithubIssue> & Pick<GithubIssue, "number" | "createdAt">): GithubIssue {
  return {
    title: `Issue ${fields.number}`,
    url: `${WEB}/${fullName}/issues/${fields.number}`,
    author: actor("carol", "Carol"),
    labels: [],
    state: fields.closedAt ? "CLOSED" : "OPEN",
    stateReason: null,
    updatedAt: fields.closedAt ?? fields.createdAt,
    closedAt: null,
    ...fields,
  };
}

export function release(fullName: string, tagName: string, publishedAt: string, fields: Partial<GithubRelease> = {}): GithubRelease {
  return {
    name: tagName,
    tagName,
    url: `${WEB}/${fullName}/releases/tag/${tagName}`,
    author: actor("alice", "Alice"),
    isPrerelease: false,
    createdAt: publishedAt,
    publishedAt,
    ...fields,
  };
}

export interface GithubParts {
  commits?: GithubCommit[];
  pullRequests?: GithubPullRequest[];
  reviews?: GithubReview[];
  issues?: GithubIssue[];
  releases?: GithubRelease[];
  priorAuthors?: string[];
  previous?: Partial<GithubRepository["previous"]>;
}

export function githubRepository(spec: PeriodSpec, fullName: string, parts: GithubParts = {}): GithubRepository {
  const [owner = "", name = ""] = fullName.split("/");
  return GithubRepositorySchema.parse({
    schema: "sparky.raw.github-repository/1",
    source: "github",
    owner,
    name,
    path: `${WEB}/${fullName}`,
    webUrl: `${WEB}/${fullName}`,
    head: "f".repeat(40),
    branch: "main",
    window: spec.window,
    commits: parts.commits ?? [],
    priorAuthors: parts.priorAuthors ?? [],
    previous: {
      window: previousPeriod(spec).window,
      commits: 0,
      merges: 0,
      authors: [],
      pullRequestsOpened: 0,
      pullRequestsMerged: 0,
      reviews: 0,
      issuesOpened: 0,
      issuesClosed: 0,
      releases: 0,
      ...parts.previous,
    },
    collectedAt: "2026-11-27T06:00:00.000Z",
    identityFingerprint: "0123456789abcdef",
    pushedAt: spec.window.start,
    isArchived: false,
    isFork: false,
    pullRequests: parts.pullRequests ?? [],
    reviews: parts.reviews ?? [],
    issues: parts.issues ?? [],
    releases: parts.releases ?? [],
  });
}

export function githubManifest(spec: PeriodSpec, repositories: GithubRepository[], org = "acme"): RawManifest {
  return RawManifestSchema.parse({
    schema: "sparky.raw.manifest/1",
    runId: spec.runId,
    period: spec.period,
    key: spec.key,
    window: spec.window,
    timezone: spec.timezone,
    collectedAt: "2026-11-27T06:00:00.000Z",
    complete: true,
    source: "github",
    org,
    stats: { requests: 3, notModified: 0, graphqlCost: 2, rateLimit: null, waitedMs: 0, reused: 0, skipped: [] },
    repositories: repositories.map((repo) => ({
      owner: repo.owner,
      name: repo.name,
      file: `${repo.owner}/${repo.name}.json`,
      commits: repo.commits.filter((c) => !c.isMerge).length,
      merges: repo.commits.filter((c) => c.isMerge).length,
      newestCommitAt: repo.pushedAt,
    })),
  });
}
