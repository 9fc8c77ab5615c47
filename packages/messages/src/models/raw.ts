import { z } from "zod";
import { IsoTime, RunRefSchema, WindowSchema } from "./common.js";

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

export const RawRepositorySchema = z.object({
  schema: z.literal("sparky.raw.repository/1"),
  source: z.literal("git"),
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
});
export type RawRepository = z.infer<typeof RawRepositorySchema>;

export const RawManifestSchema = RunRefSchema.extend({
  schema: z.literal("sparky.raw.manifest/1"),
  collectedAt: IsoTime,
  complete: z.boolean(),
  repositories: z.array(
    z.object({
      owner: z.string(),
      name: z.string(),
      /** Path relative to the manifest's folder. */
      file: z.string(),
      commits: z.number().int().nonnegative(),
      merges: z.number().int().nonnegative(),
      /** Newest committer time in the whole history, to point a user at a period with activity. */
      newestCommitAt: IsoTime.nullable(),
    }),
  ),
});
export type RawManifest = z.infer<typeof RawManifestSchema>;
