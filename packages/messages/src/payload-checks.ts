import type { z } from "zod";
import { isIsoTime } from "./iso-time-check.js";
import { StageSchema } from "./models/run.js";
import { CommandSchema, EventSchema, JOB_STATES, ReplySchema } from "./protocol.js";

/** What a payload check returns for a value it will not vouch for: zod then decides. */
export const FAIL: unique symbol = Symbol("fail");
export type PayloadCheck = (value: unknown) => unknown;

/**
 * Hand-written checks for the payloads sent most often (ping, pong, accepted, job.state,
 * progress and run events...), each giving what its zod schema gives: the same parsed
 * value, keys in the schema's order and unknown keys dropped. A check may refuse more than
 * zod (anything odd returns FAIL and goes to zod, which also words the error) but never
 * accepts what zod refuses; payload-checks.test.ts proves both on generated values.
 *
 * Why: zod's object parse walks its schema objects and allocates a result per field; on a
 * round trip that is out of cache between messages that was most of a decode's time.
 * Keyed by the schema object itself, so a payload whose schema changes loses its check
 * (and is parsed by zod) rather than being checked against an old copy.
 */
export const PAYLOAD_CHECKS = new Map<z.ZodType, PayloadCheck>();

const record = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
const isString = (value: unknown): value is string => typeof value === "string";
const nonEmpty = (value: unknown): value is string => typeof value === "string" && value.length > 0;
// zod 4's z.number() refuses NaN and the infinities; .int() is a safe integer.
const isNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);
const isInt = (value: unknown): value is number => Number.isSafeInteger(value);
const countOrNull = (value: unknown) => value === null || (isInt(value) && value >= 0);
const STAGES: ReadonlySet<unknown> = new Set(StageSchema.options);
const STATES: ReadonlySet<unknown> = new Set(JOB_STATES);
const stageOrNull = (value: unknown) => value === null || STAGES.has(value);

function errorInfo(p: unknown): unknown {
  if (!record(p) || !isString(p.code) || !isString(p.message) || typeof p.transient !== "boolean") return FAIL;
  return { code: p.code, message: p.message, transient: p.transient };
}

function jobState(p: unknown): unknown {
  if (!record(p) || !isString(p.jobId) || !STATES.has(p.state) || !stageOrNull(p.stage)) return FAIL;
  const result = p.result === null ? null : copyRecord(p.result);
  const error = p.error === null ? null : errorInfo(p.error);
  if (result === FAIL || error === FAIL) return FAIL;
  const out: Record<string, unknown> = { jobId: p.jobId, state: p.state, stage: p.stage, result, error };
  if ("waiting" in p) {
    const w = p.waiting;
    // Present but undefined (msgpackr's extension for it): left to zod.
    if (w === null) out.waiting = null;
    else if (record(w) && isString(w.until) && isIsoTime(w.until) && isString(w.message)) out.waiting = { until: w.until, message: w.message };
    else return FAIL;
  }
  return out;
}

/** z.record(z.string(), z.unknown()): a new object with the same keys, values as they are. */
function copyRecord(value: unknown): unknown {
  if (!record(value)) return FAIL;
  const out: Record<string, unknown> = {};
  for (const key in value) out[key] = value[key];
  return out;
}

const progress: PayloadCheck = (p) =>
  record(p) && isString(p.jobId) && isString(p.message) && countOrNull(p.done) && countOrNull(p.total)
    ? { jobId: p.jobId, message: p.message, done: p.done, total: p.total }
    : FAIL;

function failed(p: unknown): unknown {
  if (!record(p) || !isString(p.jobId)) return FAIL;
  const error = errorInfo(p.error);
  return error === FAIL ? FAIL : { jobId: p.jobId, error };
}

const runEvent: PayloadCheck = (p) =>
  record(p) && isString(p.runId) && stageOrNull(p.stage) && isString(p.message)
    ? { runId: p.runId, stage: p.stage, message: p.message }
    : FAIL;

const CHECKS: [{ options: readonly unknown[] }, string, PayloadCheck][] = [
  [CommandSchema, "ping", (p) => (record(p) ? {} : FAIL)],
  [CommandSchema, "job.status", (p) => (record(p) && nonEmpty(p.jobId) ? { jobId: p.jobId } : FAIL)],
  [CommandSchema, "cancel", (p) => (record(p) && nonEmpty(p.jobId) && isString(p.reason) ? { jobId: p.jobId, reason: p.reason } : FAIL)],
  [ReplySchema, "accepted", (p) => (record(p) && isString(p.jobId) && isString(p.service) ? { jobId: p.jobId, service: p.service } : FAIL)],
  [ReplySchema, "rejected", errorInfo],
  [ReplySchema, "error", errorInfo],
  [ReplySchema, "job.state", jobState],
  [
    ReplySchema,
    "pong",
    (p) => (record(p) && isString(p.service) && isInt(p.pid) && isNumber(p.uptimeMs) ? { service: p.service, pid: p.pid, uptimeMs: p.uptimeMs } : FAIL),
  ],
  ...["collect", "analyze", "generate", "publish"].flatMap((stage): [typeof EventSchema, string, PayloadCheck][] => [
    [EventSchema, `${stage}.progress`, progress],
    [EventSchema, `${stage}.failed`, failed],
  ]),
  ...["started", "stage", "completed", "failed"].map((what): [typeof EventSchema, string, PayloadCheck] => [EventSchema, `run.${what}`, runEvent]),
];

for (const [union, type, check] of CHECKS) PAYLOAD_CHECKS.set(payloadOf(union, type), check);

/** The payload schema of one message type in a protocol union. */
export function payloadOf(union: { options: readonly unknown[] }, type: string): z.ZodType {
  for (const option of union.options as { shape: { type: { value: string }; payload: z.ZodType } }[]) {
    if (option.shape.type.value === type) return option.shape.payload;
  }
  throw new Error(`no ${type} message in this union`);
}
