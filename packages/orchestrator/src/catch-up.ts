import { Cron } from "croner";
import { PERIODS, addDays, localDay, periodFor } from "@sparky/messages";
import type { Period, PeriodSpec } from "@sparky/messages";
import type { SparkyConfig } from "@sparky/harness";

export interface MissedPeriod {
  spec: PeriodSpec;
  /** When the schedule would have run it: the first cron time at or after the period ended. */
  dueAt: Date;
}

const PATTERN: Record<Period, (config: SparkyConfig) => string> = {
  daily: (c) => c.orchestrator.schedule_daily,
  weekly: (c) => c.orchestrator.schedule_weekly,
  monthly: (c) => c.orchestrator.schedule_monthly,
};

/**
 * The periods the schedules should have run by `now`, looking back `catch_up_days` days:
 * every period that has fully ended, overlaps the look-back, and whose cron time (the first
 * one after its end, the run that digests "yesterday") has passed. A period whose cron time
 * is still ahead is the schedule's, not catch-up's. Oldest first (by end, then daily before
 * weekly before monthly), so digests appear in the order they would have.
 */
export function duePeriods(config: SparkyConfig, now: Date): MissedPeriod[] {
  const days = config.orchestrator.catch_up_days;
  if (days === 0 || !config.orchestrator.schedules_enabled) return [];
  const tz = config.timezone;
  const today = localDay(now.getTime(), tz);
  const since = addDays(today, -days);
  const due: MissedPeriod[] = [];
  for (const period of PERIODS) {
    // Paused: only its calendar is used, it never fires.
    const cron = new Cron(PATTERN[period](config), { timezone: tz, paused: true });
    try {
      for (let spec = periodFor(period, since, tz); spec.window.end <= now.toISOString(); spec = periodFor(period, addDays(spec.lastDay, 1), tz)) {
        const dueAt = cron.nextRun(new Date(Date.parse(spec.window.end) - 1));
        if (dueAt && dueAt <= now) due.push({ spec, dueAt });
      }
    } finally {
      cron.stop();
    }
  }
  const rank = (p: Period) => PERIODS.indexOf(p);
  return due.sort((a, b) => a.spec.window.end.localeCompare(b.spec.window.end) || rank(a.spec.period) - rank(b.spec.period));
}
