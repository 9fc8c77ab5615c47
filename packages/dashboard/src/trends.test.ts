import { describe, expect, it } from "vitest";
import type { DigestIndex, DigestIndexEntry } from "@sparky/messages";
import { trendSeries } from "./trends.js";

function entry(period: DigestIndexEntry["period"], key: string, commits: number): DigestIndexEntry {
  return {
    period, key, runId: `${period}-${key}`, path: `${period}/${key}.md`, title: key, firstDay: key, lastDay: key,
    windowStart: "", windowEnd: "", commits, merges: 0, contributors: 1, newContributors: 0, repositories: 1,
    additions: 0, deletions: 0, pullsMerged: 2, quiet: commits === 0,
    details: { medianCycleHours: 5, medianReviewHours: null, people: [], repositories: [] },
  };
}

const index: DigestIndex = {
  schema: "sparky.digest-index/1",
  timezone: "UTC",
  digests: [entry("daily", "2026-11-24", 3), entry("daily", "2026-11-26", 7), entry("weekly", "2026-W48", 10)],
  quietDays: [{ key: "2026-11-25", runId: "daily-2026-11-25", repositories: 2 }],
};

describe("trendSeries", () => {
  it("gives one point per period, oldest first: digests' figures, quiet days as 0, missing days as gaps", () => {
    const points = trendSeries(index, "daily", "2026-11-27", 5);
    expect(points.map((p) => [p.key, p.commits, p.missing])).toEqual([
      ["2026-11-23", null, true],
      ["2026-11-24", 3, false],
      ["2026-11-25", 0, false],
      ["2026-11-26", 7, false],
      ["2026-11-27", null, true],
    ]);
    expect(points[1]).toMatchObject({ pullsMerged: 2, medianCycleHours: 5, medianReviewHours: null });
    expect(points[2]).toMatchObject({ pullsMerged: null, medianCycleHours: null });
  });

  it("walks weeks and months across year ends", () => {
    expect(trendSeries(index, "weekly", "2026-11-26", 3).map((p) => [p.key, p.commits])).toEqual([
      ["2026-W46", null], ["2026-W47", null], ["2026-W48", 10],
    ]);
    expect(trendSeries(index, "monthly", "2026-02-10", 3).map((p) => p.key)).toEqual(["2025-12", "2026-01", "2026-02"]);
  });
});
