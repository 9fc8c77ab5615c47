import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DigestIndexSchema, dataLayout, periodFor } from "@sparky/messages";
import type { Analysis, Period, RunRef } from "@sparky/messages";
import { createLogger } from "@sparky/harness";
import { generateDigest } from "./generate-digest.js";
import { analysisFor, githubAnalysis } from "./test-analysis.js";

let root: string;
let dataDir: string;
let outputDir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "sparky-digest-index-"));
  dataDir = join(root, "data");
  outputDir = join(root, "output");
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const log = createLogger({ service: "generator", level: "silent" });
const ctx = () => ({ dataDir, outputDir, maxItems: 20, log });

function refFor(period: Period, date: string): RunRef {
  const { runId, key, window, timezone } = periodFor(period, date);
  return { runId, period, key, window, timezone };
}

async function generate(period: Period, date: string, analysis: Analysis): Promise<RunRef> {
  const ref = refFor(period, date);
  const path = dataLayout(dataDir).analysis(ref.period, ref.key);
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, JSON.stringify(analysis));
  await generateDigest(ref, ctx());
  return ref;
}

const readIndex = async () => DigestIndexSchema.parse(JSON.parse(await readFile(join(outputDir, "index.json"), "utf8")));

describe("the dashboard's digest index", () => {
  it("lists every digest with its figures, people and repositories, busiest first", async () => {
    await generate("daily", "2026-11-26", analysisFor("daily", {}, "2026-11-26"));
    await generate("weekly", "2026-11-26", analysisFor("weekly", {}, "2026-11-26"));
    const index = await readIndex();
    expect(index.digests.map((d) => d.path)).toEqual(["daily/2026-11-26.md", "weekly/2026-W48.md"]);
    const daily = index.digests[0]!;
    const analysis = analysisFor("daily", {}, "2026-11-26");
    expect(daily).toMatchObject({ period: "daily", key: "2026-11-26", runId: "daily-2026-11-26", commits: analysis.totals.commits, pullsMerged: null, quiet: false });
    expect(daily.details?.people.map((p) => p.commits)).toEqual([...analysis.contributors.map((c) => c.commits)].sort((a, b) => b - a));
    expect(daily.details?.people.map((p) => p.name).sort()).toEqual(analysis.contributors.map((c) => c.name).sort());
    expect(daily.details?.repositories.length).toBeGreaterThan(0);
    expect(daily.details?.medianCycleHours).toBeNull();
  });

  it("carries GitHub medians and merged pull requests", async () => {
    const analysis = githubAnalysis();
    await generate(analysis.period, analysis.key.length === 10 ? analysis.key : "2026-11-26", analysis);
    const [entry] = (await readIndex()).digests;
    expect(entry!.pullsMerged).toBe(analysis.github!.pulls.merged.current);
    expect(entry!.details?.medianCycleHours).toBe(analysis.github!.pulls.cycleTimeHours.median);
    expect(entry!.details?.medianReviewHours).toBe(analysis.github!.pulls.firstReviewHours.median);
  });

  it("keeps the details of earlier digests without their analysis, and the same digests give the same bytes", async () => {
    const first = await generate("daily", "2026-11-25", analysisFor("daily", {}, "2026-11-25"));
    await generate("daily", "2026-11-26", analysisFor("daily", {}, "2026-11-26"));
    const before = await readFile(join(outputDir, "index.json"), "utf8");
    // The earlier analysis is gone: its details come from the index written before.
    await unlink(dataLayout(dataDir).analysis(first.period, first.key));
    await generateDigest(refFor("daily", "2026-11-26"), ctx());
    expect(await readFile(join(outputDir, "index.json"), "utf8")).toBe(before);
    expect((await readIndex()).digests[0]!.details).not.toBeNull();
  });

  it("fills in details from processed data when the index is missing, and null when that is gone too", async () => {
    const first = await generate("daily", "2026-11-25", analysisFor("daily", {}, "2026-11-25"));
    await generate("daily", "2026-11-26", analysisFor("daily", {}, "2026-11-26"));
    const complete = await readFile(join(outputDir, "index.json"), "utf8");
    await unlink(join(outputDir, "index.json"));
    await generateDigest(refFor("daily", "2026-11-26"), ctx());
    expect(await readFile(join(outputDir, "index.json"), "utf8")).toBe(complete);
    await writeFile(join(outputDir, "index.json"), "{ not json");
    await unlink(dataLayout(dataDir).analysis(first.period, first.key));
    await generateDigest(refFor("daily", "2026-11-26"), ctx());
    const index = await readIndex();
    expect(index.digests.map((d) => [d.key, d.details === null])).toEqual([["2026-11-25", true], ["2026-11-26", false]]);
  });
});
