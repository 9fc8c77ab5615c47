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

/**
 * A person (never a bot) who merged in the window: merge commits they authored, and on
 * GitHub pull requests they merged. Merging is not contributing: someone who only merged is
 * listed here, not among the contributors.
 */
export const MergerStatsSchema = z.object({
  name: z.string(),
  key: z.string(),
  mergeCommits: z.number().int().nonnegative(),
  pullRequestsMerged: z.number().int().nonnegative(),
  repositories: z.array(z.string()),
  /** Whether they also authored a non-merge commit in the window (then they are a contributor too). */
  isContributor: z.boolean(),
});
export type MergerStats = z.infer<typeof MergerStatsSchema>;

/** A repository that was found but could not be collected, and why (e.g. deleted or renamed mid-run). */
export const UncollectedRepositorySchema = z.object({ repository: z.string(), reason: z.string() });
export type UncollectedRepository = z.infer<typeof UncollectedRepositorySchema>;

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
 * What a digest item can be: commits from either source, pull requests and issues from
 * GitHub, told apart by `kind`. (Releases are listed in the `github` block, not as items:
 * an id `<repo>@<tag>` could collide with a commit's `<repo>@<short sha>`.)
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
  /** Files the commit changed (absent in analyses written before it). */
  filesChanged: z.number().int().nonnegative().optional(),
  /** Link to the commit's web page, when the repository's remote is known. */
  url: z.string().nullable(),
  /** Top-level areas of the files changed (see RawCommit.areas); absent when not collected. */
  areas: z.array(z.string()).optional(),
});
export type CommitItem = z.infer<typeof CommitItemSchema>;

/** A pull request with activity in the window (GitHub): opened, merged, closed, or first reviewed. */
export const PullRequestItemSchema = ItemBaseSchema.extend({
  kind: z.literal("pull_request"),
  number: z.number().int().positive(),
  title: z.string(),
  author: z.string(),
  /** The author's identity key, for people figures. */
  authorKey: z.string(),
  isBot: z.boolean(),
  isDraft: z.boolean(),
  state: z.enum(["OPEN", "CLOSED", "MERGED"]),
  createdAt: IsoTime,
  mergedAt: IsoTime.nullable(),
  closedAt: IsoTime.nullable(),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  /** The pull request's GitHub page. */
  url: z.string(),
});
export type PullRequestItem = z.infer<typeof PullRequestItemSchema>;

/** An issue opened or closed in the window (GitHub). */
export const IssueItemSchema = ItemBaseSchema.extend({
  kind: z.literal("issue"),
  number: z.number().int().positive(),
  title: z.string(),
  author: z.string(),
  authorKey: z.string(),
  isBot: z.boolean(),
  state: z.enum(["OPEN", "CLOSED"]),
  createdAt: IsoTime,
  closedAt: IsoTime.nullable(),
  /** The issue's GitHub page. */
  url: z.string(),
});
export type IssueItem = z.infer<typeof IssueItemSchema>;

export const ItemSchema = z.discriminatedUnion("kind", [CommitItemSchema, PullRequestItemSchema, IssueItemSchema]);
export type Item = z.infer<typeof ItemSchema>;

const Change = z.object({
  previous: z.number().int().nonnegative(),
  current: z.number().int().nonnegative(),
  delta: z.number().int(),
});
export type Change = z.infer<typeof Change>;

/**
 * Durations in hours (rounded to 0.01) of the events the figure covers: median and 90th
 * percentile by the nearest-rank method (the value at rank ceil(p/100 x count) of the
 * sorted durations, so always one that was measured), null when `count` is 0.
 */
export const DurationFiguresSchema = z.object({
  median: z.number().nonnegative().nullable(),
  p90: z.number().nonnegative().nullable(),
  count: z.number().int().nonnegative(),
});
export type DurationFigures = z.infer<typeof DurationFiguresSchema>;

/** A person who reviewed others' pull requests in the window (bots and authors answering on their own left out). */
export const ReviewerStatsSchema = z.object({
  name: z.string(),
  key: z.string(),
  /** Reviews submitted (approvals, change requests, comments). */
  reviews: z.number().int().nonnegative(),
  /** Distinct pull requests those reviews were on. */
  pullRequests: z.number().int().nonnegative(),
  repositories: z.array(z.string()),
});
export type ReviewerStats = z.infer<typeof ReviewerStatsSchema>;

