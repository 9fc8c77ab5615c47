import { afterEach, describe, expect, it } from "vitest";
import { STAGES, systemClock } from "@sparky/messages";
import type { RunRecord } from "@sparky/messages";
import { createMetrics, resolveEndpoints } from "@sparky/harness";
import { createOrchestrator } from "./create-orchestrator.js";
import { createStateStore } from "./state-store.js";
import { silentLog, tempDir, testConfig } from "./test-pipeline.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function leftRunning(runId: string): RunRecord {
  const now = "2026-11-19T06:00:00.000Z";
  return {
    schema: "sparky.run/1",
    runId,
    period: "daily",
    key: runId.slice("daily-".length),
    window: { start: `${runId.slice(6)}T00:00:00.000Z`, end: "2026-11-19T00:00:00.000Z" },
    timezone: "UTC",
    state: "running",
    trigger: "schedule",
    repos: ["/src/a"],
    org: null,
    refresh: false,
    collection: null,
    allowEmpty: true,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    reason: null,
    stages: STAGES.map((stage) => ({
      stage,
      state: stage === "collect" ? "succeeded" : stage === "analyze" ? "running" : "pending",
      startedAt: null,
      finishedAt: null,
      attempts: [],
      result: null,
    })),
  } as RunRecord;
}

describe("a served orchestrator starting after a stop", () => {
  it("marks the runs an earlier orchestrator left running as interrupted, saying how to continue", async () => {
    const { dir, remove } = await tempDir();
    cleanups.push(remove);
    const config = testConfig(dir, { schedules_enabled: false });
    const store = createStateStore(config.data_dir);
    await store.saveRun(leftRunning("daily-2026-11-18"));
    const orchestrator = createOrchestrator({
      config,
      endpoints: resolveEndpoints(config, "inproc"),
      log: silentLog(),
      clock: systemClock,
      metrics: createMetrics("orchestrator"),
      mode: "served",
    });
    await orchestrator.start();
    cleanups.push(() => orchestrator.stop());
    const record = await store.loadRun("daily-2026-11-18");
    expect(record).toMatchObject({
      state: "failed",
      reason: "interrupted: the orchestrator stopped during analyze; continue it with `sparky resume daily-2026-11-18` or POST /runs/daily-2026-11-18/resume",
    });
    expect(record?.finishedAt).not.toBeNull();
  });
});
