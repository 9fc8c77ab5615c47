import { byText } from "@sparky/messages";
import type { Change, GithubAnalysis, GithubRepository, GithubRepositoryFigures, ReleaseEntry, ReviewerStats, Window } from "@sparky/messages";
import { durationFigures } from "./percentile.js";
import { pullActiveIn, uniqueByNumber, within } from "./github-window.js";

export interface GithubFiguresOptions {
  org: string | null;
  window: Window;
  /** Reviewers listed (as many as top contributors). */
  topReviewers: number;
}

function change(previous: number, current: number): Change {
  return { previous, current, delta: current - previous };
}

interface ReviewerTally {
  key: string;
  name: string;
  reviews: number;
  pullRequests: Set<string>;
  repositories: Set<string>;
}

/**
 * Reviewers of the window: reviews submitted in it by people (not bots), on someone else's
 * pull request (an author answering in a review of their own is not reviewing). Most
 * reviews first. The newest review gives the name, as the newest commit does for contributors.
 */
export function topReviewers(repositories: readonly GithubRepository[], inWindow: (t: string) => boolean, limit: number): ReviewerStats[] {
  const reviews = repositories
    .flatMap((repo) => repo.reviews.map((review) => ({ review, repository: `${repo.owner}/${repo.name}` })))
    .filter(({ review }) => inWindow(review.submittedAt) && !review.author.isBot && !review.byAuthor)
    .sort((a, b) => byText(b.review.submittedAt, a.review.submittedAt) || byText(a.review.url, b.review.url));
  const seen = new Set<string>();
  const tallies = new Map<string, ReviewerTally>();
  for (const { review, repository } of reviews) {
    // The same review listed twice (a collector retry) counts once.
    if (seen.has(review.url)) continue;
    seen.add(review.url);
    const key = review.author.key;
    const tally = tallies.get(key) ?? { key, name: review.author.name, reviews: 0, pullRequests: new Set(), repositories: new Set() };
    tally.reviews += 1;
    tally.pullRequests.add(`${repository}#${review.pullRequest}`);
    tally.repositories.add(repository);
    tallies.set(key, tally);
  }
  return [...tallies.values()]
    .map((t) => ({ name: t.name, key: t.key, reviews: t.reviews, pullRequests: t.pullRequests.size, repositories: [...t.repositories].sort(byText) }))
    .sort((a, b) => b.reviews - a.reviews || b.pullRequests - a.pullRequests || byText(a.name, b.name) || byText(a.key, b.key))
    .slice(0, Math.max(0, limit));
}

/**
 * The GitHub block of an analysis: pull requests opened, merged and closed without merging,
 * cycle time (opened to merged, over the pull requests merged in the window) and time to
 * first human review (ready for review to the first review by a person other than the
 * author, over the pull requests first reviewed in the window; drafts count from when they
 * were marked ready, and one still a draft is not measured), median and p90 by nearest
 * rank; reviews, top reviewers, issues opened and closed, releases; each count against the
 * previous period where the collection counted it; and per-repository figures.
 */
export function githubFigures(repositories: readonly GithubRepository[], options: GithubFiguresOptions): GithubAnalysis {
  const inWindow = within(options.window);
  const cycleMs: number[] = [];
  const reviewMs: number[] = [];
  const releases: ReleaseEntry[] = [];
  const perRepository: GithubRepositoryFigures[] = [];
  const totals = { opened: 0, merged: 0, closed: 0, reviews: 0, issuesOpened: 0, issuesClosed: 0, releases: 0 };
  const previous = { opened: 0, merged: 0, reviews: 0, issuesOpened: 0, issuesClosed: 0, releases: 0 };

  for (const repo of repositories) {
    const fullName = `${repo.owner}/${repo.name}`;
    const pulls = uniqueByNumber(repo.pullRequests).filter((pr) => pullActiveIn(pr, inWindow));
    const issues = uniqueByNumber(repo.issues);
    const shas = new Set<string>();
    const commits = repo.commits.filter((c) => inWindow(c.committedAt) && !shas.has(c.sha) && (shas.add(c.sha), true));
    const reviewUrls = new Set(repo.reviews.filter((r) => inWindow(r.submittedAt)).map((r) => r.url));
    const published = repo.releases.filter((r) => inWindow(r.publishedAt));
    const figures: GithubRepositoryFigures = {
      fullName,
      webUrl: repo.webUrl,
      activity: 0,
      commits: commits.filter((c) => !c.isMerge).length,
      merges: commits.filter((c) => c.isMerge).length,
      pullsOpened: pulls.filter((pr) => inWindow(pr.createdAt)).length,
      pullsMerged: pulls.filter((pr) => inWindow(pr.mergedAt)).length,
      pullsClosed: pulls.filter((pr) => pr.mergedAt === null && inWindow(pr.closedAt)).length,
      reviews: reviewUrls.size,
      issuesOpened: issues.filter((i) => inWindow(i.createdAt)).length,
      issuesClosed: issues.filter((i) => inWindow(i.closedAt)).length,
      releases: published.length,
    };
    figures.activity =
      figures.commits + figures.merges + figures.pullsOpened + figures.pullsMerged + figures.pullsClosed +
      figures.reviews + figures.issuesOpened + figures.issuesClosed + figures.releases;
    if (figures.activity > 0) perRepository.push(figures);

    for (const pr of pulls) {
      if (inWindow(pr.mergedAt)) cycleMs.push(Math.max(0, Date.parse(pr.mergedAt!) - Date.parse(pr.createdAt)));
      if (pr.readyAt && inWindow(pr.firstHumanReviewAt)) reviewMs.push(Math.max(0, Date.parse(pr.firstHumanReviewAt!) - Date.parse(pr.readyAt)));
    }
    for (const r of published) {
      releases.push({ repository: fullName, tagName: r.tagName, name: r.name, url: r.url, isPrerelease: r.isPrerelease, publishedAt: r.publishedAt, author: r.author?.name ?? null });
    }
    totals.opened += figures.pullsOpened;
    totals.merged += figures.pullsMerged;
    totals.closed += figures.pullsClosed;
    totals.reviews += figures.reviews;
    totals.issuesOpened += figures.issuesOpened;
    totals.issuesClosed += figures.issuesClosed;
    totals.releases += figures.releases;
    previous.opened += repo.previous.pullRequestsOpened;
    previous.merged += repo.previous.pullRequestsMerged;
    previous.reviews += repo.previous.reviews;
    previous.issuesOpened += repo.previous.issuesOpened;
    previous.issuesClosed += repo.previous.issuesClosed;
    previous.releases += repo.previous.releases;
  }

  return {
    org: options.org,
    pulls: {
      opened: change(previous.opened, totals.opened),
      merged: change(previous.merged, totals.merged),
      closed: totals.closed,
      cycleTimeHours: durationFigures(cycleMs),
      firstReviewHours: durationFigures(reviewMs),
    },
    reviews: change(previous.reviews, totals.reviews),
    topReviewers: topReviewers(repositories, inWindow, options.topReviewers),
    issues: { opened: change(previous.issuesOpened, totals.issuesOpened), closed: change(previous.issuesClosed, totals.issuesClosed) },
    releases: {
      count: change(previous.releases, totals.releases),
      list: releases.sort((a, b) => byText(b.publishedAt, a.publishedAt) || byText(a.repository, b.repository) || byText(a.tagName, b.tagName)),
    },
    repositories: perRepository.sort((a, b) => b.activity - a.activity || byText(a.fullName, b.fullName)),
  };
}
