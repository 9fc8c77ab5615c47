import Fastify from "fastify";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RunRecordSchema, SparkyError } from "@sparky/messages";
import { runsApi } from "./http-api.js";
import { startPipeline } from "./test-pipeline.js";
import type { TestPipeline } from "./test-pipeline.js";

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const TOKEN = "s3cret-token";
const clock = { now: () => new Date("2026-11-19T10:00:00.000Z") };
const auth = (token = TOKEN) => ({ authorization: `Bearer ${token}` });

async function api(apiToken: string | null = TOKEN) {
  // The orchestrator keeps real time (runs are listed by when they were updated); the API's
  // clock only decides what "yesterday" is.
  const p = await startPipeline();
  cleanups.push(() => p.stop());
  const app = Fastify();
  // POST may name repositories under /src (a configured root), nothing else.
  runsApi(p.orchestrator, { apiToken, timezone: "UTC", clock, repos: { repos: [], roots: ["/src"], cwd: "/" } })(app);
  await app.ready();
  cleanups.push(() => app.close());
  return { p, app };
}

/** Wait until the run the API started in the background has finished. */
async function settled(p: TestPipeline, runId: string, state: "succeeded" | "failed" = "succeeded") {
  await vi.waitFor(async () => expect(RunRecordSchema.parse(await p.readRun(runId)).state).toBe(state), { timeout: 5000, interval: 50 });
}

describe("POST /runs", () => {
  it("refuses with 403 naming SPARKY_API_TOKEN when no token is configured", async () => {
    const { app, p } = await api(null);
    const res = await app.inject({ method: "POST", url: "/runs", headers: auth(), payload: { period: "daily" } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toContain("SPARKY_API_TOKEN");
    const resume = await app.inject({ method: "POST", url: "/runs/daily-2026-11-18/resume", headers: auth() });
    expect(resume.statusCode).toBe(403);
    expect(p.calls.collect).toBe(0);
  });

  it("answers 401 to a missing or wrong bearer token", async () => {
    const { app, p } = await api();
    for (const headers of [{}, auth("wrong-token!"), auth("short"), { authorization: TOKEN }]) {
      const res = await app.inject({ method: "POST", url: "/runs", headers, payload: { period: "daily" } });
      expect(res.statusCode).toBe(401);
      expect(res.headers["www-authenticate"]).toBe("Bearer");
      expect(res.json()).toEqual({ error: "missing or wrong bearer token" });
    }
    expect(p.calls.collect).toBe(0);
  });

  it("accepts a run with 202 and its run id, and runs it", async () => {
    const { app, p } = await api();
    const res = await app.inject({ method: "POST", url: "/runs", headers: auth(), payload: { period: "weekly", date: "2026-11-18" } });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ runId: "weekly-2026-W47", state: "accepted", joined: false });
    await settled(p, "weekly-2026-W47");
    expect(RunRecordSchema.parse(await p.readRun("weekly-2026-W47")).trigger).toBe("api");
  });

  it("defaults the date to yesterday and passes the repositories on", async () => {
    const { app, p } = await api();
    let repos: string[] = [];
    p.work.collect = async (command) => {
      repos = (command as { payload: { repos: string[] } }).payload.repos;
      return p.good.collect(command);
    };
    const res = await app.inject({ method: "POST", url: "/runs", headers: auth(), payload: { period: "daily", repos: ["/src/api"] } });
    expect(res.json()).toEqual({ runId: "daily-2026-11-18", state: "accepted", joined: false });
    await settled(p, "daily-2026-11-18");
    expect(repos).toEqual(["/src/api"]);
  });

  it("answers 400 to a bad body", async () => {
    const { app, p } = await api();
    const cases = [
      [{ period: "hourly" }, /^bad request body: period: /],
      [{ period: "daily", extra: true }, /^bad request body: /],
      [{}, /^bad request body: period: /],
      [{ period: "daily", repos: [""] }, /^bad request body: repos\.0: /],
    ] as const;
    for (const [payload, error] of cases) {
      const res = await app.inject({ method: "POST", url: "/runs", headers: auth(), payload });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatch(error);
    }
    const empty = await app.inject({ method: "POST", url: "/runs", headers: auth() });
    expect(empty.statusCode).toBe(400);
    expect(p.calls.collect).toBe(0);
  });

  it("answers 400 to a bad date", async () => {
    const { app } = await api();
    const format = await app.inject({ method: "POST", url: "/runs", headers: auth(), payload: { period: "daily", date: "18.11.2026" } });
    expect(format.statusCode).toBe(400);
    expect(format.json().error).toBe("bad request body: date: expected YYYY-MM-DD");
    const calendar = await app.inject({ method: "POST", url: "/runs", headers: auth(), payload: { period: "daily", date: "2026-02-30" } });
    expect(calendar.statusCode).toBe(400);
    expect(calendar.json()).toMatchObject({ code: "SPARKY_BAD_DATE", error: expect.stringContaining("no such day") });
  });
});

