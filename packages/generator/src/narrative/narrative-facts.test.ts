import { describe, expect, it } from "vitest";
import { checkGrounding } from "@sparky/llm";
import { githubAnalysis, weeklyAnalysis } from "../test-analysis.js";
import { narrativeFacts } from "./narrative-facts.js";

describe("narrativeFacts", () => {
  it("gives the model GitHub's figures for a GitHub period, and lets it name the reviewers", () => {
    const { facts, grounding } = narrativeFacts(githubAnalysis());
    expect(facts).toMatchObject({
      pullRequests: {
        opened: 4,
        merged: 2,
        closedWithoutMerging: 1,
        reviews: 7,
        previousPeriod: { opened: 3, merged: 2, reviews: 5 },
        cycleTimeHours: { median: 6, p90: 24 },
        hoursToFirstReview: { median: 0.5, p90: 50 },
      },
      issues: { opened: 2, closed: 1, previousPeriod: { opened: 1, closed: 0 } },
      releases: 1,
      topReviewers: [{ name: "Bob Reviewer", reviews: 4 }, { reviews: 3 }],
    });
    expect(checkGrounding("Bob Reviewer reviewed 4 of the 7 reviews; the median cycle time was 6 hours.", grounding)).toEqual([]);
    expect(checkGrounding("Cycle time was 13 hours.", grounding)).not.toEqual([]);
  });

  it("leaves a local period's facts as they were, so its cached answers still match", () => {
    const { facts } = narrativeFacts(weeklyAnalysis());
    expect(Object.keys(facts)).toEqual([
      "period",
      "commits",
      "merges",
      "linesAdded",
      "linesRemoved",
      "contributors",
      "newContributors",
      "botCommits",
      "activeRepositories",
      "repositoriesWatched",
      "previousPeriod",
      "changeFromPrevious",
      "topContributors",
      "repositories",
      "themes",
    ]);
  });
});
