import { describe, expect, it } from "vitest";
import { SparkyError } from "@sparky/messages";
import type { Analysis, CommitItem } from "@sparky/messages";
import { renderDigest } from "./render-digest.js";
import { EVIL_AUTHOR, EVIL_SUBJECT, ITEMS, analysisFor, commit, emptyAnalysis, weeklyAnalysis } from "./test-analysis.js";

const OPTIONS = { maxItems: 50 };

function sectionsOf(markdown: string): string[] {
  return [...markdown.matchAll(/^## (.+)$/gm)].map((m) => m[1]!);
}

function mermaidOf(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([^]*?)```/g)].map((m) => m[1]!);
}

function linkTargets(markdown: string): string[] {
  // `\](` is an escaped bracket, text and not a link.
  return [...markdown.matchAll(/(?<!\\)\]\(([^)]*)\)/g)].map((m) => m[1]!);
}

describe("renderDigest", () => {
  it("opens with front matter holding the run's figures", () => {
    const markdown = renderDigest(weeklyAnalysis(), OPTIONS);
    expect(markdown.slice(0, markdown.indexOf("\n---\n") + 5)).toBe(
      [
        "---",
        'title: "Weekly digest: 2026-W48 (2026-11-23 to 2026-11-29)"',
        'period: "weekly"',
        'key: "2026-W48"',
        'run_id: "weekly-2026-W48"',
        'window_start: "2026-11-23T00:00:00.000Z"',
        'window_end: "2026-11-30T00:00:00.000Z"',
        'timezone: "UTC"',
        'first_day: "2026-11-23"',
        'last_day: "2026-11-29"',
        "commits: 4",
        "merges: 1",
        "contributors: 3",
        "new_contributors: 1",
        "repositories: 2",
        "additions: 239",
        "deletions: 49",
        "---",
        "",
      ].join("\n"),
    );
  });

  it.each([
    ["daily", "# Daily digest: 2026-11-26"],
    ["weekly", "# Weekly digest: 2026-W48 (2026-11-23 to 2026-11-29)"],
    ["monthly", "# Monthly digest: November 2026"],
  ] as const)("titles a %s digest", (period, heading) => {
    const markdown = renderDigest(analysisFor(period), OPTIONS);
    expect(markdown).toContain(`\n\n${heading}\n\n`);
    expect(markdown).toContain(`title: "${heading.slice(2)}"`);
  });

  it("tells the figures in one paragraph, plurals right", () => {
    expect(renderDigest(weeklyAnalysis(), OPTIONS)).toContain(
      "\n\n3 contributors made 4 commits and 1 merge across 2 repositories (+239/\u221249 lines). " +
        "1 of them contributed for the first time. 1 commit was made by a bot. " +
        "Compared with the previous week: +2 commits, \u22121 contributor.\n\n",
    );
    const single = analysisFor("daily", {
      totals: { commits: 1, merges: 0, botCommits: 0, additions: 1234, deletions: 0, contributors: 1, newContributors: 0, activeRepositories: 1, repositories: 1 },
      change: {
        commits: { previous: 1, current: 1, delta: 0 },
        merges: { previous: 0, current: 0, delta: 0 },
        contributors: { previous: 1, current: 1, delta: 0 },
      },
    });
    expect(renderDigest(single, OPTIONS)).toContain(
      "\n\n1 contributor made 1 commit across 1 repository (+1,234/\u22120 lines). Compared with the previous day: no change.\n\n",
    );
  });

  it("says plainly when nothing happened", () => {
    const markdown = renderDigest(emptyAnalysis("daily"), OPTIONS);
    expect(markdown).toContain(
      "\n\nNo commits or merges were recorded on 2026-11-26 in the 3 repositories watched. " +
        "Compared with the previous day: \u22122 commits, \u22121 contributor.\n\n",
    );
    expect(sectionsOf(markdown)).toEqual(["Compared with earlier days", "Figures", "Repositories", "All commits"]);
    expect(markdown).toContain("No commits or merges in this period.");
    expect(markdown).toContain("3 repositories watched, none with activity.");
  });

  it("renders the figures table with signed changes", () => {
    const markdown = renderDigest(weeklyAnalysis(), OPTIONS);
    expect(markdown).toContain(
      [
        "| Figure | This week | Previous week | Change |",
        "|:---|---:|---:|---:|",
        "| Commits | 4 | 2 | +2 |",
        "| Merges | 1 | 1 | \u00b10 |",
        "| Contributors | 3 | 4 | \u22121 |",
        "| New contributors | 1 | \u2014 | \u2014 |",
        "| Active repositories | 2 of 3 | \u2014 | \u2014 |",
        "| Lines added | +239 | \u2014 | \u2014 |",
        "| Lines removed | \u221249 | \u2014 | \u2014 |",
      ].join("\n"),
    );
  });

  it("tells the story first, then the figures and full lists, and New contributors only when there are any", () => {
    const all = [
      "Largest changes",
      "New contributors",
      "Compared with earlier weeks",
      "Themes",
      "Figures",
      "Commits per day",
      "Top contributors",
      "Repositories",
      "All commits",
    ];
    expect(sectionsOf(renderDigest(weeklyAnalysis(), OPTIONS))).toEqual(all);
    const noneNew = weeklyAnalysis({ contributors: weeklyAnalysis().contributors.map((c) => ({ ...c, isNew: false })) });
    expect(sectionsOf(renderDigest(noneNew, OPTIONS))).toEqual(all.filter((s) => s !== "New contributors"));
    expect(renderDigest(weeklyAnalysis(), OPTIONS)).toContain("## New contributors\n\n- Bob Newcomer: 1 commit in local/tools\n");
  });

  it("charts commits per day for weekly and monthly digests only, one bar per day", () => {
    expect(mermaidOf(renderDigest(analysisFor("daily"), OPTIONS))).toEqual([]);

    const [weekly] = mermaidOf(renderDigest(weeklyAnalysis(), OPTIONS));
    expect(weekly).toBe(
      [
        "xychart-beta",
        '  title "Commits per day"',
        '  x-axis "Day" ["Mon 11-23", "Tue 11-24", "Wed 11-25", "Thu 11-26", "Fri 11-27", "Sat 11-28", "Sun 11-29"]',
        '  y-axis "Commits" 0 --> 1',
        "  bar [0, 1, 1, 1, 1, 0, 0]",
        "",
      ].join("\n"),
    );

    // A day missing from perDay is a 0 bar in its place, not a gap that shifts later days.
    const sparse = weeklyAnalysis({ perDay: [{ day: "2026-11-29", commits: 5 }, { day: "2026-11-24", commits: 2 }] });
    expect(mermaidOf(renderDigest(sparse, OPTIONS))[0]).toContain("  bar [0, 2, 0, 0, 0, 0, 5]\n");

    const [monthly] = mermaidOf(renderDigest(analysisFor("monthly"), OPTIONS));
    const bars = /bar \[([^\]]*)\]/.exec(monthly!)![1]!.split(", ");
    const labels = /x-axis "Day of the month" \[([^\]]*)\]/.exec(monthly!)![1]!.split(", ");
    expect(bars).toHaveLength(30);
    expect(labels).toHaveLength(30);
    expect(labels[0]).toBe('"1"');
    expect(labels[29]).toBe('"30"');
  });

  it("links commits and repositories only when their URL is known", () => {
    const markdown = renderDigest(weeklyAnalysis(), OPTIONS);
    expect(markdown).toContain(
      "- [`b2c3d4e`](https://github.com/acme/api/commit/b2c3d4e5f60718293a4b5c6d7e8f9012345678a1) Add rate limiting to the API, by Alice Example\n",
    );
    expect(markdown).toContain("- `e5f6071` Fix typo in README, by Bob Newcomer\n");
    expect(markdown).toContain("| [acme/api](https://github.com/acme/api) | 2 | 1 | 1 | +223 | \u221243 |");
    expect(markdown).toContain("| local/tools | 2 | 0 | 2 | +16 | \u22126 |");
    expect(markdown).toContain("1 other repository had no activity.");
  });

  it("marks merges and bots", () => {
    const markdown = renderDigest(weeklyAnalysis(), OPTIONS);
    expect(markdown).toMatch(
      /^- \[`a1b2c3d`\]\([^)]*\) Merge pull request \[#42\]\(https:\/\/github.com\/acme\/api\/issues\/42\) from acme\/rate-limit, by Alice Example \(merge\)$/m,
    );
    expect(markdown).toMatch(/^- \[`d4e5f60`\]\([^)]*\) Bump lodash .*, by dependabot\\\[bot\\\] \(bot\)$/m);
  });

  it("opens the story with the largest changes, each with its size and where it is", () => {
    expect(renderDigest(weeklyAnalysis(), OPTIONS)).toContain(
      "## Largest changes\n\n- [`b2c3d4e`](https://github.com/acme/api/commit/b2c3d4e5f60718293a4b5c6d7e8f9012345678a1) " +
        "Add rate limiting to the API, by Alice Example in acme/api (+220/\u221240 lines)\n",
    );
  });

  it("lists at most maxItems commits, newest first, and says how many more there were", () => {
    const items: CommitItem[] = Array.from({ length: 30 }, (_, i) =>
      commit({
        sha: `${String(i).padStart(2, "0")}${"f".repeat(38)}`,
        subject: `Change number ${i}`,
        committedAt: new Date(Date.UTC(2026, 10, 23, 0, i)).toISOString(),
      }),
    );
    const markdown = renderDigest(weeklyAnalysis({ items }), { maxItems: 10 });
    const listed = [...markdown.matchAll(/^- \[`\w+`\]\([^)]*\) Change number (\d+),/gm)].map((m) => Number(m[1]));
    expect(listed).toEqual([29, 28, 27, 26, 25, 24, 23, 22, 21, 20]);
    expect(markdown).toContain("- and 20 more entries not listed\n");
    expect(markdown).toContain("Showing the newest 10 of 30 commits and merges; 20 more were not listed.");
  });

  it("refuses a maxItems that is not a whole number", () => {
    for (const maxItems of [-1, 1.5, Number.NaN]) {
      let thrown: unknown;
      try {
        renderDigest(weeklyAnalysis(), { maxItems });
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(SparkyError);
      expect((thrown as SparkyError).code).toBe("SPARKY_GENERATOR_BAD_MAX_ITEMS");
    }
  });

  it("gives the same bytes for the same analysis, whatever order its lists arrive in", () => {
    const analysis = weeklyAnalysis();
    const first = renderDigest(analysis, OPTIONS);
    expect(renderDigest(analysis, OPTIONS)).toBe(first);
    const shuffled: Analysis = weeklyAnalysis({
      items: [...analysis.items].reverse(),
      topContributors: [...analysis.topContributors].reverse(),
      contributors: [...analysis.contributors].reverse(),
      repositories: [...analysis.repositories].reverse(),
      perDay: [...analysis.perDay].reverse(),
      highlights: [...analysis.highlights].reverse(),
    });
    expect(renderDigest(shuffled, OPTIONS)).toBe(first);
  });

  it("ends with exactly one newline", () => {
    for (const analysis of [weeklyAnalysis(), emptyAnalysis("monthly"), analysisFor("daily")]) {
      const markdown = renderDigest(analysis, OPTIONS);
      expect(markdown.endsWith("\n")).toBe(true);
      expect(markdown.endsWith("\n\n")).toBe(false);
    }
  });

  it("renders hostile subjects and names as text: no HTML, no foreign links or images", () => {
    const analysis = weeklyAnalysis({
      repositories: [
        ...weeklyAnalysis().repositories,
        { fullName: "evil/<img src=x onerror=alert(1)>", webUrl: "javascript:alert(1)", commits: 1, merges: 0, additions: 1, deletions: 0, contributors: 1 },
      ],
      items: [
        ...ITEMS,
        commit({ sha: "f".repeat(40), repository: "evil/x", subject: "bad link", url: "https://ok.example/a) [x](https://evil.example" }),
        commit({ sha: "0".repeat(40), repository: "evil/x", subject: "js link", url: "javascript:alert(1)" }),
      ],
    });
    const markdown = renderDigest(analysis, OPTIONS);
    expect(markdown).not.toMatch(/<script|<img|<b>/i);
    expect(markdown).not.toContain("](https://evil");
    expect(markdown).not.toContain("](javascript");
    expect(markdown).not.toContain("![");
    expect(markdown).not.toContain("**bold**");
    expect(markdown).not.toMatch(/(^|[^\\])https:\/\/evil/m);
    expect(markdown).not.toMatch(/^#+ heading/m);

    const allowed = new Set([
      ...analysis.items.map((item) => item.url),
      ...analysis.highlights.map((item) => item.url),
      ...analysis.repositories.map((repo) => repo.webUrl),
      // "#42" in a subject links to its repository's issue page (GitHub redirects a pull request's).
      "https://github.com/acme/api/issues/42",
    ]);
    const targets = linkTargets(markdown);
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expect(allowed.has(target), target).toBe(true);
    expect(targets.every((t) => t.startsWith("https://github.com/acme/"))).toBe(true);

    // Each hostile text shows up escaped, on one line, exactly where it belongs.
    expect(markdown).toContain(
      "- `c3d4e5f` &lt;script>alert(1)&lt;/script> \\[click\\](https:&#8203;//evil.example) " +
        "!\\[x\\](https:&#8203;//evil.example/x.png) \\*\\*bold\\*\\* # heading \\| pipe, " +
        "by Mallory \\*the\\* &lt;b>Bold&lt;/b> \\[me\\](https:&#8203;//evil.example/me) \\_x\\_\n",
    );
    expect(EVIL_SUBJECT).toContain("<script>");
    expect(EVIL_AUTHOR).toContain("[me]");
  });
});
