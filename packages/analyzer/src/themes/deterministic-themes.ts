import { countOf } from "@sparky/messages";
import type { ItemKind, Theme } from "@sparky/messages";
import type { ThemeItem } from "./theme-item.js";

// Conventional Commits types (and common spellings) and what a reader calls that work.
const TYPES: Record<string, string> = {
  feat: "Features",
  feature: "Features",
  fix: "Fixes",
  bugfix: "Fixes",
  hotfix: "Fixes",
  docs: "Documentation",
  doc: "Documentation",
  refactor: "Refactoring",
  perf: "Performance",
  test: "Tests",
  tests: "Tests",
  build: "Build",
  ci: "Continuous integration",
  chore: "Maintenance",
  deps: "Dependencies",
  style: "Code style",
  revert: "Reverts",
  security: "Security",
};
const CONVENTIONAL = /^\s*([A-Za-z]+)(?:\([^)]*\))?!?:\s/;

const NOUNS: Record<ItemKind, [string, string]> = {
  commit: ["commit", "commits"],
  pull_request: ["pull request", "pull requests"],
  issue: ["issue", "issues"],
};

// Plain code-unit order: the output must not depend on the host's locale.
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The group an item falls in: its commit type when it has one, else its first label, else its repository. */
function groupOf(item: ThemeItem): { key: string; title: string } {
  const type = CONVENTIONAL.exec(item.title)?.[1]?.toLowerCase();
  const title = type ? TYPES[type] : undefined;
  if (title) return { key: `type:${title}`, title };
  const label = [...item.labels].sort(byText)[0];
  if (label) return { key: `label:${label}`, title: `Label: ${label}` };
  return { key: `repository:${item.repository}`, title: `Other work in ${item.repository}` };
}


function summaryOf(items: ThemeItem[]): string {
  const kinds = new Set(items.map((i) => i.kind));
  const noun: [string, string] = kinds.size === 1 ? NOUNS[items[0]!.kind] : ["item", "items"];
  const repositories = [...new Set(items.map((i) => i.repository))];
  const where = repositories.length === 1 ? `in ${repositories[0]}` : `across ${repositories.length} repositories`;
  const authors = new Set(items.map((i) => i.author)).size;
  return `${countOf(items.length, noun[0], noun[1])} ${where} by ${countOf(authors, "author")}.`;
}

/**
 * Themes without an LLM: items grouped by Conventional Commits type, label or repository,
 * largest group first. It covers every item and is what the digest shows whenever the
 * LLM is off, unreachable or answers badly; its text is built from the items' own fields.
 */
export function deterministicThemes(items: ThemeItem[]): Theme[] {
  const groups = new Map<string, { title: string; items: ThemeItem[] }>();
  for (const item of items) {
    const { key, title } = groupOf(item);
    const group = groups.get(key) ?? { title, items: [] };
    group.items.push(item);
    groups.set(key, group);
  }
  return [...groups.values()]
    .sort((a, b) => b.items.length - a.items.length || byText(a.title, b.title))
    .map((group) => ({ title: group.title, summary: summaryOf(group.items), itemIds: group.items.map((i) => i.id) }));
}
