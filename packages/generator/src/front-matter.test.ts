import { describe, expect, it } from "vitest";
import { parseFrontMatter, renderFrontMatter } from "./front-matter.js";
import type { DigestFigures } from "./front-matter.js";

const FIGURES: DigestFigures = {
  title: "Daily digest: 2026-11-26",
  period: "daily",
  key: "2026-11-26",
  runId: "daily-2026-11-26",
  windowStart: "2026-11-26T00:00:00.000Z",
  windowEnd: "2026-11-27T00:00:00.000Z",
  timezone: "UTC",
  firstDay: "2026-11-26",
  lastDay: "2026-11-26",
  commits: 12,
  merges: 2,
  contributors: 3,
  newContributors: 1,
  repositories: 2,
  additions: 340,
  deletions: 120,
};

describe("front matter", () => {
  it("reads back what it writes", () => {
    expect(parseFrontMatter(`${renderFrontMatter(FIGURES)}\n\n# Body\n`)).toEqual(FIGURES);
  });

  it("tolerates CRLF line endings, as a Windows checkout of the docs repo has", () => {
    expect(parseFrontMatter(`${renderFrontMatter(FIGURES)}\n# Body\n`.replace(/\n/g, "\r\n"))).toEqual(FIGURES);
  });

  it("writes and reads back the GitHub figures, all of them or none", () => {
    const github = { ...FIGURES, github: { pullsOpened: 5, pullsMerged: 3, issuesOpened: 2, issuesClosed: 1, releases: 0 } };
    const text = renderFrontMatter(github);
    expect(text).toContain("deletions: 120\npulls_opened: 5\npulls_merged: 3\nissues_opened: 2\nissues_closed: 1\nreleases: 0\n---");
    expect(parseFrontMatter(text)).toEqual(github);
    expect(parseFrontMatter(text.replace(/^issues_closed: .*\n/m, ""))).toBeNull();
    expect(parseFrontMatter(text.replace("releases: 0", "releases: -2"))).toBeNull();
  });

  it.each([
    ["no front matter", "# Just a page\n"],
    ["empty", ""],
    ["unterminated", renderFrontMatter(FIGURES).replace(/\n---$/, "")],
    ["missing field", renderFrontMatter(FIGURES).replace(/^merges: .*\n/m, "")],
    ["unquoted string", renderFrontMatter(FIGURES).replace('key: "2026-11-26"', "key: 2026-11-26")],
    ["negative count", renderFrontMatter(FIGURES).replace("commits: 12", "commits: -1")],
    ["fractional count", renderFrontMatter(FIGURES).replace("commits: 12", "commits: 1.5")],
    ["bad escape", renderFrontMatter(FIGURES).replace('timezone: "UTC"', 'timezone: "U\\qTC"')],
    ["stray quote", renderFrontMatter(FIGURES).replace('timezone: "UTC"', 'timezone: "U"TC"')],
    ["unknown period", renderFrontMatter(FIGURES).replace('period: "daily"', 'period: "hourly"')],
  ])("returns null for %s", (_name, text) => {
    expect(parseFrontMatter(text)).toBeNull();
  });
});
