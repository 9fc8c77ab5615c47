import { numbersIn, oneLine } from "@sparky/llm";
import type { GroundingFacts } from "@sparky/llm";
import type { Analysis, GithubAnalysis } from "@sparky/messages";
import { periodLabel } from "../digest-title.js";

const TOP = 5;
const REPOSITORIES = 8;
const THEMES = 8;

export interface NarrativeFacts {
  /** What the model is shown, as JSON. */
  facts: Record<string, unknown>;
  /** What its paragraph is checked against. */
  grounding: GroundingFacts;
}

/**
 * The figures among the facts: numbers Sparky computed, never digits inside text. Theme
 * titles are model text and names are people's, so a "999" in either (put there by a
 * prompt injection in a commit message, say) is not a figure the paragraph may state.
 */
function numbersOf(value: unknown, out: number[]): number[] {
  if (typeof value === "number") out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => numbersOf(v, out));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => numbersOf(v, out));
  return out;
}

function githubFacts(github: GithubAnalysis): Record<string, unknown> {
  const { pulls, issues, releases, reviews } = github;
  return {
    pullRequests: {
      opened: pulls.opened.current,
      merged: pulls.merged.current,
      closedWithoutMerging: pulls.closed,
      reviews: reviews.current,
      previousPeriod: { opened: pulls.opened.previous, merged: pulls.merged.previous, reviews: reviews.previous },
      cycleTimeHours: { median: pulls.cycleTimeHours.median, p90: pulls.cycleTimeHours.p90 },
      hoursToFirstReview: { median: pulls.firstReviewHours.median, p90: pulls.firstReviewHours.p90 },
    },
    issues: { opened: issues.opened.current, closed: issues.closed.current, previousPeriod: { opened: issues.opened.previous, closed: issues.closed.previous } },
    releases: releases.count.current,
    topReviewers: github.topReviewers.slice(0, TOP).map((r) => ({ name: oneLine(r.name, 60), reviews: r.reviews })),
  };
}

/**
 * The computed facts of a period, the only thing the narrative may be written from: the
 * figures, the top contributors and repositories, the themes' titles and sizes. Item
 * titles and bodies are left out: they are untrusted and the themes already summarise them.
 */
export function narrativeFacts(analysis: Analysis): NarrativeFacts {
  const { totals, change } = analysis;
  const label = periodLabel(analysis);
  const facts = {
    period: `${analysis.period === "daily" ? "day" : analysis.period === "weekly" ? "week" : "month"} ${label}`,
    commits: totals.commits,
    merges: totals.merges,
    linesAdded: totals.additions,
    linesRemoved: totals.deletions,
    contributors: totals.contributors,
    newContributors: totals.newContributors,
    botCommits: totals.botCommits,
    activeRepositories: totals.activeRepositories,
    // What "across N repositories" of the commits means, a figure the paragraph may state.
    ...(totals.repositoriesWithCommits !== undefined ? { repositoriesWithCommits: totals.repositoriesWithCommits } : {}),
    repositoriesWatched: totals.repositories,
    previousPeriod: { commits: change.commits.previous, merges: change.merges.previous, contributors: change.contributors.previous },
    changeFromPrevious: { commits: change.commits.delta, merges: change.merges.delta, contributors: change.contributors.delta },
    topContributors: analysis.topContributors.slice(0, TOP).map((c) => ({ name: oneLine(c.name, 60), commits: c.commits, isNew: c.isNew })),
    repositories: analysis.repositories
      .filter((r) => r.commits + r.merges > 0)
      .slice(0, REPOSITORIES)
      .map((r) => ({ name: r.fullName, commits: r.commits, merges: r.merges })),
    themes: analysis.themes.themes.slice(0, THEMES).map((t) => ({ title: oneLine(t.title, 80), items: t.itemIds.length })),
    // GitHub's figures only when there are any: a local-git prompt, and so its cached answer, stays as it was.
    ...(analysis.github ? githubFacts(analysis.github) : {}),
  };
  return {
    facts,
    grounding: {
      // The period's label is Sparky's own text: its dates may be stated.
      numbers: [...numbersOf(facts, []), ...numbersIn(facts.period)],
      // Any contributor or repository of the period may be named, not only those shown.
      names: [
        ...analysis.contributors.map((c) => c.name),
        ...analysis.repositories.map((r) => r.fullName),
        ...(analysis.github?.topReviewers.map((r) => r.name) ?? []),
      ],
      vocabulary: [facts.period, ...analysis.themes.themes.map((t) => `${t.title} ${t.summary}`)],
    },
  };
}
