import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { RunRecordSchema } from "@sparky/messages";
import type { CommandOf, RunRecord } from "@sparky/messages";
import type { StageJobContext } from "@sparky/harness";
import { runNote } from "./run-note.js";
import { startPipeline } from "./test-pipeline.js";
import type { TestPipeline } from "./test-pipeline.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const UNTIL = "2026-11-27T07:00:00.000Z";

describe("a stage waiting for GitHub's quota", () => {
  it("shows the wait in the run record and is not timed out by stage_timeout_s", async () => {
    // A stage timeout of 0.3 s, a collection that waits (says so) for three times as long.
    const p: TestPipeline = await startPipeline({ orchestrator: { stage_timeout_s: 0.3, poll_interval_ms: 20 } });
    cleanups.push(() => p.stop());
    const seen: RunRecord[] = [];
    p.work.collect = (async (command: CommandOf<"collect">, ctx: StageJobContext) => {
      ctx.waiting(UNTIL, `waiting for GitHub quota until ${UNTIL}`);
      for (let i = 0; i < 9; i++) {
        await sleep(100);
        seen.push(RunRecordSchema.parse(await p.readRun(command.payload.runId)));
      }
      ctx.waiting(null);
      return p.good.collect(command);
    }) as never;

    const result = await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" });
    expect(result.state, result.reason ?? "").toBe("succeeded");
    expect(result.stages.find((s) => s.stage === "collect")!.attempts).toHaveLength(1);
    expect(p.calls.collect).toBe(1);
    // While it waited, the record said so, in words `sparky status` prints.
    const waiting = seen.filter((r) => r.waiting);
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting[0]!.waiting).toEqual({ stage: "collect", until: UNTIL, message: `waiting for GitHub quota until ${UNTIL}` });
    expect(runNote(waiting[waiting.length - 1]!)).toBe(`collect: waiting for GitHub quota until ${UNTIL}`);
    expect(result.waiting ?? null).toBeNull();
  });

  it("still times out a stage that runs too long without saying it waits", async () => {
    const p: TestPipeline = await startPipeline({ orchestrator: { stage_timeout_s: 0.2, poll_interval_ms: 20, max_attempts: 1 } });
    cleanups.push(() => p.stop());
    let job: Promise<unknown> = Promise.resolve();
    p.work.collect = ((command: CommandOf<"collect">) => {
      job = sleep(600).then(() => p.good.collect(command));
      return job;
    }) as never;
    const result = await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" });
    expect(result.state).toBe("failed");
    expect(result.reason).toMatch(/did not finish in time \(stage_timeout_s\)/);
    await job; // let the abandoned job finish before its folder goes
  });
});
