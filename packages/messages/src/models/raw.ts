import { z } from "zod";
import { IsoTime, RunRefSchema, WindowSchema } from "./common.js";
import { GithubLoginSchema, RelativeFileSchema } from "../path-fields.js";

export const RawCommitSchema = z.object({
  sha: z.string(),
  parents: z.array(z.string()),
  /** Name and email after .mailmap. */
  authorName: z.string(),
  authorEmail: z.string(),
  authoredAt: IsoTime,
  committedAt: IsoTime,
  subject: z.string(),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  filesChanged: z.number().int().nonnegative(),
  isMerge: z.boolean(),
  isBot: z.boolean(),
  /**
   * Where the commit changed files: the top-level folder of each path (a monorepo package,
   * `packages/<name>`, counts as its own area), sorted, at most 10; root-level files are `/`.
   * Absent in collections made before it and for GitHub commits.
   */
  areas: z.array(z.string()).optional(),
});
export type RawCommit = z.infer<typeof RawCommitSchema>;

/** The people (identity keys, see `identityKey`) who committed in a window, and how much. */
export const WindowSummarySchema = z.object({
  window: WindowSchema,
  commits: z.number().int().nonnegative(),
  merges: z.number().int().nonnegative(),
  authors: z.array(z.string()),
});
export type WindowSummary = z.infer<typeof WindowSummarySchema>;

/**
 * A tag of the repository whose date falls in the window: the tagger date of an annotated
 * tag, the committer date of the commit a lightweight tag points at.
 */
export const RawTagSchema = z.object({
  name: z.string(),
  /** The commit the tag points at (peeled). */
  sha: z.string(),
  annotated: z.boolean(),
  taggedAt: IsoTime,
  /** Tagger of an annotated tag (after .mailmap), null for a lightweight tag. */
  tagger: z.string().nullable(),
  /** The tag this release follows: the nearest earlier tag reachable from it (version-like when it is), null for a first tag. */
  previousTag: z.string().nullable(),
  /** Commits reachable from the tag and not from `previousTag` (merges included). */
  commits: z.number().int().nonnegative(),
  /** Human authors of those commits (bots left out), most commits first: identity key and name. */
  authors: z.array(z.object({ key: z.string(), name: z.string(), commits: z.number().int().positive() })),
});
export type RawTag = z.infer<typeof RawTagSchema>;

/**
 * What the analyzer reads of every repository file. A GitHub file
 * (`sparky.raw.github-repository/1`, see models/github.ts) is a superset of it: it also
 * names itself here, so an analyzer that only counts commits reads both sources alike.
 */
export const RawRepositorySchema = z.object({
  schema: z.enum(["sparky.raw.repository/1", "sparky.raw.github-repository/1"]),
  source: z.enum(["git", "github"]),
  owner: z.string(),
  name: z.string(),
  path: z.string(),
  /** https URL of the repository's web page, when its remote is a known forge. */
  webUrl: z.string().nullable(),
  head: z.string(),
  branch: z.string(),
  window: WindowSchema,
  commits: z.array(RawCommitSchema),
  /** Identity keys of human authors with a commit before the window: who is not new. */
  priorAuthors: z.array(z.string()),
  previous: WindowSummarySchema,
  /** Tags dated in the window (absent in collections made before tags were read). */
  tags: z.array(RawTagSchema).optional(),
});
export type RawRepository = z.infer<typeof RawRepositorySchema>;

/** What a collection from an API cost: kept in the manifest and copied into the run record. */
export const CollectionStatsSchema = z.object({
  /** HTTP requests sent, retries and conditional requests included. */
  requests: z.number().int().nonnegative(),
  /** Of those, conditional requests answered 304 Not Modified (free of rate limit). */
  notModified: z.number().int().nonnegative(),
  /** GraphQL rate-limit points the queries cost. */
  graphqlCost: z.number().int().nonnegative(),
  /** Lowest remaining quota seen at the end, over the tokens used (null when no answer said). */
  rateLimit: z
    .object({ remaining: z.number().int().nonnegative(), limit: z.number().int().nonnegative(), resetAt: IsoTime })
    .nullable(),
  /** Time spent waiting for rate limits (primary, secondary, Retry-After) and retry back-off. */
  waitedMs: z.number().int().nonnegative(),
  /** Repositories whose complete file from an earlier collection of the same window was kept. */
  reused: z.number().int().nonnegative(),
  /** Repositories left out after discovery, and why (e.g. deleted or renamed mid-run). */
  skipped: z.array(z.object({ repository: z.string(), reason: z.string() })),
  /**
   * Whether the collection is partial: some repositories it found could not be collected
   * (`skipped`). The figures leave them out and the digest says so; running the stage again
   * (`sparky resume`, or the period again) fetches them, keeping the rest.
   */
  partial: z.boolean().default(false),
});
export type CollectionStats = z.infer<typeof CollectionStatsSchema>;

export const RawManifestSchema = RunRefSchema.extend({
  schema: z.literal("sparky.raw.manifest/1"),
  collectedAt: IsoTime,
  complete: z.boolean(),
  /** Where the data came from; absent in manifests written before the GitHub source (git). */
  source: z.enum(["git", "github"]).optional(),
  /** The GitHub organisation collected (GitHub source only). */
  org: GithubLoginSchema.optional(),
  stats: CollectionStatsSchema.optional(),
  repositories: z.array(
    z.object({
      owner: z.string(),
      name: z.string(),
      /** Path relative to the manifest's folder; readers join it, so it may not leave the folder. */
      file: RelativeFileSchema,
      commits: z.number().int().nonnegative(),
      merges: z.number().int().nonnegative(),
      /** Newest committer time in the whole history, to point a user at a period with activity. */
      newestCommitAt: IsoTime.nullable(),
    }),
  ),
});
export type RawManifest = z.infer<typeof RawManifestSchema>;
