import { SparkyError } from "./errors.js";

export const PERIODS = ["daily", "weekly", "monthly"] as const;
export type Period = (typeof PERIODS)[number];

/** A half-open interval [start, end) of instants, as ISO-8601 UTC strings. */
export interface Window {
  start: string;
  end: string;
}

export interface PeriodSpec {
  period: Period;
  /** Stable name of the period: `2026-11-26`, `2026-W48` or `2026-11`. */
  key: string;
  /** `daily-2026-11-26`: the run id is derived, so re-running a period is idempotent. */
  runId: string;
  /** First and last calendar day of the period (inclusive), YYYY-MM-DD. */
  firstDay: string;
  lastDay: string;
  window: Window;
  timezone: string;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseDate(text: string): { y: number; m: number; d: number } {
  const match = DATE_RE.exec(text);
  if (!match) {
    throw new SparkyError("SPARKY_BAD_DATE", `invalid date "${text}": use YYYY-MM-DD, e.g. 2026-11-26`);
  }
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) {
    throw new SparkyError("SPARKY_BAD_DATE", `invalid date "${text}": no such day in the calendar`);
  }
  return { y, m, d };
}

export function assertTimezone(timezone: string): void {
  // The default needs no look-up: asking Intl about any zone loads ICU's time-zone data
  // (about 8 MiB in every service that reads the config).
  if (timezone === "UTC") return;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
  } catch {
    throw new SparkyError(
      "SPARKY_BAD_TIMEZONE",
      `unknown time zone "${timezone}": use an IANA name such as UTC or Europe/Berlin`,
    );
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timezone, f);
  }
  return f;
}

function zonedParts(ms: number, timezone: string): number[] {
  if (timezone === "UTC") {
    // What Intl answers for UTC, without loading its time-zone data (see assertTimezone).
    const t = new Date(ms);
    return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()];
  }
  const parts = formatter(timezone).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return [get("year"), get("month"), get("day"), get("hour"), get("minute"), get("second")];
}

/** Offset of `timezone` from UTC at instant `ms`, in milliseconds. */
function offsetAt(ms: number, timezone: string): number {
  const [y, mo, d, h, mi, s] = zonedParts(ms, timezone) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) - (ms - (ms % 1000));
}

/** The UTC instant of local midnight starting day y-m-d in `timezone`. */
export function startOfDay(y: number, m: number, d: number, timezone: string): number {
  const guess = Date.UTC(y, m - 1, d);
  const first = guess - offsetAt(guess, timezone);
  // Re-check once: the offset may differ across a DST change between guess and result.
  const instant = guess - offsetAt(first, timezone);
  // Where clocks jump forward at midnight (America/Santiago, America/Havana) local midnight
  // does not exist and the re-check lands on the day before: the day begins at the jump.
  return localDay(instant, timezone) === `${y}-${pad(m)}-${pad(d)}` ? instant : first;
}

/** Calendar day (YYYY-MM-DD) of instant `ms` in `timezone`. */
export function localDay(ms: number, timezone: string): string {
  const [y, m, d] = zonedParts(ms, timezone) as [number, number, number];
  return `${y}-${pad(m)}-${pad(d)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

function ymd(ms: number): string {
  const date = new Date(ms);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

const DAY = 86_400_000;

/** ISO-8601 week-numbering year and week of a calendar day. */
export function isoWeek(y: number, m: number, d: number): { year: number; week: number } {
  const date = Date.UTC(y, m - 1, d);
  const weekday = (new Date(date).getUTCDay() + 6) % 7; // Monday = 0
  const thursday = date + (3 - weekday) * DAY;
  const year = new Date(thursday).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY));
  return { year, week };
}

/** The period of kind `period` that contains calendar day `date`. */
export function periodFor(period: Period, date: string, timezone = "UTC"): PeriodSpec {
  if (!(PERIODS as readonly string[]).includes(period)) {
    throw new SparkyError("SPARKY_BAD_PERIOD", `invalid period "${period}": use daily, weekly or monthly`);
  }
  assertTimezone(timezone);
  const { y, m, d } = parseDate(date);
  const noon = Date.UTC(y, m - 1, d);
  let first: number;
  let last: number;
  let key: string;
  if (period === "daily") {
    first = last = noon;
    key = date;
  } else if (period === "weekly") {
    const weekday = (new Date(noon).getUTCDay() + 6) % 7;
    first = noon - weekday * DAY;
    last = first + 6 * DAY;
    const { year, week } = isoWeek(y, m, d);
    key = `${year}-W${pad(week)}`;
  } else {
    first = Date.UTC(y, m - 1, 1);
    last = Date.UTC(y, m, 0);
    key = `${y}-${pad(m)}`;
  }
  const firstDay = ymd(first);
  const lastDay = ymd(last);
  const localMidnight = (utcDay: number) => {
    const day = new Date(utcDay);
    return startOfDay(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), timezone);
  };
  const start = localMidnight(first);
  const end = localMidnight(last + DAY);
  return {
    period,
    key,
    runId: `${period}-${key}`,
    firstDay,
    lastDay,
    window: { start: new Date(start).toISOString(), end: new Date(end).toISOString() },
    timezone,
  };
}

/** The period just before `spec`, for change figures. */
export function previousPeriod(spec: PeriodSpec): PeriodSpec {
  const { y, m, d } = parseDate(spec.firstDay);
  const dayBefore = ymd(Date.UTC(y, m - 1, d) - DAY);
  return periodFor(spec.period, dayBefore, spec.timezone);
}

/** Every calendar day of the period, in order. */
export function daysOf(spec: PeriodSpec): string[] {
  const { y, m, d } = parseDate(spec.firstDay);
  const days: string[] = [];
  for (let t = Date.UTC(y, m - 1, d); ymd(t) <= spec.lastDay; t += DAY) days.push(ymd(t));
  return days;
}

/** Parse a run id back into its period: `weekly-2026-W48` -> the weekly period of that week. */
export function periodFromRunId(runId: string, timezone = "UTC"): PeriodSpec {
  const match = /^(daily|weekly|monthly)-(.+)$/.exec(runId);
  if (!match) throw new SparkyError("SPARKY_BAD_RUN_ID", `invalid run id "${runId}": expected e.g. daily-2026-11-26`);
  const period = match[1] as Period;
  const key = match[2]!;
  let date = key;
  const week = /^(\d{4})-W(\d{2})$/.exec(key);
  if (period === "weekly" && week) {
    // Monday of ISO week: the week containing Jan 4th is week 1.
    const jan4 = Date.UTC(Number(week[1]), 0, 4);
    const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY + (Number(week[2]) - 1) * 7 * DAY;
    date = ymd(monday);
  } else if (period === "monthly" && /^\d{4}-\d{2}$/.test(key)) {
    date = `${key}-01`;
  }
  const spec = periodFor(period, date, timezone);
  if (spec.runId !== runId) throw new SparkyError("SPARKY_BAD_RUN_ID", `invalid run id "${runId}": expected ${spec.runId}`);
  return spec;
}

/** Calendar arithmetic on YYYY-MM-DD strings. */
export function addDays(date: string, days: number): string {
  const { y, m, d } = parseDate(date);
  return ymd(Date.UTC(y, m - 1, d) + days * DAY);
}

/** Yesterday's date in `timezone`: the default day a digest is made for. */
export function yesterday(now: Date, timezone: string): string {
  return addDays(localDay(now.getTime(), timezone), -1);
}
