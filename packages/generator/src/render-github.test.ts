import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { Analysis } from "@sparky/messages";
import { formatHours } from "./format.js";
import { parseFrontMatter } from "./front-matter.js";
import { renderDigest } from "./render-digest.js";
import { EVIL_TITLE, GITHUB, GITHUB_ITEMS, githubAnalysis, pullItem, weeklyAnalysis } from "./test-analysis.js";

const OPTIONS = { maxItems: 50 };
const hasCmark = spawnSync("cmark-gfm", ["--version"]).status === 0;

const sectionsOf = (markdown: string) => [...markdown.matchAll(/^## (.+)$/gm)].map((m) => m[1]!);
const linkTargets = (markdown: string) => [...markdown.matchAll(/(?<!\\)\]\(([^)]*)\)/g)].map((m) => m[1]!);

/** Every page the analysis itself names: the only places a digest may link to. */
function allowedLinks(analysis: Analysis): Set<string | null> {
  return new Set([
    ...analysis.items.map((item) => item.url),
    ...analysis.highlights.map((item) => item.url),
    ...analysis.repositories.map((repo) => repo.webUrl),
    ...(analysis.github?.repositories.map((repo) => repo.webUrl) ?? []),
    ...(analysis.github?.releases.list.map((release) => release.url) ?? []),
  ]);
}

function block(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  expect(start, heading).toBeGreaterThan(-1);
  const level = heading.split(" ")[0]!;
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^#{2,${level.length}} `, "m"));
  return (end === -1 ? rest : rest.slice(0, end)).trim();
}

