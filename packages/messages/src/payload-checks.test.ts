import { describe, expect, it } from "vitest";
import { Packr } from "msgpackr";
import type { z } from "zod";
import { MessageError, createMessage, decode, typesOf } from "./codec.js";
import { FAIL, PAYLOAD_CHECKS, payloadOf } from "./payload-checks.js";
import { CommandSchema, EventSchema, ReplySchema } from "./protocol.js";

const msgpackr = new Packr({ useRecords: false, moreTypes: false });
const error = { code: "SPARKY_X", message: "went wrong", transient: false };

// One valid payload per checked type: each is varied field by field below.
const SAMPLES: [z.ZodType & { options: readonly unknown[] }, string, Record<string, unknown>][] = [
  [CommandSchema, "ping", {}],
  [CommandSchema, "job.status", { jobId: "j1" }],
  [CommandSchema, "cancel", { jobId: "j1", reason: "gave up" }],
  [ReplySchema, "accepted", { jobId: "j1", service: "collector" }],
  [ReplySchema, "rejected", error],
  [ReplySchema, "error", error],
  [ReplySchema, "pong", { service: "bench", pid: 123, uptimeMs: 1.5 }],
  [ReplySchema, "job.state", { jobId: "j", state: "running", stage: "collect", result: { n: 1, deep: { a: [1, "x", null] } }, error: null, waiting: { until: "2026-11-27T06:00:00+01:00", message: "quota" } }],
  [ReplySchema, "job.state", { jobId: "j", state: "failed", stage: null, result: null, error }],
  ...["collect", "analyze", "generate", "publish"].flatMap((stage): (typeof SAMPLES)[number][] => [
    [EventSchema, `${stage}.progress`, { jobId: "j", message: "3 of 9", done: 3, total: 9 }],
    [EventSchema, `${stage}.failed`, { jobId: "j", error }],
  ]),
  ...["started", "stage", "completed", "failed"].map((what): (typeof SAMPLES)[number] => [EventSchema, `run.${what}`, { runId: "daily-2026-11-26", stage: "analyze", message: "m" }]),
];

// Values zod accepts or refuses somewhere: each goes into every field, nested ones too.
const VALUES: unknown[] = [
  undefined, null, 0, -0, 1, -1, 1.5, 2 ** 53, 2 ** 53 - 1, -(2 ** 53), Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY,
  "", "x", "1", "running", "unknown", "collect", "publish", "nope", true, false, [], [1], {}, { a: 1 }, new Date(0),
  "2026-11-27T06:00:00Z", "2026-11-27T06:00:00.123Z", "2026-11-27T06:00:00", "2026-02-30T00:00:00.000Z", "\u00e9",
  { code: "c", message: "m", transient: true }, { code: "c", message: "m" }, { until: "2026-11-27T06:00:00Z", message: "m" }, { until: "soon", message: "m" },
];

/** Every payload one change away from `sample`, and a few changes deeper for nested objects. */
function* variants(sample: Record<string, unknown>, depth = 0): Generator<unknown> {
  yield sample;
  yield { ...sample, extra: 1 };
  yield Object.fromEntries(Object.entries(sample).reverse());
  for (const key of Object.keys(sample)) {
    const { [key]: _dropped, ...without } = sample;
    yield without;
    for (const value of VALUES) yield { ...sample, [key]: value };
    const inner = sample[key];
    if (depth < 2 && typeof inner === "object" && inner !== null && !Array.isArray(inner)) {
      for (const changed of variants(inner as Record<string, unknown>, depth + 1)) yield { ...sample, [key]: changed };
    }
  }
  for (const value of VALUES) yield value;
}

describe("payload checks", () => {
  it("cover every payload they are written for", () => {
    for (const [union, type] of SAMPLES) expect(PAYLOAD_CHECKS.has(payloadOf(union, type)), type).toBe(true);
  });

  it("vouch for valid payloads (so zod stays off the hot path)", () => {
    for (const [union, type, sample] of SAMPLES) expect(PAYLOAD_CHECKS.get(payloadOf(union, type))!(sample), type).not.toBe(FAIL);
  });

  it("never accept what zod refuses, and give zod's value with zod's key order", () => {
    let vouched = 0;
    let total = 0;
    for (const [union, type, sample] of SAMPLES) {
      const schema = payloadOf(union, type);
      const check = PAYLOAD_CHECKS.get(schema)!;
      for (const payload of variants(sample)) {
        total++;
        const ours = check(payload);
        if (ours === FAIL) continue; // zod decides: the same outcome by construction
        vouched++;
        const theirs = schema.safeParse(payload);
        const label = `${type}: ${JSON.stringify(payload)}`;
        expect(theirs.success, label).toBe(true);
        expect(ours, label).toEqual(theirs.data);
        expect(JSON.stringify(ours), label).toBe(JSON.stringify(theirs.data));
        expect(Object.is((ours as { pid?: unknown }).pid, (theirs.data as { pid?: unknown }).pid), label).toBe(true);
      }
    }
    // The checks are not just refusing everything.
    expect(vouched).toBeGreaterThan(total / 5);
  });

  it("leave zod to refuse, so decode's error code and text are zod's", () => {
    for (const [union, type, sample] of SAMPLES) {
      const known = typesOf(union as typeof CommandSchema);
      for (const payload of variants(sample)) {
        const frame = msgpackr.pack(createMessage(type, payload));
        const whole = union.safeParse(msgpackr.unpack(frame));
        let ours: unknown;
        try {
          ours = { ok: true, value: JSON.stringify(decode(frame, union, known)) };
        } catch (caught) {
          expect(caught).toBeInstanceOf(MessageError);
          ours = { ok: false, code: (caught as MessageError).code, message: (caught as MessageError).message };
        }
        const issue = whole.success ? undefined : whole.error.issues[0];
        const where = issue?.path.length ? issue.path.join(".") : "message";
        const theirs = whole.success
          ? { ok: true, value: JSON.stringify(whole.data) }
          : { ok: false, code: "SPARKY_MSG_INVALID", message: `invalid ${type} message: ${where}: ${issue?.message}` };
        expect(ours, `${type}: ${JSON.stringify(payload)}`).toEqual(theirs);
      }
    }
  });
});
