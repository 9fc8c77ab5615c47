import { countOf, formatAdded, formatRemoved } from "./format.js";
import type { DigestFigures } from "./front-matter.js";

/**
 * The one-sentence summary of a digest for the feed, from the figures its front matter
 * carries: a digest written by any version reads back the same way, and the sentence does
 * not depend on how the body is laid out. Plain text; the feed escapes it.
 */
export function feedSummary(figures: DigestFigures): string {
  const github = figures.github;
  const gh = github ? github.pullsOpened + github.pullsMerged + github.issuesOpened + github.issuesClosed + github.releases : 0;
  if (figures.commits + figures.merges + figures.repositories + gh === 0) return "No activity.";
  const work = [countOf(figures.commits, "commit"), figures.merges > 0 ? countOf(figures.merges, "merge") : null].filter((p) => p !== null).join(" and ");
  const people = countOf(figures.contributors, "contributor");
  const fresh = figures.newContributors > 0 ? ` (${figures.newContributors} new)` : "";
  const where = countOf(figures.repositories, "active repository", "active repositories");
  const parts = [`${work} by ${people}${fresh} in ${where}`, `${formatAdded(figures.additions)}/${formatRemoved(figures.deletions)} lines`];
  if (github) {
    const more = [
      github.pullsMerged > 0 ? countOf(github.pullsMerged, "pull request merged", "pull requests merged") : null,
      github.issuesClosed > 0 ? countOf(github.issuesClosed, "issue closed", "issues closed") : null,
      github.releases > 0 ? countOf(github.releases, "release") : null,
    ].filter((p) => p !== null);
    if (more.length > 0) parts.push(more.join(", "));
  }
  return `${parts.join("; ")}.`;
}
