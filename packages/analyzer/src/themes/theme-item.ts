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
  /** A commit's areas (see CommitItem.areas), when they were collected. */
  areas?: string[];
  /** A merge commit. */
  isMerge?: boolean;
  /** The tag that points at this commit (see RawRepository.tags): it is a release. */
  tag?: string;
}

/** The key `themeItemsOf` looks a commit's tag up by. */
export const commitKey = (repository: string, sha: string) => `${repository} ${sha}`;

/** `tags`: tag names by `commitKey`, for the commits a tag of the window points at. */
export function themeItemsOf(items: Analysis["items"], tags: ReadonlyMap<string, string> = new Map()): ThemeItem[] {
  return items.map((item) => {
    const base = { id: item.id, kind: item.kind, repository: item.repository, labels: item.labels ?? [], author: item.author };
    if (item.kind !== "commit") return { ...base, title: item.title, number: item.number };
    const tag = tags.get(commitKey(item.repository, item.sha));
    return {
      ...base,
      title: item.subject,
      ...(item.areas ? { areas: item.areas } : {}),
      ...(item.isMerge ? { isMerge: true } : {}),
      ...(tag !== undefined ? { tag } : {}),
    };
  });
}
