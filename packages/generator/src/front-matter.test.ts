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
