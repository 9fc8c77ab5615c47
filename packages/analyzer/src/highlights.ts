import type { RawCommit } from "@sparky/messages";

/** What the highlights need of a window commit. */
export interface HighlightCandidate {
  commit: RawCommit;
  repository: string;
}

/**
 * The same change landed twice: cherry-picked, or merged into two branches as two
 * commits (express's open-redirect fix, on 4.x and 5.x). Its shas differ, but within one
 * repository it keeps its subject, give or take case, spacing and the `(#123)` of the
 * pull request that carried it to each branch, and its line counts. Two different changes
 * agreeing on all of that are rare enough to list once.
 */
export function changeKey(c: HighlightCandidate): string {
  const subject = c.commit.subject
    .replace(/\s*\(#\d+\)\s*$/, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
  return `${c.repository}\n${subject}\n+${c.commit.additions}-${c.commit.deletions}`;
}

/**
 * The `limit` largest changes by lines, each once. `ranked` must be in the order the
 * highlights are shown (largest first, newest first among equals): a change seen twice has
 * the same lines both times, so its newest copy comes first and is the one kept.
 */
export function distinctChanges<T extends HighlightCandidate>(ranked: readonly T[], limit: number): T[] {
  const seen = new Set<string>();
  const kept: T[] = [];
  for (const c of ranked) {
    if (kept.length >= limit) break;
    const key = changeKey(c);
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(c);
  }
  return kept;
}
