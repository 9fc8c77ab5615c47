import { describe, expect, it } from "vitest";
import { parseFrontMatter } from "./front-matter.js";
import { renderDigest } from "./render-digest.js";
import { githubAnalysis, weeklyAnalysis } from "./test-analysis.js";

const OPTIONS = { maxItems: 50 };

function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  expect(start, heading).toBeGreaterThan(-1);
  const rest = markdown.slice(start + heading.length + 5);
  const end = rest.search(/^## /m);
  return (end === -1 ? rest : rest.slice(0, end)).trim();
}

/** A GitHub week whose acme/web had pull requests and issues but no commit: 3 active repositories, 2 with commits. */
function activeWithoutCommits() {
  const base = githubAnalysis();
  return githubAnalysis({
    totals: { ...base.totals, activeRepositories: 3, repositoriesWithCommits: 2, repositories: 4 },
    repositories: [...base.repositories, { fullName: "acme/web", webUrl: "https://github.com/acme/web", commits: 0, merges: 0, additions: 0, deletions: 0, contributors: 0 }],
  });
}

describe("one meaning of active repositories", () => {
  it("reports the active repositories in the front matter and the figures, and the Repositories table says what it lists", () => {
    const markdown = renderDigest(activeWithoutCommits(), OPTIONS);
    expect(parseFrontMatter(markdown)?.repositories).toBe(3);
    expect(markdown).toMatch(/^\| Active repositories \| 3 of 4 \|/m);
    const repositories = section(markdown, "Repositories");
    expect(repositories).toMatch(/^The 2 repositories with commits or merges, of 3 active repositories:/);
    expect(repositories).toContain("1 other active repository had pull requests, reviews, issues or releases but no commits.");
    expect(repositories).toContain("1 other repository had no activity.");
    // The opening sentence about commits counts the repositories that have them.
    expect(markdown).toMatch(/made 4 commits and 1 merge across 2 repositories/);
  });

  it("says nothing more when every active repository has commits", () => {
    const repositories = section(renderDigest(weeklyAnalysis(), OPTIONS), "Repositories");
    expect(repositories).not.toMatch(/^The \d/);
    expect(repositories).not.toContain("other active");
  });
});

describe("mergers and reviewers are not contributors", () => {
  it("lists people who only merged or only reviewed apart from the contributors", () => {
    const analysis = githubAnalysis({
      mergers: [
        { name: "Mel Merger", key: "mel@example.com", mergeCommits: 1, pullRequestsMerged: 2, repositories: ["acme/api"], isContributor: false },
        { name: "Alice Example", key: "alice@example.com", mergeCommits: 1, pullRequestsMerged: 0, repositories: ["acme/api"], isContributor: true },
      ],
    });
    const markdown = renderDigest(analysis, OPTIONS);
    const people = section(markdown, "Mergers and reviewers");
    expect(people).toContain("not counted as contributors");
    expect(people).toContain("- Mel Merger: merged 2 pull requests; 1 merge commit");
    expect(people).toContain("- Bob Reviewer: 4 reviews of 3 pull requests");
    expect(people).not.toContain("Alice Example");
    expect(section(markdown, "Top contributors")).not.toContain("Mel Merger");
  });

  it("has no such section when everyone who merged also committed", () => {
    expect(renderDigest(weeklyAnalysis(), OPTIONS)).not.toContain("## Mergers and reviewers");
  });
});

describe("repositories that could not be collected", () => {
  it("are named in the digest, with why, right after the opening", () => {
    const analysis = githubAnalysis({
      uncollected: [{ repository: "acme/gone", reason: "acme/gone was not found (deleted, renamed or made inaccessible after discovery)" }],
    });
    const markdown = renderDigest(analysis, OPTIONS);
    const gap = section(markdown, "Not collected");
    expect(gap).toContain("leave out 1 repository that could not be collected");
    // The reason is text from the collection: escaped like every other.
    expect(gap).toContain("- acme/gone: acme/gone was not found (deleted, renamed or made inaccessible after discovery)");
    expect(gap).toContain(`\`sparky resume ${analysis.runId}\``);
    expect(markdown.indexOf("## Not collected")).toBeLessThan(markdown.indexOf("## Releases"));
  });

  it("is absent when everything was collected", () => {
    expect(renderDigest(githubAnalysis({ uncollected: [] }), OPTIONS)).not.toContain("## Not collected");
  });
});
