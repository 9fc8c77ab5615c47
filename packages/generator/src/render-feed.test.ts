import { describe, expect, it } from "vitest";
import { periodFor } from "@sparky/messages";
import type { Period } from "@sparky/messages";
import { digestTitle } from "./digest-title.js";
import { feedSummary } from "./feed-summary.js";
import { FEED_LIMIT, renderFeed } from "./render-feed.js";
import type { DigestEntry } from "./render-index.js";
import { hasXmllint, validateRelaxNg, xpathString } from "./test-xmllint.js";

function entry(period: Period, date: string, overrides: Partial<DigestEntry> = {}): DigestEntry {
  const spec = periodFor(period, date);
  return {
    title: digestTitle(spec),
    period,
    key: spec.key,
    runId: spec.runId,
    windowStart: spec.window.start,
    windowEnd: spec.window.end,
    timezone: "UTC",
    firstDay: spec.firstDay,
    lastDay: spec.lastDay,
    commits: 12,
    merges: 2,
    contributors: 3,
    newContributors: 1,
    repositories: 2,
    additions: 340,
    deletions: 120,
    relativePath: `${period}/${spec.key}.md`,
    ...overrides,
  };
}

const LOCAL = { webUrl: "", subdir: "" };
const entriesOf = (xml: string) => [...xml.matchAll(/<entry>[\s\S]*?<\/entry>/g)].map((m) => m[0]);
const tag = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, "g"))].map((m) => m[1]);

describe("renderFeed", () => {
  it("lists the newest digests first, by the end of their window, the roll-up before the day it ends on", () => {
    const feed = renderFeed(
      [entry("daily", "2026-11-29"), entry("monthly", "2026-10-31"), entry("weekly", "2026-11-29"), entry("daily", "2026-11-28")],
      LOCAL,
    );
    const links = entriesOf(feed).map((e) => /href="([^"]*)"/.exec(e)![1]);
    expect(links).toEqual(["weekly/2026-W48.md", "daily/2026-11-29.md", "daily/2026-11-28.md", "monthly/2026-10.md"]);
    expect(tag(feed, "updated")).toEqual(["2026-11-30T00:00:00.000Z", "2026-11-30T00:00:00.000Z", "2026-11-30T00:00:00.000Z", "2026-11-29T00:00:00.000Z", "2026-11-01T00:00:00.000Z"]);
  });

  it(`keeps the newest ${FEED_LIMIT}, and gives the same bytes for the same digests in any order`, () => {
    const all = Array.from({ length: 45 }, (_, i) => entry("daily", `2026-10-${String((i % 31) + 1).padStart(2, "0")}`, { key: `k${i}` }))
      .map((e, i) => ({ ...e, relativePath: `daily/${i}.md`, windowEnd: new Date(Date.UTC(2026, 9, 1) + i * 86_400_000).toISOString() }));
    const feed = renderFeed(all, LOCAL);
    expect(entriesOf(feed)).toHaveLength(FEED_LIMIT);
    expect(entriesOf(feed)[0]).toContain('href="daily/44.md"');
    expect(renderFeed([...all].reverse(), LOCAL)).toBe(feed);
  });

  it("links to the web address with the path in the docs repository, and names each digest by a stable tag: URI", () => {
    const options = { webUrl: "https://github.com/acme/docs/blob/main/{path}", subdir: "docs/digests" };
    const feed = renderFeed([entry("daily", "2026-11-26")], options);
    expect(feed).toContain('<link rel="alternate" href="https://github.com/acme/docs/blob/main/docs/digests/daily/2026-11-26.md"/>');
    expect(feed).toContain("<id>tag:github.com,2026:/acme/docs/blob/main/docs/digests/daily/2026-11-26.md</id>");
    expect(feed).toContain("<id>tag:github.com,2026:/acme/docs/blob/main/docs/digests/feed.xml</id>");
    // Without a web address: paths beside the feed, and ids under a domain nobody owns.
    const local = renderFeed([entry("daily", "2026-11-26")], LOCAL);
    expect(local).toContain('<link rel="alternate" href="daily/2026-11-26.md"/>');
    expect(local).toContain("<id>tag:sparky.invalid,2026:/daily/2026-11-26.md</id>");
  });

  it("summarises each digest in one sentence from its figures", () => {
    expect(feedSummary(entry("daily", "2026-11-26"))).toBe("12 commits and 2 merges by 3 contributors (1 new) in 2 active repositories; +340/\u2212120 lines.");
    const github = { pullsOpened: 4, pullsMerged: 3, issuesOpened: 1, issuesClosed: 1, releases: 1 };
    expect(feedSummary(entry("daily", "2026-11-26", { merges: 0, github }))).toBe(
      "12 commits by 3 contributors (1 new) in 2 active repositories; +340/\u2212120 lines; 3 pull requests merged, 1 issue closed, 1 release.",
    );
    const zero = { commits: 0, merges: 0, contributors: 0, newContributors: 0, repositories: 0, additions: 0, deletions: 0 };
    expect(feedSummary(entry("daily", "2026-11-26", zero))).toBe("No activity.");
  });

  it("escapes titles and links a hand-edited front matter could carry", () => {
    const evil = entry("daily", "2026-11-26", { title: `</title><script>alert(1)</script> & "x" \u0007` });
    const feed = renderFeed([evil], { webUrl: "https://docs.example/view?file={path}&raw=1", subdir: "" });
    expect(feed).not.toContain("<script>");
    expect(feed).toContain("<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"x\" </title>");
    expect(feed).toContain('href="https://docs.example/view?file=daily/2026-11-26.md&amp;raw=1"');
  });

  describe.skipIf(!hasXmllint)("against the Atom schema (RFC 4287) with xmllint --relaxng", () => {
    it("is valid with digests of every period, hostile titles, a web address, and with none at all", () => {
      const evil = entry("weekly", "2026-11-26", { title: `<b>&amp;</b> ]]> \uFFFF` });
      const cases = [
        renderFeed([entry("daily", "2026-11-26"), evil, entry("monthly", "2026-10-01", { github: { pullsOpened: 1, pullsMerged: 1, issuesOpened: 0, issuesClosed: 0, releases: 0 } })], LOCAL),
        renderFeed([entry("daily", "2026-11-26")], { webUrl: "https://docs.example/x?file={path}&raw=1", subdir: "docs/digests" }),
        renderFeed([], LOCAL),
      ];
      for (const feed of cases) {
        const result = validateRelaxNg(feed);
        expect(result.output).toContain("validates");
        expect(result.ok).toBe(true);
      }
      expect(xpathString(cases[0]!, "/*[local-name()='feed']/*[local-name()='entry'][1]/*[local-name()='title']")).toBe("<b>&amp;</b> ]]> ");
    });

    it("fails the schema check when a required element is missing (the check is real)", () => {
      const broken = renderFeed([entry("daily", "2026-11-26")], LOCAL).replace(/<updated>[^<]*<\/updated>/, "");
      expect(validateRelaxNg(broken).ok).toBe(false);
    });
  });
});
