import { existsSync } from "node:fs";
import Fastify from "fastify";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RunRecordSchema } from "@sparky/messages";
import { runsApi } from "./http-api.js";
import { startPipeline } from "./test-pipeline.js";

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const TOKEN = "s3cret-token";
const clock = { now: () => new Date("2026-11-19T10:00:00.000Z") };
const headers = { authorization: `Bearer ${TOKEN}` };

async function api() {
  const p = await startPipeline();
  cleanups.push(() => p.stop());
  const app = Fastify();
  runsApi(p.orchestrator, { apiToken: TOKEN, timezone: "UTC", clock, repos: { repos: ["/work/app"], roots: ["/src"], cwd: "/" } })(app);
  await app.ready();
  cleanups.push(() => app.close());
  return { p, app };
}

/** Hold the collect stage until the test lets it go, so the run stays in flight. */
function holdCollect(p: Awaited<ReturnType<typeof api>>["p"]) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  cleanups.push(() => release());
  p.work.collect = async (command) => {
    await gate;
    return p.good.collect(command);
  };
  return release;
}

const post = (app: Awaited<ReturnType<typeof api>>["app"], payload: unknown) => app.inject({ method: "POST", url: "/runs", headers, payload: payload as object });

describe("POST /runs only accepts runs it can keep", () => {
  it.each([
    ["weekly", "9999-12-31"],
    ["monthly", "0100-01-15"],
    ["daily", "1969-12-31"],
    ["daily", "2026-11-21"],
  ])("refuses %s %s with 400 naming the supported range", async (period, date) => {
    const { app, p } = await api();
    const res = await post(app, { period, date });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: "SPARKY_DATE_OUT_OF_RANGE", error: expect.stringMatching(/supported range .*: 1970-01-01 to \d{4}-\d{2}-\d{2}/) });
    expect(p.calls.collect).toBe(0);
  });

  it("accepts today plus one period", async () => {
    const { app } = await api();
    expect((await post(app, { period: "daily", date: "2026-11-20" })).statusCode).toBe(202);
    expect((await post(app, { period: "monthly", date: "2026-12-31" })).statusCode).toBe(202);
  });

  it("answers 202 only once the run record is on disk", async () => {
    const { app, p } = await api();
    holdCollect(p);
    const res = await post(app, { period: "daily", date: "2026-11-18" });
    expect(res.statusCode).toBe(202);
    // Read at once, while the run is still held in collect: the record is already there.
    expect(existsSync(p.orchestrator.store.layout.run("daily-2026-11-18"))).toBe(true);
    expect(RunRecordSchema.parse(await p.readRun("daily-2026-11-18")).trigger).toBe("api");
  });

  it("refuses repositories that are neither configured nor under repo_roots, whatever the spelling", async () => {
    const { app, p } = await api();
    for (const repo of ["/etc", "/src/../etc", "/srcx/a", "/work/app/../../etc", "relative/../../etc"]) {
      const res = await post(app, { period: "daily", date: "2026-11-18", repos: [repo] });
      expect(res.statusCode, repo).toBe(400);
      expect(res.json()).toMatchObject({ code: "SPARKY_REPO_NOT_ALLOWED", error: expect.stringContaining("[collector] repo_roots (/src)") });
    }
    for (const repo of ["/src/a\u0000b", "-x"]) {
      expect((await post(app, { period: "daily", date: "2026-11-18", repos: [repo] })).statusCode).toBe(400);
    }
    expect(p.calls.collect).toBe(0);
    expect((await post(app, { period: "daily", date: "2026-11-18", repos: ["/work/app", "/src/team/api"] })).statusCode).toBe(202);
  });
});

describe("concurrent POST /runs for one run", () => {
  it("200 at once start exactly one run; the others join it", async () => {
    const { app, p } = await api();
    const release = holdCollect(p);
    const answers = await Promise.all(Array.from({ length: 200 }, () => post(app, { period: "daily", date: "2026-11-18" })));
    release();
    expect(answers.map((a) => a.statusCode)).toEqual(Array(200).fill(202));
    const bodies = answers.map((a) => a.json() as { runId: string; joined: boolean });
    expect(new Set(bodies.map((b) => b.runId))).toEqual(new Set(["daily-2026-11-18"]));
    expect(bodies.filter((b) => !b.joined)).toHaveLength(1);
    await vi.waitFor(async () => expect(RunRecordSchema.parse(await p.readRun("daily-2026-11-18")).state).toBe("succeeded"), { timeout: 5000, interval: 50 });
    expect(p.calls.collect).toBe(1);
  });

  it("a request arriving while the run is in flight joins it even if answered after it finished", async () => {
    const { p } = await api();
    const release = holdCollect(p);
    const first = await p.orchestrator.admit({ period: "daily", date: "2026-11-18", trigger: "api" }, Date.now());
    const arrived = Date.now();
    // The record on disk says "succeeded" a moment before the orchestrator has let go of the
    // run; its completion event comes after, so wait for that.
    const completed = new Promise<void>((resolve) => {
      const off = p.orchestrator.onEvent((event) => {
        if (event.type === "run.completed" && event.payload.runId === "daily-2026-11-18") {
          off();
          resolve();
        }
      });
    });
    release();
    await completed;
    expect(first.joined).toBe(false);
    expect(await p.orchestrator.admit({ period: "daily", date: "2026-11-18", trigger: "api" }, arrived)).toEqual({ runId: "daily-2026-11-18", joined: true });
    // A request that arrives after it finished starts it anew.
    expect(await p.orchestrator.admit({ period: "daily", date: "2026-11-18", trigger: "api" }, Date.now() + 1)).toMatchObject({ joined: false });
  });

  it("refuses with 409 a request naming other repositories than the run in flight", async () => {
    const { app, p } = await api();
    const release = holdCollect(p);
    expect((await post(app, { period: "daily", date: "2026-11-18", repos: ["/src/a"] })).statusCode).toBe(202);
    const other = await post(app, { period: "daily", date: "2026-11-18", repos: ["/src/b"] });
    const same = await post(app, { period: "daily", date: "2026-11-18", repos: ["/src/a"] });
    const unnamed = await post(app, { period: "daily", date: "2026-11-18" });
    release();
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({ code: "SPARKY_RUN_CONFLICT", error: expect.stringContaining("already running with repositories /src/a, not repositories /src/b") });
    expect(same.json()).toMatchObject({ joined: true });
    expect(unnamed.json()).toMatchObject({ joined: true });
  });
});
