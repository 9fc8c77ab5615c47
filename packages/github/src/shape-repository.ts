import { byText } from "@sparky/messages";
import type { GithubActor, GithubCommit, GithubPullRequest, GithubRepository, GithubReview, Window } from "@sparky/messages";
import type { RepositoryData } from "./fetch-repositories.js";
import type { GqlActor, GqlCommit, GqlPullRequest, GqlReview } from "./graphql-types.js";
import type { IdentityResolver } from "./identities.js";
import type { PriorLookup } from "./repository-query.js";

export interface ShapeContext {
  window: Window;
  previousWindow: Window;
  resolver: IdentityResolver;
  collectedAt: string;
}

export interface ShapedRepository {
  raw: GithubRepository;
  /** Window authors not seen in the previous window: whether they committed earlier is asked next. */
  lookups: { key: string; lookup: PriorLookup }[];
}

const iso = (t: string) => new Date(t).toISOString();
function span(window: Window) {
  const start = Date.parse(window.start);
  const end = Date.parse(window.end);
  return (t: string | null | undefined) => {
    if (!t) return false;
    const at = Date.parse(t);
    return at >= start && at < end;
  };
}

function commitAuthor(c: GqlCommit, resolver: IdentityResolver): GithubActor {
  const user = c.author?.user ?? null;
  return resolver.resolve({ login: user?.login, email: c.author?.email, name: user?.name || c.author?.name });
}

function toCommit(c: GqlCommit, author: GithubActor): GithubCommit {
  const isMerge = c.parents.totalCount > 1;
  return {
    sha: c.oid,
    parents: c.parents.nodes.map((p) => p.oid),
    authorName: author.name,
    // The identity key, so that the analyzer's identityKey() merges a person's addresses.
    authorEmail: author.key,
    authoredAt: iso(c.authoredDate),
    committedAt: iso(c.committedDate),
    subject: c.messageHeadline,
    // As for local git: a merge's lines are the merged branch's, already counted in its commits.
    additions: isMerge ? 0 : c.additions,
    deletions: isMerge ? 0 : c.deletions,
    filesChanged: isMerge ? 0 : (c.changedFilesIfAvailable ?? 0),
    isMerge,
    isBot: author.isBot,
    url: c.url,
    message: c.message,
    author,
    gitAuthor: { name: c.author?.name ?? "", email: c.author?.email ?? "" },
    committer: { name: c.committer?.name ?? "", email: c.committer?.email ?? "", login: c.committer?.user?.login ?? null },
  };
}

interface SubmittedReview {
  at: string;
  who: GithubActor;
}

/** Submitted reviews (a pending one is a draft nobody else sees), oldest first. */
function submitted(reviews: GqlReview[], resolve: (a: GqlActor | null) => GithubActor): SubmittedReview[] {
  return reviews
    .filter((r) => r.submittedAt && r.state !== "PENDING")
    .map((r) => ({ at: iso(r.submittedAt!), who: resolve(r.author) }))
    .sort((a, b) => byText(a.at, b.at));
}

/**
 * When the pull request first asked for review, null while it is a draft. The first
 * ReadyForReview/ConvertToDraft event says how it was opened: a ReadyForReview first means
 * it was opened as a draft and became ready then; anything else means it was ready when opened.
 */
function readyAt(pr: GqlPullRequest): string | null {
  if (pr.isDraft) return null;
  const first = pr.timelineItems?.nodes[0];
  return iso(first?.__typename === "ReadyForReviewEvent" && first.createdAt ? first.createdAt : pr.createdAt);
}

/**
 * Turn what GraphQL returned for one repository into its raw file: the window's items
 * with resolved people, and the previous window's figures for trends.
 */
