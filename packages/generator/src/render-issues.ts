import type { Analysis, IssueItem } from "@sparky/messages";
import { comparedRow, limited, newestBy, numberedLine } from "./github-lines.js";
import { section, table } from "./markdown.js";
import { PERIOD_NOUN } from "./narrative.js";
import type { RefIndex } from "./refs.js";

/**
 * The Issues section of a GitHub digest: issues opened and closed against the previous
 * period, then each list, newest first, every issue linked to its GitHub page. An issue
 * opened and closed in the same period is in both lists, as it is in both figures. Null
 * for a local-git digest.
 */
export function renderIssues(analysis: Analysis, maxItems: number, refs: RefIndex): string | null {
  const github = analysis.github;
  if (!github) return null;
  const noun = PERIOD_NOUN[analysis.period];
  const counts = table(
    ["Figure", `This ${noun}`, `Previous ${noun}`, "Change"],
    [":---", "---:", "---:", "---:"],
    [comparedRow("Opened", github.issues.opened), comparedRow("Closed", github.issues.closed)],
  );
  const issues = analysis.items.filter((item): item is IssueItem => item.kind === "issue");
  const opened = newestBy(issues, (i) => i.createdAt, analysis.window).map((i) => numberedLine(i, refs));
  const closed = newestBy(issues, (i) => i.closedAt, analysis.window).map((i) => numberedLine(i, refs));
  const blocks = [
    counts,
    opened.length > 0 ? `### Opened\n\n${limited(opened, maxItems, "opened issue", "opened issues")}` : null,
    closed.length > 0 ? `### Closed\n\n${limited(closed, maxItems, "closed issue", "closed issues")}` : null,
  ].filter((b) => b !== null);
  return section("Issues", blocks.join("\n\n"));
}
