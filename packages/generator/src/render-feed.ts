import { OUTPUT_FILES, byText } from "@sparky/messages";
import type { Period } from "@sparky/messages";
import { feedSummary } from "./feed-summary.js";
import type { DigestEntry } from "./render-index.js";
import { xmlAttribute, xmlText } from "./xml.js";

export interface FeedOptions {
  /** `[publisher] docs_web_url`: a digest's web address with `{path}` for its path in the docs repository; "" = none. */
  webUrl: string;
  /** `[publisher] docs_subdir`: the folder of the docs repository the output folder is published to; "" = its root. */
  subdir: string;
  /** Most digests listed (default 30). */
  limit?: number;
}

export const FEED_LIMIT = 30;

// Stands for "this Sparky's docs repository" when no web address names it: `.invalid` is
// reserved (RFC 2606), so the ids can never claim someone else's domain.
const LOCAL_AUTHORITY = "sparky.invalid";
const TAG_DATE = "2026";
const RANK: Record<Period, number> = { monthly: 0, weekly: 1, daily: 2 };

/** Newest window end first; at the same end the longer period (its roll-up) first. */
function newestFirst(a: FeedEntry, b: FeedEntry): number {
  return byText(b.updated, a.updated) || RANK[a.entry.period] - RANK[b.entry.period] || byText(a.entry.relativePath, b.entry.relativePath);
}

interface FeedEntry {
  entry: DigestEntry;
  updated: string;
}

function encodedPath(options: FeedOptions, relativePath: string): string {
  const path = options.subdir ? `${options.subdir}/${relativePath}` : relativePath;
  return path.split("/").map(encodeURIComponent).join("/");
}

/** Where a reader opens a file of the output folder: its web address, else its path beside the feed. */
function href(options: FeedOptions, relativePath: string): string {
  return options.webUrl ? options.webUrl.replace("{path}", encodedPath(options, relativePath)) : relativePath.split("/").map(encodeURIComponent).join("/");
}

/**
 * A `tag:` URI (RFC 4151) that names the file for good: the web address's host and path when
 * there is one (unique to that docs repository), else the path in the docs repository.
 */
function tagId(options: FeedOptions, relativePath: string): string {
  if (options.webUrl) {
    const url = new URL(href(options, relativePath));
    return `tag:${url.hostname},${TAG_DATE}:${url.pathname}${url.search}`;
  }
  return `tag:${LOCAL_AUTHORITY},${TAG_DATE}:/${encodedPath(options, relativePath)}`;
}

/** An instant as RFC 3339 in UTC, or null when the front matter's text is not one. */
function instant(text: string): string | null {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/**
 * The Atom feed (RFC 4287) of the newest digests, newest first. Every time in it comes from
 * the digests (the end of their window), never the clock, so the same digests give the same
 * bytes and a re-run changes nothing a feed reader or the publisher would see.
 */
export function renderFeed(entries: DigestEntry[], options: FeedOptions): string {
  const dated = entries
    .map((entry) => ({ entry, updated: instant(entry.windowEnd) }))
    .filter((e): e is FeedEntry => e.updated !== null)
    .sort(newestFirst)
    .slice(0, options.limit ?? FEED_LIMIT);
  // An empty feed still needs a time: the epoch says "nothing yet" without reading a clock.
  const updated = dated[0]?.updated ?? "1970-01-01T00:00:00.000Z";
  const lines = [
    `<?xml version="1.0" encoding="utf-8"?>`,
    `<feed xmlns="http://www.w3.org/2005/Atom">`,
    `  <title>Sparky digests</title>`,
    `  <subtitle>What the organisation did in git, day by day, week by week and month by month.</subtitle>`,
    `  <id>${xmlText(tagId(options, OUTPUT_FILES.feed))}</id>`,
    `  <link rel="alternate" href="${xmlAttribute(href(options, OUTPUT_FILES.index))}"/>`,
    `  <updated>${updated}</updated>`,
    `  <author><name>Sparky</name></author>`,
    `  <generator>Sparky</generator>`,
  ];
  for (const { entry, updated: when } of dated) {
    lines.push(
      `  <entry>`,
      `    <title>${xmlText(entry.title)}</title>`,
      `    <link rel="alternate" href="${xmlAttribute(href(options, entry.relativePath))}"/>`,
      `    <id>${xmlText(tagId(options, entry.relativePath))}</id>`,
      `    <updated>${when}</updated>`,
      `    <summary>${xmlText(feedSummary(entry))}</summary>`,
      `  </entry>`,
    );
  }
  lines.push(`</feed>`);
  return `${lines.join("\n")}\n`;
}
