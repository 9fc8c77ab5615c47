import { SparkyError, addDays, parseDate, periodFor } from "@sparky/messages";
import type { Period, PeriodSpec } from "@sparky/messages";
import { assertDateInRange } from "./date-range.js";

/** Ten years of days: more is a typo in a date, not a backfill. */
export const MAX_BACKFILL_PERIODS = 3660;

/**
 * Every period of kind `period` from the one containing `from` to the one containing `to`,
 * oldest first. Both dates obey the rule of POST /runs (a supported date range).
 */
export function backfillPeriods(period: Period, from: string, to: string, now: Date, timezone: string): PeriodSpec[] {
  parseDate(from);
  parseDate(to);
  assertDateInRange(period, from, now, timezone);
  assertDateInRange(period, to, now, timezone);
  if (from > to) {
    throw new SparkyError("SPARKY_BAD_RANGE", `backfill from ${from} to ${to}: the first date is after the last; swap them`);
  }
  const specs: PeriodSpec[] = [];
  for (let spec = periodFor(period, from, timezone); spec.firstDay <= to; spec = periodFor(period, addDays(spec.lastDay, 1), timezone)) {
    specs.push(spec);
    if (specs.length > MAX_BACKFILL_PERIODS) {
      throw new SparkyError(
        "SPARKY_BAD_RANGE",
        `backfill from ${from} to ${to} has more than ${MAX_BACKFILL_PERIODS} ${period} periods; split it into shorter ranges`,
      );
    }
  }
  return specs;
}

/** One id per period kind and range: asking for the same backfill twice joins the first. */
export function backfillId(period: Period, from: string, to: string): string {
  return `${period}-${from}--${to}`;
}
