import { countOf, byText } from "@sparky/messages";
import type { ItemKind, Theme } from "@sparky/messages";
import { mainArea } from "./main-area.js";
import { compareReleases, releaseOfSubject, releaseOfTag } from "./release-subjects.js";
import { subjectSignals } from "./subject-signals.js";
import type { ThemeItem } from "./theme-item.js";

type ThemeKind = NonNullable<Theme["kind"]>;

/** A deterministic theme before its text is written: what its items have in common. */
export interface ThemeGroup {
  key: string;
  kind: ThemeKind;
  title: string;
  items: ThemeItem[];
}

/**
 * Fewest items that share a scope for the scope to be a theme of its own: below it, the
 * items join their type's theme, so a month is not a list of one-commit scopes.
 */
export const MIN_SCOPE_ITEMS = 3;
/** Most releases a release theme's title names: the rest are counted. */
const TITLE_RELEASES = 5;

const NOUNS: Record<ItemKind, [string, string]> = {
  commit: ["commit", "commits"],
  pull_request: ["pull request", "pull requests"],
  issue: ["issue", "issues"],
};

/** What an item releases: the tag pointing at it, or a subject that is a version bump (not for issues). */
function releaseOf(item: ThemeItem): string | null {
  if (item.tag !== undefined) return releaseOfTag(item.tag);
  return item.kind === "issue" || item.isMerge ? null : releaseOfSubject(item.title);
}

interface Placed {
  key: string;
  kind: ThemeKind;
  /** The title when the key alone decides it; scope and release titles are written over the whole group. */
  title: string;
}

/**
 * The group of one item, in order of preference: a release; a merge; a scope shared by
 * enough items; a Conventional Commits type; a pull request's label; the area of the files
 * the commit changed; the kind of work its opening verb names; else Other.
 */
function place(item: ThemeItem, scopes: Map<string, number>, area: string | null, multiRepo: boolean): Placed {
  if (releaseOf(item) !== null) return { key: "release", kind: "release", title: "" };
  if (item.isMerge) return { key: "type:Merges", kind: "type", title: "Merges" };
  const signals = subjectSignals(item.title);
  if (signals.scope !== null && (scopes.get(signals.scope) ?? 0) >= MIN_SCOPE_ITEMS) {
    return { key: `scope:${signals.scope}`, kind: "scope", title: "" };
  }
  if (signals.type !== null && signals.conventional) return { key: `type:${signals.type}`, kind: "type", title: signals.type };
  const label = [...item.labels].sort(byText)[0];
  if (label !== undefined) return { key: `label:${label}`, kind: "label", title: label };
  if (area !== null) {
    const name = area === "/" ? "Top-level files" : area;
    return { key: `area:${item.repository}:${area}`, kind: "area", title: multiRepo ? `${name} in ${item.repository}` : name };
  }
  if (signals.type !== null) return { key: `type:${signals.type}`, kind: "type", title: signals.type };
  return { key: "other", kind: "other", title: "Other" };
}

/** A scope theme is named after its scope, and after its one type too when all its items share it ("Fixes in router"). */
function scopeTitle(scope: string, items: ThemeItem[]): string {
  const types = new Set(items.map((item) => subjectSignals(item.title).type));
  const [type] = types;
  return types.size === 1 && type ? `${type} in ${scope}` : scope;
}

/** "Release 5.0.0", or "Releases 4.19.0, 4.19.1 and 5.0.0-beta.2", in version order. */
function releaseTitle(items: ThemeItem[]): string {
  const labels = [...new Set(items.map((item) => releaseOf(item)!))].sort(compareReleases);
  if (labels.length === 1) return `Release ${labels[0]}`;
  const named = labels.length > TITLE_RELEASES ? [...labels.slice(0, TITLE_RELEASES - 1), `${labels.length - TITLE_RELEASES + 1} more`] : labels;
  return `Releases ${named.slice(0, -1).join(", ")} and ${named[named.length - 1]}`;
}

/**
 * The period's items in groups that are each named after what they are (see `place`),
 * largest first, Other last. Every item is in exactly one group; nothing is split to make
 * groups smaller than what their items have in common.
 */
export function deterministicGroups(items: ThemeItem[]): ThemeGroup[] {
  const scopes = new Map<string, number>();
  for (const item of items) {
    const { scope } = subjectSignals(item.title);
    if (scope !== null && releaseOf(item) === null && !item.isMerge) scopes.set(scope, (scopes.get(scope) ?? 0) + 1);
  }
  const areas = mainArea(items);
  const multiRepo = new Set(items.map((item) => item.repository)).size > 1;
  const groups = new Map<string, ThemeGroup>();
  for (const item of items) {
    const placed = place(item, scopes, areas.get(item.id) ?? null, multiRepo);
    const group = groups.get(placed.key) ?? { key: placed.key, kind: placed.kind, title: placed.title, items: [] };
    group.items.push(item);
    groups.set(placed.key, group);
  }
  for (const group of groups.values()) {
    if (group.kind === "release") group.title = releaseTitle(group.items);
    if (group.kind === "scope") group.title = scopeTitle(group.key.slice("scope:".length), group.items);
  }
  const last = (group: ThemeGroup) => (group.kind === "other" ? 1 : 0);
  return [...groups.values()].sort((a, b) => last(a) - last(b) || b.items.length - a.items.length || byText(a.title, b.title));
}

/** "3 commits in acme/api by 2 authors.": what the group holds, from the items' own fields. */
export function groupSummary(items: ThemeItem[]): string {
  const kinds = new Set(items.map((i) => i.kind));
  const noun: [string, string] = kinds.size === 1 ? NOUNS[items[0]!.kind] : ["item", "items"];
  const repositories = [...new Set(items.map((i) => i.repository))];
  const where = repositories.length === 1 ? `in ${repositories[0]}` : `across ${repositories.length} repositories`;
  const authors = new Set(items.map((i) => i.author)).size;
  return `${countOf(items.length, noun[0], noun[1])} ${where} by ${countOf(authors, "author")}.`;
}

export function themeOfGroup(group: ThemeGroup): Theme {
  return { title: group.title, kind: group.kind, summary: groupSummary(group.items), itemIds: group.items.map((i) => i.id) };
}

/**
 * Themes without an LLM (see `deterministicGroups`). It covers every item and is what the
 * digest shows whenever the LLM is off, unreachable or answers badly, and what the LLM
 * starts from; its text is built from the items' own fields.
 */
export function deterministicThemes(items: ThemeItem[]): Theme[] {
  return deterministicGroups(items).map(themeOfGroup);
}
