import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { DigestIndexSchema, OUTPUT_FILES, SparkyError, dataLayout, byText } from "@sparky/messages";
import type { DigestIndex, DigestIndexEntry, IndexShare, Period, QuietDay } from "@sparky/messages";
import { readJson } from "@sparky/harness";
import { isQuiet } from "./render-index.js";
import type { DigestEntry } from "./render-index.js";

const Count = z.number().int().nonnegative();
/**
 * The few fields of a processed analysis the index reads. Not AnalysisSchema: an analysis
 * written by an older Sparky (without fields added since) still gives its people and repositories.
 */
export const DetailsSource = z.object({
  contributors: z.array(z.object({ key: z.string(), name: z.string(), commits: Count })),
  repositories: z.array(z.object({ fullName: z.string(), commits: Count })),
  github: z
    .object({
      pulls: z.object({
        cycleTimeHours: z.object({ median: z.number().nonnegative().nullable() }),
        firstReviewHours: z.object({ median: z.number().nonnegative().nullable() }),
      }),
    })
    .optional(),
});
export type DetailsSource = z.infer<typeof DetailsSource>;
type Details = NonNullable<DigestIndexEntry["details"]>;

/** Most commits first, then by key: the same analysis gives the same order on any machine. */
function busiestFirst(a: IndexShare, b: IndexShare): number {
  return b.commits - a.commits || byText(a.key, b.key);
}

export function detailsOf(analysis: DetailsSource): Details {
  const pulls = analysis.github?.pulls;
  return {
    medianCycleHours: pulls ? pulls.cycleTimeHours.median : null,
    medianReviewHours: pulls ? pulls.firstReviewHours.median : null,
    people: analysis.contributors.map((c) => ({ key: c.key, name: c.name, commits: c.commits })).sort(busiestFirst),
    repositories: analysis.repositories
      .filter((r) => r.commits > 0)
      .map((r) => ({ key: r.fullName, name: r.fullName, commits: r.commits }))
      .sort(busiestFirst),
  };
}

/** The index written last time, or null when there is none or it cannot be read (it is rebuilt). */
export async function readPreviousIndex(outputDir: string): Promise<DigestIndex | null> {
  try {
    const parsed = DigestIndexSchema.safeParse(JSON.parse(await readFile(join(outputDir, OUTPUT_FILES.digestIndex), "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A period's details from its processed analysis; null when it is gone or unreadable. */
async function detailsFromDisk(dataDir: string, period: Period, key: string): Promise<Details | null> {
  try {
    return detailsOf(await readJson(dataLayout(dataDir).analysis(period, key), DetailsSource, "processed analysis"));
  } catch (error) {
    if (error instanceof SparkyError) return null;
    throw error;
  }
}

export interface IndexSources {
  dataDir: string;
  timezone: string;
  /** The run being generated: its analysis is in hand, and wins over anything recorded. */
  current?: { period: Period; key: string; analysis: DetailsSource };
  previous: DigestIndex | null;
}

/**
 * The dashboard's index of every digest on disk. The details of a digest come from the run
 * being generated, else from the index written before (same run id and path), else once from
 * its processed analysis: so a generate reads one analysis, not every one, and an output
 * folder made before the index existed gets its details filled in on the next run.
 */
export async function buildDigestIndex(entries: DigestEntry[], quietDays: readonly QuietDay[], sources: IndexSources): Promise<DigestIndex> {
  const recorded = new Map((sources.previous?.digests ?? []).map((d) => [d.path, d]));
  const digests: DigestIndexEntry[] = [];
  const order: Period[] = ["daily", "weekly", "monthly"];
  const sorted = [...entries].sort((a, b) => order.indexOf(a.period) - order.indexOf(b.period) || byText(a.key, b.key) || byText(a.relativePath, b.relativePath));
  for (const entry of sorted) {
    const current = sources.current;
    const before = recorded.get(entry.relativePath);
    let details: Details | null;
    if (current && current.period === entry.period && current.key === entry.key) details = detailsOf(current.analysis);
    else if (before && before.runId === entry.runId && before.details) details = before.details;
    else details = await detailsFromDisk(sources.dataDir, entry.period, entry.key);
    digests.push({
      period: entry.period,
      key: entry.key,
      runId: entry.runId,
      path: entry.relativePath,
      title: entry.title,
      firstDay: entry.firstDay,
      lastDay: entry.lastDay,
      windowStart: entry.windowStart,
      windowEnd: entry.windowEnd,
      commits: entry.commits,
      merges: entry.merges,
      contributors: entry.contributors,
      newContributors: entry.newContributors,
      repositories: entry.repositories,
      additions: entry.additions,
      deletions: entry.deletions,
      pullsMerged: entry.github ? entry.github.pullsMerged : null,
      quiet: isQuiet(entry),
      details,
    });
  }
  const daily = new Set(digests.filter((d) => d.period === "daily").map((d) => d.key));
  return DigestIndexSchema.parse({
    schema: "sparky.digest-index/1",
    timezone: sources.timezone,
    digests,
    quietDays: quietDays.filter((d) => !daily.has(d.key)).map((d) => ({ key: d.key, runId: d.runId, repositories: d.repositories })),
  });
}

/** The index as written: one digest a line, so a diff of the docs repository stays readable. */
export function digestIndexBytes(index: DigestIndex): string {
  const lines = index.digests.map((d) => `    ${JSON.stringify(d)}`);
  const quiet = index.quietDays.map((d) => `    ${JSON.stringify(d)}`);
  return [
    "{",
    `  "schema": ${JSON.stringify(index.schema)},`,
    `  "timezone": ${JSON.stringify(index.timezone)},`,
    lines.length ? `  "digests": [\n${lines.join(",\n")}\n  ],` : `  "digests": [],`,
    quiet.length ? `  "quietDays": [\n${quiet.join(",\n")}\n  ]` : `  "quietDays": []`,
    "}",
    "",
  ].join("\n");
}
