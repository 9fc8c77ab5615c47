import type { Analysis, ItemKind } from "@sparky/messages";

/**
 * What theming sees of an item, whatever its kind: commits today, pull requests and issues
 * from GitHub later. Titles, labels and bodies are untrusted text.
 */
export interface ThemeItem {
  id: string;
  kind: ItemKind;
  repository: string;
  title: string;
  labels: string[];
  author: string;
}

export function themeItemsOf(items: Analysis["items"]): ThemeItem[] {
  return items.map((item) => ({
    id: item.id,
    kind: item.kind,
    repository: item.repository,
    title: item.subject,
    labels: item.labels ?? [],
    author: item.author,
  }));
}
