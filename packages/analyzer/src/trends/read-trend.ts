import { readJson } from "@sparky/harness";
import type { Logger } from "@sparky/harness";
import { SparkyError, dataLayout, periodFromRunId, previousPeriod } from "@sparky/messages";
import type { Analysis, Period, PeriodSpec, TrendPoint } from "@sparky/messages";
import { z } from "zod";

/** Periods a trend shows: this one and the 7 before it. */
export const TREND_PERIODS = 8;

const Count = z.number().int().nonnegative();
const Hours = z.number().nonnegative().nullable();
/**
 * The few fields of a processed analysis a trend reads. Not AnalysisSchema: a file written
 * by an older Sparky (without fields added since) still gives its figures, and one written
 * by a newer one (with fields this one does not know) too.
 */
const TrendSource = z.object({
  key: z.string().optional(),
  totals: z.object({ commits: Count, merges: Count, contributors: Count }),
  github: z
    .object({
      pulls: z.object({
        merged: z.object({ current: Count }),
        cycleTimeHours: z.object({ median: Hours }),
        firstReviewHours: z.object({ median: Hours }),
      }),
    })
    .optional(),
});
type TrendSource = z.infer<typeof TrendSource>;

/** A period's point from its analysis (or the one being built): GitHub figures null for a git collection. */
export function trendPointOf(spec: Pick<PeriodSpec, "key" | "firstDay" | "lastDay">, analysis: TrendSource | Analysis): TrendPoint {
  const pulls = analysis.github?.pulls;
  return {
    key: spec.key,
    firstDay: spec.firstDay,
    lastDay: spec.lastDay,
    missing: false,
    commits: analysis.totals.commits,
    merges: analysis.totals.merges,
    contributors: analysis.totals.contributors,
    pullsMerged: pulls ? pulls.merged.current : null,
    medianCycleHours: pulls ? pulls.cycleTimeHours.median : null,
    medianReviewHours: pulls ? pulls.firstReviewHours.median : null,
  };
}

/** A period with no analysis to read: every figure unknown, never 0. */
function missingPoint(spec: PeriodSpec): TrendPoint {
  const { key, firstDay, lastDay } = spec;
  return { key, firstDay, lastDay, missing: true, commits: null, merges: null, contributors: null, pullsMerged: null, medianCycleHours: null, medianReviewHours: null };
}

async function pointOf(dataDir: string, spec: PeriodSpec, log: Logger | undefined): Promise<TrendPoint> {
  const path = dataLayout(dataDir).analysis(spec.period, spec.key);
  try {
    const source = await readJson(path, TrendSource, "processed analysis");
    if (source.key !== undefined && source.key !== spec.key) {
      throw new SparkyError("SPARKY_FILE_INVALID", `processed analysis ${path} is of ${source.key}, not ${spec.key}`);
    }
    return trendPointOf(spec, source);
  } catch (error) {
    // Never collected (or removed): missing, as expected. Unreadable (corrupt, not an
    // analysis, no permission): missing too, but someone should know.
    if (!(error instanceof SparkyError && error.code === "SPARKY_FILE_MISSING")) {
      const reason = error instanceof Error ? error.message : String(error);
      log?.warn({ period: spec.period, key: spec.key, err: reason }, "an earlier analysis is unreadable: its trend point is shown as missing");
    }
    return missingPoint(spec);
  }
}

/** `spec` and the `count - 1` periods before it, oldest first. */
export function trendPeriods(spec: PeriodSpec, count: number): PeriodSpec[] {
  const specs = [spec];
  while (specs.length < count) specs.unshift(previousPeriod(specs[0]!));
  return specs;
}

/**
 * The trend of `count` periods ending with `key` (included), oldest first, each read from
 * its processed analysis (`data/processed/<period>/<key>.json`): one small file a period.
 * A period with no analysis is `missing` with null figures; an unreadable one too, with a
 * warning. For a dashboard's longer windows as much as for the analyzer's 8 periods.
 */
export async function readTrend(
  dataDir: string,
  period: Period,
  key: string,
  count: number,
  options: { log?: Logger } = {},
): Promise<TrendPoint[]> {
  if (!Number.isInteger(count) || count < 1) {
    throw new SparkyError("SPARKY_BAD_TREND", `a trend needs a whole number of periods, 1 or more; got ${count}: pass a count such as 8`);
  }
  // The days of a period do not depend on the time zone; only its window does, which a trend point does not hold.
  const spec = periodFromRunId(`${period}-${key}`, "UTC");
  return Promise.all(trendPeriods(spec, count).map((s) => pointOf(dataDir, s, options.log)));
}

/**
 * The previous period as this analysis's own collection counted it (every collection counts
 * the window before its own, for the change figures): used when that period has no analysis
 * of its own, so the trend does not call missing a period whose figures the digest shows.
 * Its medians are unknown (null).
 */
function previousFromChange(spec: PeriodSpec, analysis: Analysis): TrendPoint {
  const { key, firstDay, lastDay } = spec;
  const merged = analysis.github?.pulls.merged.previous;
  return {
    key,
    firstDay,
    lastDay,
    missing: false,
    commits: analysis.change.commits.previous,
    merges: analysis.change.merges.previous,
    contributors: analysis.change.contributors.previous,
    pullsMerged: merged ?? null,
    medianCycleHours: null,
    medianReviewHours: null,
  };
}

/** The analysis's own trend: the 7 periods before it read from disk, then its own point. */
export async function trendOf(analysis: Analysis, dataDir: string, log?: Logger): Promise<TrendPoint[]> {
  const spec = periodFromRunId(analysis.runId, analysis.timezone);
  const earlier = trendPeriods(spec, TREND_PERIODS).slice(0, -1);
  const points = await Promise.all(earlier.map((s) => pointOf(dataDir, s, log)));
  const previous = points.length - 1;
  if (previous >= 0 && points[previous]!.missing) points[previous] = previousFromChange(earlier[previous]!, analysis);
  return [...points, trendPointOf(spec, analysis)];
}
