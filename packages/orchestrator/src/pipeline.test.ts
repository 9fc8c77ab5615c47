import { afterEach, describe, expect, it } from "vitest";
import { RunRecordSchema, SparkyError, StatusSchema } from "@sparky/messages";
import type { RunRecord, Stage } from "@sparky/messages";
import { goodWork, startPipeline } from "./test-pipeline.js";
import type { TestPipeline } from "./test-pipeline.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function pipeline(options: Parameters<typeof startPipeline>[0] = {}): Promise<TestPipeline> {
  const p = await startPipeline(options);
  cleanups.push(() => p.stop());
  return p;
}

const stageOf = (record: RunRecord, stage: Stage) => record.stages.find((s) => s.stage === stage)!;

describe("a run through the four stages", () => {
  it("runs collect, analyze, generate, publish in order and records the run and the status", async () => {
    const p = await pipeline();
    const result = await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" });

    expect(result.state).toBe("succeeded");
    expect(result.reason).toBeNull();
    expect(p.order).toEqual(["collect", "analyze", "generate", "publish"]);

    const record = RunRecordSchema.parse(await p.readRun("daily-2026-11-18"));
    expect(record).toMatchObject({ runId: "daily-2026-11-18", period: "daily", key: "2026-11-18", state: "succeeded", trigger: "cli" });
    expect(record.window).toEqual({ start: "2026-11-18T00:00:00.000Z", end: "2026-11-19T00:00:00.000Z" });
    expect(record.repos).toEqual(p.config.collector.repos);
    expect(record.finishedAt).not.toBeNull();
    for (const stage of record.stages) {
      expect(stage.state).toBe("succeeded");
      expect(stage.attempts).toHaveLength(1);
      expect(stage.attempts[0]).toMatchObject({ attempt: 1, error: null });
      expect(stage.attempts[0]!.jobId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(stageOf(record, "collect").result).toMatchObject({ commits: 2, repositories: 1 });
    expect(stageOf(record, "publish").result).toMatchObject({ commit: null });

    const status = StatusSchema.parse(await p.readStatus());
    expect(status.running).toEqual([]);
    expect(status.pending).toEqual([]);
    expect(status.orchestrator).toMatchObject({ pid: process.pid, mode: "embedded" });
    expect(status.lastRun).toEqual({ runId: "daily-2026-11-18", state: "succeeded", reason: null, finishedAt: record.finishedAt });
  });

  it("uses the repositories of the request instead of the configured ones", async () => {
    const p = await pipeline();
    let asked: string[] = [];
    p.work.collect = async (command) => {
      asked = (command as { payload: { repos: string[] } }).payload.repos;
      return p.good.collect(command);
    };
    const result = await p.orchestrator.submit({ period: "weekly", date: "2026-11-18", repos: ["/src/a", "/src/b"], trigger: "cli" });
    expect(result.state).toBe("succeeded");
    expect(result.runId).toBe("weekly-2026-W47");
    expect(asked).toEqual(["/src/a", "/src/b"]);
  });
});

describe("retries", () => {
  it("retries a transient failure with backoff and succeeds on the third attempt", async () => {
    const p = await pipeline();
    p.work.analyze = async (command) => {
      if (p.calls.analyze < 3) throw new SparkyError("SPARKY_BUSY", `busy (${p.calls.analyze})`, { transient: true });
      return p.good.analyze(command);
    };
    const result = await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" });

    expect(result.state).toBe("succeeded");
    expect(p.calls).toEqual({ collect: 1, analyze: 3, generate: 1, publish: 1 });
    const analyze = stageOf(RunRecordSchema.parse(await p.readRun(result.runId)), "analyze");
    expect(analyze.state).toBe("succeeded");
    expect(analyze.attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    expect(analyze.attempts.map((a) => a.error?.code ?? null)).toEqual(["SPARKY_BUSY", "SPARKY_BUSY", null]);
    expect(analyze.attempts[0]!.error).toEqual({ code: "SPARKY_BUSY", message: "busy (1)", transient: true });
    // Each attempt is a new job on the stage.
    expect(new Set(analyze.attempts.map((a) => a.jobId)).size).toBe(3);
  });

  it("stops at once on a non-transient failure, naming the stage", async () => {
    const p = await pipeline();
    p.work.analyze = async () => {
      throw new SparkyError("SPARKY_RAW_INVALID", "raw data for daily-2026-11-18 is damaged");
    };
    const result = await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" });

    expect(result.state).toBe("failed");
    expect(result.reason).toBe("analyze failed: raw data for daily-2026-11-18 is damaged");
    expect(p.calls).toEqual({ collect: 1, analyze: 1, generate: 0, publish: 0 });
    const record = RunRecordSchema.parse(await p.readRun(result.runId));
    expect(record.state).toBe("failed");
    expect(stageOf(record, "analyze")).toMatchObject({ state: "failed", attempts: [{ error: { code: "SPARKY_RAW_INVALID", transient: false } }] });
    expect(stageOf(record, "generate")).toMatchObject({ state: "pending", attempts: [] });
  });

  it("an unexpected exception in a stage is not retried", async () => {
    const p = await pipeline();
    p.work.generate = async () => {
      throw new TypeError("cannot read properties of undefined");
    };
    const result = await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" });
    expect(result.reason).toBe("generate failed: cannot read properties of undefined");
    expect(p.calls.generate).toBe(1);
  });

  it("gives up after max_attempts transient failures", async () => {
    const p = await pipeline();
    p.work.collect = async () => {
      throw new SparkyError("SPARKY_LOCKED", "repository is locked", { transient: true });
    };
    const result = await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" });

    expect(result.state).toBe("failed");
    expect(result.reason).toBe("collect failed after 3 attempts: repository is locked");
    expect(p.calls).toEqual({ collect: 3, analyze: 0, generate: 0, publish: 0 });
    const status = StatusSchema.parse(await p.readStatus());
    expect(status.running).toEqual([]);
    expect(status.lastRun).toMatchObject({ runId: "daily-2026-11-18", state: "failed", reason: result.reason });
  });
});

describe("phase gates", () => {
  it("fails the run when collect reports success but its manifest is for another window", async () => {
    const p = await pipeline();
    // Written where the gate looks, but describing the day before.
    const yesterday = { runId: "daily-2026-11-17", window: { start: "2026-11-17T00:00:00.000Z", end: "2026-11-18T00:00:00.000Z" } };
    p.work.collect = goodWork(p.config, { manifestFor: (ref) => ({ ...ref, ...yesterday }) }).collect as never;
    const result = await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" });

    expect(result.state).toBe("failed");
    expect(result.reason).toMatch(/^collect failed: collect gate: output is for daily-2026-11-17 /);
    expect(p.calls).toEqual({ collect: 1, analyze: 0, generate: 0, publish: 0 });
    const collect = stageOf(RunRecordSchema.parse(await p.readRun(result.runId)), "collect");
    expect(collect.attempts[0]!.error).toMatchObject({ code: "SPARKY_GATE_FAILED", transient: false });
  });

  it("fails the run when the digest changed after generate reported its checksum", async () => {
    const p = await pipeline();
    p.work.generate = async (command) => ({ ...(await p.good.generate(command as never)), sha256: "0".repeat(64) });
    const result = await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" });
    expect(result.reason).toMatch(/^generate failed: generate gate: digest .*2026-11-18\.md changed after it was generated$/);
    expect(p.calls.publish).toBe(0);
  });

  it("fails the run when a stage's result does not match its schema", async () => {
    const p = await pipeline();
    p.work.analyze = async () => ({ analysis: 42 });
    const result = await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" });
    expect(result.reason).toMatch(/^analyze failed: analyze reported a result that does not match its schema/);
  });
});

describe("empty windows", () => {
  it("fails a requested run with no commits and points at the newest commit", async () => {
    const p = await pipeline({ commits: 0 });
    const result = await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli", allowEmpty: false });

    expect(result.state).toBe("failed");
    expect(result.reason).toContain("no commits between 2026-11-18T00:00:00.000Z and 2026-11-19T00:00:00.000Z in 1 repository");
    expect(result.reason).toContain("--date 2026-11-10");
    expect(p.calls).toEqual({ collect: 1, analyze: 0, generate: 0, publish: 0 });
    const collect = stageOf(RunRecordSchema.parse(await p.readRun(result.runId)), "collect");
    expect(collect.attempts[0]!.error).toMatchObject({ code: "SPARKY_EMPTY_WINDOW", transient: false });
  });

  it("names the newest commit's day in the configured time zone", async () => {
    // The newest commit is at 2026-11-10T12:00Z: already the 11th in Kiritimati (UTC+14).
    const p = await pipeline({ commits: 0, config: { timezone: "Pacific/Kiritimati" } });
    const result = await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" });
    expect(result.reason).toContain("no commits between 2026-11-17T10:00:00.000Z and 2026-11-18T10:00:00.000Z");
    expect(result.reason).toContain("the newest commit is on 2026-11-11: try --date 2026-11-11 or --date latest");
  });

  it("lets a window with no commits but pull request or issue activity through", async () => {
    const p = await pipeline({ commits: 0 });
    p.work.collect = async (command) => ({ ...(await p.good.collect(command as never)), activity: 3 });
    const result = await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli", allowEmpty: false });
    expect(result.state).toBe("succeeded");
    expect(p.calls).toEqual({ collect: 1, analyze: 1, generate: 1, publish: 1 });
  });

  it("lets a quiet window through when allowEmpty is set", async () => {
    const p = await pipeline({ commits: 0 });
    const result = await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "schedule", allowEmpty: true });
    expect(result.state).toBe("succeeded");
    expect(p.calls).toEqual({ collect: 1, analyze: 1, generate: 1, publish: 1 });
  });
});