export const ReleaseEntrySchema = z.object({
  repository: z.string(),
  tagName: z.string(),
  name: z.string().nullable(),
  /** The release's GitHub page. */
  url: z.string(),
  isPrerelease: z.boolean(),
  publishedAt: IsoTime,
  author: z.string().nullable(),
});
export type ReleaseEntry = z.infer<typeof ReleaseEntrySchema>;

/** One GitHub repository's window. `activity` is the sum of every other count: how the busiest are chosen. */
export const GithubRepositoryFiguresSchema = z.object({
  fullName: z.string(),
  webUrl: z.string().nullable(),
  activity: z.number().int().nonnegative(),
  commits: z.number().int().nonnegative(),
  merges: z.number().int().nonnegative(),
  pullsOpened: z.number().int().nonnegative(),
  pullsMerged: z.number().int().nonnegative(),
  pullsClosed: z.number().int().nonnegative(),
  reviews: z.number().int().nonnegative(),
  issuesOpened: z.number().int().nonnegative(),
  issuesClosed: z.number().int().nonnegative(),
  releases: z.number().int().nonnegative(),
});
export type GithubRepositoryFigures = z.infer<typeof GithubRepositoryFiguresSchema>;

/**
 * What only GitHub tells: pull requests, reviews, issues and releases of the window, with the
 * change against the previous period where the collection counted it. Counts include bots'
 * pull requests and issues (like commits); people figures (reviewers) leave bots out.
 */
export const GithubAnalysisSchema = z.object({
  org: z.string().nullable(),
  pulls: z.object({
    /** Opened (created) in the window. */
    opened: Change,
    /** Merged in the window. */
    merged: Change,
    /** Closed without merging in the window (the collection keeps no previous count). */
    closed: z.number().int().nonnegative(),
    /** Pull requests merged in the window: opened to merged. */
    cycleTimeHours: DurationFiguresSchema,
    /** Pull requests first reviewed in the window: ready for review to the first human review (see GithubPullRequest). */
    firstReviewHours: DurationFiguresSchema,
  }),
  /** Reviews submitted in the window, on any pull request, by anyone. */
  reviews: Change,
  topReviewers: z.array(ReviewerStatsSchema),
  issues: z.object({ opened: Change, closed: Change }),
  releases: z.object({ count: Change, list: z.array(ReleaseEntrySchema) }),
  /** Repositories with any activity, busiest first. */
  repositories: z.array(GithubRepositoryFiguresSchema),
});
export type GithubAnalysis = z.infer<typeof GithubAnalysisSchema>;

export const TotalsSchema = z.object({
  commits: z.number().int().nonnegative(),
  merges: z.number().int().nonnegative(),
  botCommits: z.number().int().nonnegative(),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  contributors: z.number().int().nonnegative(),
  newContributors: z.number().int().nonnegative(),
  /**
   * Active repositories: any commit, merge, pull request (opened, merged, closed, first
   * reviewed), review, issue (opened, closed) or release in the window. The one figure the
   * digest, its front matter and `--json` report as "repositories".
   */
  activeRepositories: z.number().int().nonnegative(),
  /** Of those, the repositories with at least one commit or merge (absent in analyses written before it). */
  repositoriesWithCommits: z.number().int().nonnegative().optional(),
  /** Repositories collected. */
  repositories: z.number().int().nonnegative(),
});
export type Totals = z.infer<typeof TotalsSchema>;

export const THEME_KINDS = ["release", "type", "scope", "area", "label", "repository", "other", "llm"] as const;

export const ThemeSchema = z.object({
  title: z.string().min(1),
  /** What the group is named after (deterministic themes); `llm` for a theme the model made. Absent in older analyses. */
  kind: z.enum(THEME_KINDS).optional(),
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
  /**
   * Ollama failing for good while the analyzer asked it (a timeout or server error after its
   * retries, unreachable, model missing): the generator then does not wait on the same server
   * again for this run. Absent or null when there was none.
   */
  llmOutage: z
    .object({ code: z.string(), message: z.string(), host: z.string(), model: z.string() })
    .nullable()
    .optional(),
});
export type Themes = z.infer<typeof ThemesSchema>;

/**
 * A release of the window: a tag dated in it, a GitHub release published in it, or both
 * for the same version (one entry). Sorted newest first.
 */
