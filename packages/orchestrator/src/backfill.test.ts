import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import Fastify from "fastify";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RunRecordSchema, SparkyError, dataLayout } from "@sparky/messages";
import { writeJsonAtomic } from "@sparky/harness";
import { backfillPeriods } from "./backfill-plan.js";
import type { CommandOf, Period, RunRecord } from "@sparky/messages";
import { createBackfills } from "./backfill.js";
import type { BackfillProgress } from "./backfill.js";
import { runsApi } from "./http-api.js";
import { silentLog, startPipeline, tempDir } from "./test-pipeline.js";
import type { TestPipeline } from "./test-pipeline.js";

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const now = new Date("2026-11-19T10:00:00.000Z");
const clock = { now: () => now };
const TOKEN = "s3cret-token";
const headers = { authorization: `Bearer ${TOKEN}` };

async function pipeline(options: Parameters<typeof startPipeline>[0] = {}): Promise<TestPipeline> {
  const p = await startPipeline({ clock, commits: 0, ...options });
  cleanups.push(() => p.stop());
  return p;
}

/** Collect fails (for good) for the run ids given. */
function failCollectFor(p: TestPipeline, runIds: string[]) {
  p.work.collect = (async (command: CommandOf<"collect">) => {
    if (runIds.includes(command.payload.runId)) throw new SparkyError("SPARKY_COLLECT_FAILED", `no repository for ${command.payload.runId}`);
    return p.good.collect(command);
  }) as never;
}

describe("backfillPeriods", () => {
  it("lists every period from the one holding the first date to the one holding the last", () => {
    expect(backfillPeriods("weekly", "2026-10-28", "2026-11-10", now, "UTC").map((s) => s.runId)).toEqual(["weekly-2026-W44", "weekly-2026-W45", "weekly-2026-W46"]);
    expect(backfillPeriods("daily", "2026-09-01", "2026-11-30", new Date("2026-12-03T10:00:00Z"), "UTC")).toHaveLength(91);
  });

  it("refuses reversed, unsupported and endless ranges with a code and what to do", () => {
    expect(() => backfillPeriods("daily", "2026-11-10", "2026-11-01", now, "UTC")).toThrow(expect.objectContaining({ code: "SPARKY_BAD_RANGE", message: expect.stringMatching(/swap them/) }));
    expect(() => backfillPeriods("daily", "2026-11-01", "2027-01-01", now, "UTC")).toThrow(expect.objectContaining({ code: "SPARKY_DATE_OUT_OF_RANGE" }));
    expect(() => backfillPeriods("daily", "1970-01-01", "2026-11-01", now, "UTC")).toThrow(expect.objectContaining({ code: "SPARKY_BAD_RANGE", message: expect.stringMatching(/split it/) }));
    expect(() => backfillPeriods("daily", "2026-11-31", "2026-12-01", now, "UTC")).toThrow(expect.objectContaining({ code: "SPARKY_BAD_DATE" }));
  });
});

