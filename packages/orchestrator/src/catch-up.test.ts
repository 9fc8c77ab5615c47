import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RunRecordSchema } from "@sparky/messages";
import { duePeriods } from "./catch-up.js";
import { createLeaderElection } from "./leader-election.js";
import { kubeConfigFor, startLeaseApi } from "./test-lease-api.js";
import { silentLog, startPipeline, tempDir, testConfig } from "./test-pipeline.js";

const execFileAsync = promisify(execFile);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const NEVER = "0 0 29 2 1"; // valid, and months away from November
const schedules = { schedule_daily: "0 6 * * *", schedule_weekly: "0 7 * * 1", schedule_monthly: "0 8 1 * *" };

function due(now: string, orchestrator: Record<string, unknown> = {}) {
  const config = testConfig("/tmp/unused", { ...schedules, ...orchestrator });
  return duePeriods(config, new Date(now)).map((m) => m.spec.runId);
}

describe("duePeriods", () => {
  it("lists the ended periods of the look-back whose cron time has passed, oldest first", () => {
    // Monday 2026-11-16 08:00: the week that ended yesterday is due (07:00), November is not over.
    expect(due("2026-11-16T08:00:00Z", { catch_up_days: 3 })).toEqual(["daily-2026-11-13", "daily-2026-11-14", "daily-2026-11-15", "weekly-2026-W46"]);
  });

  it("leaves a period whose cron time is still ahead to the schedule, and today alone", () => {
    expect(due("2026-11-16T06:30:00Z", { catch_up_days: 2 })).toEqual(["daily-2026-11-14", "daily-2026-11-15"]);
    expect(due("2026-11-16T05:00:00Z", { catch_up_days: 2 })).toEqual(["daily-2026-11-14"]);
  });

  it("takes months that ended in the look-back", () => {
    expect(due("2026-12-01T09:00:00Z", { catch_up_days: 1, schedule_weekly: NEVER })).toEqual(["daily-2026-11-30", "monthly-2026-11"]);
  });

  it("is off with catch_up_days = 0 or schedules disabled", () => {
    expect(due("2026-11-16T08:00:00Z", { catch_up_days: 0 })).toEqual([]);
    expect(due("2026-11-16T08:00:00Z", { schedules_enabled: false })).toEqual([]);
  });

  it("uses the configured time zone for days and cron times", () => {
    const config = testConfig("/tmp/unused", { ...schedules, catch_up_days: 1, schedule_weekly: NEVER }, { timezone: "Pacific/Kiritimati" });
    // 17:00 UTC on the 15th is 07:00 on the 16th in Kiritimati (UTC+14): the 15th is due there.
    expect(duePeriods(config, new Date("2026-11-15T17:00:00Z")).map((m) => m.spec.runId)).toEqual(["daily-2026-11-15"]);
  });
});

/** Subjects of the docs repository's commits, oldest first. */
async function commits(repo: string): Promise<string[]> {
  const { stdout } = await execFileAsync("git", ["-C", repo, "log", "--reverse", "--format=%s"]);
  return stdout.trim().split("\n").filter(Boolean);
}

const days = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `daily-2026-11-${String(from + i).padStart(2, "0")}`);

describe("catch-up of a served orchestrator", () => {
  it("after a stop across two schedule times, runs exactly the missed digests in order, each committed once", async () => {
    const { dir, remove } = await tempDir();
    cleanups.push(remove);
    let now = new Date("2026-11-10T07:00:00.000Z");
    const clock = { now: () => now };
    const options = {
      clock,
      dir,
      mode: "served" as const,
      schedules: true,
      gitDocs: true,
      commits: 0,
      orchestrator: { schedule_daily: "0 6 * * *", schedule_weekly: NEVER, schedule_monthly: NEVER, catch_up_days: 7 },
    };
    const waitSucceeded = (p: Awaited<ReturnType<typeof startPipeline>>, runIds: string[]) =>
      vi.waitFor(
        async () => {
          for (const runId of runIds) expect(RunRecordSchema.parse(await p.readRun(runId)).state).toBe("succeeded");
        },
        { timeout: 20_000, interval: 100 },
      );

    // First start: the seven days before it are missing and are caught up.
    const first = await startPipeline(options);
    await waitSucceeded(first, days(3, 9));
    await first.stop();
    expect(await commits(first.config.publisher.git_repo)).toEqual(days(3, 9).map((id) => `digest ${id}`));

    // Down from the 10th 07:00 to the 12th 07:00: the 06:00 runs of the 11th and 12th never fired.
    now = new Date("2026-11-12T07:00:00.000Z");
    const second = await startPipeline(options);
    cleanups.push(() => second.stop());
    await waitSucceeded(second, days(10, 11));
    expect(await second.orchestrator.catchUp()).toEqual([]);
    // Only the two missing days ran again; the succeeded ones were left alone.
    expect(second.calls.collect).toBe(2);
    for (const runId of days(10, 11)) expect(RunRecordSchema.parse(await second.readRun(runId)).trigger).toBe("catch-up");
    expect(await commits(second.config.publisher.git_repo)).toEqual(days(3, 11).map((id) => `digest ${id}`));
  });

  it("never queues a period twice, however often it is asked", async () => {
    const p = await startPipeline({
      clock: { now: () => new Date("2026-11-12T07:00:00.000Z") },
      mode: "served",
      schedules: true,
      commits: 0,
      orchestrator: { schedule_daily: "0 6 * * *", schedule_weekly: NEVER, schedule_monthly: NEVER, catch_up_days: 1 },
    });
    cleanups.push(() => p.stop());
    const [a, b] = await Promise.all([p.orchestrator.catchUp(), p.orchestrator.catchUp()]);
    // The start queued it; the two calls found it in flight or succeeded.
    expect([...a!, ...b!]).toEqual([]);
    await vi.waitFor(async () => expect(RunRecordSchema.parse(await p.readRun("daily-2026-11-11")).state).toBe("succeeded"), { timeout: 10_000, interval: 50 });
    expect(p.calls.collect).toBe(1);
  });
});

