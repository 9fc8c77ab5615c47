import { z } from "zod";
import { IsoTime, RunRefSchema, WindowSchema } from "./common.js";

export const ContributorStatsSchema = z.object({
  name: z.string(),
  /** Identity key (lower-cased email after .mailmap). */
  key: z.string(),
  commits: z.number().int().nonnegative(),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  repositories: z.array(z.string()),
  isNew: z.boolean(),
});
export type ContributorStats = z.infer<typeof ContributorStatsSchema>;

export const RepositoryStatsSchema = z.object({
  /** `owner/name` */
  fullName: z.string(),
  webUrl: z.string().nullable(),
  commits: z.number().int().nonnegative(),
  merges: z.number().int().nonnegative(),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  contributors: z.number().int().nonnegative(),
});
export type RepositoryStats = z.infer<typeof RepositoryStatsSchema>;

export const CommitItemSchema = z.object({
  repository: z.string(),
  sha: z.string(),
  subject: z.string(),
  author: z.string(),
  committedAt: IsoTime,
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  isMerge: z.boolean(),
  isBot: z.boolean(),
  /** Link to the commit's web page, when the repository's remote is known. */
  url: z.string().nullable(),
});
export type CommitItem = z.infer<typeof CommitItemSchema>;

const Change = z.object({
  previous: z.number().int().nonnegative(),
  current: z.number().int().nonnegative(),
  delta: z.number().int(),
});

export const TotalsSchema = z.object({
  commits: z.number().int().nonnegative(),
  merges: z.number().int().nonnegative(),
  botCommits: z.number().int().nonnegative(),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  contributors: z.number().int().nonnegative(),
  newContributors: z.number().int().nonnegative(),
  /** Repositories with at least one commit or merge in the window. */
  activeRepositories: z.number().int().nonnegative(),
  /** Repositories collected. */
  repositories: z.number().int().nonnegative(),
});
export type Totals = z.infer<typeof TotalsSchema>;

export const AnalysisSchema = RunRefSchema.extend({
  schema: z.literal("sparky.analysis/1"),
  /** When the collection this analysis read was made: the only time in it, so output is reproducible. */
  collectedAt: IsoTime,
  firstDay: z.string(),
  lastDay: z.string(),
  previousWindow: WindowSchema,
  totals: TotalsSchema,
  change: z.object({ commits: Change, merges: Change, contributors: Change }),
  contributors: z.array(ContributorStatsSchema),
  topContributors: z.array(ContributorStatsSchema),
  repositories: z.array(RepositoryStatsSchema),
  perDay: z.array(z.object({ day: z.string(), commits: z.number().int().nonnegative() })),
  /** Every commit and merge in the window, newest first. */
  items: z.array(CommitItemSchema),
  /** The largest changes of the window (by lines touched), for the digest's highlights. */
  highlights: z.array(CommitItemSchema),
});
export type Analysis = z.infer<typeof AnalysisSchema>;