describe("a backfill", () => {
  it("runs every period in order, goes on past a failure, and a second run retries only the failures", async () => {
    const p = await pipeline();
    failCollectFor(p, ["daily-2026-11-03"]);
    const seen: BackfillProgress[] = [];
    const record = await p.orchestrator.backfills.run({ period: "daily", from: "2026-11-01", to: "2026-11-05", requestedBy: "cli" }, (progress) => seen.push(progress));
    expect(record).toMatchObject({ id: "daily-2026-11-01--2026-11-05", state: "finished", succeeded: 4, skipped: 0 });
    expect(record.failed).toEqual([{ runId: "daily-2026-11-03", reason: expect.stringMatching(/^collect failed: no repository/) }]);
    // Progress before and after each period: the current one, then done/total, failures and an ETA.
    expect(seen.filter((s) => s.current).map((s) => s.current)).toEqual(["daily-2026-11-01", "daily-2026-11-02", "daily-2026-11-03", "daily-2026-11-04", "daily-2026-11-05"]);
    expect(seen.at(-1)).toMatchObject({ done: 5, total: 5, current: null, failed: [{ runId: "daily-2026-11-03" }], etaMs: 0 });
    expect(seen.find((s) => s.current === "daily-2026-11-02")!.etaMs).toEqual(expect.any(Number));
    const run = RunRecordSchema.parse(await p.readRun("daily-2026-11-05"));
    expect(run).toMatchObject({ state: "succeeded", trigger: "backfill", allowEmpty: true });

    // Asked again (resumed after an interrupt, or retried): what succeeded is skipped.
    p.work.collect = p.good.collect as never;
    const collects = p.calls.collect;
    const again = await p.orchestrator.backfills.run({ period: "daily", from: "2026-11-01", to: "2026-11-05", requestedBy: "cli" });
    expect(again).toMatchObject({ state: "finished", succeeded: 1, skipped: 4, failed: [] });
    expect(p.calls.collect - collects).toBe(1);
  });

  it("is carried on by a served orchestrator that restarts over it", async () => {
    const { dir, remove } = await tempDir();
    cleanups.push(remove);
    // What a killed orchestrator leaves: the request on disk, one period done.
    const layout = dataLayout(`${dir}/data`);
    await writeJsonAtomic(layout.backfill("daily-2026-11-01--2026-11-03"), {
      schema: "sparky.backfill/1",
      id: "daily-2026-11-01--2026-11-03",
      period: "daily",
      from: "2026-11-01",
      to: "2026-11-03",
      requestedBy: "api",
      state: "running",
      runIds: ["daily-2026-11-01", "daily-2026-11-02", "daily-2026-11-03"],
      succeeded: 1,
      skipped: 0,
      failed: [],
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });
    const p = await pipeline({ dir, mode: "served", orchestrator: { catch_up_days: 0 } });
    await vi.waitFor(async () => expect(await p.orchestrator.backfills.load("daily-2026-11-01--2026-11-03")).toMatchObject({ state: "finished", succeeded: 3 }), {
      timeout: 10_000,
      interval: 50,
    });
    expect(p.calls.collect).toBe(3);
  });
});

describe("a backfill when the orchestrator stops", () => {
  it("pauses, left running on disk, and the next orchestrator carries it on", async () => {
    const { dir, remove } = await tempDir();
    cleanups.push(remove);
    let stopped = false;
    const ran: string[] = [];
    const deps = {
      dataDir: dir,
      timezone: "UTC",
      clock,
      log: silentLog(),
      loadRun: async (runId: string) => (ran.includes(runId) ? ({ state: "succeeded" } as RunRecord) : null),
      submit: async (request: { period: Period; date: string }) => {
        if (stopped) throw new SparkyError("SPARKY_NOT_STARTED", "orchestrator is not started");
        ran.push(`${request.period}-${request.date}`);
        stopped = ran.length === 2;
        return { state: "succeeded", reason: null } as RunRecord;
      },
    };
    const first = createBackfills(deps);
    const paused = await first.run({ period: "daily", from: "2026-11-01", to: "2026-11-04", requestedBy: "cli" });
    expect(paused).toMatchObject({ state: "running", succeeded: 2, failed: [] });
    expect(await first.load(paused.id)).toMatchObject({ state: "running" });

    stopped = false;
    const second = createBackfills(deps);
    expect(await second.resumePending()).toEqual([paused.id]);
    await vi.waitFor(async () => expect(await second.load(paused.id)).toMatchObject({ state: "finished", skipped: 2, succeeded: 2 }), { timeout: 5000, interval: 20 });
    expect(ran).toEqual(["daily-2026-11-01", "daily-2026-11-02", "daily-2026-11-03", "daily-2026-11-04"]);
  });
});

