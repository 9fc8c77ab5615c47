import { byText } from "@sparky/messages";
import type { Change, IssueItem, PullRequestItem, Window } from "@sparky/messages";
import { escapeMarkdownInline } from "./escape.js";
import { countOf, formatCount, formatSigned } from "./format.js";
import { linked, text } from "./markdown.js";
import type { RefIndex } from "./refs.js";
import { titleMarkdown } from "./refs.js";

/** `acme/api#12`, escaped, as the label of the item's link. */
export function numberLabel(item: PullRequestItem | IssueItem, withRepository = true): string {
  return escapeMarkdownInline(withRepository ? `${item.repository}#${item.number}` : `#${item.number}`);
}

/**
 * One pull request or issue as a list entry: its number linked to its GitHub page (the
 * collected `url`, never anything from a title), then its escaped title and author.
 */
export function numberedLine(item: PullRequestItem | IssueItem, refs: RefIndex, extra: string[] = [], withRepository = true): string {
  const marks = [item.kind === "pull_request" && item.isDraft ? "draft" : null, item.isBot ? "bot" : null, ...extra].filter((m) => m !== null);
  const title = titleMarkdown(item.title, item.repository, refs, "(no title)");
  return (
    `- ${linked(numberLabel(item, withRepository), item.url)} ${title}, by ${text(item.author, "(unknown author)")}` +
    (marks.length > 0 ? ` (${marks.join(", ")})` : "")
  );
}

/** At most `maxItems` lines, and a line counting the rest. */
export function limited(lines: string[], maxItems: number, singular: string, plural: string): string {
  const shown = lines.slice(0, maxItems);
  const hidden = lines.length - shown.length;
  if (hidden === 0) return shown.join("\n");
  const rest = `${countOf(hidden, `more ${singular}`, `more ${plural}`)} not listed.`;
  return shown.length > 0 ? `${shown.join("\n")}\n\n${rest}` : rest;
}

/** A figure against the previous period, as a row of the four-column figures tables. */
export function comparedRow(label: string, change: Change): string[] {
  return [label, formatCount(change.current), formatCount(change.previous), formatSigned(change.delta)];
}

/** Pull requests and issues of the analysis, newest first by the time `at` picks, among those `at` gives one in the window. */
export function newestBy<T extends PullRequestItem | IssueItem>(items: readonly T[], at: (item: T) => string | null, window: Window): T[] {
  const start = Date.parse(window.start);
  const end = Date.parse(window.end);
  return items
    .filter((item) => {
      const time = at(item);
      return time !== null && Date.parse(time) >= start && Date.parse(time) < end;
    })
    .sort((a, b) => Date.parse(at(b)!) - Date.parse(at(a)!) || byText(a.repository, b.repository) || a.number - b.number);
}
