import { z } from "zod";
import { ErrorInfoSchema, IsoTime, RunRefSchema } from "./models/common.js";
import {
  AnalyzeResultSchema,
  CollectResultSchema,
  GenerateResultSchema,
  PublishResultSchema,
} from "./models/results.js";
import { StageSchema } from "./models/run.js";
import { GithubLoginSchema, RepoPathSchema, runIdMatchesKey } from "./path-fields.js";

export const PROTOCOL_VERSION = 1;

/** Fields every message carries, whatever its type. */
export const ENVELOPE_FIELDS = {
  v: z.literal(PROTOCOL_VERSION),
  id: z.string().min(1),
  time: IsoTime,
  runId: z.string().nullable(),
};

function message<T extends string, P extends z.ZodType>(type: T, payload: P) {
  return z.object({ ...ENVELOPE_FIELDS, type: z.literal(type), payload });
}

// Commands are verbs, sent REQ -> REP.
/**
 * The attempt's fencing token: the orchestrator takes a new one (in data/state/fences/)
 * before each attempt and when it gives up, and a job writes its output only while no newer
 * token is on disk, so a stale attempt cannot overwrite a newer one. Absent: unfenced.
 */
const Fence = z.number().int().positive().optional();
const RUN_ID_MISMATCH = { message: "runId must be <period>-<key> (e.g. daily-2026-11-26 for period daily, key 2026-11-26)", path: ["runId"] };
export const CollectPayload = RunRefSchema.extend({
  /** Local git repositories to collect; empty when `org` is given. */
  repos: z.array(RepoPathSchema).max(1000).default([]),
  /** GitHub organisation to collect instead of local repositories. */
  org: GithubLoginSchema.nullable().default(null),
  /** Fetch again even when an earlier collection of the window was complete. */
  refresh: z.boolean().default(false),
  fence: Fence,
}).refine((p) => (p.org === null) !== (p.repos.length === 0), {
  message: "collect needs exactly one source: a GitHub organisation (org) or at least one local repository (repos), not both",
  path: ["repos"],
}).refine(runIdMatchesKey, RUN_ID_MISMATCH);
export const StagePayload = RunRefSchema.extend({ fence: Fence }).refine(runIdMatchesKey, RUN_ID_MISMATCH);
export const CommandSchema = z.discriminatedUnion("type", [
  message("collect", CollectPayload),
  message("analyze", StagePayload),
  message("generate", StagePayload),
  message("publish", StagePayload),
  message("job.status", z.object({ jobId: z.string().min(1) })),
  message("ping", z.object({})),
  /** The orchestrator gave up on this job: stop it (its AbortSignal fires). */
  message("cancel", z.object({ jobId: z.string().min(1), reason: z.string() })),
]);
export type Command = z.infer<typeof CommandSchema>;
export type CommandType = Command["type"];
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;

// Replies say what happened to the command, in the past tense.
export const JOB_STATES = ["running", "succeeded", "failed", "unknown"] as const;
export const JobStatePayload = z.object({
  jobId: z.string(),
  state: z.enum(JOB_STATES),
  stage: StageSchema.nullable(),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: ErrorInfoSchema.nullable(),
  /**
   * A running job that is waiting on something outside it (GitHub's quota to refill) until
   * `until`: the orchestrator shows it and does not count the wait against stage_timeout_s.
   */
  waiting: z.object({ until: IsoTime, message: z.string() }).nullable().optional(),
});
export type JobState = z.infer<typeof JobStatePayload>;
export const ReplySchema = z.discriminatedUnion("type", [
  message("accepted", z.object({ jobId: z.string(), service: z.string() })),
  message("rejected", ErrorInfoSchema),
  message("error", ErrorInfoSchema),
  message("job.state", JobStatePayload),
  message("pong", z.object({ service: z.string(), pid: z.number().int(), uptimeMs: z.number() })),
]);
export type Reply = z.infer<typeof ReplySchema>;
export type ReplyType = Reply["type"];

// Events are facts, published on the bus; the type is also the topic frame.
const progress = z.object({
  jobId: z.string(),
  message: z.string(),
  done: z.number().int().nonnegative().nullable(),
  total: z.number().int().nonnegative().nullable(),
});
const failed = z.object({ jobId: z.string(), error: ErrorInfoSchema });
const completed = <R extends z.ZodType>(result: R) => z.object({ jobId: z.string(), result });
const runEvent = z.object({ runId: z.string(), stage: StageSchema.nullable(), message: z.string() });
export const EventSchema = z.discriminatedUnion("type", [
  message("collect.progress", progress),
  message("collect.completed", completed(CollectResultSchema)),
  message("collect.failed", failed),
  message("analyze.progress", progress),
  message("analyze.completed", completed(AnalyzeResultSchema)),
  message("analyze.failed", failed),
  message("generate.progress", progress),
  message("generate.completed", completed(GenerateResultSchema)),
  message("generate.failed", failed),
  message("publish.progress", progress),
  message("publish.completed", completed(PublishResultSchema)),
  message("publish.failed", failed),
  message("run.started", runEvent),
  message("run.stage", runEvent),
  message("run.completed", runEvent),
  message("run.failed", runEvent),
]);
export type Event = z.infer<typeof EventSchema>;
export type EventType = Event["type"];
export type EventOf<T extends EventType> = Extract<Event, { type: T }>;

export type Message = Command | Reply | Event;
export type PayloadOf<M extends { payload: unknown }> = M["payload"];
