import { readFile } from "node:fs/promises";
import { dataLayout } from "@sparky/messages";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startPipeline } from "./test-pipeline.js";

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

describe("an attempt the orchestrator gave up on", () => {
  it("is fenced off on disk and told to cancel, so its job stops and cannot write", async () => {
    const p = await startPipeline({ orchestrator: { stage_timeout_s: 0.3, max_attempts: 2 } });
    cleanups.push(() => p.stop());
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    cleanups.push(async () => release());
    let signal: AbortSignal | undefined;
    const fences: (number | undefined)[] = [];
    p.work.collect = async (command, ctx) => {
      signal = ctx.signal;
      fences.push((command as unknown as { payload: { fence?: number } }).payload.fence);
      await gate;
      return p.good.collect(command);
    };
    const result = await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" });
    expect(result.state).toBe("failed");
    expect(fences).toEqual([1]); // attempt 2 joined the running job, adopting its fence
    const onDisk = JSON.parse(await readFile(dataLayout(p.config.data_dir).fence(result.runId), "utf8"));
    expect(onDisk).toEqual({ collect: 3 });
    await vi.waitFor(() => expect(signal?.aborted).toBe(true), { timeout: 5000, interval: 20 });
    expect(String(signal?.reason)).toMatch(/SPARKY_CANCELLED|cancelled/);

    // Tokens only grow, across resumes and new runs of the same id: a later run's first
    // attempt is never mistaken for a stale one.
    release();
    p.work.collect = async (command) => {
      fences.push((command as unknown as { payload: { fence?: number } }).payload.fence);
      return p.good.collect(command);
    };
    expect((await p.orchestrator.resume(result.runId)).state).toBe("succeeded");
    expect((await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" })).state).toBe("succeeded");
    expect(fences).toEqual([1, 4, 5]);
  });
});
