import { describe, expect, it } from "vitest";
import { Packr } from "msgpackr";
import type { z } from "zod";
import { MessageError, createMessage, decode, encode, typesOf } from "./codec.js";
import { CommandSchema, EventSchema, PROTOCOL_VERSION, ReplySchema } from "./protocol.js";
import { periodFor } from "./period.js";

const msgpackr = new Packr({ useRecords: false, moreTypes: false });

/**
 * decode as it was before Sparky had its own reader, writer and envelope check: msgpackr,
 * then zod on the whole message. The fast paths must give exactly this, value or error.
 */
function reference<S extends z.ZodType>(frame: Uint8Array, schema: S, known: ReadonlySet<string>): unknown {
  let raw: unknown;
  try {
    raw = msgpackr.unpack(frame);
  } catch (error) {
    throw new MessageError("SPARKY_MSG_UNDECODABLE", `message is not valid MessagePack: ${(error as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null || Object.getPrototypeOf(raw) !== Object.prototype) {
    throw new MessageError("SPARKY_MSG_INVALID", "message is not an envelope (expected a map with v, id, type, time, runId, payload)");
  }
  const record = raw as Record<string, unknown>;
  if (record.v !== PROTOCOL_VERSION) {
    throw new MessageError("SPARKY_MSG_VERSION", `unsupported protocol version ${JSON.stringify(record.v)}: this service speaks version ${PROTOCOL_VERSION}; upgrade the older side`);
  }
  if (typeof record.type !== "string" || !known.has(record.type)) {
    throw new MessageError("SPARKY_MSG_UNKNOWN_TYPE", `unknown message type ${JSON.stringify(record.type)}: expected one of ${[...known].join(", ")}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "message";
    throw new MessageError("SPARKY_MSG_INVALID", `invalid ${record.type} message: ${where}: ${issue?.message ?? "does not match the schema"}`);
  }
  return parsed.data;
}

type Outcome = { ok: true; value: unknown } | { ok: false; code: string; message: string };
function outcome(run: () => unknown): Outcome {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    expect(error).toBeInstanceOf(MessageError); // never a crash of another kind
    return { ok: false, code: (error as MessageError).code, message: (error as MessageError).message };
  }
}

/** Same value with the same key order (toEqual ignores order), or the same error. */
function expectSame(frame: Uint8Array, schema: z.ZodType, label: string) {
  const known = typesOf(schema as typeof CommandSchema);
  const ours = outcome(() => decode(frame, schema, known));
  const theirs = outcome(() => reference(frame, schema, known));
  expect(ours, label).toEqual(theirs);
  if (ours.ok && theirs.ok) expect(JSON.stringify(ours.value), label).toBe(JSON.stringify(theirs.value));
}

const spec = periodFor("daily", "2026-11-26");
const ref = { runId: spec.runId, period: spec.period, key: spec.key, window: spec.window, timezone: spec.timezone };
const messages: [z.ZodType, Record<string, unknown>][] = [
  [CommandSchema, createMessage("ping", {})],
  [CommandSchema, createMessage("collect", { ...ref, repos: ["/src/api", "/src/ünï"], org: null, refresh: true, fence: 3 }, { runId: ref.runId })],
  [CommandSchema, createMessage("analyze", { ...ref }, { runId: ref.runId })],
  [CommandSchema, createMessage("cancel", { jobId: "j1", reason: "gave up 😀" })],
  [ReplySchema, createMessage("pong", { service: "bench", pid: 123, uptimeMs: 1.5 })],
  [ReplySchema, createMessage("job.state", { jobId: "j", state: "running", stage: "collect", result: { n: 1, deep: { a: [1, "x", null] } }, error: null, waiting: { until: "2026-11-27T06:00:00+01:00", message: "quota" } })],
  [EventSchema, createMessage("collect.progress", { jobId: "j", message: "3 of 9 repositories", done: 3, total: 9 })],
];

// Field values that zod accepts or refuses, each put in every envelope field.
const FIELD_VALUES: unknown[] = [
  undefined, null, 0, 1, 2, -1, 1.5, "", "x", "1", true, [], {}, { a: 1 },
  "2026-11-27T06:00:00Z", "2026-11-27T06:00:00.123456+05:30", "2026-02-29T00:00:00Z", "2028-02-29T00:00:00Z",
  "2026-11-27T06:00:00", "2026-11-27 06:00:00Z", "2026-11-27T24:00:00Z", "2026-11-27T06:00:00z", "\u00e9",
  "ping", "pong", "collect", "explode",
];

describe("decode gives what msgpackr and zod gave", () => {
  it("for valid messages of each kind", () => {
    for (const [schema, message] of messages) expectSame(encode(message as { type: string }), schema, String(message.type));
  });

  it("for every envelope field set to values zod accepts and refuses", () => {
    for (const [schema, message] of messages) {
      for (const field of ["v", "id", "type", "time", "runId", "payload", "extra"]) {
        for (const value of FIELD_VALUES) {
          const changed = { ...message, [field]: value };
          expectSame(msgpackr.pack(changed), schema, `${String(message.type)}.${field} = ${JSON.stringify(value)}`);
        }
        const { [field]: _dropped, ...missing } = message;
        expectSame(msgpackr.pack(missing), schema, `${String(message.type)} without ${field}`);
      }
    }
  });

  it("for envelopes with their keys in another order, or with extra keys", () => {
    for (const [schema, message] of messages) {
      const reversed = Object.fromEntries(Object.entries(message).reverse());
      expectSame(msgpackr.pack(reversed), schema, `${String(message.type)} reversed`);
      expectSame(msgpackr.pack({ extra: 1, ...message }), schema, `${String(message.type)} extra first`);
      expectSame(msgpackr.pack({ ...message, payload: { ...(message.payload as object), extra: "dropped" } }), schema, `${String(message.type)} payload extra`);
    }
  });

  it("for truncated, extended and corrupted frames: the same error code and message", () => {
    let seed = 99;
    const next = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) / 0x1000000;
    for (const [schema, message] of messages) {
      const frame = encode(message as { type: string });
      for (let cut = 0; cut < frame.length; cut++) expectSame(frame.subarray(0, cut), schema, `cut at ${cut}`);
      expectSame(Buffer.concat([frame, Buffer.from([0xc0])]), schema, "trailing byte");
      for (let k = 0; k < 300; k++) {
        const bad = Buffer.from(frame);
        bad[Math.floor(next() * bad.length)] = Math.floor(next() * 256);
        expectSame(bad, schema, `corrupted ${k}`);
      }
    }
  });

  it("for a message from a peer that writes MessagePack another way (fixmap, float 32)", () => {
    const other = new Packr({ useRecords: false, variableMapSize: true, useFloat32: 1 });
    for (const [schema, message] of messages) expectSame(other.pack(message), schema, `${String(message.type)} other writer`);
  });
});

describe("encode", () => {
  it("writes the bytes msgpackr wrote, so an older peer reads them as before", () => {
    for (const [, message] of messages) expect(Buffer.compare(encode(message as { type: string }), msgpackr.pack(message))).toBe(0);
  });

  it("still writes what only msgpackr can (undefined, dates), the way it did", () => {
    const odd = { ...createMessage("ping", {}), payload: { when: new Date(0), missing: undefined } };
    expect(Buffer.compare(encode(odd), msgpackr.pack(odd))).toBe(0);
  });
});