describe("catch-up after a scheduled run", () => {
  it("runs the days missed while the process was stalled once the next scheduled run is done", async () => {
    let now = new Date("2026-11-19T10:00:00.000Z");
    const p = await startPipeline({
      clock: { now: () => now },
      mode: "served",
      schedules: true,
      commits: 0,
      // Every second: the schedule fires during the test (real time), for the injected clock's yesterday.
      orchestrator: { schedule_daily: "* * * * * *", schedule_weekly: NEVER, schedule_monthly: NEVER, catch_up_days: 3 },
    });
    cleanups.push(() => p.stop());
    await vi.waitFor(async () => expect(RunRecordSchema.parse(await p.readRun("daily-2026-11-18")).state).toBe("succeeded"), { timeout: 10_000, interval: 50 });
    // Three days pass with no schedule firing (a suspended VM, say); the next one brings the gap back.
    now = new Date("2026-11-22T10:00:00.000Z");
    await vi.waitFor(
      async () => {
        // The schedule's own day (its run may join a catch-up of it queued by the run before).
        expect(RunRecordSchema.parse(await p.readRun("daily-2026-11-21")).state).toBe("succeeded");
        for (const runId of ["daily-2026-11-19", "daily-2026-11-20"]) {
          expect(RunRecordSchema.parse(await p.readRun(runId))).toMatchObject({ state: "succeeded", trigger: "catch-up" });
        }
      },
      { timeout: 15_000, interval: 100 },
    );
  });
});

describe("catch-up with leader election", () => {
  it("is done by the replica holding the lease only", async () => {
    const api = await startLeaseApi();
    cleanups.push(() => api.close());
    let orchestrator: { catchUp(): Promise<unknown> } | undefined;
    const elect = (identity: string) => {
      const election = createLeaderElection({
        // As `sparky serve orchestrator` wires it: becoming the leader catches up.
        onChange: (leader) => {
          if (leader && identity === "replica-b") void orchestrator?.catchUp();
        },
        kubeConfig: kubeConfigFor(api, identity),
        namespace: "sparky",
        leaseName: "sparky-orchestrator",
        identity,
        log: silentLog(),
        leaseDurationSeconds: 1,
        renewDeadlineMs: 600,
        retryPeriodMs: 100,
        requestTimeoutMs: 500,
      });
      cleanups.push(() => election.stop());
      return election;
    };
    const other = elect("replica-a");
    await other.start();
    expect(other.isLeader()).toBe(true);
    const follower = elect("replica-b");
    await follower.start();
    expect(follower.isLeader()).toBe(false);

    const p = await startPipeline({
      clock: { now: () => new Date("2026-11-12T07:00:00.000Z") },
      mode: "served",
      schedules: true,
      commits: 0,
      leader: follower,
      orchestrator: { schedule_daily: "0 6 * * *", schedule_weekly: NEVER, schedule_monthly: NEVER, catch_up_days: 2 },
    });
    cleanups.push(() => p.stop());
    orchestrator = p.orchestrator;
    expect(await p.orchestrator.catchUp()).toEqual([]);
    expect(p.calls.collect).toBe(0);

    // The leader goes away and hands the lease back: this replica catches up as it takes over.
    await other.stop();
    await vi.waitFor(() => expect(follower.isLeader()).toBe(true), { timeout: 5000, interval: 20 });
    await vi.waitFor(async () => expect(RunRecordSchema.parse(await p.readRun("daily-2026-11-11")).state).toBe("succeeded"), { timeout: 10_000, interval: 50 });
    expect(p.calls.collect).toBe(2);
  });
});