describe("renderDigest of a GitHub organisation", () => {
  const markdown = renderDigest(githubAnalysis(), OPTIONS);

  it("adds Pull requests, Issues, Releases and Busiest repositories, and nothing to a local digest", () => {
    expect(sectionsOf(markdown)).toEqual([
      "Releases",
      "Largest pull requests merged",
      "New contributors",
      "Compared with earlier weeks",
      "Themes",
      "Figures",
      "Commits per day",
      "Top contributors",
      "Mergers and reviewers",
      "Pull requests",
      "Issues",
      "Repositories",
      "Busiest repositories",
      "All commits",
    ]);
    const local = renderDigest(weeklyAnalysis(), OPTIONS);
    expect(sectionsOf(local)).not.toContain("Pull requests");
    expect(local).not.toMatch(/^(pulls_opened|releases):/m);
    expect(local).not.toContain("On GitHub");
  });

  it("puts the GitHub figures last in the front matter, and reads them back", () => {
    expect(markdown).toContain("deletions: 49\npulls_opened: 4\npulls_merged: 2\nissues_opened: 2\nissues_closed: 1\nreleases: 1\n---\n");
    expect(parseFrontMatter(markdown)?.github).toEqual({ pullsOpened: 4, pullsMerged: 2, issuesOpened: 2, issuesClosed: 1, releases: 1 });
    expect(parseFrontMatter(renderDigest(weeklyAnalysis(), OPTIONS))?.github).toBeUndefined();
  });

  it("says what happened on GitHub in the opening paragraph", () => {
    expect(markdown).toContain(
      "On GitHub, 4 pull requests were opened and 2 merged (1 closed without merging), with 7 reviews; " +
        "2 issues were opened and 1 closed; 1 release was published. Compared with the previous week:",
    );
  });

  it("shows pull request counts against the previous period, cycle time and first review by median and p90", () => {
    const section = block(markdown, "## Pull requests");
    expect(section).toContain(
      [
        "| Figure | This week | Previous week | Change |",
        "|:---|---:|---:|---:|",
        "| Opened | 4 | 3 | +1 |",
        "| Merged | 2 | 2 | \u00b10 |",
        "| Closed without merging | 1 | \u2014 | \u2014 |",
        "| Reviews | 7 | 5 | +2 |",
        "",
        "| Time | Median | 90th percentile | Pull requests measured |",
        "|:---|---:|---:|---:|",
        "| Cycle time (opened to merged) | 6.0 h | 24.0 h | 2 |",
        "| Time to first review (ready to first human review) | 30 min | 2.1 d | 3 |",
      ].join("\n"),
    );
    expect(section).toContain("Median and 90th percentile by nearest rank");
    expect(block(markdown, "### Top reviewers")).toBe(
      [
        "| Reviewer | Reviews | Pull requests | Repositories |",
        "|:---|---:|---:|:---|",
        "| Bob Reviewer | 4 | 3 | acme/api, acme/web |",
        "| Eve &lt;img src=x> \\[me\\](https:&#8203;//evil.example/eve) | 3 | 2 | acme/api |",
      ].join("\n"),
    );
  });

  it("lists merged, opened and closed pull requests, each once, linked to its GitHub page", () => {
    expect(block(markdown, "### Merged")).toBe(
      [
        "- [acme/api#42](https://github.com/acme/api/pull/42) Add rate limiting, by Alice Example (merged 6.0 h after it was opened)",
        "- [acme/api#43](https://github.com/acme/api/pull/43) Bump lodash, by dependabot\\[bot\\] (bot, merged 24.0 h after it was opened)",
      ].join("\n"),
    );
    expect(block(markdown, "### Opened")).toMatch(/^- \[acme\/api#44\]\(https:\/\/github\.com\/acme\/api\/pull\/44\) &lt;script>.* \(draft\)$/);
    expect(block(markdown, "### Closed without merging")).toBe("- [acme/web#7](https://github.com/acme/web/pull/7) Try a new layout, by Alice Example");
    // #3 was only reviewed this week: not an opened pull request (it is under Reviewed).
    expect(block(markdown, "### Opened")).not.toContain("web/pull/3)");
  });

  it("lists issues opened and closed, and releases, linked", () => {
    const issues = block(markdown, "## Issues");
    expect(issues).toContain("| Opened | 2 | 1 | +1 |\n| Closed | 1 | 0 | +1 |");
    expect(issues).toContain(
      "### Opened\n\n- [acme/api#50](https://github.com/acme/api/issues/50) Crash when the title is &lt;b>bold&lt;/b>, by Carol Reporter\n" +
        "- [acme/web#8](https://github.com/acme/web/issues/8) Layout broken on mobile, by Carol Reporter",
    );
    expect(issues).toContain("### Closed\n\n- [acme/web#8](https://github.com/acme/web/issues/8) Layout broken on mobile, by Carol Reporter");
    expect(block(markdown, "## Releases")).toBe(
      "- **[acme/api v1.2.0](https://github.com/acme/api/releases/tag/v1.2.0)** Spring \\[release\\](https:&#8203;//evil.example/rel) &lt;b>, 2026-11-27 (pre-release), by Alice Example",
    );
    expect(markdown).toContain("| GitHub releases published | 1 | 0 | +1 |");
  });

  it("gives the busiest repositories a table, without listing their items a second time", () => {
    const section = block(markdown, "## Busiest repositories");
    expect(section).toContain("| [acme/api](https://github.com/acme/api) | 15 | 3 | 3 | 2 | 5 | 1 | 0 | 1 |");
    expect(section).toContain("| [acme/web](https://github.com/acme/web) | 6 | 0 | 1 | 0 | 2 | 1 | 1 | 0 |");
    expect(section).not.toContain("/pull/");
  });

  it("lists a pull request only reviewed this week under Reviewed", () => {
    expect(block(markdown, "### Reviewed, opened earlier")).toBe("- [acme/web#3](https://github.com/acme/web/pull/3) Old branch, by Alice Example");
  });

  it("themes pull requests by number and link, each item once in the story", () => {
    const themes = block(markdown, "## Themes");
    expect(themes).toMatch(/^- \*\*.+\*\*: \d+ (items|commits)$/m);
    const story = markdown.slice(0, markdown.indexOf("\n## Figures\n"));
    // The link each list entry opens with names its item; references inside titles are not items.
    const links = [...story.matchAll(/^\s*- \[[^\]]*\]\((https:[^)]*)\)/gm)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(2);
    expect(new Set(links).size).toBe(links.length);
  });

  it("links only to the GitHub pages the analysis names, and shows hostile titles as text", () => {
    const analysis = githubAnalysis();
    const allowed = allowedLinks(analysis);
    const targets = linkTargets(markdown);
    for (const item of GITHUB_ITEMS) expect(targets, item.id).toContain(item.url);
    for (const target of targets) expect(allowed.has(target), target).toBe(true);
    expect(targets.every((t) => t.startsWith("https://github.com/acme/"))).toBe(true);
    expect(markdown).not.toMatch(/<script|<img|<b>/i);
    expect(markdown).not.toContain("](https://evil");
    expect(markdown).not.toContain("![");
    expect(markdown).not.toMatch(/(^|[^\\])https:\/\/evil/m);
    expect(markdown).not.toContain("@everyone");
    expect(EVIL_TITLE).toContain("@everyone");
    // A pull request whose URL is not a plain https address is shown, unlinked.
    const odd = githubAnalysis({
      items: [...githubAnalysis().items.filter((i) => i.id !== "acme/api#42"), pullItem({ number: 42, createdAt: "2026-11-27T10:00:00.000Z", url: "javascript:alert(1)" })],
    });
    const rendered = renderDigest(odd, OPTIONS);
    expect(rendered).not.toContain("javascript:");
    expect(rendered).toContain("- acme/api#42 Pull request 42, by Alice Example");
  });

  it("gives the same bytes whatever order the items arrive in", () => {
    const analysis = githubAnalysis();
    expect(renderDigest(githubAnalysis({ items: [...analysis.items].reverse() }), OPTIONS)).toBe(markdown);
  });

  it("caps each list at maxItems and counts the rest", () => {
    const small = renderDigest(githubAnalysis(), { maxItems: 1 });
    expect(block(small, "### Merged")).toBe(
      "- [acme/api#42](https://github.com/acme/api/pull/42) Add rate limiting, by Alice Example (merged 6.0 h after it was opened)\n\n1 more merged pull request not listed.",
    );
  });

  it("leaves Releases out when neither period had one", () => {
    const none = githubAnalysis({ github: { ...GITHUB, releases: { count: { previous: 0, current: 0, delta: 0 }, list: [] } } });
    const rendered = renderDigest(none, OPTIONS);
    expect(sectionsOf(rendered)).not.toContain("Releases");
    expect(rendered).toContain("| GitHub releases published | 0 | 0 | \u00b10 |");
  });
});

describe("formatHours", () => {
  it("shows minutes under an hour, hours under two days, days beyond", () => {
    expect([null, 0, 0.5, 0.99, 1, 3.25, 47.9, 48, 143.32].map(formatHours)).toEqual(["\u2014", "0 min", "30 min", "59 min", "1.0 h", "3.3 h", "47.9 h", "2.0 d", "6.0 d"]);
  });
});

describe.skipIf(!hasCmark)("a GitHub digest, as rendered by cmark-gfm", () => {
  it("has only the analysis's own links and no markup from titles", () => {
    const analysis = githubAnalysis();
    const result = spawnSync("cmark-gfm", ["-e", "table", "-e", "autolink", "-e", "strikethrough", "-e", "tagfilter", "--to", "html"], {
      input: renderDigest(analysis, OPTIONS),
      encoding: "utf8",
    });
    const html = result.stdout;
    expect(html).not.toMatch(/<script|<img|<b>|<code>code/i);
    const hrefs = [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]!);
    const allowed = allowedLinks(analysis);
    expect(hrefs.length).toBeGreaterThan(GITHUB_ITEMS.length);
    for (const href of hrefs) expect(allowed.has(href), href).toBe(true);
  });
});
