import type { Analysis, Item } from "@sparky/messages";
import { escapeMarkdownInline } from "./escape.js";
import { countOf } from "./format.js";
import { numberLabel } from "./github-lines.js";
import { linked, shortSha } from "./markdown.js";

/** Most items listed under one theme; the rest are counted. */
const ITEMS_PER_THEME = 10;

const NOTES = {
  llm: "_Themes grouped by a local LLM from the item titles and checked against them; every link comes from the collected items._",
  deterministic: "_Themes grouped by commit type, label and repository._",
} as const;

/** A commit by its short sha, a pull request or issue by its number, linked to its page as collected. */
function itemLine(item: Item): string {
  const label = item.kind === "commit" ? shortSha(item.sha) : numberLabel(item, false);
  const title = escapeMarkdownInline(item.kind === "commit" ? item.subject : item.title) || (item.kind === "commit" ? "(no subject)" : "(no title)");
  const kind = item.kind === "pull_request" ? "pull request, " : item.kind === "issue" ? "issue, " : "";
  return `- ${linked(label, item.url)} ${title} (${kind}${escapeMarkdownInline(item.repository) || "(unknown repository)"})`;
}

/**
 * The Themes section. Titles and summaries may come from a model that read untrusted
 * text, so they are escaped like any title; item links are looked up by id in the
 * analysis's own items, never taken from what a model wrote. An id that names no item is
 * skipped (the analysis schema already refuses one).
 */
export function renderThemes(analysis: Analysis, maxItems: number): string | null {
  const { themes, source } = analysis.themes;
  if (themes.length === 0) return null;
  const byId = new Map(analysis.items.map((item) => [item.id, item]));
  const limit = Math.min(ITEMS_PER_THEME, maxItems);
  const blocks = themes.map((theme) => {
    const items = theme.itemIds.map((id) => byId.get(id)).filter((item) => item !== undefined);
    const lines = items.slice(0, limit).map(itemLine);
    if (items.length > limit) lines.push(`- and ${countOf(items.length - limit, "more item", "more items")}`);
    const summary = escapeMarkdownInline(theme.summary);
    const heading = `### ${escapeMarkdownInline(theme.title) || "(untitled)"}`;
    return [heading, ...(summary ? [summary] : []), lines.join("\n")].join("\n\n");
  });
  // A model need not place every item; say so rather than let the themes look complete.
  const themed = new Set(themes.flatMap((t) => t.itemIds));
  const loose = analysis.items.filter((item) => !themed.has(item.id)).length;
  // Only commits are listed in full (in Commits); pull requests and issues have bounded lists.
  const where = analysis.items.every((item) => item.kind === "commit") ? "; the Commits section lists every one" : "";
  const rest = loose > 0 ? [`${countOf(loose, "item is", "items are")} in no theme${where}.`] : [];
  return `## Themes\n\n${[...blocks, ...rest, NOTES[source]].join("\n\n")}`;
}
