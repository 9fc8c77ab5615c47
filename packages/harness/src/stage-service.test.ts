import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SparkyError, createMessage, periodFor, systemClock } from "@sparky/messages";
import type { CollectResult, Command, Event, JobState, Reply } from "@sparky/messages";
import { createRequester, startEventBus, subscribeEvents } from "@sparky/transport";
import type { EventBus, EventSubscription, Requester } from "@sparky/transport";
import { createLogger } from "./logger.js";
import { createMetrics } from "./metrics.js";
import type { ServedMetrics } from "./metrics.js";
import { createStageService } from "./stage-service.js";
import type { StageService, StageWork } from "./stage-service.js";

const jobOf = (event: Event) => ("jobId" in event.payload ? event.payload.jobId : null);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = createLogger({ service: "collector", level: "silent" });

function deferred() {
  let release!: () => void;
  const promise = new Promise<void>((resolve) => (release = resolve));
  return { promise, release };
}

function result(commits: number): CollectResult {
  return { manifest: "/data/raw/manifest.json", repositories: 1, commits, merges: 0 };
}

function collect(date: string): Command {
  const spec = periodFor("daily", date);
  const ref = { runId: spec.runId, period: spec.period, key: spec.key, window: spec.window, timezone: spec.timezone };
  return createMessage<Command>("collect", { ...ref, repos: ["."], refresh: false }, { runId: spec.runId });
}

let bus: EventBus;
let service: StageService;
let metrics: ServedMetrics;
let client: Requester;
let events: EventSubscription;
let iterator: AsyncIterator<Event>;
/** The work function of the service under test; each test sets its own. */
let work: StageWork<"collect">;
let gates: ReturnType<typeof deferred>[];

beforeEach(async () => {
  const ns = `inproc://stage-test-${randomBytes(4).toString("hex")}`;
  bus = await startEventBus({ input: `${ns}-in`, output: `${ns}-out` });
  metrics = createMetrics("collector");
  gates = [];
  work = async () => result(0);
  service = createStageService({
    service: "collector",
    stage: "collect",
    bind: `${ns}-collector`,
    events: bus.input,
    log,
    clock: systemClock,
    metrics,
    work: (command, ctx) => work(command, ctx),
  });
  expect(service.readiness()).toEqual({ ready: false, detail: "command socket not bound yet" });
  await service.start();
  client = createRequester({ endpoint: service.endpoint, timeoutMs: 2000, retries: 0, peer: "collector" });
  events = subscribeEvents(bus.output, { topics: ["collect."] });
  iterator = events[Symbol.asyncIterator]();
});

afterEach(async () => {
  for (const gate of gates) gate.release();
  client.close();
  events.close();
  await service.stop(1000);
  await bus.close();
});

/** A job that waits until the test releases it. */
function gatedWork(commits = 7) {
  const gate = deferred();
  gates.push(gate);
  work = async () => {
    await gate.promise;
    return result(commits);
  };
  return gate;
}

async function accepted(command: Command): Promise<string> {
  const reply = await client.request(command);
  expect(reply).toMatchObject({ type: "accepted", payload: { service: "collector" } });
  return (reply as Extract<Reply, { type: "accepted" }>).payload.jobId;
}

async function jobState(jobId: string): Promise<JobState> {
  const reply = await client.request(createMessage<Command>("job.status", { jobId }));
  expect(reply.type).toBe("job.state");
  return (reply as Extract<Reply, { type: "job.state" }>).payload;
}

async function settled(jobId: string): Promise<JobState> {
  for (let i = 0; i < 200; i++) {
    const state = await jobState(jobId);
    if (state.state !== "running") return state;
    await sleep(10);
  }
  throw new Error(`job ${jobId} still running`);
}

async function nextEvent(match: (event: Event) => boolean): Promise<Event> {
  const timeout = sleep(5000).then(() => ({ done: true, value: undefined }) as const);
  for (;;) {
    const next = await Promise.race([iterator.next(), timeout]);
    if (next.done) throw new Error("no matching event within 5 s");
    if (match(next.value)) return next.value;
  }
}

/** Wait out the slow joiner: run a job that reports progress until the subscriber hears it. */
async function warmUp(): Promise<void> {
  let heard = false;
  work = async (_command, ctx) => {
    while (!heard) {
      ctx.progress("warming up");
      await sleep(10);
    }
    return result(0);
  };
  const jobId = await accepted(collect("2020-01-01"));
  await nextEvent((e) => e.type === "collect.progress" && jobOf(e) === jobId);
  heard = true;
  await nextEvent((e) => e.type === "collect.completed" && jobOf(e) === jobId);
}

