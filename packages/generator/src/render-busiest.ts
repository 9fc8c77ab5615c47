import type { Analysis, GithubRepositoryFigures, IssueItem, PullRequestItem } from "@sparky/messages";
import { countOf, formatCount } from "./format.js";
import { limited, numberedLine } from "./github-lines.js";
import { linked, section, table, text } from "./markdown.js";

/** Repositories given a section of their own. */
export const BUSIEST = 5;
/** Pull requests and issues listed in one repository's section; the Pull requests and Issues sections list them all. */
const ITEMS_PER_REPOSITORY = 10;

/** The repository's non-zero figures in one sentence. */
function figuresLine(r: GithubRepositoryFigures): string {
  const some = (n: number, words: string) => (n > 0 ? `${formatCount(n)} ${words}` : null);
  const pulls = [some(r.pullsOpened, "opened"), some(r.pullsMerged, "merged"), some(r.pullsClosed, "closed without merging")].filter((p) => p !== null);
  const issues = [some(r.issuesOpened, "opened"), some(r.issuesClosed, "closed")].filter((p) => p !== null);
  const parts = [
    r.commits > 0 ? countOf(r.commits, "commit") : null,
    r.merges > 0 ? countOf(r.merges, "merge") : null,
    pulls.length > 0 ? `pull requests: ${pulls.join(", ")}` : null,
    r.reviews > 0 ? countOf(r.reviews, "review") : null,
    issues.length > 0 ? `issues: ${issues.join(", ")}` : null,
    r.releases > 0 ? countOf(r.releases, "release") : null,
  ].filter((p) => p !== null);
  // Only repositories with activity get here, so there is always a part.
  const sentence = parts.join("; ");
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
}

function repositoryBlock(r: GithubRepositoryFigures, items: Array<PullRequestItem | IssueItem>): string {
  const lines = items.map((item) => {
    const state =
      item.kind === "pull_request"
        ? item.mergedAt
          ? "merged"
          : item.closedAt
            ? "closed"
            : "open"
        : item.closedAt
          ? "issue, closed"
          : "issue, open";
    return numberedLine(item, [state], false);
  });
  const heading = `### ${text(r.fullName, "(unknown repository)")}`;
  return [heading, figuresLine(r), ...(lines.length > 0 ? [limited(lines, ITEMS_PER_REPOSITORY, "item", "items")] : [])].join("\n\n");
}

/**
 * "Busiest repositories" of a GitHub digest: the repositories with the most activity
 * (commits, merges, pull requests opened, merged and closed, reviews, issues opened and
 * closed, releases, added up) in a table, and for the busiest few a section with their
 * figures and their pull requests and issues, each linked to its GitHub page. Null for a
 * local-git digest or a period with no activity.
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
  // Each repository's pull requests and issues share GitHub's numbering: in that order.
  const blocks = busiest.map((r) => {
    const items = analysis.items
      .filter((item): item is PullRequestItem | IssueItem => item.kind !== "commit" && item.repository === r.fullName)
      .sort((a, b) => a.number - b.number);
    return repositoryBlock(r, items);
  });
  return section("Busiest repositories", [body, note, ...blocks].join("\n\n"));
}
