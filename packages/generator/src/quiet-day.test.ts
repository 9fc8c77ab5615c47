import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { QuietDaysSchema, dataLayout, periodFor } from "@sparky/messages";
import type { Analysis, GithubAnalysis, Period, RunRef } from "@sparky/messages";
import { createLogger } from "@sparky/harness";
import type { EmptyDays } from "@sparky/harness";
import { QUIET_DAY, generateDigest } from "./generate-digest.js";
import { parseFrontMatter } from "./front-matter.js";
import { isQuietDay } from "./quiet-day.js";
import { analysisFor, emptyAnalysis, githubAnalysis } from "./test-analysis.js";

let root: string;
let dataDir: string;
let outputDir: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "sparky-quiet-"));
  dataDir = join(root, "data");
  outputDir = join(root, "output");
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const ctx = (emptyDays: EmptyDays) => ({ dataDir, outputDir, maxItems: 20, emptyDays, log: createLogger({ service: "generator", level: "silent" }) });

function refFor(period: Period, date: string): RunRef {
  const { runId, key, window, timezone } = periodFor(period, date);
  return { runId, period, key, window, timezone };
}

/** The empty analysis of `period` over the period containing `date`. */
function quiet(period: Period, date: string, overrides: Partial<Analysis> = {}): Analysis {
  const spec = periodFor(period, date);
  const base = emptyAnalysis(period);
  return { ...base, runId: spec.runId, key: spec.key, window: spec.window, firstDay: spec.firstDay, lastDay: spec.lastDay, ...overrides };
}

async function writeAnalysis(analysis: Analysis): Promise<RunRef> {
  const ref = refFor(analysis.period, analysis.firstDay);
  const path = dataLayout(dataDir).analysis(ref.period, ref.key);
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, JSON.stringify(analysis));
  return ref;
}

const exists = (path: string) => stat(path).then(() => true, () => false);
const read = (name: string) => readFile(join(outputDir, name), "utf8");

function zeroGithub(): GithubAnalysis {
  const g = githubAnalysis().github!;
  const zero = { previous: 0, current: 0, delta: 0 };
  return { ...g, pulls: { ...g.pulls, opened: zero, merged: zero, closed: 0 }, reviews: zero, issues: { opened: zero, closed: zero }, releases: { count: zero, list: [] }, repositories: [] };
}

describe("isQuietDay", () => {
  it("is a daily window without any commit, merge, pull request, review, issue or release", () => {
    expect(isQuietDay(quiet("daily", "2026-11-28"))).toBe(true);
    expect(isQuietDay(quiet("daily", "2026-11-28", { github: zeroGithub() }))).toBe(true);
    expect(isQuietDay(analysisFor("daily"))).toBe(false);
    // Review work alone makes a day worth its digest.
    const reviewed = zeroGithub();
    expect(isQuietDay(quiet("daily", "2026-11-28", { github: { ...reviewed, reviews: { previous: 0, current: 1, delta: 1 } } }))).toBe(false);
  });

  it("is never a week or a month, nor a day whose repositories were not all collected", () => {
    expect(isQuietDay(quiet("weekly", "2026-11-28"))).toBe(false);
    expect(isQuietDay(quiet("monthly", "2026-11-28"))).toBe(false);
    expect(isQuietDay(quiet("daily", "2026-11-28", { uncollected: [{ repository: "acme/api", reason: "clone failed" }] }))).toBe(false);
  });
});

describe("generateDigest on a quiet day", () => {
  it('writes no digest under "skip": the run says why, the ledger and the index list the day, the feed is written', async () => {
    const ref = await writeAnalysis(quiet("daily", "2026-11-28"));
    const result = await generateDigest(ref, ctx("skip"));
    expect(result).toMatchObject({ skipped: QUIET_DAY, digest: "", sha256: "", relativePath: "daily/2026-11-28.md", narrativeSource: "template" });
    expect(result.llm.calls).toBe(0);
    expect(await exists(join(outputDir, "daily", "2026-11-28.md"))).toBe(false);
    const ledger = QuietDaysSchema.parse(JSON.parse(await read("quiet-days.json")));
    expect(ledger.days).toEqual([{ key: "2026-11-28", runId: "daily-2026-11-28", repositories: 3 }]);
    const index = await read("index.md");
    expect(index).toContain("| 2026-11-28 (quiet day, no digest) | 0 | 0 | 0 | 0 | 0 | 0 / 0 |");
    expect(index).not.toContain("](daily/2026-11-28.md)");
    expect(await read("feed.xml")).not.toContain("<entry>");

    // Same input, same bytes: a re-run rewrites nothing differently.
    const before = await Promise.all(["index.md", "feed.xml", "quiet-days.json"].map(read));
    expect(await generateDigest(ref, ctx("skip"))).toEqual(result);
    expect(await Promise.all(["index.md", "feed.xml", "quiet-days.json"].map(read))).toEqual(before);
  });

  it('writes a one-paragraph note under "note", listed by the index and the feed like any digest', async () => {
    const ref = await writeAnalysis(quiet("daily", "2026-11-28"));
    const result = await generateDigest(ref, ctx("note"));
    expect(result.skipped).toBeUndefined();
    const note = await readFile(result.digest, "utf8");
    expect(note.split("\n---\n")[1]).toBe(
      "\n# Daily digest: 2026-11-28\n\nNo activity on 2026-11-28 in 3 repositories.\n",
    );
    expect(parseFrontMatter(note)).toMatchObject({ runId: "daily-2026-11-28", commits: 0, repositories: 0 });
    expect(await read("index.md")).toContain("| [2026-11-28](daily/2026-11-28.md) (quiet day) | 0 |");
    expect(await read("feed.xml")).toContain("<summary>No activity.</summary>");
    expect(await exists(join(outputDir, "quiet-days.json"))).toBe(false);
  });

  it('keeps the full all-zero digest under "digest", and never skips a week', async () => {
    const day = await writeAnalysis(quiet("daily", "2026-11-28"));
    const full = await readFile((await generateDigest(day, ctx("digest"))).digest, "utf8");
    expect(full).toContain("## Figures");
    const week = await writeAnalysis(quiet("weekly", "2026-11-28"));
    const weekly = await generateDigest(week, ctx("skip"));
    expect(weekly.skipped).toBeUndefined();
    expect(await readFile(weekly.digest, "utf8")).toContain("## Figures");
  });

  it("takes a day off the ledger once a re-run finds activity there after all", async () => {
    const ref = await writeAnalysis(quiet("daily", "2026-11-26"));
    await generateDigest(ref, ctx("skip"));
    await writeAnalysis(analysisFor("daily"));
    const result = await generateDigest(ref, ctx("skip"));
    expect(result.skipped).toBeUndefined();
    expect(QuietDaysSchema.parse(JSON.parse(await read("quiet-days.json"))).days).toEqual([]);
    const index = await read("index.md");
    expect(index).toContain("](daily/2026-11-26.md)");
    expect(index).not.toContain("quiet day");
  });

  it("refuses a ledger it cannot read, naming the file and what to do", async () => {
    await mkdir(outputDir, { recursive: true });
    await writeFile(join(outputDir, "quiet-days.json"), "{ not json");
    const ref = await writeAnalysis(quiet("daily", "2026-11-28"));
    await expect(generateDigest(ref, ctx("skip"))).rejects.toMatchObject({ code: "SPARKY_QUIET_DAYS_INVALID", message: expect.stringContaining("delete it") });
  });
});