describe("stage service", () => {
  it("answers accepted before the work finishes, then job.status goes running -> succeeded", async () => {
    const gate = gatedWork(7);
    const jobId = await accepted(collect("2026-11-26"));
    expect(await jobState(jobId)).toEqual({ jobId, state: "running", stage: "collect", result: null, error: null });
    gate.release();
    expect(await settled(jobId)).toEqual({ jobId, state: "succeeded", stage: "collect", result: result(7), error: null });
  });

  it("publishes progress and the completion event on the bus", async () => {
    await warmUp();
    work = async (_command, ctx) => {
      ctx.progress("reading history", 1, 2);
      return result(3);
    };
    const jobId = await accepted(collect("2026-11-26"));
    const progress = await nextEvent((e) => e.type === "collect.progress" && jobOf(e) === jobId);
    expect(progress).toMatchObject({ runId: "daily-2026-11-26", payload: { message: "reading history", done: 1, total: 2 } });
    const completed = await nextEvent((e) => jobOf(e) === jobId && e.type !== "collect.progress");
    expect(completed).toMatchObject({ type: "collect.completed", runId: "daily-2026-11-26", payload: { jobId, result: result(3) } });
  });

  it("reports a failing job as failed, with its error code, in the event and in job.status", async () => {
    await warmUp();
    work = async () => {
      throw new SparkyError("SPARKY_GIT_NOT_A_REPO", "/src/x is not a git repository");
    };
    const jobId = await accepted(collect("2026-11-26"));
    const failed = await nextEvent((e) => jobOf(e) === jobId);
    expect(failed).toMatchObject({
      type: "collect.failed",
      payload: { jobId, error: { code: "SPARKY_GIT_NOT_A_REPO", message: "/src/x is not a git repository", transient: false } },
    });
    expect(await settled(jobId)).toMatchObject({ state: "failed", result: null, error: { code: "SPARKY_GIT_NOT_A_REPO" } });

    work = async () => {
      throw new TypeError("cannot read x of undefined");
    };
    const crashed = await accepted(collect("2026-11-27"));
    expect(await settled(crashed)).toMatchObject({
      state: "failed",
      error: { code: "SPARKY_INTERNAL", message: "cannot read x of undefined" },
    });
  });

  it("answers unknown for a job id it never gave out", async () => {
    expect(await jobState("no-such-job")).toEqual({ jobId: "no-such-job", state: "unknown", stage: null, result: null, error: null });
  });

  it("gives a second command for a running run the same job id, and a finished run a new one", async () => {
    const gate = gatedWork();
    const first = await accepted(collect("2026-11-26"));
    expect(await accepted(collect("2026-11-26"))).toBe(first);
    const other = await accepted(collect("2026-11-25"));
    expect(other).not.toBe(first);
    gate.release();
    await settled(first);
    work = async () => result(1);
    expect(await accepted(collect("2026-11-26"))).not.toBe(first);
  });

  it("starts a fresh job instead of joining one older than joinWithinMs (presumed hung)", async () => {
    const hung = createStageService({
      service: "collector",
      stage: "collect",
      bind: `inproc://stage-test-hung-${randomBytes(4).toString("hex")}`,
      events: bus.input,
      log,
      clock: systemClock,
      metrics: createMetrics("collector"),
      work: () => new Promise(() => undefined),
      joinWithinMs: 50,
    });
    await hung.start();
    const hungClient = createRequester({ endpoint: hung.endpoint, timeoutMs: 2000, retries: 0 });
    try {
      const ask = async () => {
        const reply = await hungClient.request(collect("2026-11-26"));
        if (reply.type !== "accepted") throw new Error(`expected accepted, got ${reply.type}`);
        return reply.payload.jobId;
      };
      const first = await ask();
      expect(await ask()).toBe(first);
      await new Promise((r) => setTimeout(r, 80));
      expect(await ask()).not.toBe(first);
    } finally {
      hungClient.close();
      await hung.stop(10);
    }
  });

  it("joins a job that says it is waiting, however old, and job.status says until when", async () => {
    const until = "2026-11-27T07:00:00.000Z";
    const waiting = createStageService({
      service: "collector",
      stage: "collect",
      bind: `inproc://stage-test-waiting-${randomBytes(4).toString("hex")}`,
      events: bus.input,
      log,
      clock: systemClock,
      metrics: createMetrics("collector"),
      work: (_command, ctx) => {
        ctx.waiting(until, `waiting for GitHub quota until ${until}`);
        return new Promise(() => undefined);
      },
      joinWithinMs: 50,
    });
    await waiting.start();
    const waitingClient = createRequester({ endpoint: waiting.endpoint, timeoutMs: 2000, retries: 0 });
    try {
      const reply = await waitingClient.request(collect("2026-11-26"));
      if (reply.type !== "accepted") throw new Error(`expected accepted, got ${reply.type}`);
      const first = reply.payload.jobId;
      await new Promise((r) => setTimeout(r, 80));
      const again = await waitingClient.request(collect("2026-11-26"));
      expect(again).toMatchObject({ type: "accepted", payload: { jobId: first } });
      const state = await waitingClient.request(createMessage<Command>("job.status", { jobId: first }));
      expect(state).toMatchObject({ type: "job.state", payload: { state: "running", waiting: { until, message: `waiting for GitHub quota until ${until}` } } });
    } finally {
      waitingClient.close();
      await waiting.stop(10);
    }
  });

  it("rejects a command for another stage with SPARKY_WRONG_SERVICE", async () => {
    const { repos: _repos, refresh: _refresh, ...ref } = (collect("2026-11-26") as Extract<Command, { type: "collect" }>).payload;
    const reply = await client.request(createMessage<Command>("analyze", ref, { runId: ref.runId }));
    expect(reply).toMatchObject({ type: "rejected", payload: { code: "SPARKY_WRONG_SERVICE", transient: false } });
    expect(reply.type === "rejected" && reply.payload.message).toContain("collector handles collect, not analyze");
  });

  it("answers ping with pong", async () => {
    const reply = await client.request(createMessage<Command>("ping", {}));
    expect(reply).toMatchObject({ type: "pong", payload: { service: "collector", pid: process.pid } });
  });

  it("answers a malformed command with a typed error and counts it", async () => {
    const bad = { ...createMessage<Command>("ping", {}), type: "explode" } as unknown as Command;
    expect(await client.request(bad)).toMatchObject({ type: "error", payload: { code: "SPARKY_MSG_UNKNOWN_TYPE" } });
    expect((await metrics.invalidMessages.get()).values.filter((v) => v.value > 0)).toEqual([
      expect.objectContaining({ labels: { code: "SPARKY_MSG_UNKNOWN_TYPE" }, value: 1 }),
    ]);
  });

  it("stop() waits for a running job and refuses new work meanwhile", async () => {
    const gate = gatedWork(5);
    let finished = false;
    const inner = work;
    work = async (command, ctx) => {
      const value = await inner(command, ctx);
      finished = true;
      return value;
    };
    const jobId = await accepted(collect("2026-11-26"));
    let stopped = false;
    const stopping = service.stop(10_000).then(() => (stopped = true));
    await sleep(150);
    expect(stopped).toBe(false);
    expect(service.readiness()).toEqual({ ready: false, detail: "shutting down" });
    expect(await client.request(collect("2026-11-27"))).toMatchObject({
      type: "rejected",
      payload: { code: "SPARKY_SHUTTING_DOWN", transient: true },
    });
    expect((await jobState(jobId)).state).toBe("running");
    gate.release();
    await stopping;
    expect(finished).toBe(true);
    expect((await metrics.jobs.get()).values.filter((v) => v.value > 0)).toEqual([
      expect.objectContaining({ labels: { stage: "collect", outcome: "succeeded" }, value: 1 }),
    ]);
  });

  it("stop() gives up on a job that outlives the grace period", async () => {
    gatedWork();
    await accepted(collect("2026-11-26"));
    const started = Date.now();
    await service.stop(200);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("counts jobs by outcome, commands by type, and job durations", async () => {
    work = async () => result(1);
    await settled(await accepted(collect("2026-11-24")));
    await settled(await accepted(collect("2026-11-25")));
    work = async () => {
      throw new SparkyError("SPARKY_X", "x");
    };
    await settled(await accepted(collect("2026-11-26")));
    const jobs = (await metrics.jobs.get()).values.map((v) => [v.labels.outcome, v.value]);
    expect(Object.fromEntries(jobs)).toEqual({ succeeded: 2, failed: 1 });
    const messages = Object.fromEntries((await metrics.messages.get()).values.map((v) => [v.labels.type, v.value]));
    expect(messages.collect).toBe(3);
    expect(messages["job.status"]).toBeGreaterThanOrEqual(3);
    const count = (await metrics.jobDuration.get()).values.find((v) => v.metricName === "sparky_job_duration_seconds_count");
    expect(count?.value).toBe(3);
  });

  it("refuses to report an endpoint before start", () => {
    const idle = createStageService({
      ...{ service: "idle", stage: "collect", bind: "inproc://idle", events: "inproc://none" },
      ...{ log, clock: systemClock, metrics, work },
    });
    expect(() => idle.endpoint).toThrow(expect.objectContaining({ code: "SPARKY_NOT_STARTED" }));
  });
});
