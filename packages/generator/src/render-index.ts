import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { PERIODS, byText } from "@sparky/messages";
import type { Period, QuietDay } from "@sparky/messages";
import { periodLabel } from "./digest-title.js";
import { escapeMarkdownInline } from "./escape.js";
import { formatAdded, formatCount, formatRemoved } from "./format.js";
import { parseFrontMatter } from "./front-matter.js";
import type { DigestFigures } from "./front-matter.js";
import { plain, relativeHref } from "./markdown.js";

/** One digest on disk, as the index lists it. */
export interface DigestEntry extends DigestFigures {
  /** Path relative to the output folder, with `/` separators: `weekly/2026-W48.md`. */
  relativePath: string;
}

const HEADINGS: Record<Period, string> = { daily: "Daily digests", weekly: "Weekly digests", monthly: "Monthly digests" };

/** One line of an index table, with what it sorts by. */
interface Row {
  firstDay: string;
  key: string;
  relativePath: string;
  line: string;
}

function newestFirst(a: Row, b: Row): number {
  return byText(b.firstDay, a.firstDay) || byText(b.key, a.key) || byText(b.relativePath, a.relativePath);
}

/** A digest with nothing in it: the all-zero digest or the note of a quiet day. */
export function isQuiet(entry: DigestEntry): boolean {
  const g = entry.github;
  const github = g ? g.pullsOpened + g.pullsMerged + g.issuesOpened + g.issuesClosed + g.releases : 0;
  return entry.commits + entry.merges + entry.contributors + entry.repositories + github === 0;
}

function row(entry: DigestEntry): string {
  const label = plain(periodLabel(entry)) || escapeMarkdownInline(entry.relativePath);
  const cells = [
    `[${label}](${relativeHref(entry.relativePath)})${isQuiet(entry) ? " (quiet day)" : ""}`,
    formatCount(entry.commits),
    formatCount(entry.merges),
    formatCount(entry.contributors),
    formatCount(entry.newContributors),
    formatCount(entry.repositories),
    `${formatAdded(entry.additions)} / ${formatRemoved(entry.deletions)}`,
  ];
  return `| ${cells.join(" | ")} |`;
}

/** A quiet day skipped without a digest: listed, unlinked, so the calendar has no gap. */
function quietRow(day: QuietDay): Row {
  const zeros = ["0", "0", "0", "0", "0", "0 / 0"];
  return { firstDay: day.key, key: day.key, relativePath: "", line: `| ${day.key} (quiet day, no digest) | ${zeros.join(" | ")} |` };
}

/**
 * The output folder's `index.md`: every digest, grouped by period, newest first, with the
 * figures from its front matter, and the quiet days skipped without a digest among the
 * daily ones. Pure, like the digests, so an unchanged set of digests gives an unchanged index.
 */
export function renderIndex(entries: DigestEntry[], quietDays: readonly QuietDay[] = []): string {
  const blocks = ["# Sparky digests", "What the organisation did in git, day by day, week by week and month by month."];
  const dailyKeys = new Set(entries.filter((e) => e.period === "daily").map((e) => e.key));
  // A day with a digest after all (a re-run found late activity) is listed by its digest.
  const quiet = quietDays.filter((d) => !dailyKeys.has(d.key)).map(quietRow);
  for (const period of PERIODS) {
    const rows = entries
      .filter((entry) => entry.period === period)
      .map((entry) => ({ firstDay: entry.firstDay, key: entry.key, relativePath: entry.relativePath, line: row(entry) }));
    if (period === "daily") rows.push(...quiet);
    const listed = rows.sort(newestFirst);
    if (listed.length === 0) continue;
    blocks.push(
      [
        `## ${HEADINGS[period]}`,
        "",
        "| Digest | Commits | Merges | Contributors | New contributors | Active repositories | Lines |",
        "|:---|---:|---:|---:|---:|---:|---:|",
        ...listed.map((r) => r.line),
      ].join("\n"),
    );
  }
  if (blocks.length === 2) blocks.push("No digests yet.");
  return `${blocks.join("\n\n")}\n`;
}

/**
 * Every digest under `outputDir/{daily,weekly,monthly}/`, read back from its front matter.
 * A file that is not a digest Sparky wrote (hand-edited, half-copied, anything else) is
 * left out rather than allowed to stop the index being written.
 */
export async function readDigestEntries(outputDir: string): Promise<DigestEntry[]> {
  const entries: DigestEntry[] = [];
  for (const period of PERIODS) {
    let names: string[];
    try {
      const dirents = await readdir(join(outputDir, period), { withFileTypes: true });
      names = dirents.filter((d) => d.isFile() && d.name.endsWith(".md")).map((d) => d.name);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "ENOTDIR") continue;
      throw error;
    }
    for (const name of names.sort(byText)) {
      let text: string;
      try {
        text = await readFile(join(outputDir, period, name), "utf8");
      } catch {
        continue;
      }
      const figures = parseFrontMatter(text);
      // A digest filed under the wrong period would be listed under a heading it contradicts.
      if (figures === null || figures.period !== period) continue;
      entries.push({ ...figures, relativePath: `${period}/${name}` });
    }
  }
  return entries;
}
