import type { Analysis, ItemKind } from "@sparky/messages";

/**
 * What theming sees of an item, whatever its kind: commits, and from GitHub pull requests
 * and issues. Titles, labels and bodies are untrusted text.
 */
export interface ThemeItem {
  id: string;
  kind: ItemKind;
  repository: string;
  title: string;
  labels: string[];
  author: string;
  /** A pull request's or issue's number; commits have none. */
  number?: number;
}

export function themeItemsOf(items: Analysis["items"]): ThemeItem[] {
  return items.map((item) => ({
    id: item.id,
    kind: item.kind,
    repository: item.repository,
    title: item.kind === "commit" ? item.subject : item.title,
    labels: item.labels ?? [],
    author: item.author,
    ...(item.kind === "commit" ? {} : { number: item.number }),
  }));
}
