import { byText } from "@sparky/messages";
import type { Analysis, PullRequestItem } from "@sparky/messages";
import { escapeMarkdownInline } from "./escape.js";
import { formatCount, formatHours } from "./format.js";
import { comparedRow, limited, newestBy, numberedLine } from "./github-lines.js";
import { section, table, text } from "./markdown.js";
import { PERIOD_NOUN } from "./narrative.js";
import type { RefIndex } from "./refs.js";

const NONE = "\u2014";

function pullsOf(analysis: Analysis): PullRequestItem[] {
  return analysis.items.filter((item): item is PullRequestItem => item.kind === "pull_request");
}

/** Hours from opened to merged, for a merged pull request's entry. */
function cycleMark(item: PullRequestItem): string {
  const hours = Math.round((Date.parse(item.mergedAt!) - Date.parse(item.createdAt)) / 36_000) / 100;
  return `merged ${formatHours(Math.max(0, hours))} after it was opened`;
}

function renderReviewers(analysis: Analysis, maxItems: number): string | null {
  const reviewers = analysis.github!.topReviewers;
  if (reviewers.length === 0) return null;
  const rows = reviewers.slice(0, maxItems).map((r) => [
    text(r.name, "(unknown)"),
    formatCount(r.reviews),
    formatCount(r.pullRequests),
    [...r.repositories].map((repo) => escapeMarkdownInline(repo)).join(", "),
  ]);
  return `### Top reviewers\n\n${table(["Reviewer", "Reviews", "Pull requests", "Repositories"], [":---", "---:", "---:", ":---"], rows)}`;
}

/**
 * The Pull requests section of a GitHub digest: counts against the previous period, cycle
 * time and time to first review (median and p90, with how many were measured and how),
 * the top reviewers, and the pull requests merged, opened and closed in the period, each
 * linked to its GitHub page. Null for a local-git digest.
 */
export function renderPulls(analysis: Analysis, maxItems: number, refs: RefIndex): string | null {
  const github = analysis.github;
  if (!github) return null;
  const noun = PERIOD_NOUN[analysis.period];
  const { pulls } = github;
  const counts = table(
    ["Figure", `This ${noun}`, `Previous ${noun}`, "Change"],
    [":---", "---:", "---:", "---:"],
    [
      comparedRow("Opened", pulls.opened),
      comparedRow("Merged", pulls.merged),
      ["Closed without merging", formatCount(pulls.closed), NONE, NONE],
      comparedRow("Reviews", github.reviews),
    ],
  );
  const times = table(
    ["Time", "Median", "90th percentile", "Pull requests measured"],
    [":---", "---:", "---:", "---:"],
    [
      ["Cycle time (opened to merged)", formatHours(pulls.cycleTimeHours.median), formatHours(pulls.cycleTimeHours.p90), formatCount(pulls.cycleTimeHours.count)],
      ["Time to first review (ready to first human review)", formatHours(pulls.firstReviewHours.median), formatHours(pulls.firstReviewHours.p90), formatCount(pulls.firstReviewHours.count)],
    ],
  );
  const note =
    `_Cycle time covers the pull requests merged this ${noun}, from opened to merged; time to first review those first reviewed this ${noun}, ` +
    "from when they were ready for review (a draft from when it was marked ready; one still a draft is not measured) " +
    "to the first review by a person other than the author. Median and 90th percentile by nearest rank: " +
    "the measured value at rank ⌈p/100 × n⌉. Bots' pull requests count; bots are not reviewers._";

  // Each pull request in one list: merged, else closed, else opened (all within the period).
  const all = pullsOf(analysis);
  const mergedItems = newestBy(all, (p) => p.mergedAt, analysis.window);
  const closedItems = newestBy(all.filter((p) => p.mergedAt === null), (p) => p.closedAt, analysis.window);
  const listed = new Set([...mergedItems, ...closedItems]);
  const openedItems = newestBy(all.filter((p) => !listed.has(p)), (p) => p.createdAt, analysis.window);
  // The rest were opened earlier and only reviewed in the period: still part of its work.
  const inLists = new Set([...listed, ...openedItems]);
  const reviewedItems = all.filter((p) => !inLists.has(p)).sort((a, b) => byText(a.repository, b.repository) || a.number - b.number);
  const merged = mergedItems.map((p) => numberedLine(p, refs, [cycleMark(p)]));
  const closed = closedItems.map((p) => numberedLine(p, refs));
  const opened = openedItems.map((p) => numberedLine(p, refs));
  const reviewed = reviewedItems.map((p) => numberedLine(p, refs));
  const lists = [
    merged.length > 0 ? `### Merged\n\n${limited(merged, maxItems, "merged pull request", "merged pull requests")}` : null,
    opened.length > 0 ? `### Opened\n\n${limited(opened, maxItems, "opened pull request", "opened pull requests")}` : null,
    closed.length > 0 ? `### Closed without merging\n\n${limited(closed, maxItems, "closed pull request", "closed pull requests")}` : null,
    reviewed.length > 0 ? `### Reviewed, opened earlier\n\n${limited(reviewed, maxItems, "reviewed pull request", "reviewed pull requests")}` : null,
  ];
  const blocks = [counts, times, note, renderReviewers(analysis, maxItems), ...lists].filter((b) => b !== null);
  return section("Pull requests", blocks.join("\n\n"));
}
