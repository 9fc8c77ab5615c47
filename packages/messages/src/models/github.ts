import { z } from "zod";
import { IsoTime } from "./common.js";
import { RawCommitSchema, RawRepositorySchema, WindowSummarySchema } from "./raw.js";

/**
 * A person or bot as the GitHub collector resolved it. `key` is the identity key the
 * analyzer counts people by (see `identityKey`): the same for a person's login, commit
 * emails and noreply addresses, and for everything an identities file merges.
 */
export const GithubActorSchema = z.object({
  /** GitHub login, null for a commit whose email belongs to no account. "ghost" for a deleted account. */
  login: z.string().nullable(),
  key: z.string(),
  name: z.string(),
  /** `[bot]` login, account type Bot, or a `bot_patterns` match: kept in the data, left out of people figures. */
  isBot: z.boolean(),
});
export type GithubActor = z.infer<typeof GithubActorSchema>;

/**
 * A default-branch commit. The `RawCommit` fields are the resolved identity
 * (`authorName`, and `authorEmail` holding the identity key, so `identityKey` merges a
 * person's addresses); what git recorded is kept in `gitAuthor` and `committer`.
 */
export const GithubCommitSchema = RawCommitSchema.extend({
  url: z.string(),
  /** The whole commit message; `subject` is its first line. */
  message: z.string(),
  author: GithubActorSchema,
  gitAuthor: z.object({ name: z.string(), email: z.string() }),
  committer: z.object({ name: z.string(), email: z.string(), login: z.string().nullable() }),
});
export type GithubCommit = z.infer<typeof GithubCommitSchema>;

/**
 * A pull request opened, merged or closed in the window, or first reviewed in it (so that
 * review latency covers pull requests opened before the window).
 */
export const GithubPullRequestSchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  url: z.string(),
  author: GithubActorSchema,
  labels: z.array(z.string()),
  isDraft: z.boolean(),
  state: z.enum(["OPEN", "CLOSED", "MERGED"]),
  createdAt: IsoTime,
  updatedAt: IsoTime,
  mergedAt: IsoTime.nullable(),
  closedAt: IsoTime.nullable(),
  mergedBy: GithubActorSchema.nullable(),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  changedFiles: z.number().int().nonnegative(),
  /** The first submitted review by someone other than the author, whenever it was. */
  firstReviewAt: IsoTime.nullable(),
  firstReviewer: GithubActorSchema.nullable(),
  /**
   * When the pull request first asked for review: when it was opened, or, when it was opened
   * as a draft, when it was first marked ready for review. Null while it is a draft.
   */
  readyAt: IsoTime.nullable(),
  /**
   * The first review submitted at or after `readyAt` by a person (not a bot) other than the
   * author: what time to first review is measured to. Null when there is none yet, and for a draft.
   */
  firstHumanReviewAt: IsoTime.nullable(),
  firstHumanReviewer: GithubActorSchema.nullable(),
});
export type GithubPullRequest = z.infer<typeof GithubPullRequestSchema>;

/** A review submitted in the window, on any pull request. */
export const GithubReviewSchema = z.object({
  pullRequest: z.number().int().positive(),
  pullRequestUrl: z.string(),
  url: z.string(),
  author: GithubActorSchema,
  state: z.enum(["PENDING", "COMMENTED", "APPROVED", "CHANGES_REQUESTED", "DISMISSED"]),
  submittedAt: IsoTime,
  /** Submitted by the pull request's own author (a reply, not a review of someone's work): out of reviewer figures. */
  byAuthor: z.boolean(),
});
export type GithubReview = z.infer<typeof GithubReviewSchema>;

/** An issue (never a pull request) opened or closed in the window. */
export const GithubIssueSchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  url: z.string(),
  author: GithubActorSchema,
  labels: z.array(z.string()),
  state: z.enum(["OPEN", "CLOSED"]),
  stateReason: z.string().nullable(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
  closedAt: IsoTime.nullable(),
});
export type GithubIssue = z.infer<typeof GithubIssueSchema>;

/** A release published in the window. */
export const GithubReleaseSchema = z.object({
  name: z.string().nullable(),
  tagName: z.string(),
  url: z.string(),
  author: GithubActorSchema.nullable(),
  isPrerelease: z.boolean(),
  createdAt: IsoTime,
  publishedAt: IsoTime,
});
export type GithubRelease = z.infer<typeof GithubReleaseSchema>;

/** The previous period's figures, so trends need no second collection. */
export const GithubPreviousSchema = WindowSummarySchema.extend({
  pullRequestsOpened: z.number().int().nonnegative(),
  pullRequestsMerged: z.number().int().nonnegative(),
  reviews: z.number().int().nonnegative(),
  issuesOpened: z.number().int().nonnegative(),
  issuesClosed: z.number().int().nonnegative(),
  releases: z.number().int().nonnegative(),
});

/**
 * One GitHub repository's window: a superset of `RawRepositorySchema`, so the analyzer
 * reads its commits as it reads a local repository's.
 */
export const GithubRepositorySchema = RawRepositorySchema.extend({
  schema: z.literal("sparky.raw.github-repository/1"),
  source: z.literal("github"),
  /** The repository's web page (there is no local path). */
  path: z.string(),
  webUrl: z.string(),
  /** Default branch head when collected ("" for an empty repository). */
  head: z.string(),
  commits: z.array(GithubCommitSchema),
  previous: GithubPreviousSchema,
  collectedAt: IsoTime,
  /** Of the bot patterns and identities file the people were resolved with: another one makes the file stale. */
  identityFingerprint: z.string(),
  pushedAt: IsoTime.nullable(),
  isArchived: z.boolean(),
  isFork: z.boolean(),
  pullRequests: z.array(GithubPullRequestSchema),
  reviews: z.array(GithubReviewSchema),
  issues: z.array(GithubIssueSchema),
  releases: z.array(GithubReleaseSchema),
});
export type GithubRepository = z.infer<typeof GithubRepositorySchema>;

/**
 * Either kind of repository file, the GitHub one with all its fields (for readers that want
 * them). Told apart by `schema`, so a GitHub file that does not match its full schema is
 * refused rather than read as a plain repository with its pull requests stripped.
 */
export const AnyRawRepositorySchema = z.discriminatedUnion("schema", [
  GithubRepositorySchema,
  RawRepositorySchema.extend({ schema: z.literal("sparky.raw.repository/1") }),
]);
export type AnyRawRepository = z.infer<typeof AnyRawRepositorySchema>;

/**
 * The identity key of a GitHub account: its (legacy) noreply address, which is an email
 * like every other key, and the same whatever address a commit carried.
 */
export function githubIdentityKey(login: string): string {
  return `${login.toLowerCase()}@users.noreply.github.com`;
}
