import { mkdir, rm, writeFile } from "node:fs/promises";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RunRecordSchema, SparkyError, StatusSchema, dataLayout } from "@sparky/messages";
import type { Event } from "@sparky/messages";
import { createMetrics, resolveEndpoints } from "@sparky/harness";
import { createOrchestrator } from "./create-orchestrator.js";
import { silentLog, startPipeline, tempDir, testConfig } from "./test-pipeline.js";
import type { TestPipeline } from "./test-pipeline.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function pipeline(options: Parameters<typeof startPipeline>[0] = {}): Promise<TestPipeline> {
  const p = await startPipeline(options);
  cleanups.push(() => p.stop());
  return p;
}

/** A latch a stage's work can wait on; released at cleanup at the latest. */
function latch() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  cleanups.push(() => open());
  return { open, opened };
}

describe("resume", () => {
  it("continues a failed run from the failed stage without running the earlier ones again", async () => {
    const p = await pipeline();
    p.work.generate = async () => {
      throw new SparkyError("SPARKY_TEMPLATE", "template is broken");
    };
    const failed = await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" });
    expect(failed.reason).toBe("generate failed: template is broken");

    p.work.generate = p.good.generate as never;
    const resumed = await p.orchestrator.resume("daily-2026-11-18");

    expect(resumed.state).toBe("succeeded");
    expect(resumed.reason).toBeNull();
    expect(p.calls).toEqual({ collect: 1, analyze: 1, generate: 2, publish: 1 });
    expect(p.order).toEqual(["collect", "analyze", "generate", "generate", "publish"]);
    const record = RunRecordSchema.parse(await p.readRun("daily-2026-11-18"));
    expect(record.state).toBe("succeeded");
    const generate = record.stages.find((s) => s.stage === "generate")!;
    expect(generate.attempts.map((a) => [a.attempt, a.error?.code ?? null])).toEqual([
      [1, "SPARKY_TEMPLATE"],
      [2, null],
    ]);
    expect(record.stages.find((s) => s.stage === "collect")!.attempts).toHaveLength(1);
    expect(StatusSchema.parse(await p.readStatus()).lastRun).toMatchObject({ runId: "daily-2026-11-18", state: "succeeded", reason: null });
  });

  it("runs a kept stage again when its output no longer passes its gate, and every stage after it", async () => {
    const p = await pipeline();
    p.work.publish = async () => {
      throw new SparkyError("SPARKY_PUSH_REJECTED", "push rejected");
    };
    await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" });
    await rm(dataLayout(p.config.data_dir).analysis("daily", "2026-11-18"));
    p.work.publish = p.good.publish as never;

    const resumed = await p.orchestrator.resume("daily-2026-11-18");
    expect(resumed.state).toBe("succeeded");
    // The digest kept from before was made from the old analysis: it is generated again.
    expect(p.calls).toEqual({ collect: 1, analyze: 2, generate: 2, publish: 2 });
    expect(p.order.slice(4)).toEqual(["analyze", "generate", "publish"]);
  });

  it("refuses to resume a run it has no record of", async () => {
    const p = await pipeline();
    await expect(p.orchestrator.resume("daily-2020-01-01")).rejects.toMatchObject({
      code: "SPARKY_RUN_NOT_FOUND",
      message: expect.stringContaining("no run daily-2020-01-01"),
    });
  });
});

describe("the run queue", () => {
  it("joins a second request for a run that is in progress instead of starting another", async () => {
    const p = await pipeline();
    const gate = latch();
    p.work.collect = async (command) => {
      await gate.opened;
      return p.good.collect(command);
    };
    const first = p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" });
    const second = p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "api" });
    expect(second).toBe(first);
    await vi.waitFor(() => expect(p.calls.collect).toBe(1), { timeout: 3000 });
    const resumed = p.orchestrator.resume("daily-2026-11-18");
    gate.open();

    const [a, b, c] = await Promise.all([first, second, resumed]);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(a.state).toBe("succeeded");
    expect(a.trigger).toBe("cli");
    expect(p.calls).toEqual({ collect: 1, analyze: 1, generate: 1, publish: 1 });
  });

  it("runs one run at a time and shows the others as pending in status.json", async () => {
    const p = await pipeline();
    const gate = latch();
    p.work.collect = async (command) => {
      await gate.opened;
      return p.good.collect(command);
    };
    const first = p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" });
    const second = p.orchestrator.submit({ period: "daily", date: "2026-11-19", trigger: "cli" });
    await vi.waitFor(async () => {
      const status = StatusSchema.parse(await p.readStatus());
      expect(status.running).toMatchObject([{ runId: "daily-2026-11-18", stage: "collect" }]);
      expect(status.pending).toEqual(["daily-2026-11-19"]);
      // "collect: started" is recorded before the command reaches the collector: wait for it.
      expect(p.calls.collect).toBe(1);
    }, { timeout: 3000, interval: 20 });
    expect((await p.orchestrator.store.loadRun("daily-2026-11-19"))?.state).toBe("pending");
    expect(p.calls.collect).toBe(1);
    gate.open();

    expect((await first).state).toBe("succeeded");
    expect((await second).state).toBe("succeeded");
    expect(p.order.filter((s) => s === "collect")).toHaveLength(2);
    const status = StatusSchema.parse(await p.readStatus());
    expect(status).toMatchObject({ running: [], pending: [], lastRun: { runId: "daily-2026-11-19", state: "succeeded" } });
  });

  it("publishes run events on its bus", async () => {
    const p = await pipeline();
    const events: Event[] = [];
    const off = p.orchestrator.onEvent((event) => events.push(event));
    cleanups.push(off);
    const result = await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" });
    await vi.waitFor(() => expect(events.map((e) => e.type)).toContain("run.completed"), { timeout: 3000 });
    const types = events.map((e) => e.type);
    expect(types).toContain("run.started");
    expect(types).toContain("collect.completed");
    expect(types).toContain("publish.completed");
    expect(types.indexOf("run.started")).toBeLessThan(types.indexOf("run.completed"));
    expect(events.find((e) => e.type === "run.completed")!.runId).toBe(result.runId);
  });
});

