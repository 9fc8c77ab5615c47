import { PERIODS, byText } from "@sparky/messages";
import type { DigestIndex, DigestIndexEntry, Period } from "@sparky/messages";

export type Dimension = "people" | "repositories";

export interface Total {
  key: string;
  name: string;
  commits: number;
  /** Digests of the period they appear in. */
  digests: number;
  firstKey: string;
  lastKey: string;
}

/** The period whose digests cover the most days: daily when there are any (no double counting). */
export function basisPeriod(index: DigestIndex, asked?: string): Period {
  if ((PERIODS as readonly string[]).includes(asked ?? "")) return asked as Period;
  return PERIODS.find((p) => index.digests.some((d) => d.period === p && d.details)) ?? "daily";
}

const cache = new WeakMap<DigestIndex, Map<string, Total[]>>();

/** Everyone (or every repository) in the digests of `period`, most commits first. */
export function totals(index: DigestIndex, dimension: Dimension, period: Period): Total[] {
  const memo = cache.get(index) ?? new Map<string, Total[]>();
  cache.set(index, memo);
  const hit = memo.get(`${dimension}:${period}`);
  if (hit) return hit;
  const byKey = new Map<string, Total>();
  for (const digest of index.digests) {
    if (digest.period !== period || !digest.details) continue;
    for (const share of digest.details[dimension]) {
      const total = byKey.get(share.key) ?? { key: share.key, name: share.name, commits: 0, digests: 0, firstKey: digest.key, lastKey: digest.key };
      total.commits += share.commits;
      total.digests += 1;
      total.lastKey = digest.key;
      // The newest name an identity went by.
      total.name = share.name;
      byKey.set(share.key, total);
    }
  }
  const list = [...byKey.values()].sort((a, b) => b.commits - a.commits || byText(a.key, b.key));
  memo.set(`${dimension}:${period}`, list);
  return list;
}

export interface Appearance {
  digest: DigestIndexEntry;
  /** Their commits in it; null when the digest has no details (a gap, not a zero). */
  commits: number | null;
}

/** One person's or repository's commits in every digest of `period`, oldest first. */
export function appearances(index: DigestIndex, dimension: Dimension, period: Period, key: string): Appearance[] {
  return index.digests
    .filter((d) => d.period === period)
    .map((digest) => ({ digest, commits: digest.details ? (digest.details[dimension].find((s) => s.key === key)?.commits ?? 0) : null }));
}
