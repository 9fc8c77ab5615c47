import { periodFor, previousPeriod } from "@sparky/messages";
import type { DigestIndex, DigestIndexEntry, Period, TrendPoint } from "@sparky/messages";

/** The windows the overview charts: the last 30 days, 12 weeks and 12 months. */
export const TREND_WINDOWS: ReadonlyArray<{ period: Period; count: number; label: string }> = [
  { period: "daily", count: 30, label: "Last 30 days" },
  { period: "weekly", count: 12, label: "Last 12 weeks" },
  { period: "monthly", count: 12, label: "Last 12 months" },
];

function pointOf(key: string, firstDay: string, lastDay: string, digest: DigestIndexEntry | undefined, quiet: boolean): TrendPoint {
  if (digest) {
    return {
      key,
      firstDay,
      lastDay,
      missing: false,
      commits: digest.commits,
      merges: digest.merges,
      contributors: digest.contributors,
      pullsMerged: digest.pullsMerged,
      medianCycleHours: digest.details?.medianCycleHours ?? null,
      medianReviewHours: digest.details?.medianReviewHours ?? null,
    };
  }
  // A quiet day skipped without a digest was collected and had nothing: zero, not a gap.
  const zero = quiet ? 0 : null;
  return { key, firstDay, lastDay, missing: !quiet, commits: zero, merges: zero, contributors: zero, pullsMerged: null, medianCycleHours: null, medianReviewHours: null };
}

/**
 * The trend of `count` periods ending with the one that holds `lastDate`, oldest first, as the
 * analyzer's TrendPoint: a period with no digest is missing (every figure null, drawn as a
 * gap), never 0. Read from the index only.
 */
export function trendSeries(index: DigestIndex, period: Period, lastDate: string, count: number): TrendPoint[] {
  const digests = new Map(index.digests.filter((d) => d.period === period).map((d) => [d.key, d]));
  const quiet = new Set(period === "daily" ? index.quietDays.map((d) => d.key) : []);
  const specs = [periodFor(period, lastDate, index.timezone)];
  while (specs.length < count) specs.unshift(previousPeriod(specs[0]!));
  return specs.map((s) => pointOf(s.key, s.firstDay, s.lastDay, digests.get(s.key), quiet.has(s.key)));
}
