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

/**
 * What a digest item can be. Only commits are collected from git today; pull requests and
 * issues from GitHub will join as further members of `items`, told apart by `kind`.
 */
export const ITEM_KINDS = ["commit", "pull_request", "issue"] as const;
export const ItemKindSchema = z.enum(ITEM_KINDS);
export type ItemKind = z.infer<typeof ItemKindSchema>;

/** What every item has, whatever its kind: how themes refer to it and what a model may read of it. */
export const ItemBaseSchema = z.object({
  /**
   * Stable within the period and across re-runs: `<owner/repo>@<short sha>` for a commit
   * (longer where two shas of a repository share a prefix), `<owner/repo>#<number>` for a
   * pull request or issue. Themes and the digest's links refer to items by it.
   */
  id: z.string().min(1),
  kind: ItemKindSchema,
  repository: z.string(),
  /** Labels of a pull request or issue; commits have none. */
  labels: z.array(z.string()).optional(),
  /** Body text of a pull request or issue. Untrusted, like every title: never rendered as Markdown. */
  body: z.string().optional(),
});

export const CommitItemSchema = ItemBaseSchema.extend({
  kind: z.literal("commit"),
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

export const ThemeSchema = z.object({
  title: z.string().min(1),
  /** One sentence. */
  summary: z.string(),
  /** Ids of the items the theme covers, each in `items`, each in at most one theme. */
  itemIds: z.array(z.string()).min(1),
});
export type Theme = z.infer<typeof ThemeSchema>;

export const ThemesSchema = z.object({
  /** `llm`: grouped by the model and validated; `deterministic`: by commit type, label or repository. */
  source: z.enum(["llm", "deterministic"]),
  /** Why the deterministic grouping stands (LLM turned off, unreachable, answered badly), null for `llm`. */
  reason: z.string().nullable(),
  themes: z.array(ThemeSchema),
});
export type Themes = z.infer<typeof ThemesSchema>;

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
  themes: ThemesSchema,
}).superRefine((analysis, ctx) => {
  // The digest links a theme's items by id: an id that names nothing, or twice, is a broken analysis.
  const ids = new Set<string>();
  analysis.items.forEach((item, i) => {
    if (ids.has(item.id)) ctx.addIssue({ code: "custom", path: ["items", i, "id"], message: `item id ${item.id} is used twice` });
    ids.add(item.id);
  });
  const themed = new Set<string>();
  analysis.themes.themes.forEach((theme, t) => {
    theme.itemIds.forEach((id, i) => {
      const path = ["themes", "themes", t, "itemIds", i];
      if (!ids.has(id)) ctx.addIssue({ code: "custom", path, message: `theme refers to ${id}, which is not an item of the period` });
      else if (themed.has(id)) ctx.addIssue({ code: "custom", path, message: `item ${id} is in more than one theme` });
      themed.add(id);
    });
  });
});
export type Analysis = z.infer<typeof AnalysisSchema>;
