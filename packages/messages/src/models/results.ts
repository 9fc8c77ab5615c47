import { z } from "zod";
import { IdentitySuggestionSchema } from "./processed.js";

/** What each stage reports when its job succeeds: small, the data itself is on disk. */
export const CollectResultSchema = z.object({
  manifest: z.string(),
  repositories: z.number().int().nonnegative(),
  commits: z.number().int().nonnegative(),
  merges: z.number().int().nonnegative(),
  /**
   * GitHub only: pull requests, reviews, issues and releases collected for the window. A day
   * with no commits but with review work is not an empty day.
   */
  activity: z.number().int().nonnegative().optional(),
});
/** What a stage did with the LLM, kept in the run record so `sparky status` readers can tell. */
export const LlmUsageSchema = z.object({
  /** HTTP calls to the model, failed attempts included. */
  calls: z.number().int().nonnegative(),
  /** Answers read from `data/cache/` instead. */
  cached: z.number().int().nonnegative(),
  /** Prompt tokens the server reported for the calls made. */
  promptTokens: z.number().int().nonnegative(),
  /** Why the LLM could not be used (unreachable, model missing, timeout), else null. */
  warning: z.string().nullable(),
  /** The error code behind `warning` (SPARKY_LLM_TIMEOUT, ...); absent when there was none. */
  failureCode: z.string().optional(),
});
export const AnalyzeResultSchema = z.object({
  analysis: z.string(),
  commits: z.number().int().nonnegative(),
  merges: z.number().int().nonnegative(),
  contributors: z.number().int().nonnegative(),
  /** Active repositories: any commit, merge, pull request, review, issue or release in the window. */
  repositories: z.number().int().nonnegative(),
  /** Repositories collected (active or not); absent in results written before it. */
  repositoriesCollected: z.number().int().nonnegative().optional(),
  themes: z.number().int().nonnegative(),
  themesSource: z.enum(["llm", "deterministic"]),
  /** Why the deterministic themes stand, null when the LLM's were used. */
  themesReason: z.string().nullable(),
  llm: LlmUsageSchema,
  /** GitHub only: pull requests opened, merged and closed without merging in the window. */
  pulls: z.object({ opened: z.number().int().nonnegative(), merged: z.number().int().nonnegative(), closed: z.number().int().nonnegative() }).optional(),
  /** GitHub only: issues opened and closed in the window. */
  issues: z.object({ opened: z.number().int().nonnegative(), closed: z.number().int().nonnegative() }).optional(),
  /** GitHub only: releases published in the window. */
  releases: z.number().int().nonnegative().optional(),
  /** Likely duplicate identities, so the run record shows them (`sparky identities --suggest`); absent when none. */
  identitySuggestions: z.array(IdentitySuggestionSchema).optional(),
});
export const GenerateResultSchema = z.object({
  /** Absolute path of the digest written. */
  digest: z.string(),
  /** Path of the digest relative to the output folder, e.g. `daily/2026-11-26.md`. */
  relativePath: z.string(),
  sha256: z.string(),
  index: z.string(),
  narrativeSource: z.enum(["llm", "template"]),
  /** Why the template narrative stands, null when the LLM's passed its grounding check. */
  narrativeReason: z.string().nullable(),
  llm: LlmUsageSchema,
  /**
   * Set when no digest was written, saying why: "quiet day" (a daily run over a day with no
   * activity under `[generator] empty_days = "skip"`). `digest` and `sha256` are then ""
   * and `relativePath` is where the digest would have been. Absent in older results.
   */
  skipped: z.string().optional(),
});
export const PublishResultSchema = z.object({
  /** The docs-repo commit that holds this digest (new or already there), null when not published. */
  commit: z.string().nullable(),
  created: z.boolean(),
  pushed: z.boolean(),
  reason: z.string(),
});

export const StageResultSchemas = {
  collect: CollectResultSchema,
  analyze: AnalyzeResultSchema,
  generate: GenerateResultSchema,
  publish: PublishResultSchema,
} as const;

export type CollectResult = z.infer<typeof CollectResultSchema>;
export type AnalyzeResult = z.infer<typeof AnalyzeResultSchema>;
export type GenerateResult = z.infer<typeof GenerateResultSchema>;
export type PublishResult = z.infer<typeof PublishResultSchema>;
export type LlmUsage = z.infer<typeof LlmUsageSchema>;
export interface StageResults {
  collect: CollectResult;
  analyze: AnalyzeResult;
  generate: GenerateResult;
  publish: PublishResult;
}
