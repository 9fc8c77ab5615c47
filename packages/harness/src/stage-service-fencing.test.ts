import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMessage, periodFor, systemClock } from "@sparky/messages";
import type { Command, JobState, Reply } from "@sparky/messages";
import { createRequester, startEventBus } from "@sparky/transport";
import type { EventBus, Requester } from "@sparky/transport";
import { raiseFence } from "./fence.js";
import { writeFileAtomic } from "./fs.js";
import { createLogger } from "./logger.js";
import { createMetrics } from "./metrics.js";
import { createStageService } from "./stage-service.js";
import type { StageService, StageWork } from "./stage-service.js";

const log = createLogger({ service: "analyzer", level: "silent" });
const spec = periodFor("daily", "2026-11-26");
const ref = { runId: spec.runId, period: spec.period, key: spec.key, window: spec.window, timezone: spec.timezone };

let dataDir: string;
let bus: EventBus;
let service: StageService;
let client: Requester;
let work: StageWork<"analyze">;
let release: () => void;
let started: Promise<void>;

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sparky-fence-"));
  const ns = `inproc://fence-test-${randomBytes(4).toString("hex")}`;
  bus = await startEventBus({ input: `${ns}-in`, output: `${ns}-out` });
  service = createStageService({
    service: "analyzer",
    stage: "analyze",
    bind: `${ns}-analyzer`,
    events: bus.input,
    log,
    clock: systemClock,
    metrics: createMetrics("analyzer"),
    work: (command, ctx) => work(command, ctx),
    dataDir,
  });
  await service.start();
  client = createRequester({ endpoint: service.endpoint, timeoutMs: 2000, retries: 0, peer: "analyzer" });
  // A job that writes its output once the test lets it, the way analyzeRun does.
  const gate = new Promise<void>((resolve) => (release = resolve));
  let begun!: () => void;
  started = new Promise<void>((resolve) => (begun = resolve));
  work = async (_command, ctx) => {
    begun();
    await gate;
    await writeFileAtomic(join(dataDir, "processed.json"), "{}", { beforeRename: ctx.guard });
    return { analysis: "", commits: 0, merges: 0, contributors: 0, repositories: 0, themes: 0, themesSource: "deterministic", themesReason: null, llm: { calls: 0, cached: 0, promptTokens: 0, warning: null } };
  };
});

afterEach(async () => {
  release();
  client.close();
  await service.stop(1000);
  await bus.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function finalState(jobId: string): Promise<JobState> {
  for (;;) {
    const reply = await client.request(createMessage<Command>("job.status", { jobId }));
    if (reply.type === "job.state" && reply.payload.state !== "running") return reply.payload;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function accept(fence: number): Promise<string> {
  const reply: Reply = await client.request(createMessage<Command>("analyze", { ...ref, fence }, { runId: ref.runId }));
  if (reply.type !== "accepted") throw new Error(`not accepted: ${JSON.stringify(reply)}`);
  return reply.payload.jobId;
}

describe("stale attempts", () => {
  it("a job whose attempt the orchestrator moved on from may not write its output", async () => {
    const jobId = await accept(1);
    await started;
    await raiseFence(dataDir, ref.runId, "analyze", 2); // the orchestrator gave up on attempt 1
    release();
    expect(await finalState(jobId)).toMatchObject({ state: "failed", error: { code: "SPARKY_FENCED" } });
    expect(existsSync(join(dataDir, "processed.json"))).toBe(false);
  });

  it("a retry that joins the running job adopts its attempt, so the job may still write", async () => {
    const jobId = await accept(1);
    await started;
    await raiseFence(dataDir, ref.runId, "analyze", 2);
    expect(await accept(2)).toBe(jobId);
    release();
    expect(await finalState(jobId)).toMatchObject({ state: "succeeded" });
    expect(existsSync(join(dataDir, "processed.json"))).toBe(true);
  });

  it("a cancelled job's signal fires and it writes nothing", async () => {
    const jobId = await accept(1);
    await started;
    const reply = await client.request(createMessage<Command>("cancel", { jobId, reason: "gave up after 2 attempts" }));
    expect(reply).toMatchObject({ type: "job.state", payload: { jobId } });
    release();
    expect(await finalState(jobId)).toMatchObject({ state: "failed", error: { code: "SPARKY_CANCELLED", message: expect.stringContaining("gave up after 2 attempts") } });
    expect(existsSync(join(dataDir, "processed.json"))).toBe(false);
  });
});
