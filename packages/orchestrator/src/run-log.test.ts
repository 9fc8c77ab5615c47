import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { SparkyError } from "@sparky/messages";
import { createLogger } from "@sparky/harness";
import { startPipeline } from "./test-pipeline.js";
import type { TestPipeline } from "./test-pipeline.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** A real pino logger at info level whose lines land in an array. */
function capturedLog() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger({ service: "orchestrator", level: "info", destination }), lines };
}

async function pipeline(options: Parameters<typeof startPipeline>[0] = {}): Promise<TestPipeline> {
  const p = await startPipeline(options);
  cleanups.push(() => p.stop());
  return p;
}

/** The run transitions in the order they were logged: `event stage#attempt`. */
const transitions = (lines: Record<string, unknown>[]) =>
  lines.filter((l) => typeof l.event === "string" && String(l.event).startsWith("run.")).map((l) => `${l.event}${l.stage ? ` ${l.stage}#${l.attempt ?? "-"}` : ""}`);

describe("the run log", () => {
  it("writes one line per transition of a run that retries a stage, each with run id, stage, attempt and duration", async () => {
    const { log, lines } = capturedLog();
    const p = await pipeline({ log });
    p.work.analyze = async (command) => {
      if (p.calls.analyze < 2) throw new SparkyError("SPARKY_BUSY", "busy", { transient: true });
      return p.good.analyze(command);
    };
    const result = await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" });
    expect(result.state).toBe("succeeded");

    expect(transitions(lines)).toEqual([
      "run.started",
      "run.stage.started collect#1",
      "run.stage.succeeded collect#1",
      "run.stage.started analyze#1",
      "run.stage.retried analyze#1",
      "run.stage.succeeded analyze#2",
      "run.stage.started generate#1",
      "run.stage.succeeded generate#1",
      "run.stage.started publish#1",
      "run.stage.succeeded publish#1",
      "run.succeeded",
    ]);
    const runLines = lines.filter((l) => String(l.event ?? "").startsWith("run."));
    for (const line of runLines) expect(line).toMatchObject({ runId: "daily-2026-11-18", period: "daily", key: "2026-11-18", service: "orchestrator" });
    for (const line of runLines.filter((l) => /succeeded|failed|retried/.test(String(l.event)))) {
      expect(line.durationMs).toEqual(expect.any(Number));
    }
    expect(runLines.find((l) => l.event === "run.stage.retried")).toMatchObject({ code: "SPARKY_BUSY", reason: "busy", delayMs: 10, level: 40 });
    // No second line says the same thing in other words.
    expect(lines.filter((l) => /attempt failed|run finished/.test(String(l.msg)))).toEqual([]);
  });

  it("logs the failed stage and the failed run once, and the stages a resume keeps", async () => {
    const { log, lines } = capturedLog();
    const p = await pipeline({ log });
    p.work.generate = async () => {
      throw new SparkyError("SPARKY_GATE", "no template");
    };
    const failed = await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" });
    expect(failed.state).toBe("failed");
    expect(transitions(lines)).toEqual([
      "run.started",
      "run.stage.started collect#1",
      "run.stage.succeeded collect#1",
      "run.stage.started analyze#1",
      "run.stage.succeeded analyze#1",
      "run.stage.started generate#1",
      "run.stage.failed generate#1",
      "run.failed",
    ]);
    expect(lines.find((l) => l.event === "run.failed")).toMatchObject({ state: "failed", reason: expect.stringContaining("no template"), level: 50 });

    lines.length = 0;
    p.work.generate = p.good.generate as never;
    const resumed = await p.orchestrator.resume(failed.runId);
    expect(resumed.state).toBe("succeeded");
    expect(transitions(lines)).toEqual([
      "run.started",
      "run.stage.kept collect#-",
      "run.stage.kept analyze#-",
      "run.stage.started generate#2",
      "run.stage.succeeded generate#2",
      "run.stage.started publish#1",
      "run.stage.succeeded publish#1",
      "run.succeeded",
    ]);
  });
});
