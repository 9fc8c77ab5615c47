import { escapeMarkdownInline } from "./escape.js";

/** The most rendered lines the story may take, whatever the size of the period: it reads in a minute. */
export const STORY_LINES = 60;

/**
 * Lines a block takes once rendered, as a reader counts them: each heading, paragraph line,
 * list item and table row is one (blank lines and table alignment rows are none).
 */
export function renderedLines(markdown: string): number {
  return markdown.split("\n").filter((line) => line.trim() !== "" && !/^\|[-:| ]+\|$/.test(line.trim())).length;
}

/** People as a reader takes them: `A`, `A and B`, `A, B and 3 others`. */
export function namesOf(names: string[], shown = 3): string {
  const escaped = names.map((n) => escapeMarkdownInline(n) || "(unknown)");
  if (escaped.length <= 1) return escaped.join("");
  if (escaped.length <= shown) return `${escaped.slice(0, -1).join(", ")} and ${escaped.at(-1)}`;
  const rest = escaped.length - shown;
  return `${escaped.slice(0, shown).join(", ")} and ${rest} ${rest === 1 ? "other" : "others"}`;
}
