import { z } from "zod";
import { PERIODS } from "../period.js";

const Count = z.number().int().nonnegative();
const Hours = z.number().nonnegative().nullable();

/** A person's or a repository's share of one digest: what the dashboard's pages of them list. */
export const IndexShareSchema = z.object({
  /** Identity key of a person (as the analysis counted them), full name of a repository. */
  key: z.string(),
  name: z.string(),
  commits: Count,
});

/**
 * One digest as the dashboard lists it: the figures of its front matter plus what only the
 * analysis knows (GitHub medians, the people and repositories with their commits). `details`
 * is null when the digest was indexed without its analysis (the processed file was gone).
 */
export const DigestIndexEntrySchema = z.object({
  period: z.enum(PERIODS),
  key: z.string(),
  runId: z.string(),
  /** Relative to the output folder, `/`-separated: `weekly/2026-W48.md`. */
  path: z.string(),
  title: z.string(),
  firstDay: z.string(),
  lastDay: z.string(),
  windowStart: z.string(),
  windowEnd: z.string(),
  commits: Count,
  merges: Count,
  contributors: Count,
  newContributors: Count,
  repositories: Count,
  additions: Count,
  deletions: Count,
  /** GitHub collections only; null for local git. */
  pullsMerged: Count.nullable(),
  /** A digest with no activity at all (the all-zero digest or a quiet day's note). */
  quiet: z.boolean(),
  details: z
    .object({
      medianCycleHours: Hours,
      medianReviewHours: Hours,
      people: z.array(IndexShareSchema),
      repositories: z.array(IndexShareSchema),
    })
    .nullable(),
});

/**
 * `output/index.json`: the dashboard's read model, written by the generator with index.md
 * and feed.xml. Digests sorted by period (daily, weekly, monthly) then key; quiet days skipped
 * without a digest as the ledger lists them. No clock in it: the same digests give the same bytes.
 */
export const DigestIndexSchema = z.object({
  schema: z.literal("sparky.digest-index/1"),
  timezone: z.string(),
  digests: z.array(DigestIndexEntrySchema),
  quietDays: z.array(z.object({ key: z.string(), runId: z.string(), repositories: Count })),
});
export type IndexShare = z.infer<typeof IndexShareSchema>;
export type DigestIndexEntry = z.infer<typeof DigestIndexEntrySchema>;
export type DigestIndex = z.infer<typeof DigestIndexSchema>;
