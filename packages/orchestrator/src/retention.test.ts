import { existsSync } from "node:fs";
import { mkdir, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { RunRecord } from "@sparky/messages";
import { createMetrics } from "@sparky/harness";
import { pruneData } from "./retention.js";
import { silentLog, tempDir } from "./test-pipeline.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0)) await fn();
});

const NOW = new Date("2026-12-03T06:00:00.000Z");

async function dataDir() {
  const { dir, remove } = await tempDir("sparky-retention-");
  cleanups.push(remove);
  const data = join(dir, "data");
  const raw = async (key: string, bytes = 100) => {
    await mkdir(join(data, "raw", key, "local"), { recursive: true });
    await writeFile(join(data, "raw", key, "manifest.json"), "x".repeat(bytes));
    await writeFile(join(data, "raw", key, "local", "repo.json"), "y".repeat(bytes));
  };
  const cache = async (path: string, ageDays: number) => {
    const file = join(data, "cache", path);
    await mkdir(join(file, ".."), { recursive: true });
    await writeFile(file, "z".repeat(10));
    const t = new Date(NOW.getTime() - ageDays * 86_400_000);
    await utimes(file, t, t);
  };
  const other = async (path: string) => {
    await mkdir(join(data, path, ".."), { recursive: true });
    await writeFile(join(data, path), "{}");
  };
  return { data, raw, cache, other, has: (path: string) => existsSync(join(data, path)) };
}

const run = (runId: string, state: RunRecord["state"], finishedAt: string | null): RunRecord =>
  ({ runId, state, finishedAt, updatedAt: finishedAt ?? "2026-01-01T00:00:00.000Z" }) as RunRecord;

describe("retain_raw_days", () => {
  it("removes raw collections of periods that ended before the window and old cache files, and keeps the rest", async () => {
    const d = await dataDir();
    await d.raw("2026-09-03"); // ended 2026-09-04: 90 days before NOW exactly, so it goes
    await d.raw("2026-09-04"); // ended 2026-09-05: inside the window
    await d.raw("2026-08-01");
    await d.raw("2026-W30");
    await d.raw("2026-07");
    await d.raw("2026-11"); // the month ended 2026-12-01
    await d.raw("2026-07-01"); // its run failed two days ago: resumable
    await d.raw("2026-07-02"); // its run is running
    await d.raw("2026-07-03"); // its run failed long ago
    await d.raw("not-a-period");
    await d.cache("llm/ab/abcdef.json", 120);
    await d.cache("llm/cd/cdef01.json", 10);
    await d.cache("github/api.github.com/acme-repositories.json", 91);
    await d.other("processed/daily/2026-08-01.json");
    await d.other("state/runs/daily-2026-08-01.json");
    const runs = new Map([
      ["daily-2026-08-01", run("daily-2026-08-01", "succeeded", "2026-08-02T06:00:00.000Z")],
      ["daily-2026-07-01", run("daily-2026-07-01", "failed", "2026-12-01T06:00:00.000Z")],
      ["daily-2026-07-02", run("daily-2026-07-02", "running", null)],
      ["daily-2026-07-03", run("daily-2026-07-03", "failed", "2026-07-04T06:00:00.000Z")],
    ]);
    const metrics = createMetrics("orchestrator");
    const report = await pruneData({ dataDir: d.data, retainRawDays: 90, now: NOW, timezone: "UTC", loadRun: async (id) => runs.get(id) ?? null, log: silentLog(), metrics: metrics.ops });

    expect(report.raw.keys).toEqual(["2026-07", "2026-07-03", "2026-08-01", "2026-09-03", "2026-W30"]);
    expect(report.raw).toMatchObject({ files: 10, bytes: 1000 });
    expect(report.cache).toEqual({ files: 2, bytes: 20 });
    for (const key of ["2026-09-04", "2026-11", "2026-07-01", "2026-07-02", "not-a-period"]) expect(d.has(`raw/${key}/manifest.json`), key).toBe(true);
    for (const key of report.raw.keys) expect(d.has(`raw/${key}`), key).toBe(false);
    expect(d.has("cache/llm/cd/cdef01.json")).toBe(true);
    expect(d.has("cache/llm/ab/abcdef.json")).toBe(false);
    expect(d.has("processed/daily/2026-08-01.json")).toBe(true);
    expect(d.has("state/runs/daily-2026-08-01.json")).toBe(true);

    const text = await metrics.registry.metrics();
    expect(text).toMatch(/sparky_pruned_bytes_total\{kind="raw",service="orchestrator"\} 1000/);
    expect(text).toMatch(/sparky_pruned_files_total\{kind="cache",service="orchestrator"\} 2/);
  });

  it("keeps everything with 0, and data whose run record cannot be read", async () => {
    const d = await dataDir();
    await d.raw("2025-01-01");
    await d.cache("llm/ab/old.json", 400);
    const never = await pruneData({ dataDir: d.data, retainRawDays: 0, now: NOW, timezone: "UTC", loadRun: async () => null, log: silentLog() });
    expect(never.raw.keys).toEqual([]);
    expect(never.cache.files).toBe(0);
    const unreadable = await pruneData({ dataDir: d.data, retainRawDays: 90, now: NOW, timezone: "UTC", loadRun: async () => Promise.reject(new Error("bad json")), log: silentLog() });
    expect(unreadable.raw.keys).toEqual([]);
    expect(d.has("raw/2025-01-01/manifest.json")).toBe(true);
  });

  it("does nothing on a data directory that has no raw or cache folder yet", async () => {
    const d = await dataDir();
    const report = await pruneData({ dataDir: d.data, retainRawDays: 90, now: NOW, timezone: "UTC", loadRun: async () => null, log: silentLog() });
    expect(report).toEqual({ raw: { keys: [], files: 0, bytes: 0 }, cache: { files: 0, bytes: 0 } });
  });
});