export const ReleaseSchema = z.object({
  repository: z.string(),
  /** The tag name (`v5.0.0`). */
  tagName: z.string(),
  /** The release's own name when GitHub has one that differs from the tag. */
  name: z.string().nullable(),
  /** The semantic version the tag spells (`5.0.0`), null when it is not version-like. */
  version: z.string().nullable(),
  isPrerelease: z.boolean(),
  publishedAt: IsoTime,
  /** Where it came from: a git tag, a GitHub release, or both. */
  sources: z.array(z.enum(["tag", "github"])).min(1),
  /** The release or tag page on the forge, null when the forge is unknown. */
  url: z.string().nullable(),
  previousTag: z.string().nullable(),
  /** The commits between previousTag and this tag on the forge, null when unknown. */
  compareUrl: z.string().nullable(),
  /** Commits since the previous tag; null when the tag was not collected from git. */
  commits: z.number().int().nonnegative().nullable(),
  /** Their human authors, most commits first. */
  authors: z.array(z.object({ name: z.string(), key: z.string(), commits: z.number().int().positive() })),
  author: z.string().nullable(),
});
export type Release = z.infer<typeof ReleaseSchema>;

/**
 * One period of the trend: the figures of its processed analysis, or `missing` when no
 * analysis of it exists (never collected, or removed): then every figure is null, never 0.
 * GitHub figures are null too when the period was collected from git.
 */
export const TrendPointSchema = z.object({
  key: z.string(),
  firstDay: z.string(),
  lastDay: z.string(),
  missing: z.boolean(),
  commits: z.number().int().nonnegative().nullable(),
  merges: z.number().int().nonnegative().nullable(),
  contributors: z.number().int().nonnegative().nullable(),
  pullsMerged: z.number().int().nonnegative().nullable(),
  medianCycleHours: z.number().nonnegative().nullable(),
  medianReviewHours: z.number().nonnegative().nullable(),
});
export type TrendPoint = z.infer<typeof TrendPointSchema>;

/**
 * A set of people who are likely one person under several identities, with why, and the
 * lines to paste into the identities file to merge them. Never applied until the user does.
 */
export const IdentitySuggestionSchema = z.object({
  reason: z.enum(["name", "email", "login"]),
  /** Identity keys and names as the analysis counted them. */
  people: z.array(z.object({ key: z.string(), name: z.string() })).min(2),
  /** TOML for the identities file (see config/identities.example.toml). */
  toml: z.string(),
});
export type IdentitySuggestion = z.infer<typeof IdentitySuggestionSchema>;

export const AnalysisSchema = RunRefSchema.extend({
  schema: z.literal("sparky.analysis/1"),
  /** When the collection this analysis read was made: the only time in it, so output is reproducible. */
  collectedAt: IsoTime,
  firstDay: z.string(),
  lastDay: z.string(),
  previousWindow: WindowSchema,
  totals: TotalsSchema,
  change: z.object({ commits: Change, merges: Change, contributors: Change }),
  /** People with at least one non-merge commit in the window (as `git shortlog --no-merges` counts them), bots left out. */
  contributors: z.array(ContributorStatsSchema),
  topContributors: z.array(ContributorStatsSchema),
  /** People who merged in the window, most merges first (absent in analyses written before it). */
  mergers: z.array(MergerStatsSchema).optional(),
  /** GitHub: everyone who reviewed in the window but authored no non-merge commit in it, most reviews first. */
  reviewersOnly: z.array(ReviewerStatsSchema).optional(),
  /** Repositories the collection could not collect: the figures leave them out (absent or empty when none). */
  uncollected: z.array(UncollectedRepositorySchema).optional(),
  repositories: z.array(RepositoryStatsSchema),
  perDay: z.array(z.object({ day: z.string(), commits: z.number().int().nonnegative() })),
  /** Every commit and merge in the window, newest first; then (GitHub) pull requests and issues by repository and number. */
  items: z.array(ItemSchema),
  /** The largest changes of the window (by lines touched), for the digest's highlights. */
  highlights: z.array(CommitItemSchema),
  themes: ThemesSchema,
  /** Pull request, review, issue and release figures: GitHub collections only, absent for local git. */
  github: GithubAnalysisSchema.optional(),
  /** Releases of the window from git tags and GitHub releases, newest first (absent in older analyses). */
  releases: z.array(ReleaseSchema).optional(),
  /** This period and the 7 before it, oldest first (absent in older analyses). */
  trends: z.array(TrendPointSchema).optional(),
  /** Likely duplicate identities among the window's people (absent or empty when none). */
  identitySuggestions: z.array(IdentitySuggestionSchema).optional(),
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
