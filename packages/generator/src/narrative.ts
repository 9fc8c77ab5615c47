import type { Analysis, Period } from "@sparky/messages";
import { countOf, formatCount, formatSigned } from "./format.js";
import { monthName } from "./digest-title.js";
import { escapeMarkdownInline } from "./escape.js";
import { plain } from "./markdown.js";

export const PERIOD_NOUN: Record<Period, string> = { daily: "day", weekly: "week", monthly: "month" };

function changePhrase(delta: number, singular: string, plural?: string): string | null {
  if (delta === 0) return null;
  const words = countOf(Math.abs(delta), singular, plural).replace(/^[0-9,]+ /, "");
  return `${formatSigned(delta)} ${words}`;
}

function when(analysis: Analysis): string {
  if (analysis.period === "daily") return `on ${plain(analysis.key)}`;
  if (analysis.period === "weekly") return `in week ${plain(analysis.key)}`;
  return `in ${plain(monthName(analysis.key))}`;
}

/** What happened on GitHub besides commits, in one sentence; null for local git. */
function githubSentence(analysis: Analysis): string | null {
  const github = analysis.github;
  if (!github) return null;
  const { pulls, issues, releases, reviews } = github;
  const parts = [
    `${countOf(pulls.opened.current, "pull request was", "pull requests were")} opened and ${formatCount(pulls.merged.current)} merged` +
      (pulls.closed > 0 ? ` (${formatCount(pulls.closed)} closed without merging)` : "") +
      `, with ${countOf(reviews.current, "review")}`,
    `${countOf(issues.opened.current, "issue was", "issues were")} opened and ${formatCount(issues.closed.current)} closed`,
  ];
  // Releases have their own sentence when the analysis lists them (tags and GitHub releases as one).
  if (releases.count.current > 0 && !analysis.releases) parts.push(`${countOf(releases.count.current, "release was", "releases were")} published`);
  return `On GitHub, ${parts.join("; ")}.`;
}

/** What shipped, newest first, in one sentence: `Released: v5.0.0, 4.21.0 and 4.20.0.`; null when nothing was. */
function releaseSentence(analysis: Analysis): string | null {
  const releases = analysis.releases ?? [];
  if (releases.length === 0) return null;
  const several = new Set(releases.map((r) => r.repository)).size > 1;
  const names = releases.slice(0, 3).map((r) => escapeMarkdownInline(several ? `${r.repository} ${r.tagName}` : r.tagName));
  const rest = releases.length - names.length;
  const list = rest > 0 ? `${names.join(", ")} and ${countOf(rest, "more")}` : names.length > 1 ? `${names.slice(0, -1).join(", ")} and ${names.at(-1)}` : names[0];
  return `Released: ${list}.`;
}

/**
 * The digest's opening paragraph, built only from the figures: every sentence can be
 * checked against the tables below it, which an LLM-written one could not promise.
 */
export function renderNarrative(analysis: Analysis): string {
  const { totals, change } = analysis;
  const sentences: string[] = [];
  if (totals.commits + totals.merges === 0) {
    const watched = totals.repositories > 0 ? ` in the ${countOf(totals.repositories, "repository", "repositories")} watched` : "";
    sentences.push(`No commits or merges were recorded ${when(analysis)}${watched}.`);
  } else {
    const work = [
      totals.commits > 0 ? countOf(totals.commits, "commit") : null,
      totals.merges > 0 ? countOf(totals.merges, "merge") : null,
    ].filter((part) => part !== null);
    const lines =
      totals.commits > 0 ? ` (+${formatCount(totals.additions)}/\u2212${formatCount(totals.deletions)} lines)` : "";
    // The repositories these commits are in: "active" counts pull requests and issues too.
    const where = `across ${countOf(totals.repositoriesWithCommits ?? totals.activeRepositories, "repository", "repositories")}${lines}`;
    if (totals.contributors > 0) {
      sentences.push(`${countOf(totals.contributors, "contributor")} made ${work.join(" and ")} ${where}.`);
    } else if (totals.merges === 0) {
      // Bots are not counted as contributors, so a window of only bot commits has none.
      sentences.push(`Only bots made ${work.join(" and ")} ${where}.`);
    } else {
      // Merging is not contributing: merges with no person's own commit leave no contributor.
      sentences.push(`${work.join(" and ")} ${totals.commits + totals.merges === 1 ? "was" : "were"} made ${where}, none of them a commit of a person's own.`);
    }
    if (totals.newContributors > 0) {
      sentences.push(
        totals.newContributors === 1
          ? "1 of them contributed for the first time."
          : `${formatCount(totals.newContributors)} of them contributed for the first time.`,
      );
    }
    if (totals.botCommits > 0 && totals.contributors > 0) {
      sentences.push(
        totals.botCommits === 1
          ? "1 commit was made by a bot."
          : `${formatCount(totals.botCommits)} commits were made by bots.`,
      );
    }
  }
  const released = releaseSentence(analysis);
  if (released) sentences.push(released);
  const github = githubSentence(analysis);
  if (github) sentences.push(github);
  const changes = [
    changePhrase(change.commits.delta, "commit"),
    changePhrase(change.merges.delta, "merge"),
    changePhrase(change.contributors.delta, "contributor"),
  ].filter((part) => part !== null);
  sentences.push(
    `Compared with the previous ${PERIOD_NOUN[analysis.period]}: ${changes.length > 0 ? changes.join(", ") : "no change"}.`,
  );
  return sentences.join(" ");
}
