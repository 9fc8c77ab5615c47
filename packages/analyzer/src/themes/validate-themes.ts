import { checkGrounding, oneLine, tidyProse } from "@sparky/llm";
import type { Theme } from "@sparky/messages";
import { resolveRef } from "./entry-refs.js";
import type { PromptEntry } from "./entry-refs.js";
import type { ProposedTheme } from "./theme-answers.js";
import type { ThemeItem } from "./theme-item.js";

export type { PromptEntry } from "./entry-refs.js";

const TITLE_CHARS = 80;
const SUMMARY_CHARS = 240;

export interface Dropped {
  /** Ids that name no entry of the prompt (invented, or not an id at all). */
  unknownIds: number;
  /** Bare numbers that could name more than one entry (a position and a `#number` of another's title). */
  ambiguousIds: number;
  /** Ids already used by an earlier theme. */
  repeatedIds: number;
  /** Themes left with no entry. */
  emptyThemes: number;
  /** Themes whose text held a link, an address, markup, or a name or number not in their own entries. */
  ungroundedThemes: number;
}

export interface Validated {
  themes: Theme[];
  /** Prompt entries no kept theme claimed. */
  unclaimed: number[];
  dropped: Dropped;
}

/**
 * The counts Sparky computes over a theme's items, the only numbers its text may state:
 * how many items, of each kind, in how many repositories, by how many authors.
 */
function countsOver(items: ThemeItem[]): number[] {
  const byKind = ["commit", "pull_request", "issue"].map((kind) => items.filter((i) => i.kind === kind).length);
  return [items.length, ...byKind, new Set(items.map((i) => i.repository)).size, new Set(items.map((i) => i.author)).size];
}

// A version as releases, tags and dependency bumps write it: `v2`, `v1.2.3-rc.1`, `4.17.21`.
const VERSION = /(?<![\p{L}\p{N}_.])(?:v\d+(?:\.\d+)*|\d+(?:\.\d+){2,})(?:-[0-9A-Za-z.]*[0-9A-Za-z])?(?![\p{L}\p{N}_]|\.\p{N})/gu;

/** What names one of the items rather than counts: its `#number`, the `#n` and versions its title cites. */
function identifiersOf(items: ThemeItem[]): string[] {
  return items.flatMap((i) => [
    ...(i.number !== undefined ? [`#${i.number}`] : []),
    ...[...i.title.matchAll(/#\d+\b/g)].map((m) => m[0]),
    ...[...i.title.matchAll(VERSION)].map((m) => m[0]),
  ]);
}

/**
 * Problems with a theme's text, held to the entries it claims: its names must be their
 * repositories or authors, its capitalised words theirs, its numbers counts Sparky computed
 * over them or identifiers of theirs (see `countsOver`, `identifiersOf`), and it may hold
 * no link, address or markup. So a hostile title can lend words to the theme that covers
 * it, never to another, never a link, and never a figure ("shipped 999 features").
 */
function ungrounded(title: string, summary: string, entries: PromptEntry[]): boolean {
  const items = entries.flatMap((e) => e.items);
  const vocabulary = [...items.flatMap((i) => [i.title, ...i.labels]), ...entries.flatMap((e) => e.text ?? [])];
  const names = [...new Set(items.flatMap((i) => [i.repository, i.author]))];
  const facts = { numbers: countsOver(items), names, vocabulary, identifiers: identifiersOf(items) };
  return title === "" || checkGrounding(`${title}. ${summary}`, facts).length > 0;
}

/**
 * Hold a model's proposed themes to the prompt they answer. `entries` maps each entry's
 * number to what it stands for (one item in the first step, a partial theme when merging);
 * the prompt showed it as `<prefix><number>`. References are read by `resolveRef`: one that
 * names no entry, or could name two, is dropped, an entry is kept by the first theme that
 * claims it, a theme left empty is dropped, and so is one whose title or summary is not
 * grounded in its own entries: a prompt injection that got the model to write a link or
 * an invented name ends here.
 */
export function validateThemes(proposed: ProposedTheme[], entries: ReadonlyMap<number, PromptEntry>, prefix = "i"): Validated {
  const dropped: Dropped = { unknownIds: 0, ambiguousIds: 0, repeatedIds: 0, emptyThemes: 0, ungroundedThemes: 0 };
  const claimed = new Set<number>();
  const themes: Theme[] = [];
  for (const theme of proposed) {
    const refs: number[] = [];
    for (const value of theme.refs) {
      const resolved = resolveRef(value, entries, prefix);
      if (resolved.kind === "unknown") dropped.unknownIds += 1;
      else if (resolved.kind === "ambiguous") dropped.ambiguousIds += 1;
      else if (claimed.has(resolved.ref) || refs.includes(resolved.ref)) dropped.repeatedIds += 1;
      else refs.push(resolved.ref);
    }
    if (refs.length === 0) {
      dropped.emptyThemes += 1;
      continue;
    }
    const own = refs.map((ref) => entries.get(ref)!);
    const title = oneLine(tidyProse(theme.title), TITLE_CHARS);
    const summary = oneLine(tidyProse(theme.summary), SUMMARY_CHARS);
    if (ungrounded(title, summary, own)) {
      dropped.ungroundedThemes += 1;
      continue;
    }
    for (const ref of refs) claimed.add(ref);
    themes.push({ title, summary, itemIds: own.flatMap((e) => e.items.map((i) => i.id)) });
  }
  const unclaimed = [...entries.keys()].filter((ref) => !claimed.has(ref));
  return { themes, unclaimed, dropped };
}
