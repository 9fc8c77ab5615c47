import { Cron } from "croner";
import type { Clock, Period } from "@sparky/messages";
import type { SparkyConfig } from "@sparky/harness";

/**
 * When the orchestrator's cron schedules fire next, computed from the config as the
 * orchestrator arms them (same patterns, same timezone), for a dashboard with no orchestrator.
 */
export function nextRunsFromConfig(config: SparkyConfig, clock: Clock): () => { period: Period; at: string | null }[] {
  const o = config.orchestrator;
  const patterns: Array<[Period, string]> = [
    ["daily", o.schedule_daily],
    ["weekly", o.schedule_weekly],
    ["monthly", o.schedule_monthly],
  ];
  return () =>
    o.schedules_enabled
      ? patterns.map(([period, pattern]) => {
          const cron = new Cron(pattern, { timezone: config.timezone, paused: true });
          const at = cron.nextRun(clock.now());
          cron.stop();
          return { period, at: at?.toISOString() ?? null };
        })
      : [];
}
