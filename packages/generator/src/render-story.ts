import { byText } from "@sparky/messages";
import type { Analysis, CommitItem, Item, PullRequestItem } from "@sparky/messages";
import { escapeMarkdownInline } from "./escape.js";
import { countOf, formatAdded, formatRemoved } from "./format.js";
import { numberLabel } from "./github-lines.js";
import { linked, section, shortSha, text } from "./markdown.js";
import { renderCompare } from "./render-compare.js";
import { STORY_RELEASES, releaseLine, releasesOf } from "./render-story-releases.js";
import type { RefIndex } from "./refs.js";
import { titleMarkdown } from "./refs.js";
import { STORY_LINES, renderedLines } from "./story-lines.js";

/** Largest changes and new contributors the story names; the full lists further down have the rest. */
const STORY_LARGEST = 5;
const STORY_NEWCOMERS = 5;
/** Themes the story names, and examples under each at most. */
const STORY_THEMES = 8;
const EXAMPLES_PER_THEME = 2;

const THEME_NOTES = {
  llm: "_Themes grouped by a local LLM from the item titles and checked against them; every link comes from the collected items._",
  deterministic: "_Themes grouped by release, commit type and scope, label and the area of the files changed._",
} as const;

function bySize(a: { additions: number; deletions: number }, b: { additions: number; deletions: number }): number {
  return b.additions + b.deletions - (a.additions + a.deletions);
}

function severalRepositories(analysis: Analysis): boolean {
  return analysis.repositories.length + (analysis.github?.repositories.length ?? 0) > 1 && new Set(analysis.items.map((i) => i.repository)).size > 1;
}

/** One item as the story shows it: its link, its title with references linked, who, and where when there are several repositories. */
export function storyItemLine(item: Item, refs: RefIndex, several: boolean, size = false): string {
  const label = item.kind === "commit" ? shortSha(item.sha) : numberLabel(item, false);
  const title = titleMarkdown(item.kind === "commit" ? item.subject : item.title, item.repository, refs, item.kind === "commit" ? "(no subject)" : "(no title)");
  const where = several ? ` in ${text(item.repository, "(unknown repository)")}` : "";
  const files = item.kind === "commit" && item.filesChanged !== undefined ? `, ${countOf(item.filesChanged, "file")}` : "";
  const lines = size && item.kind !== "issue" ? ` (${formatAdded(item.additions)}/${formatRemoved(item.deletions)} lines${files})` : "";
  return `- ${linked(label, item.url)} ${title}, by ${text(item.author, "(unknown author)")}${where}${lines}`;
}

function renderStoryReleases(analysis: Analysis): string | null {
  const releases = releasesOf(analysis);
  if (releases.length === 0) return null;
  const lines = releases.slice(0, STORY_RELEASES).map((r) => releaseLine(r, analysis));
  const more = releases.length - STORY_RELEASES;
  if (more > 0) lines.push(`- and ${countOf(more, "more release", "more releases")}, under All releases below`);
  return section("Releases", lines.join("\n"));
}

/** Merged pull requests by size on GitHub; from git, the largest commits (the analyzer counts a change once across branches). */
function largestOf(analysis: Analysis): Item[] {
  const start = Date.parse(analysis.window.start);
  const end = Date.parse(analysis.window.end);
  const merged = analysis.items.filter(
    (i): i is PullRequestItem => i.kind === "pull_request" && i.mergedAt !== null && Date.parse(i.mergedAt) >= start && Date.parse(i.mergedAt) < end,
  );
  if (merged.length > 0) return [...merged].sort((a, b) => bySize(a, b) || byText(a.id, b.id)).slice(0, STORY_LARGEST);
  const commits: CommitItem[] = [...analysis.highlights].filter((c) => !c.isMerge);
  return commits.sort((a, b) => bySize(a, b) || byText(a.id, b.id)).slice(0, STORY_LARGEST);
}

function renderLargest(analysis: Analysis, items: Item[], refs: RefIndex): string | null {
  if (items.length === 0) return null;
  const heading = items[0]!.kind === "pull_request" ? "Largest pull requests merged" : "Largest changes";
  const several = severalRepositories(analysis);
  return section(heading, items.map((item) => storyItemLine(item, refs, several, true)).join("\n"));
}

