import { AnalysisSchema, SparkyError, daysOf, identityKey, localDay, periodFromRunId, previousPeriod, byText } from "@sparky/messages";
import type {
  Analysis,
  CommitItem,
  ContributorStats,
  RawCommit,
  RawManifest,
  RawRepository,
  RepositoryStats,
} from "@sparky/messages";
import { githubFigures, topReviewers } from "./github/github-figures.js";
import { githubItems } from "./github/github-items.js";
import { githubRepositories, within } from "./github/github-window.js";
import { distinctChanges } from "./highlights.js";
import { identitySuggestions } from "./identity-suggestions.js";
import { commitItemIds } from "./item-ids.js";
import { mergersOf } from "./mergers.js";
import { releasesOf } from "./releases.js";
import { runMismatch } from "./run-mismatch.js";
import { deterministicThemes } from "./themes/deterministic-themes.js";
import { commitKey, themeItemsOf } from "./themes/theme-item.js";

/** The reason a pure analysis gives for its themes: the LLM step (see analyzeRun) replaces it. */
export const NOT_ASKED = "no LLM was asked";

export interface AnalysisOptions {
  topContributors: number;
  highlights: number;
}

/** A commit of the window with what every figure needs computed once. */
interface WindowCommit {
  commit: RawCommit;
  repository: string;
  webUrl: string | null;
  at: number;
  key: string;
  /** The name the person goes by in this analysis (see oneNamePerPerson). */
  name: string;
}

interface ContributorTally {
  key: string;
  name: string;
  commits: number;
  additions: number;
  deletions: number;
  repositories: Set<string>;
}

function newestFirst(a: WindowCommit, b: WindowCommit): number {
  return b.at - a.at || byText(a.repository, b.repository) || byText(a.commit.sha, b.commit.sha);
}

function linesOf(commit: RawCommit): number {
  return commit.additions + commit.deletions;
}

function toItem(c: WindowCommit, ids: Map<string, string>): CommitItem {
  const { commit } = c;
  return {
    id: ids.get(`${c.repository} ${commit.sha}`)!,
    kind: "commit",
    repository: c.repository,
    sha: commit.sha,
    subject: commit.subject,
    author: c.name,
    committedAt: commit.committedAt,
    additions: commit.additions,
    deletions: commit.deletions,
    isMerge: commit.isMerge,
    isBot: commit.isBot,
    filesChanged: commit.filesChanged,
    url: c.webUrl ? `${c.webUrl.replace(/\/+$/, "")}/commit/${commit.sha}` : null,
    // Only when collected, so an analysis of an older collection keeps its bytes.
    ...(commit.areas ? { areas: commit.areas } : {}),
  };
}

/** The tag of the window pointing at each commit (see RawRepository.tags): those commits are releases. */
export function taggedCommits(repositories: RawRepository[]): Map<string, string> {
  const tags = new Map<string, string>();
  for (const repo of repositories) {
    // By name, so a commit with two tags is the same release whatever order they were read in.
    for (const tag of [...(repo.tags ?? [])].sort((a, b) => byText(a.name, b.name))) {
      const key = commitKey(`${repo.owner}/${repo.name}`, tag.sha);
      if (!tags.has(key)) tags.set(key, tag.name);
    }
  }
  return tags;
}

function change(previous: number, current: number) {
  return { previous, current, delta: current - previous };
}

/** Commits of every repository that fall in [start, end), newest first. */
function windowCommits(manifest: RawManifest, repositories: RawRepository[]): WindowCommit[] {
  const start = Date.parse(manifest.window.start);
  const end = Date.parse(manifest.window.end);
  const commits: WindowCommit[] = [];
  for (const repo of repositories) {
    const repository = `${repo.owner}/${repo.name}`;
    // A sha listed twice (a collector retry appending) must not count twice.
    const seen = new Set<string>();
    for (const commit of repo.commits) {
      const at = Date.parse(commit.committedAt);
      // The collector should only hand over the window, but every figure here claims to be
      // "in the window", so hold it to that rather than trust it.
      if (at < start || at >= end || seen.has(commit.sha)) continue;
      seen.add(commit.sha);
      commits.push({ commit, repository, webUrl: repo.webUrl, at, key: identityKey(commit.authorName, commit.authorEmail), name: commit.authorName });
    }
  }
  return oneNamePerPerson(commits.sort(newestFirst));
}

