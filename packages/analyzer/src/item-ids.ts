const SHORT = 7;

/**
 * Ids for the commits of one period: `<owner/repo>@<short sha>`, like git's abbreviations
 * seven hex digits unless two commits of the same repository share that prefix, then as
 * many as tell them apart. Depends only on the set of commits, so a re-run gives the same
 * ids. Keyed by `<repository> <sha>`.
 */
export function commitItemIds(commits: ReadonlyArray<{ repository: string; sha: string }>): Map<string, string> {
  const byRepository = new Map<string, Set<string>>();
  for (const { repository, sha } of commits) {
    const shas = byRepository.get(repository) ?? new Set<string>();
    shas.add(sha);
    byRepository.set(repository, shas);
  }
  const ids = new Map<string, string>();
  for (const [repository, shas] of byRepository) {
    const sorted = [...shas].sort();
    sorted.forEach((sha, i) => {
      // In sorted order a sha shares its longest prefix with a neighbour.
      const common = Math.max(commonPrefix(sha, sorted[i - 1] ?? ""), commonPrefix(sha, sorted[i + 1] ?? ""));
      ids.set(`${repository} ${sha}`, `${repository}@${sha.slice(0, Math.max(SHORT, common + 1))}`);
    });
  }
  return ids;
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** The id of a pull request or issue: `<owner/repo>#<number>`, as GitHub writes a cross-reference. */
export function numberedItemId(repository: string, number: number): string {
  return `${repository}#${number}`;
}