function renderNewcomers(analysis: Analysis): string | null {
  const fresh = analysis.contributors.filter((c) => c.isNew).sort((a, b) => b.commits - a.commits || byText(a.name, b.name) || byText(a.key, b.key));
  if (fresh.length === 0) return null;
  const lines = fresh.slice(0, STORY_NEWCOMERS).map((c) => {
    const repos = [...c.repositories].sort(byText).map((r) => escapeMarkdownInline(r));
    return `- ${text(c.name, "(unknown)")}: ${countOf(c.commits, "commit")}${repos.length > 0 ? ` in ${repos.join(", ")}` : ""}`;
  });
  if (fresh.length > STORY_NEWCOMERS) lines.push(`- and ${countOf(fresh.length - STORY_NEWCOMERS, "more new contributor", "more new contributors")}`);
  return section("New contributors", lines.join("\n"));
}

/**
 * Themes in the lines left: each theme named with its size, then as many examples under
 * each as fit, items the story already showed left out, so no item appears twice before
 * the full lists.
 */
function renderStoryThemes(analysis: Analysis, shown: Set<string>, budget: number, refs: RefIndex): string | null {
  const { themes, source } = analysis.themes;
  // A heading, the note, and at least one theme.
  if (themes.length === 0 || budget < 3) return null;
  const byId = new Map(analysis.items.map((item) => [item.id, item]));
  const room = budget - 2;
  let count = Math.min(themes.length, STORY_THEMES, room);
  // Themes left out are counted on a line of their own, which needs room too.
  if (count < themes.length && count === room) count--;
  const listed = themes.slice(0, count);
  const hidden = themes.length - listed.length;
  let left = room - listed.length - (hidden > 0 ? 1 : 0);
  const examples: Item[][] = listed.map(() => []);
  const several = severalRepositories(analysis);
  for (let round = 0; round < EXAMPLES_PER_THEME && left > 0; round++) {
    listed.forEach((theme, t) => {
      if (left <= 0) return;
      const next = theme.itemIds.map((id) => byId.get(id)).find((item) => item !== undefined && !shown.has(item.id));
      if (!next) return;
      examples[t]!.push(next);
      shown.add(next.id);
      left--;
    });
  }
  const lines = listed.flatMap((theme, t) => {
    const items = theme.itemIds.filter((id) => byId.has(id));
    const kinds = new Set(items.map((id) => byId.get(id)!.kind));
    const noun = kinds.size === 1 && kinds.has("commit") ? ["commit", "commits"] : ["item", "items"];
    const title = escapeMarkdownInline(theme.title) || "(untitled)";
    const summary = escapeMarkdownInline(theme.summary);
    const head = `- **${title}**: ${countOf(items.length, noun[0]!, noun[1]!)}${summary && source === "llm" ? `. ${summary}` : ""}`;
    return [head, ...examples[t]!.map((item) => `  ${storyItemLine(item, refs, several)}`)];
  });
  if (hidden > 0) lines.push(`- and ${countOf(hidden, "smaller theme", "smaller themes")}`);
  return section("Themes", `${lines.join("\n")}\n\n${THEME_NOTES[source]}`);
}

/**
 * The story: what a reader needs in a minute, before any table. Releases, the largest
 * changes, new contributors, how the period compares with the ones before, and the themes,
 * each item at most once, within STORY_LINES rendered lines together with the `head`
 * (title and opening) whatever the size of the period.
 */
export function renderStory(analysis: Analysis, head: string, refs: RefIndex): string[] {
  const largest = largestOf(analysis);
  const fixed = [renderStoryReleases(analysis), renderLargest(analysis, largest, refs), renderNewcomers(analysis), renderCompare(analysis)].filter(
    (b) => b !== null,
  );
  const used = renderedLines([head, ...fixed].join("\n\n"));
  const shown = new Set(largest.map((i) => i.id));
  const themes = renderStoryThemes(analysis, shown, STORY_LINES - used, refs);
  return themes === null ? fixed : [...fixed, themes];
}