/**
 * One name per person: the newest commit of an identity in the window names it on every
 * commit, as contributor and as merger. Someone who signs as "ctcpip" on one commit and
 * "Chris de Almeida" on the next, with one address, is one person and reads as one.
 */
function oneNamePerPerson(newestFirst: WindowCommit[]): WindowCommit[] {
  const names = new Map<string, string>();
  for (const c of newestFirst) {
    if (!names.has(c.key)) names.set(c.key, c.commit.authorName);
    c.name = names.get(c.key)!;
  }
  return newestFirst;
}

/**
 * Turn one run's raw collection into its analysis, themes grouped deterministically. Pure:
 * the same input gives the same bytes, since the only time in the output is the
 * collection's own `collectedAt`. A GitHub collection (its files read with their full
 * schema) adds its pull requests and issues to the items and the `github` block; a local
 * one has neither, so its analysis is what it was before GitHub.
 */
export function computeAnalysis(
  manifest: RawManifest,
  repositories: RawRepository[],
  options: AnalysisOptions,
): Analysis {
  const spec = periodFromRunId(manifest.runId, manifest.timezone);
  // Days and window must describe the same period, or per-day buckets would drop commits.
  const mismatch = runMismatch(spec, manifest);
  if (mismatch) {
    throw new SparkyError("SPARKY_GATE_RAW_MISMATCH", `raw manifest for ${manifest.runId} contradicts its run id: ${mismatch}`);
  }
  const previous = previousPeriod(spec);
  const commits = windowCommits(manifest, repositories);
  const ids = commitItemIds(commits.map((c) => ({ repository: c.repository, sha: c.commit.sha })));
  const github = manifest.source === "github" ? githubRepositories(repositories) : [];
  const items = [...commits.map((c) => toItem(c, ids)), ...githubItems(github, manifest.window)];
  const priorAuthors = new Set(repositories.flatMap((repo) => repo.priorAuthors));

  const repoStats = new Map<string, RepositoryStats & { humans: Set<string> }>();
  for (const repo of repositories) {
    const fullName = `${repo.owner}/${repo.name}`;
    repoStats.set(fullName, {
      fullName,
      webUrl: repo.webUrl,
      commits: 0,
      merges: 0,
      additions: 0,
      deletions: 0,
      contributors: 0,
      humans: new Set(),
    });
  }
  const perDay = new Map(daysOf(spec).map((day) => [day, 0]));
  const tallies = new Map<string, ContributorTally>();
  const totals = { commits: 0, merges: 0, botCommits: 0, additions: 0, deletions: 0 };

  // `commits` is newest first, so the first commit seen of a person carries the name they use now.
  for (const c of commits) {
    const { commit } = c;
    const repo = repoStats.get(c.repository)!;
    if (commit.isMerge) {
      totals.merges += 1;
      repo.merges += 1;
    } else {
      totals.commits += 1;
      totals.additions += commit.additions;
      totals.deletions += commit.deletions;
      if (commit.isBot) totals.botCommits += 1;
      repo.commits += 1;
      repo.additions += commit.additions;
      repo.deletions += commit.deletions;
      const day = localDay(c.at, manifest.timezone);
      const count = perDay.get(day);
      if (count !== undefined) perDay.set(day, count + 1);
    }
    // A contributor authored a non-merge commit, as `git shortlog --no-merges` and GitHub's
    // contributor graphs count them: merging alone makes someone a merger (see mergersOf).
    if (commit.isBot || commit.isMerge) continue;
    repo.humans.add(c.key);
    let tally = tallies.get(c.key);
    if (!tally) {
      tally = { key: c.key, name: c.name, commits: 0, additions: 0, deletions: 0, repositories: new Set() };
      tallies.set(c.key, tally);
    }
    tally.repositories.add(c.repository);
    tally.commits += 1;
    tally.additions += commit.additions;
    tally.deletions += commit.deletions;
  }

  const contributors: ContributorStats[] = [...tallies.values()]
    .map((t) => ({
      name: t.name,
      key: t.key,
      commits: t.commits,
      additions: t.additions,
      deletions: t.deletions,
      repositories: [...t.repositories].sort(byText),
      isNew: !priorAuthors.has(t.key),
    }))
    .sort(
      (a, b) =>
        b.commits - a.commits ||
        b.additions + b.deletions - (a.additions + a.deletions) ||
        byText(a.name, b.name) ||
        byText(a.key, b.key),
    );

  const repositoryStats: RepositoryStats[] = [...repoStats.values()]
    .map(({ humans, ...stats }) => ({ ...stats, contributors: humans.size }))
    .sort((a, b) => b.commits - a.commits || byText(a.fullName, b.fullName));

  // A zero-line commit (empty, or binary only) is no "largest change", however few commits there are.
  const ranked = commits
    .filter((c) => !c.commit.isMerge && !c.commit.isBot && linesOf(c.commit) > 0)
    .sort((a, b) => linesOf(b.commit) - linesOf(a.commit) || newestFirst(a, b));
  // A change that landed on two branches is one change: listed once, its newest copy.
  const highlights = distinctChanges(ranked, Math.max(0, options.highlights)).map((c) => toItem(c, ids));

  const previousAuthors = new Set(repositories.flatMap((repo) => repo.previous.authors));
  const sum = (pick: (repo: RawRepository) => number) => repositories.reduce((n, repo) => n + pick(repo), 0);
  const githubBlock =
    manifest.source === "github"
      ? githubFigures(github, { org: manifest.org ?? null, window: manifest.window, topReviewers: options.topContributors })
      : null;
  const withCommits = repositoryStats.filter((r) => r.commits + r.merges > 0).map((r) => r.fullName);
  // One meaning of "active": anything in the window, commits or GitHub activity alike.
  const active = new Set([...withCommits, ...(githubBlock?.repositories.map((r) => r.fullName) ?? [])]);
  const contributorKeys = new Set(contributors.map((c) => c.key));
  // The names people go by in this window's commits, for the lists built from other sources.
  const nameOf = new Map(commits.map((c) => [c.key, c.name]));
  const mergers = mergersOf(
    commits.filter((c) => c.commit.isMerge),
    github,
    manifest.window,
    contributorKeys,
    nameOf,
  );
  const releases = releasesOf(repositories, github, manifest.window).map((r) => ({
    ...r,
    authors: r.authors.map((a) => ({ ...a, name: nameOf.get(a.key) ?? a.name })),
  }));

  const reviewersOnly = githubBlock
    ? topReviewers(github, within(manifest.window), Number.POSITIVE_INFINITY).filter((r) => !contributorKeys.has(r.key))
    : null;

  return AnalysisSchema.parse({
    schema: "sparky.analysis/1",
    runId: manifest.runId,
    period: manifest.period,
    key: manifest.key,
    // Canonical instants: downstream gates compare window strings with what periodFor wrote.
    window: { start: new Date(manifest.window.start).toISOString(), end: new Date(manifest.window.end).toISOString() },
    timezone: manifest.timezone,
    collectedAt: manifest.collectedAt,
    firstDay: spec.firstDay,
    lastDay: spec.lastDay,
    previousWindow: previous.window,
    totals: {
      ...totals,
      contributors: contributors.length,
      newContributors: contributors.filter((c) => c.isNew).length,
      activeRepositories: active.size,
      repositoriesWithCommits: withCommits.length,
      repositories: repositories.length,
    },
    change: {
      commits: change(sum((repo) => repo.previous.commits), totals.commits),
      merges: change(sum((repo) => repo.previous.merges), totals.merges),
      contributors: change(previousAuthors.size, contributors.length),
    },
    contributors,
    topContributors: contributors.slice(0, Math.max(0, options.topContributors)),
    mergers,
    ...(reviewersOnly ? { reviewersOnly } : {}),
    uncollected: [...(manifest.stats?.skipped ?? [])].sort((a, b) => byText(a.repository, b.repository)),
    repositories: repositoryStats,
    perDay: [...perDay].map(([day, count]) => ({ day, commits: count })),
    items,
    highlights,
    themes: { source: "deterministic", reason: NOT_ASKED, themes: deterministicThemes(themeItemsOf(items, taggedCommits(repositories))) },
    ...(githubBlock ? { github: githubBlock } : {}),
    releases,
    identitySuggestions: identitySuggestions([...contributors, ...mergers, ...(reviewersOnly ?? [])]),
  });
}
