import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "@sparky/harness";
import { AnalysisSchema, SparkyError, dataLayout, periodFor } from "@sparky/messages";
import type { PeriodSpec, RawManifest, RawRepository } from "@sparky/messages";
import { analyzeRun } from "../analyze-run.js";
import { ghCommit, githubManifest, githubRepository, pull } from "../test-github-raw.js";
import { commit, manifest, repository } from "../test-raw.js";
import { readTrend } from "./read-trend.js";

let dataDir: string;
let logLines: string[];
const log = () => createLogger({ service: "analyzer", level: "debug", destination: { write: (line: string) => void logLines.push(line) } });
const week = (monday: string) => periodFor("weekly", monday, "UTC");
const refOf = (spec: PeriodSpec) => ({ runId: spec.runId, period: spec.period, key: spec.key, window: spec.window, timezone: spec.timezone });

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "sparky-trend-"));
  logLines = [];
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function writeRaw(raw: RawManifest, repos: RawRepository[]): Promise<void> {
  const layout = dataLayout(dataDir);
  await mkdir(dirname(layout.rawManifest(raw.key)), { recursive: true });
  await writeFile(layout.rawManifest(raw.key), JSON.stringify(raw));
  for (const repo of repos) {
    const path = layout.rawRepository(raw.key, repo.owner, repo.name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, JSON.stringify(repo));
  }
}

/** Collect (as fixtures) and analyze a git week with `n` commits by `people` authors. */
async function gitWeek(spec: PeriodSpec, n: number, people: number) {
  const at = (i: number) => new Date(Date.parse(spec.window.start) + (i + 1) * 3_600_000).toISOString();
  const commits = Array.from({ length: n }, (_, i) =>
    commit({ sha: `${spec.key}-${i}`, committedAt: at(i), authorName: `P${i % people}`, authorEmail: `p${i % people}@example.com` }),
  );
  const repo = repository(spec, "acme/api", commits);
  await writeRaw(manifest(spec, [repo]), [repo]);
  return analyzeRun(refOf(spec), { dataDir, topContributors: 5, highlights: 5, log: log() });
}

async function githubWeek(spec: PeriodSpec) {
  const start = Date.parse(spec.window.start);
  const t = (hours: number) => new Date(start + hours * 3_600_000).toISOString();
  const repo = githubRepository(spec, "acme/gh", {
    commits: [ghCommit("acme/gh", { sha: "c".repeat(40), committedAt: t(30) })],
    pullRequests: [
      pull("acme/gh", { number: 1, createdAt: t(1), state: "MERGED", mergedAt: t(11), closedAt: t(11), firstHumanReviewAt: t(3) }),
      pull("acme/gh", { number: 2, createdAt: t(2), state: "MERGED", mergedAt: t(6), closedAt: t(6), firstHumanReviewAt: t(3) }),
    ],
  });
  await writeRaw(githubManifest(spec, [repo]), [repo]);
  return analyzeRun(refOf(spec), { dataDir, topContributors: 5, highlights: 5, log: log() });
}

describe("trends", () => {
  it("shows this period and the 7 before it, oldest first, from the processed analyses on disk; never collected is missing, not zero", async () => {
    const weeks = ["2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"].map(week);
    await githubWeek(weeks[0]!);
    await gitWeek(weeks[2]!, 3, 2);
    await gitWeek(weeks[5]!, 0, 0);
    // An analysis an older Sparky wrote: none of the optional fields added since.
    const old = await gitWeek(weeks[6]!, 4, 3);
    const written = JSON.parse(await readFile(old.analysis, "utf8"));
    delete written.trends;
    for (const theme of written.themes.themes) delete theme.kind;
    for (const item of written.items) delete item.areas;
    await writeFile(old.analysis, JSON.stringify(written));
    // A corrupt one: shown as missing, with a warning.
    const corrupt = dataLayout(dataDir).analysis("weekly", weeks[3]!.key);
    await writeFile(corrupt, "{ not json");

    const result = await gitWeek(weeks[7]!, 5, 2);
    const analysis = AnalysisSchema.parse(JSON.parse(await readFile(result.analysis, "utf8")));
    const missing = { missing: true, commits: null, merges: null, contributors: null, pullsMerged: null, medianCycleHours: null, medianReviewHours: null };
    const git = (commits: number, contributors: number) => ({ missing: false, commits, merges: 0, contributors, pullsMerged: null, medianCycleHours: null, medianReviewHours: null });
    expect(analysis.trends).toEqual([
      // Cycle times 10 h and 4 h, first reviews after 2 h and 1 h: the median is the lower of two.
      { key: "2026-W41", firstDay: "2026-10-05", lastDay: "2026-10-11", missing: false, commits: 1, merges: 0, contributors: 1, pullsMerged: 2, medianCycleHours: 4, medianReviewHours: 1 },
      { key: "2026-W42", firstDay: "2026-10-12", lastDay: "2026-10-18", ...missing },
      { key: "2026-W43", firstDay: "2026-10-19", lastDay: "2026-10-25", ...git(3, 2) },
      { key: "2026-W44", firstDay: "2026-10-26", lastDay: "2026-11-01", ...missing },
      { key: "2026-W45", firstDay: "2026-11-02", lastDay: "2026-11-08", ...missing },
      { key: "2026-W46", firstDay: "2026-11-09", lastDay: "2026-11-15", ...git(0, 0) },
      { key: "2026-W47", firstDay: "2026-11-16", lastDay: "2026-11-22", ...git(4, 3) },
      { key: "2026-W48", firstDay: "2026-11-23", lastDay: "2026-11-29", ...git(5, 2) },
    ]);
    const warnings = logLines.map((line) => JSON.parse(line)).filter((entry) => entry.level === 40);
    expect(warnings).toEqual([expect.objectContaining({ period: "weekly", key: "2026-W44", msg: expect.stringContaining("shown as missing") })]);

    // The same reader gives a dashboard a longer window, ending where it asks.
    const longer = await readTrend(dataDir, "weekly", "2026-W48", 10);
    expect(longer.map((p) => [p.key, p.missing])).toEqual([
      ["2026-W39", true],
      ["2026-W40", true],
      ...analysis.trends!.map((p) => [p.key, p.missing]),
    ]);
    expect(longer.slice(2)).toEqual(analysis.trends);
  });

  it("reads monthly and daily periods across year ends, and refuses a count below 1", async () => {
    expect((await readTrend(dataDir, "monthly", "2027-02", 3)).map((p) => p.key)).toEqual(["2026-12", "2027-01", "2027-02"]);
    expect((await readTrend(dataDir, "daily", "2027-01-01", 2)).map((p) => [p.key, p.firstDay])).toEqual([
      ["2026-12-31", "2026-12-31"],
      ["2027-01-01", "2027-01-01"],
    ]);
    await expect(readTrend(dataDir, "weekly", "2026-W48", 0)).rejects.toThrow(SparkyError);
  });
});