describe("stages that do not answer or do not finish", () => {
  it("fails the run naming the peer when no stage service is bound on its endpoint", async () => {
    const p = await pipeline({ serve: ["collect", "generate", "publish"] });
    const result = await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" });

    expect(result.state).toBe("failed");
    expect(result.reason).toMatch(/^analyze failed after 3 attempts: analyzer at inproc:\/\/\S+-analyzer did not answer analyze/);
    const analyze = RunRecordSchema.parse(await p.readRun(result.runId)).stages.find((s) => s.stage === "analyze")!;
    expect(analyze.attempts.map((a) => [a.jobId, a.error?.code])).toEqual([
      [null, "SPARKY_PEER_UNAVAILABLE"],
      [null, "SPARKY_PEER_UNAVAILABLE"],
      [null, "SPARKY_PEER_UNAVAILABLE"],
    ]);
    expect(p.calls.generate).toBe(0);
  });

  it("counts a job that outlives stage_timeout_s as a transient failure", async () => {
    const p = await pipeline({ orchestrator: { stage_timeout_s: 0.3, max_attempts: 2 } });
    const gate = latch();
    p.work.collect = async (command) => {
      await gate.opened;
      return p.good.collect(command);
    };
    const result = await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" });
    gate.open();

    expect(result.reason).toMatch(/^collect failed after 2 attempts: collect job \S+ did not finish in time \(stage_timeout_s\)$/);
    const collect = RunRecordSchema.parse(await p.readRun(result.runId)).stages[0]!;
    expect(collect.attempts.map((a) => a.error?.code)).toEqual(["SPARKY_STAGE_TIMEOUT", "SPARKY_STAGE_TIMEOUT"]);
    // The stage keeps one job per run: the retry waits on the job already running.
    expect(collect.attempts[1]!.jobId).toBe(collect.attempts[0]!.jobId);
    expect(p.calls.collect).toBe(1);
  });
});

/** A served orchestrator with no stage services, on a fixed clock, not yet started. */
async function servedOrchestrator() {
  const { dir, remove } = await tempDir();
  cleanups.push(remove);
  const config = testConfig(dir);
  const orchestrator = createOrchestrator({
    config,
    endpoints: resolveEndpoints(config, "inproc"),
    log: silentLog(),
    clock: { now: () => new Date("2026-11-19T06:00:00.000Z") },
    metrics: createMetrics("orchestrator"),
    mode: "served",
  });
  return { config, orchestrator };
}

describe("lifecycle", () => {
  it("is not ready while its state directory cannot be written, and says why", async () => {
    const { config, orchestrator } = await servedOrchestrator();
    await orchestrator.start();
    cleanups.push(() => orchestrator.stop());
    expect(await orchestrator.readiness()).toMatchObject({ ready: true });
    // Tests run as root, for whom permissions do not apply: a file where the directory
    // should be fails the same way a read-only volume does.
    const { stateDir } = dataLayout(config.data_dir);
    await rm(stateDir, { recursive: true, force: true });
    await mkdir(config.data_dir, { recursive: true });
    await writeFile(stateDir, "not a directory");
    const readiness = await orchestrator.readiness();
    expect(readiness.ready).toBe(false);
    expect(readiness.detail).toMatch(/^cannot write to .*state \((EEXIST|ENOTDIR)\): mount it writable for uid \d+$/);
    await rm(stateDir);
  });

  it("refuses runs before start and writes status.json when started", async () => {
    const { orchestrator } = await servedOrchestrator();
    await expect(orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" })).rejects.toMatchObject({ code: "SPARKY_NOT_STARTED" });
    expect((await orchestrator.readiness()).ready).toBe(false);

    await orchestrator.start();
    cleanups.push(() => orchestrator.stop());
    expect(await orchestrator.readiness()).toMatchObject({ ready: true });
    expect(orchestrator.nextSchedules()).toEqual([]);
    const status = await orchestrator.store.loadStatus();
    expect(status).toMatchObject({
      updatedAt: "2026-11-19T06:00:00.000Z",
      orchestrator: { mode: "served", startedAt: "2026-11-19T06:00:00.000Z" },
      lastCheck: "2026-11-19T06:00:00.000Z",
      running: [],
      lastRun: null,
    });
  });
});
