// retain_raw_days over a year of daily digests. The year itself calls the stages' file work
// directly (raw, processed and digest files the gates accept, a run record each) and prunes
// after each day as the orchestrator does: a year through the orchestrator costs minutes of
// fsyncs. That the orchestrator prunes after its runs, and spares a failed run's data, is the
// second test. The same year through the real collector, analyzer, generator and publisher
// over a generated repository is `node bench/retention.mjs`.
import { cpSync, existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { STAGES, SparkyError, dataLayout, periodFor } from "@sparky/messages";
import type { RunRecord } from "@sparky/messages";
import { createMetrics, writeFileAtomic } from "@sparky/harness";
import { pruneData } from "./retention.js";
import { createStateStore } from "./state-store.js";
import { goodWork, silentLog, startPipeline, tempDir, testConfig } from "./test-pipeline.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const DAY = 86_400_000;
const FIRST = Date.parse("2025-12-01T00:00:00Z");
const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

function sizeOf(path: string): number {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  return info.isDirectory() ? readdirSync(path).reduce((sum, entry) => sum + sizeOf(join(path, entry)), 0) : info.size;
}

describe("retain_raw_days over a year of daily digests", () => {
  it("keeps the last 90 days of raw data, and every analysis, run record and digest", async () => {
    const { dir, remove } = await tempDir("sparky-retention-year-");
    cleanups.push(remove);
    const config = testConfig(dir);
    const twin = testConfig(join(dir, "keep-all"));
    const layout = dataLayout(config.data_dir);
    const twinLayout = dataLayout(twin.data_dir);
    const work = goodWork(config);
    const store = createStateStore(config.data_dir);
    const metrics = createMetrics("orchestrator");
    const log = silentLog();

    for (let day = FIRST; day < FIRST + 365 * DAY; day += DAY) {
      const spec = periodFor("daily", ymd(day), "UTC");
      const ref = { runId: spec.runId, period: spec.period, key: spec.key, window: spec.window, timezone: spec.timezone };
      const command = { payload: { ...ref, repos: config.collector.repos, org: null, refresh: false } } as never;
      const results = { collect: await work.collect(command), analyze: await work.analyze(command), generate: await work.generate(command), publish: await work.publish() };
      // A day's collection about the size of a real one (a few commits with their numstat).
      await writeFileAtomic(join(layout.rawDir(spec.key), "local", "commits.json"), JSON.stringify({ commits: "x".repeat(3000) }));
      // The morning after the day, as the daily schedule runs it.
      const at = new Date(Date.parse(spec.window.end) + 6 * 3_600_000);
      const record: RunRecord = {
        schema: "sparky.run/1", ...ref, state: "succeeded", trigger: "schedule", repos: config.collector.repos, org: null, refresh: false, collection: null, allowEmpty: true,
        createdAt: at.toISOString(), updatedAt: at.toISOString(), finishedAt: at.toISOString(), reason: null,
        stages: STAGES.map((stage) => ({ stage, state: "succeeded", startedAt: at.toISOString(), finishedAt: at.toISOString(), attempts: [], result: results[stage] as unknown as Record<string, unknown> })),
      };
      await store.saveRun(record);
      // The same day, never pruned, beside it.
      cpSync(layout.rawDir(spec.key), twinLayout.rawDir(spec.key), { recursive: true });
      cpSync(layout.analysis("daily", spec.key), twinLayout.analysis("daily", spec.key));
      cpSync(layout.run(spec.runId), twinLayout.run(spec.runId));
      cpSync(join(config.generator.output_dir, "daily", `${spec.key}.md`), join(twin.generator.output_dir, "daily", `${spec.key}.md`));
      await pruneData({ dataDir: config.data_dir, retainRawDays: 90, now: at, timezone: "UTC", loadRun: (id) => store.loadRun(id), log, metrics: metrics.ops });
    }

    const measure = (c: typeof config) => ({
      raw: readdirSync(join(c.data_dir, "raw")).sort(),
      size: { data: sizeOf(c.data_dir), raw: sizeOf(join(c.data_dir, "raw")), processed: sizeOf(join(c.data_dir, "processed")), runs: sizeOf(join(c.data_dir, "state", "runs")), digests: sizeOf(join(c.generator.output_dir, "daily")) },
      counts: {
        processed: readdirSync(join(c.data_dir, "processed", "daily")).length,
        runs: readdirSync(join(c.data_dir, "state", "runs")).length,
        digests: readdirSync(join(c.generator.output_dir, "daily")).length,
      },
    });
    const kept = measure(config);
    const all = measure(twin);
    for (const [days, r] of [[90, kept], [0, all]] as const) {
      console.log(`365 dailies, retain_raw_days=${days}: data/ ${kib(r.size.data)} (raw ${kib(r.size.raw)} in ${r.raw.length} days, processed ${kib(r.size.processed)}, run records ${kib(r.size.runs)}), digests ${kib(r.size.digests)}`);
    }
    // The last run was at 2026-12-01 06:00: days whose period ended after 2026-09-02 06:00 stay.
    expect(kept.raw).toHaveLength(90);
    expect(kept.raw[0]).toBe("2026-09-02");
    expect(kept.raw.at(-1)).toBe("2026-11-30");
    expect(all.raw).toHaveLength(365);
    for (const r of [kept, all]) expect(r.counts).toEqual({ processed: 365, runs: 365, digests: 365 });
    expect(kept.size.processed).toBe(all.size.processed);
    expect(kept.size.runs).toBe(all.size.runs);
    expect(kept.size.digests).toBe(all.size.digests);
    expect(kept.size.raw).toBeLessThan(all.size.raw / 3);
    const text = await metrics.registry.metrics();
    const pruned = Number(/^sparky_pruned_bytes_total\{kind="raw",service="orchestrator"\} (\d+)$/m.exec(text)?.[1]);
    expect(kept.size.raw + pruned).toBe(all.size.raw);
  });
});

describe("the orchestrator with retention", () => {
  it("prunes after each run, but never a failed run's raw data within the window", async () => {
    let now = new Date("2026-12-01T06:00:00Z");
    const p = await startPipeline({ retention: true, orchestrator: { retain_raw_days: 90 }, clock: { now: () => now } });
    cleanups.push(() => p.stop());
    const layout = dataLayout(p.config.data_dir);

    const recent = await p.orchestrator.submit({ period: "daily", date: "2026-11-30", trigger: "schedule" });
    expect(recent.state).toBe("succeeded");
    expect(existsSync(layout.rawManifest("2026-11-30"))).toBe(true);

    // An old period run again succeeds: its raw data goes right after the run.
    const old = await p.orchestrator.submit({ period: "daily", date: "2026-03-01", trigger: "cli" });
    expect(old.state).toBe("succeeded");
    expect(existsSync(layout.rawDir("2026-03-01"))).toBe(false);
    expect(existsSync(layout.analysis("daily", "2026-03-01"))).toBe(true);

    // One that fails keeps it for a resume, also after later runs, until the resume succeeds.
    p.work.analyze = async () => {
      throw new SparkyError("SPARKY_GATE", "analysis refused");
    };
    const failed = await p.orchestrator.submit({ period: "daily", date: "2026-03-02", trigger: "cli" });
    expect(failed.state).toBe("failed");
    p.work.analyze = p.good.analyze as never;
    now = new Date("2026-12-02T06:00:00Z");
    await p.orchestrator.submit({ period: "daily", date: "2026-12-01", trigger: "schedule" });
    expect(existsSync(layout.rawManifest("2026-03-02"))).toBe(true);
    const resumed = await p.orchestrator.resume(failed.runId);
    expect(resumed.state).toBe("succeeded");
    expect(p.calls.collect).toBe(4); // the resume kept the collection
    expect(existsSync(layout.rawDir("2026-03-02"))).toBe(false);
    expect(await p.metrics.registry.metrics()).toMatch(/^sparky_pruned_files_total\{kind="raw",service="orchestrator"\} [1-9]/m);
  });
});