export function shapeRepository(data: RepositoryData, ctx: ShapeContext): ShapedRepository {
  const repo = data.repository!;
  const { resolver } = ctx;
  const inWindow = span(ctx.window);
  const inPrevious = span(ctx.previousWindow);
  const actor = (a: GqlActor | null): GithubActor =>
    resolver.resolve(a ? { login: a.login, name: a.name, type: a.__typename } : { login: "ghost" });

  const seen = new Set<string>();
  const commits: GithubCommit[] = [];
  const previous = { commits: 0, merges: 0, authors: new Set<string>() };
  const windowAuthors = new Map<string, GqlCommit[]>();
  for (const c of data.commits) {
    if (seen.has(c.oid)) continue;
    seen.add(c.oid);
    const author = commitAuthor(c, resolver);
    const isMerge = c.parents.totalCount > 1;
    if (inWindow(c.committedDate)) {
      commits.push(toCommit(c, author));
      // Contributors are authors of non-merge commits: only they can be new contributors.
      if (!author.isBot && !isMerge) windowAuthors.set(author.key, [...(windowAuthors.get(author.key) ?? []), c]);
    } else if (inPrevious(c.committedDate)) {
      if (isMerge) previous.merges += 1;
      else previous.commits += 1;
      if (!author.isBot && !isMerge) previous.authors.add(author.key);
    }
  }
  commits.sort((a, b) => byText(b.committedAt, a.committedAt) || byText(a.sha, b.sha));

  const pullRequests: GithubPullRequest[] = [];
  const reviews: GithubReview[] = [];
  let previousReviews = 0;
  for (const pr of data.pullRequests) {
    const author = actor(pr.author);
    const all = submitted(data.reviews.get(pr.number) ?? [], actor);
    for (const r of data.reviews.get(pr.number) ?? []) {
      if (r.state === "PENDING" || !r.submittedAt) continue;
      if (inPrevious(r.submittedAt)) previousReviews += 1;
      if (!inWindow(r.submittedAt)) continue;
      const who = actor(r.author);
      reviews.push({ pullRequest: pr.number, pullRequestUrl: pr.url, url: r.url, author: who, state: r.state, submittedAt: iso(r.submittedAt), byAuthor: who.key === author.key });
    }
    const first = all.find((r) => r.who.key !== author.key) ?? null;
    const ready = readyAt(pr);
    // Reviews of a draft are not what its author waited for once it was ready; bots do not count.
    const human = ready === null ? null : (all.find((r) => r.who.key !== author.key && !r.who.isBot && r.at >= ready) ?? null);
    if (!(inWindow(pr.createdAt) || inWindow(pr.mergedAt) || inWindow(pr.closedAt) || inWindow(human?.at))) continue;
    pullRequests.push({
      number: pr.number,
      title: pr.title,
      url: pr.url,
      author,
      labels: (pr.labels?.nodes ?? []).map((l) => l.name),
      isDraft: pr.isDraft,
      state: pr.state,
      createdAt: iso(pr.createdAt),
      updatedAt: iso(pr.updatedAt),
      mergedAt: pr.mergedAt ? iso(pr.mergedAt) : null,
      closedAt: pr.closedAt ? iso(pr.closedAt) : null,
      mergedBy: pr.mergedBy ? actor(pr.mergedBy) : null,
      additions: pr.additions,
      deletions: pr.deletions,
      changedFiles: pr.changedFiles,
      firstReviewAt: first?.at ?? null,
      firstReviewer: first?.who ?? null,
      readyAt: ready,
      firstHumanReviewAt: human?.at ?? null,
      firstHumanReviewer: human?.who ?? null,
    });
  }

  const issues = data.issues
    .filter((i) => inWindow(i.createdAt) || inWindow(i.closedAt))
    .map((i) => ({
      number: i.number,
      title: i.title,
      url: i.url,
      author: actor(i.author),
      labels: (i.labels?.nodes ?? []).map((l) => l.name),
      state: i.state,
      stateReason: i.stateReason,
      createdAt: iso(i.createdAt),
      updatedAt: iso(i.updatedAt),
      closedAt: i.closedAt ? iso(i.closedAt) : null,
    }));
  const releases = data.releases
    .filter((r) => !r.isDraft && inWindow(r.publishedAt))
    .map((r) => ({
      name: r.name,
      tagName: r.tagName,
      url: r.url,
      author: r.author ? resolver.resolve({ login: r.author.login, name: r.author.name, type: "User" }) : null,
      isPrerelease: r.isPrerelease,
      createdAt: iso(r.createdAt),
      publishedAt: iso(r.publishedAt!),
    }));

  // Who committed in the previous window is not new; for the others GitHub is asked.
  const lookups: ShapedRepository["lookups"] = [];
  for (const [key, authored] of windowAuthors) {
    if (previous.authors.has(key) || !data.head) continue;
    const id = authored.find((c) => c.author?.user?.id)?.author?.user?.id;
    const emails = [...new Set(authored.map((c) => c.author?.email).filter((e): e is string => !!e))];
    if (!id && emails.length === 0) continue;
    lookups.push({ key, lookup: { repo: data.ref, head: data.head, author: id ? { id } : { emails } } });
  }

  const raw: GithubRepository = {
    schema: "sparky.raw.github-repository/1",
    source: "github",
    owner: data.ref.owner,
    name: data.ref.name,
    path: repo.url,
    webUrl: repo.url,
    head: data.head ?? "",
    branch: data.branch ?? "",
    window: ctx.window,
    commits,
    priorAuthors: [...previous.authors].sort(byText),
    previous: {
      window: ctx.previousWindow,
      commits: previous.commits,
      merges: previous.merges,
      authors: [...previous.authors].sort(byText),
      pullRequestsOpened: data.pullRequests.filter((p) => inPrevious(p.createdAt)).length,
      pullRequestsMerged: data.pullRequests.filter((p) => inPrevious(p.mergedAt)).length,
      reviews: previousReviews,
      issuesOpened: data.issues.filter((i) => inPrevious(i.createdAt)).length,
      issuesClosed: data.issues.filter((i) => inPrevious(i.closedAt)).length,
      releases: data.releases.filter((r) => !r.isDraft && inPrevious(r.publishedAt)).length,
    },
    collectedAt: ctx.collectedAt,
    identityFingerprint: resolver.fingerprint,
    pushedAt: repo.pushedAt ? iso(repo.pushedAt) : null,
    isArchived: repo.isArchived,
    isFork: repo.isFork,
    pullRequests: pullRequests.sort((a, b) => a.number - b.number),
    reviews: reviews.sort((a, b) => byText(a.submittedAt, b.submittedAt) || byText(a.url, b.url)),
    issues: issues.sort((a, b) => a.number - b.number),
    releases: releases.sort((a, b) => byText(a.publishedAt, b.publishedAt) || byText(a.tagName, b.tagName)),
  };
  return { raw, lookups };
}
