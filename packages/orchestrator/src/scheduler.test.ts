import { afterEach, describe, expect, it, vi } from "vitest";
import { RunRecordSchema } from "@sparky/messages";
import type { Period } from "@sparky/messages";
import { startSchedules } from "./scheduler.js";
import type { Schedules } from "./scheduler.js";
import { silentLog, startPipeline, testConfig } from "./test-pipeline.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const NEVER = "0 0 29 2 1"; // valid, and far away
const clock = { now: () => new Date("2026-11-19T10:00:00.000Z") };

function arm(patterns: { daily?: string; weekly?: string; monthly?: string }, timezone = "UTC") {
  const config = testConfig("/tmp/unused");
  config.timezone = timezone;
  config.orchestrator.schedule_daily = patterns.daily ?? NEVER;
  config.orchestrator.schedule_weekly = patterns.weekly ?? NEVER;
  config.orchestrator.schedule_monthly = patterns.monthly ?? NEVER;
  const fired: [Period, string][] = [];
  const schedules: Schedules = startSchedules(config, clock, silentLog(), (period, date) => fired.push([period, date]));
  cleanups.push(() => schedules.stop());
  return { schedules, fired };
}

describe("schedules", () => {
  it("triggers each period with yesterday's date", async () => {
    const { fired } = arm({ daily: "* * * * * *", monthly: "* * * * * *" });
    await vi.waitFor(
      () => {
        expect(fired).toContainEqual(["daily", "2026-11-18"]);
        expect(fired).toContainEqual(["monthly", "2026-11-18"]);
      },
      { timeout: 3000, interval: 50 },
    );
    expect(fired.some(([period]) => period === "weekly")).toBe(false);
  });

  it("takes yesterday in the configured time zone", async () => {
    // 10:00 UTC on the 19th is already the 20th in Kiritimati (UTC+14).
    const { fired } = arm({ weekly: "* * * * * *" }, "Pacific/Kiritimati");
    await vi.waitFor(() => expect(fired).toContainEqual(["weekly", "2026-11-19"]), { timeout: 3000, interval: 50 });
  });

  it("tells when each schedule fires next and stops firing once stopped", async () => {
    const { schedules, fired } = arm({ daily: "0 6 * * *", weekly: "* * * * * *" });
    const next = schedules.next();
    expect(next.map((n) => n.period)).toEqual(["daily", "weekly", "monthly"]);
    expect(next[0]!.at).toMatch(/T06:00:00\.000Z$/);
    await vi.waitFor(() => expect(fired.length).toBeGreaterThan(0), { timeout: 3000, interval: 50 });
    schedules.stop();
    const count = fired.length;
    await new Promise((r) => setTimeout(r, 1200));
    expect(fired.length).toBe(count);
  });

  it("rejects a pattern croner refuses, naming the key and the value", () => {
    expect(() => arm({ weekly: "61 * * * *" })).toThrow(
      expect.objectContaining({
        code: "SPARKY_CONFIG_INVALID",
        message: expect.stringMatching(/^config orchestrator\.schedule_weekly = "61 \* \* \* \*": .*use a cron expression/),
      }),
    );
  });

  it("arms two sets of schedules side by side in one process", async () => {
    const a = arm({ daily: "* * * * * *" });
    const b = arm({ daily: "* * * * * *" });
    await vi.waitFor(() => expect(a.fired.length > 0 && b.fired.length > 0).toBe(true), { timeout: 3000, interval: 50 });
  });

  it("leaves no schedule armed when a later pattern is invalid", async () => {
    const fired: Period[] = [];
    const config = testConfig("/tmp/unused");
    config.orchestrator.schedule_daily = "* * * * * *";
    config.orchestrator.schedule_weekly = NEVER;
    config.orchestrator.schedule_monthly = "0 0 32 * *";
    expect(() => startSchedules(config, clock, silentLog(), (period) => fired.push(period))).toThrow(/schedule_monthly/);
    await new Promise((r) => setTimeout(r, 1200));
    expect(fired).toEqual([]);
  });
});

describe("a served orchestrator with schedules", () => {
  it("runs the scheduled period for yesterday, allowing a quiet window", async () => {
    const p = await startPipeline({
      clock,
      commits: 0,
      orchestrator: { schedule_daily: "* * * * * *", schedule_weekly: NEVER, schedule_monthly: NEVER },
      schedules: true,
    });
    cleanups.push(() => p.stop());
    expect(p.orchestrator.nextSchedules().map((n) => n.period)).toEqual(["daily", "weekly", "monthly"]);
    await vi.waitFor(
      async () => {
        const record = RunRecordSchema.parse(await p.readRun("daily-2026-11-18"));
        expect(record).toMatchObject({ state: "succeeded", trigger: "schedule", allowEmpty: true });
      },
      { timeout: 5000, interval: 100 },
    );
  });

  it("arms nothing when schedules_enabled is false", async () => {
    const p = await startPipeline({ orchestrator: { schedules_enabled: false, schedule_daily: "* * * * * *" }, schedules: true });
    cleanups.push(() => p.stop());
    expect(p.orchestrator.nextSchedules()).toEqual([]);
  });
});
