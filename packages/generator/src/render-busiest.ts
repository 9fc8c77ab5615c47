import type { Analysis } from "@sparky/messages";
import { countOf, formatCount } from "./format.js";
import { linked, section, table, text } from "./markdown.js";

/** Repositories in the table. */
export const BUSIEST = 5;

/**
 * "Busiest repositories" of a GitHub digest: the repositories with the most activity
 * (commits, merges, pull requests opened, merged and closed, reviews, issues opened and
 * closed, releases, added up) in a table; the Pull requests and Issues sections list their
 * items, so they are not listed a second time here. Null for a local-git digest or a period
 * with no activity.
 */
export function renderBusiest(analysis: Analysis, maxItems: number): string | null {
  const github = analysis.github;
  if (!github || github.repositories.length === 0) return null;
  const busiest = github.repositories.slice(0, Math.min(BUSIEST, Math.max(1, maxItems)));
  const rows = busiest.map((r) => [
    linked(text(r.fullName, "(unknown)"), r.webUrl),
    formatCount(r.activity),
    formatCount(r.commits + r.merges),
    formatCount(r.pullsOpened),
    formatCount(r.pullsMerged),
    formatCount(r.reviews),
    formatCount(r.issuesOpened),
    formatCount(r.issuesClosed),
    formatCount(r.releases),
  ]);
  const body = table(
    ["Repository", "Activity", "Commits and merges", "Pull requests opened", "Pull requests merged", "Reviews", "Issues opened", "Issues closed", "Releases"],
    [":---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"],
    rows,
  );
  const others = github.repositories.length - busiest.length;
  const note =
    "_Activity: commits, merges, pull requests opened, merged and closed, reviews, issues opened and closed, and releases, added up._" +
    (others > 0 ? ` ${countOf(others, "other active repository", "other active repositories")} had less activity.` : "");
  return section("Busiest repositories", [body, note].join("\n\n"));
}
