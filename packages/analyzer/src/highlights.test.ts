import { describe, expect, it } from "vitest";
import { periodFor } from "@sparky/messages";
import { computeAnalysis } from "./compute-analysis.js";
import { commit, manifest, repository } from "./test-raw.js";

const day = periodFor("daily", "2026-11-26", "UTC");
const t = (hour: string) => `2026-11-26T${hour}:00:00.000Z`;

describe("highlights", () => {
  it("lists a change that landed on two branches once, its newest copy, and keeps changes that only look alike", () => {
    const commits = [
      commit({ sha: "a1", committedAt: t("09"), subject: "Fix open redirect (#5951)", additions: 40, deletions: 4 }),
      commit({ sha: "a2", committedAt: t("11"), subject: "fix  open redirect (#5952)", additions: 40, deletions: 4 }),
      // Same subject, other lines: another change.
      commit({ sha: "b1", committedAt: t("10"), subject: "Fix open redirect", additions: 3, deletions: 1 }),
      commit({ sha: "c1", committedAt: t("08"), subject: "Big refactor", additions: 30, deletions: 0 }),
      commit({ sha: "m1", committedAt: t("12"), subject: "Merge 4.x", isMerge: true, additions: 500 }),
    ];
    const repos = [repository(day, "acme/web", commits), repository(day, "acme/fork", [commit({ sha: "f1", committedAt: t("09"), subject: "Fix open redirect (#5951)", additions: 40, deletions: 4 })])];
    const analysis = computeAnalysis(manifest(day, repos), repos, { topContributors: 5, highlights: 3 });
    // The fork's copy is a change of another repository: it stays.
    expect(analysis.highlights.map((h) => `${h.repository} ${h.sha}`)).toEqual(["acme/web a2", "acme/fork f1", "acme/web c1"]);
  });
});
