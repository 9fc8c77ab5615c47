import { addDays, localDay } from "@sparky/messages";

const DAY_MS = 86_400_000;

/** Integers with thin grouping, the same on every machine (no locale). */
export function count(n: number | null | undefined): string {
  if (n === null || n === undefined) return "–";
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

export function hours(h: number | null | undefined): string {
  if (h === null || h === undefined) return "–";
  return h < 48 ? `${h.toFixed(1)} h` : `${(h / 24).toFixed(1)} d`;
}

export function duration(fromIso: string | null | undefined, toIso: string | null | undefined): string {
  if (!fromIso || !toIso) return "–";
  const ms = Date.parse(toIso) - Date.parse(fromIso);
  if (!Number.isFinite(ms) || ms < 0) return "–";
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  return m < 120 ? `${m} min` : `${(m / 60).toFixed(1)} h`;
}

/** How long ago a period ended, in days of the configured timezone: "today", "yesterday", "5 days ago". */
export function age(lastDay: string, now: Date, timezone: string): string {
  const today = localDay(now.getTime(), timezone);
  const days = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${lastDay}T00:00:00Z`)) / DAY_MS);
  if (days <= 0) return "today";
  if (days === 1) return "yesterday";
  return `${days} days ago`;
}

/** An instant as the configured timezone's wall clock, "2026-11-26 06:00". */
export function wallClock(iso: string | null | undefined, timezone: string): string {
  if (!iso) return "–";
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return "–";
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(new Date(t));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")}`;
}

/** Yesterday in the configured timezone: the newest day a digest can cover. */
export function lastCompleteDay(now: Date, timezone: string): string {
  return addDays(localDay(now.getTime(), timezone), -1);
}
