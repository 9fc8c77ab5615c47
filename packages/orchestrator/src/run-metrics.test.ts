import { describe, expect, it } from "vitest";
import { createMetrics } from "@sparky/harness";
import type { RunRecord } from "@sparky/messages";
import { runMetrics } from "./run-metrics.js";

const run = (period: string, state: string, finishedAt: string | null, stages: Partial<RunRecord["stages"][number]>[] = []) =>
  ({ runId: `${period}-x`, period, state, finishedAt, stages }) as unknown as RunRecord;

describe("runMetrics", () => {
  it("times runs and their stages, and remembers when each period last succeeded", async () => {
    const metrics = createMetrics("orchestrator");
    const m = runMetrics(metrics.ops);
    m.queued(2);
    m.started();
    expect((await metrics.ops.runsInProgress.get()).values[0]!.value).toBe(1);
    m.finished(
      run("daily", "succeeded", "2026-11-27T06:00:30.000Z", [
        { stage: "collect", state: "succeeded", startedAt: "2026-11-27T06:00:00.000Z", finishedAt: "2026-11-27T06:00:10.000Z" },
        { stage: "publish", state: "skipped", startedAt: null, finishedAt: null },
      ]),
      "2026-11-27T06:00:00.000Z",
    );
    expect((await metrics.ops.runsInProgress.get()).values[0]!.value).toBe(0);
    expect((await metrics.ops.queueDepth.get()).values[0]!.value).toBe(2);
    const duration = (await metrics.ops.runDuration.get()).values.find((v) => v.metricName === "sparky_run_duration_seconds_sum");
    expect(duration).toMatchObject({ labels: { period: "daily", outcome: "succeeded" }, value: 30 });
    const stages = (await metrics.ops.stageDuration.get()).values.filter((v) => v.metricName === "sparky_stage_duration_seconds_sum");
    expect(stages).toEqual([expect.objectContaining({ labels: { stage: "collect", outcome: "succeeded" }, value: 10 })]);
    expect((await metrics.ops.lastSuccess.get()).values).toEqual([expect.objectContaining({ labels: { period: "daily" }, value: Date.parse("2026-11-27T06:00:30.000Z") / 1000 })]);

    // A failure leaves the last success as it was.
    m.finished(run("daily", "failed", "2026-11-28T06:00:30.000Z"), "2026-11-28T06:00:00.000Z");
    expect((await metrics.ops.lastSuccess.get()).values[0]!.value).toBe(Date.parse("2026-11-27T06:00:30.000Z") / 1000);
  });

  it("counts a quiet day skipped without a digest as the period's success, live and restored", async () => {
    const quiet = run("daily", "succeeded", "2026-11-29T06:00:30.000Z", [
      { stage: "generate", state: "succeeded", startedAt: "2026-11-29T06:00:20.000Z", finishedAt: "2026-11-29T06:00:21.000Z", result: { skipped: "quiet day", digest: "" } },
    ]);
    const live = createMetrics("orchestrator");
    runMetrics(live.ops).finished(quiet, "2026-11-29T06:00:00.000Z");
    expect((await live.ops.lastSuccess.get()).values).toEqual([expect.objectContaining({ labels: { period: "daily" }, value: Date.parse("2026-11-29T06:00:30.000Z") / 1000 })]);
    const restored = createMetrics("orchestrator");
    runMetrics(restored.ops).restore([run("daily", "succeeded", "2026-11-28T06:00:00.000Z"), quiet]);
    expect((await restored.ops.lastSuccess.get()).values[0]!.value).toBe(Date.parse("2026-11-29T06:00:30.000Z") / 1000);
  });

  it("restores the newest success of each period from the run records", async () => {
    const metrics = createMetrics("orchestrator");
    runMetrics(metrics.ops).restore([
      run("daily", "succeeded", "2026-11-26T06:00:00.000Z"),
      run("daily", "succeeded", "2026-11-27T06:00:00.000Z"),
      run("daily", "failed", "2026-11-28T06:00:00.000Z"),
      run("weekly", "succeeded", "2026-11-24T07:00:00.000Z"),
    ]);
    const values = Object.fromEntries((await metrics.ops.lastSuccess.get()).values.map((v) => [v.labels.period, v.value]));
    expect(values).toEqual({ daily: Date.parse("2026-11-27T06:00:00.000Z") / 1000, weekly: Date.parse("2026-11-24T07:00:00.000Z") / 1000 });
  });
});
