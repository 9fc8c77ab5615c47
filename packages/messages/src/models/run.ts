import { z } from "zod";
import { ErrorInfoSchema, IsoTime, RunRefSchema } from "./common.js";
import { CollectionStatsSchema } from "./raw.js";

export const STAGES = ["collect", "analyze", "generate", "publish"] as const;
export type Stage = (typeof STAGES)[number];
export const StageSchema = z.enum(STAGES);

export const RUN_STATES = ["pending", "running", "succeeded", "failed"] as const;
export type RunState = (typeof RUN_STATES)[number];

export const RUN_TRIGGERS = ["schedule", "catch-up", "backfill", "api", "cli", "resume"] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export const AttemptSchema = z.object({
  attempt: z.number().int().positive(),
  jobId: z.string().nullable(),
  startedAt: IsoTime,
  finishedAt: IsoTime.nullable(),
  error: ErrorInfoSchema.nullable(),
});

export const StageRecordSchema = z.object({
  stage: StageSchema,
  state: z.enum(["pending", "running", "succeeded", "failed", "skipped"]),
  startedAt: IsoTime.nullable(),
  finishedAt: IsoTime.nullable(),
  attempts: z.array(AttemptSchema),
  result: z.record(z.string(), z.unknown()).nullable(),
});
export type StageRecord = z.infer<typeof StageRecordSchema>;

export const RunRecordSchema = RunRefSchema.extend({
  schema: z.literal("sparky.run/1"),
  state: z.enum(RUN_STATES),
  /** Why the run exists: a cron schedule, a missed schedule caught up, a backfill, a request over HTTP or the CLI, a resume. */
  trigger: z.enum(RUN_TRIGGERS),
  repos: z.array(z.string()),
  /** GitHub organisation collected instead of `repos` (null: local git repositories). */
  org: z.string().nullable().default(null),
  /** Collect again even when an earlier collection of the window was complete (`--refresh`). */
  refresh: z.boolean().default(false),
  /** What the collection cost (requests, rate limit left, time waited); null for local git. */
  collection: CollectionStatsSchema.nullable().default(null),
  /** A window with no commits is a valid (quiet) digest for scheduled runs, an error for a user's request. */
  allowEmpty: z.boolean(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
  finishedAt: IsoTime.nullable(),
  /** Why the run failed, in words a user can act on. */
  reason: z.string().nullable(),
  /** While a stage waits on something outside it (GitHub's quota), what and until when; null otherwise. */
  waiting: z.object({ stage: StageSchema, until: IsoTime, message: z.string() }).nullable().optional(),
  stages: z.array(StageRecordSchema),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

export const StatusSchema = z.object({
  schema: z.literal("sparky.status/1"),
  updatedAt: IsoTime,
  orchestrator: z.object({ pid: z.number().int(), startedAt: IsoTime, mode: z.string() }).nullable(),
  running: z.array(z.object({ runId: z.string(), stage: StageSchema.nullable(), since: IsoTime })),
  pending: z.array(z.string()),
  lastCheck: IsoTime.nullable(),
  lastRun: z
    .object({ runId: z.string(), state: z.enum(RUN_STATES), reason: z.string().nullable(), finishedAt: IsoTime.nullable() })
    .nullable(),
});
export type Status = z.infer<typeof StatusSchema>;