describe("POST /backfill", () => {
  async function api() {
    const p = await pipeline();
    const app = Fastify();
    runsApi(p.orchestrator, { apiToken: TOKEN, timezone: "UTC", clock })(app);
    await app.ready();
    cleanups.push(() => app.close());
    return { p, app };
  }
  const post = (app: Awaited<ReturnType<typeof api>>["app"], payload: unknown, h: Record<string, string> = headers) =>
    app.inject({ method: "POST", url: "/backfill", headers: h, payload: payload as object });

  it("asks for the bearer token like POST /runs", async () => {
    const { app, p } = await api();
    expect((await post(app, { period: "daily", from: "2026-11-01", to: "2026-11-02" }, {})).statusCode).toBe(401);
    expect((await post(app, { period: "daily", from: "2026-11-01", to: "2026-11-02" }, { authorization: "Bearer wrong" })).statusCode).toBe(401);
    const closed = Fastify();
    runsApi(p.orchestrator, { apiToken: null, timezone: "UTC", clock })(closed);
    cleanups.push(() => closed.close());
    expect((await closed.inject({ method: "POST", url: "/backfill", headers, payload: { period: "daily", from: "2026-11-01", to: "2026-11-02" } })).statusCode).toBe(403);
    expect(p.calls.collect).toBe(0);
  });

  it.each([
    [{ period: "daily", from: "2026-11-01", to: "2027-01-01" }, "SPARKY_DATE_OUT_OF_RANGE"],
    [{ period: "daily", from: "1969-12-31", to: "2026-11-01" }, "SPARKY_DATE_OUT_OF_RANGE"],
    [{ period: "daily", from: "2026-11-05", to: "2026-11-01" }, "SPARKY_BAD_RANGE"],
    [{ period: "daily", from: "2026-02-30", to: "2026-03-01" }, "SPARKY_BAD_DATE"],
  ])("refuses %j with 400 %s", async (body, code) => {
    const { app, p } = await api();
    const res = await post(app, body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code });
    expect(p.calls.collect).toBe(0);
  });

  it("refuses a malformed body with 400", async () => {
    const { app } = await api();
    const res = await post(app, { period: "hourly", from: "2026-11-01", to: "2026-11-02" });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatch(/^bad request body: period/);
    expect((await post(app, { period: "daily", from: "2026-11-01" })).statusCode).toBe(400);
  });

  it("answers once the request is on disk, and makes one run per period however often asked", async () => {
    const { app, p } = await api();
    const body = { period: "daily", from: "2026-11-01", to: "2026-11-03" };
    const answers = await Promise.all([post(app, body), post(app, body), post(app, body)]);
    for (const res of answers) expect(res.statusCode).toBe(202);
    expect(answers.map((r) => r.json().backfillId)).toEqual(Array(3).fill("daily-2026-11-01--2026-11-03"));
    expect(answers.filter((r) => r.json().joined === false)).toHaveLength(1);
    expect(answers[0]!.json().periods).toBe(3);
    expect(existsSync(dataLayout(p.config.data_dir).backfill("daily-2026-11-01--2026-11-03"))).toBe(true);
    await vi.waitFor(async () => expect((await app.inject({ method: "GET", url: "/backfill/daily-2026-11-01--2026-11-03" })).json()).toMatchObject({ state: "finished", succeeded: 3 }), {
      timeout: 10_000,
      interval: 50,
    });
    // Asked again after it finished: every period is skipped, nothing runs again.
    expect((await post(app, body)).statusCode).toBe(202);
    await vi.waitFor(async () => expect(JSON.parse(await readFile(dataLayout(p.config.data_dir).backfill("daily-2026-11-01--2026-11-03"), "utf8"))).toMatchObject({ state: "finished", skipped: 3 }), {
      timeout: 10_000,
      interval: 50,
    });
    expect(p.calls.collect).toBe(3);
    expect((await app.inject({ method: "GET", url: "/backfill/../../etc" })).statusCode).toBe(404);
    expect((await app.inject({ method: "GET", url: "/backfill/nope" })).statusCode).toBe(400);
  });
});
