import { describe, expect, it } from "vitest";
import { createMessage } from "@sparky/messages";
import type { ErrorInfo, Event, JobState } from "@sparky/messages";
import { createJobWaiter } from "./job-waiter.js";

const RESULT = { manifest: "/data/raw/2026-11-18/manifest.json", repositories: 1, commits: 3, merges: 0 };

function state(jobId: string, s: JobState["state"], extra: Partial<JobState> = {}): JobState {
  return { jobId, state: s, stage: "collect", result: null, error: null, ...extra };
}

/** A poll that answers each call with the next state (the last one repeats), counting calls. */
function scripted(states: JobState[]) {
  const poll = async () => {
    poll.calls++;
    return states[Math.min(poll.calls, states.length) - 1]!;
  };
  poll.calls = 0;
  return poll;
}

const completed = (jobId: string) => createMessage<Event>("collect.completed", { jobId, result: RESULT }, { runId: "daily-2026-11-18" });
const failed = (jobId: string, error: ErrorInfo) => createMessage<Event>("collect.failed", { jobId, error }, { runId: "daily-2026-11-18" });

const soon = (ms = 2000) => Date.now() + ms;

describe("job waiter", () => {
  it("learns completion from job.status polls when the event is lost", async () => {
    const waiter = createJobWaiter();
    const poll = scripted([state("j1", "running"), state("j1", "succeeded", { result: RESULT })]);
    const result = await waiter.wait("j1", { stage: "collect", poll, pollIntervalMs: 10, deadline: soon() });
    expect(result).toEqual(RESULT);
    expect(poll.calls).toBe(2);
  });

  it("turns a failed poll into the stage's error, keeping its code and transience", async () => {
    const waiter = createJobWaiter();
    const error = { code: "SPARKY_LOCKED", message: "repository is locked", transient: true };
    const poll = scripted([state("j1", "failed", { error })]);
    await expect(waiter.wait("j1", { stage: "collect", poll, pollIntervalMs: 10, deadline: soon() })).rejects.toMatchObject(error);
  });

  it("gives a failure without a reason a non-transient internal error", async () => {
    const waiter = createJobWaiter();
    const poll = scripted([state("j1", "failed")]);
    await expect(waiter.wait("j1", { stage: "collect", poll, pollIntervalMs: 10, deadline: soon() })).rejects.toMatchObject({
      code: "SPARKY_INTERNAL",
      transient: false,
    });
  });

  it("reports a job the stage no longer knows as lost and transient", async () => {
    const waiter = createJobWaiter();
    const poll = scripted([state("j1", "running"), state("j1", "unknown", { stage: null })]);
    await expect(waiter.wait("j1", { stage: "analyze", poll, pollIntervalMs: 10, deadline: soon() })).rejects.toMatchObject({
      code: "SPARKY_JOB_LOST",
      transient: true,
      message: expect.stringContaining("analyze no longer knows job j1"),
    });
  });

  it("times out at the deadline with a transient error", async () => {
    const waiter = createJobWaiter();
    const poll = scripted([state("j1", "running")]);
    const started = Date.now();
    await expect(waiter.wait("j1", { stage: "generate", poll, pollIntervalMs: 20, deadline: soon(150) })).rejects.toMatchObject({
      code: "SPARKY_STAGE_TIMEOUT",
      transient: true,
      message: "generate job j1 did not finish in time (stage_timeout_s)",
    });
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(140);
    expect(took).toBeLessThan(1000);
    expect(poll.calls).toBeGreaterThan(2);
  });

  it("does not count the time a job says it waits (for GitHub's quota) against the deadline", async () => {
    const waiter = createJobWaiter();
    const waiting = state("j1", "running", { waiting: { until: "2026-11-27T07:00:00.000Z", message: "waiting for GitHub quota until 2026-11-27T07:00:00.000Z" } });
    const poll = scripted([...Array.from({ length: 12 }, () => waiting), state("j1", "succeeded", { result: RESULT })]);
    const seen: JobState[] = [];
    // Twelve polls 10 ms apart of waiting, with a deadline 40 ms away.
    const result = await waiter.wait("j1", { stage: "collect", poll, pollIntervalMs: 10, deadline: soon(40), onState: (s) => void seen.push(s) });
    expect(result).toEqual(RESULT);
    expect(seen.filter((s) => s.waiting)).toHaveLength(12);
  });

  it("lets a poll error through", async () => {
    const waiter = createJobWaiter();
    const poll = async (): Promise<JobState> => {
      throw Object.assign(new Error("collector did not answer job.status"), { code: "SPARKY_PEER_UNAVAILABLE" });
    };
    await expect(waiter.wait("j1", { stage: "collect", poll, pollIntervalMs: 10, deadline: soon() })).rejects.toThrow(/did not answer/);
  });

  it("returns an outcome observed before wait at once, without polling", async () => {
    const waiter = createJobWaiter();
    waiter.observe(completed("fast"));
    const poll = scripted([state("fast", "running")]);
    const started = Date.now();
    const result = await waiter.wait("fast", { stage: "collect", poll, pollIntervalMs: 5000, deadline: soon(10_000) });
    expect(result).toEqual(RESULT);
    expect(poll.calls).toBe(0);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("throws a failure observed before wait", async () => {
    const waiter = createJobWaiter();
    waiter.observe(failed("fast", { code: "SPARKY_NO_REPO", message: "no repository at /x", transient: false }));
    const poll = scripted([state("fast", "running")]);
    await expect(waiter.wait("fast", { stage: "collect", poll, pollIntervalMs: 5000, deadline: soon() })).rejects.toMatchObject({
      code: "SPARKY_NO_REPO",
    });
    expect(poll.calls).toBe(0);
  });

  it("wakes up on the completion event instead of waiting for the next poll", async () => {
    const waiter = createJobWaiter();
    const poll = scripted([state("j2", "running")]);
    const started = Date.now();
    setTimeout(() => waiter.observe(completed("j2")), 30);
    const result = await waiter.wait("j2", { stage: "collect", poll, pollIntervalMs: 5000, deadline: soon(10_000) });
    expect(result).toEqual(RESULT);
    expect(poll.calls).toBe(0);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("keeps outcomes of different jobs apart and ignores run events", async () => {
    const waiter = createJobWaiter();
    waiter.observe(createMessage<Event>("run.failed", { runId: "daily-2026-11-18", stage: "collect", message: "x" }, { runId: "daily-2026-11-18" }));
    waiter.observe(createMessage<Event>("collect.progress", { jobId: "a", message: "half way", done: 1, total: 2 }, { runId: null }));
    waiter.observe(completed("b"));
    const poll = scripted([state("a", "running")]);
    await expect(waiter.wait("a", { stage: "collect", poll, pollIntervalMs: 10, deadline: soon(80) })).rejects.toMatchObject({
      code: "SPARKY_STAGE_TIMEOUT",
    });
    expect(await waiter.wait("b", { stage: "collect", poll, pollIntervalMs: 10, deadline: soon() })).toEqual(RESULT);
  });
});