describe("GET /runs", () => {
  async function threeRuns() {
    const { app, p } = await api();
    await p.orchestrator.submit({ period: "daily", date: "2026-11-16", trigger: "cli" });
    p.work.generate = async () => {
      throw new SparkyError("SPARKY_TEMPLATE", "template is broken");
    };
    await p.orchestrator.submit({ period: "daily", date: "2026-11-17", trigger: "schedule" });
    p.work.generate = p.good.generate as never;
    await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "api" });
    return { app, p };
  }

  it("lists runs newest first, filtered by status and limited", async () => {
    const { app } = await threeRuns();
    const all = await app.inject({ method: "GET", url: "/runs" });
    expect(all.statusCode).toBe(200);
    expect(all.json().runs.map((r: { runId: string }) => r.runId)).toEqual(["daily-2026-11-18", "daily-2026-11-17", "daily-2026-11-16"]);

    const failed = (await app.inject({ method: "GET", url: "/runs?status=failed" })).json();
    expect(failed.runs).toEqual([
      {
        runId: "daily-2026-11-17",
        period: "daily",
        key: "2026-11-17",
        state: "failed",
        stage: "generate",
        trigger: "schedule",
        attempts: 3,
        updatedAt: expect.any(String),
        reason: "generate failed: template is broken",
      },
    ]);
    const succeeded = (await app.inject({ method: "GET", url: "/runs?status=succeeded&limit=1" })).json();
    expect(succeeded.runs.map((r: { runId: string; stage: string | null }) => [r.runId, r.stage])).toEqual([["daily-2026-11-18", null]]);
  });

  it("answers 400 to a bad query", async () => {
    const { app } = await api();
    for (const url of ["/runs?status=done", "/runs?limit=0", "/runs?limit=ten"]) {
      const res = await app.inject({ method: "GET", url });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatch(/^bad query: /);
    }
    expect((await app.inject({ method: "GET", url: "/runs" })).json()).toEqual({ runs: [] });
  });

  it("GET /runs/:id answers 404 for an unknown run and the full record for a known one", async () => {
    const { app, p } = await api();
    const missing = await app.inject({ method: "GET", url: "/runs/daily-2026-11-18" });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: "no run daily-2026-11-18" });

    await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" });
    const found = await app.inject({ method: "GET", url: "/runs/daily-2026-11-18" });
    expect(found.statusCode).toBe(200);
    expect(RunRecordSchema.parse(found.json())).toMatchObject({ runId: "daily-2026-11-18", state: "succeeded" });
  });
});

describe("POST /runs/:id/resume", () => {
  it("answers 404 for an unknown run", async () => {
    const { app } = await api();
    const res = await app.inject({ method: "POST", url: "/runs/daily-2020-01-01/resume", headers: auth() });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: "no run daily-2020-01-01" });
  });

  it("needs the token, then resumes a failed run from its failed stage", async () => {
    const { app, p } = await api();
    p.work.publish = async () => {
      throw new SparkyError("SPARKY_PUSH_REJECTED", "push rejected");
    };
    await p.orchestrator.submit({ period: "daily", date: "2026-11-18", trigger: "cli" });
    p.work.publish = p.good.publish as never;

    expect((await app.inject({ method: "POST", url: "/runs/daily-2026-11-18/resume" })).statusCode).toBe(401);
    const res = await app.inject({ method: "POST", url: "/runs/daily-2026-11-18/resume", headers: auth() });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ runId: "daily-2026-11-18", state: "accepted" });
    await settled(p, "daily-2026-11-18");
    expect(p.calls).toEqual({ collect: 1, analyze: 1, generate: 1, publish: 2 });
  });
});

describe("run ids in paths", () => {
  it("refuses an id that is not a run id with 400 before it reaches the file system", async () => {
    const { app } = await api();
    for (const url of ["/runs/..%2F..%2F..%2Fetc%2Fpasswd", "/runs/daily-2026-11-18%2F..%2Fx", "/runs/nightly-2026-11-18"]) {
      const res = await app.inject({ method: "GET", url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json()).toMatchObject({ code: "SPARKY_BAD_RUN_ID" });
    }
    const resume = await app.inject({ method: "POST", url: "/runs/..%2Fx/resume", headers: auth() });
    expect(resume.statusCode).toBe(400);
  });
});
