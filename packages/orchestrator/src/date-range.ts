import { SparkyError, addDays, localDay, parseDate, periodFor } from "@sparky/messages";
import type { Period } from "@sparky/messages";

export const EARLIEST_DATE = "1970-01-01";

/**
 * The dates a run may be asked for: from 1970 (before it no git history and no run id of
 * the usual shape: year 100 makes `monthly-100-01`) to the end of the period after the
 * current one (a schedule in a zone ahead of UTC may ask for "tomorrow"). Outside it the
 * window cannot be stored (year 10000) or makes no sense: 400, naming the range.
 */
export function supportedRange(period: Period, now: Date, timezone: string): { first: string; last: string } {
  const current = periodFor(period, localDay(now.getTime(), timezone), timezone);
  const next = periodFor(period, addDays(current.lastDay, 1), timezone);
  return { first: EARLIEST_DATE, last: next.lastDay };
}

export function assertDateInRange(period: Period, date: string, now: Date, timezone: string): void {
  parseDate(date);
  const { first, last } = supportedRange(period, now, timezone);
  if (date < first || date > last) {
    throw new SparkyError(
      "SPARKY_DATE_OUT_OF_RANGE",
      `date ${date} is outside the supported range for ${period} runs: ${first} to ${last} (today plus one ${period === "daily" ? "day" : period === "weekly" ? "week" : "month"})`,
    );
  }
}
