// Writes what the dashboard reads (the generator's index.json, digests, run records) for this
// package's tests, valid against the same schemas the generator and orchestrator write with.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DigestIndexSchema, RunRecordSchema, dataLayout, periodFor } from "@sparky/messages";
import type { DigestIndex, DigestIndexEntry, Period, RunRecord } from "@sparky/messages";
import { createLogger } from "@sparky/harness";
import type { DashboardOptions } from "./context.js";

export const EVIL = {
  name: `<img src=x onerror="window.__pwned=1">Mallory`,
  repo: `evil/<script>window.__pwned=2</script>`,
  reason: `<script>window.__pwned=3</script> see [here](javascript:alert(1)) @octocat`,
};

export function entry(period: Period, date: string, commits: number, extra: Partial<DigestIndexEntry> = {}): DigestIndexEntry {
  const spec = periodFor(period, date);
  return {
    period, key: spec.key, runId: spec.runId, path: `${period}/${spec.key}.md`, title: `Digest ${spec.key}`,
    firstDay: spec.firstDay, lastDay: spec.lastDay, windowStart: spec.window.start, windowEnd: spec.window.end,
    commits, merges: 1, contributors: 2, newContributors: 0, repositories: 1, additions: 10, deletions: 2,
    pullsMerged: null, quiet: commits === 0,
    details: {
      medianCycleHours: null, medianReviewHours: null,
      people: [{ key: "ada@example.com", name: "Ada", commits: Math.ceil(commits / 2) }, { key: "evil@example.com", name: EVIL.name, commits: Math.floor(commits / 2) }],
      repositories: [{ key: "acme/api", name: "acme/api", commits }],
    },
    ...extra,
  };
}

export function runRecord(runId: string, overrides: Partial<RunRecord> = {}): RunRecord {
  const spec = runId.startsWith("weekly") ? periodFor("weekly", "2026-11-26") : periodFor("daily", runId.slice(6));
  return RunRecordSchema.parse({
    schema: "sparky.run/1", runId: spec.runId, period: spec.period, key: spec.key, window: spec.window, timezone: "UTC",
    state: "succeeded", trigger: "schedule", repos: ["/src/api"], org: null, refresh: false, collection: null, allowEmpty: true,
    createdAt: "2026-11-27T06:00:00.000Z", updatedAt: "2026-11-27T06:00:05.000Z", finishedAt: "2026-11-27T06:00:05.000Z", reason: null,
    stages: [
      { stage: "collect", state: "succeeded", startedAt: "2026-11-27T06:00:00.000Z", finishedAt: "2026-11-27T06:00:02.000Z", attempts: [{ attempt: 1, jobId: "j1", startedAt: "2026-11-27T06:00:00.000Z", finishedAt: "2026-11-27T06:00:02.000Z", error: null }], result: { commits: 4 } },
      { stage: "analyze", state: "succeeded", startedAt: "2026-11-27T06:00:02.000Z", finishedAt: "2026-11-27T06:00:04.000Z", attempts: [], result: { llm: { calls: 3, cached: 1, promptTokens: 900, warning: "Ollama timed out", failureCode: "SPARKY_LLM_TIMEOUT" }, themesSource: "deterministic", themesReason: "the LLM timed out" } },
      { stage: "generate", state: "succeeded", startedAt: null, finishedAt: null, attempts: [], result: null },
      { stage: "publish", state: "succeeded", startedAt: null, finishedAt: null, attempts: [], result: null },
    ],
    ...overrides,
  });
}

export interface TestData {
  root: string;
  options: DashboardOptions;
  writeIndex(index: Partial<DigestIndex>): Promise<void>;
  writeDigest(path: string, markdown: string): Promise<void>;
  writeRun(record: RunRecord): Promise<void>;
  remove(): Promise<void>;
}

/** A data directory and output folder in a temp dir, and dashboard options reading them. */
export async function testData(overrides: Partial<DashboardOptions> = {}): Promise<TestData> {
  const root = await mkdtemp(join(tmpdir(), "sparky-dashboard-"));
  const dataDir = join(root, "data");
  const outputDir = join(root, "output");
  const now = new Date("2026-11-27T09:00:00.000Z");
  return {
    root,
    options: {
      dataDir, outputDir, timezone: "UTC", docsWebUrl: "", docsSubdir: "", bindHost: "127.0.0.1", token: null,
      clock: { now: () => now }, nextRuns: () => [{ period: "daily", at: "2026-11-28T06:00:00.000Z" }],
      ...overrides,
    },
    async writeIndex(index) {
      await mkdir(outputDir, { recursive: true });
      const full = DigestIndexSchema.parse({ schema: "sparky.digest-index/1", timezone: "UTC", digests: [], quietDays: [], ...index });
      await writeFile(join(outputDir, "index.json"), JSON.stringify(full));
    },
    async writeDigest(path, markdown) {
      await mkdir(join(outputDir, path, ".."), { recursive: true });
      await writeFile(join(outputDir, path), markdown);
    },
    async writeRun(record) {
      const layout = dataLayout(dataDir);
      await mkdir(layout.runsDir, { recursive: true });
      await writeFile(layout.run(record.runId), JSON.stringify(record));
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

export const silentLog = () => createLogger({ service: "dashboard", level: "silent" });
