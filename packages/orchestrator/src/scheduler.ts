import { Cron } from "croner";
import { yesterday } from "@sparky/messages";
import type { Clock, Period } from "@sparky/messages";
import { ConfigError } from "@sparky/harness";
import type { Logger, SparkyConfig } from "@sparky/harness";

export interface Schedules {
  next(): { period: Period; at: string | null }[];
  stop(): void;
}

/**
 * Daily, weekly and monthly runs on cron. Each covers the period containing
 * yesterday, so the Monday-morning weekly run digests the week that just ended and the
 * run on the 1st digests the month that just ended.
 */
export function startSchedules(
  config: SparkyConfig,
  clock: Clock,
  log: Logger,
  trigger: (period: Period, date: string) => void,
): Schedules {
  const o = config.orchestrator;
  // Stopped again if a later pattern is refused: a failed start must leave nothing armed.
  const armed: Cron[] = [];
  const crons = (
    [
      ["daily", o.schedule_daily],
      ["weekly", o.schedule_weekly],
      ["monthly", o.schedule_monthly],
    ] as const
  ).map(([period, pattern]) => {
    try {
      // No `name`: croner keeps named jobs in a process-wide registry, where a second
      // orchestrator in the same process would collide ("name already taken").
      const cron = new Cron(pattern, { timezone: config.timezone, protect: true }, () => {
        const date = yesterday(clock.now(), config.timezone);
        log.info({ period, date }, "scheduled run due");
        trigger(period, date);
      });
      armed.push(cron);
      return { period, cron };
    } catch (error) {
      armed.forEach((cron) => cron.stop());
      throw new ConfigError(
        "SPARKY_CONFIG_INVALID",
        `config orchestrator.schedule_${period} = "${pattern}": ${(error as Error).message}; use a cron expression such as "0 6 * * *"`,
      );
    }
  });
  log.info(
    { next: crons.map(({ period, cron }) => ({ period, at: cron.nextRun()?.toISOString() ?? null })) },
    "schedules armed",
  );
  return {
    next: () => crons.map(({ period, cron }) => ({ period, at: cron.nextRun()?.toISOString() ?? null })),
    stop: () => crons.forEach(({ cron }) => cron.stop()),
  };
}
