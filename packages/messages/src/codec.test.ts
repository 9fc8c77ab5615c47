import { describe, expect, it } from "vitest";
import { Packr } from "msgpackr";
import { MAX_FRAME_BYTES, MessageError, createMessage, decode, encode, typesOf } from "./codec.js";
import { CommandSchema, EventSchema, PROTOCOL_VERSION, ReplySchema } from "./protocol.js";
import type { Command, Event, Reply } from "./protocol.js";
import { periodFor } from "./period.js";

const commandTypes = typesOf(CommandSchema);
const replyTypes = typesOf(ReplySchema);
const eventTypes = typesOf(EventSchema);
const plain = new Packr({ useRecords: false });
const clock = { now: () => new Date("2026-11-27T06:00:00.000Z") };

const spec = periodFor("daily", "2026-11-26");
const ref = { runId: spec.runId, period: spec.period, key: spec.key, window: spec.window, timezone: spec.timezone };

function collectCommand(): Command {
  return createMessage<Command>("collect", { ...ref, repos: ["/src/api"], org: null, refresh: true }, { runId: ref.runId, clock });
}

/** Decode a frame as a command and return the MessageError it throws. */
function rejection(frame: Uint8Array): MessageError {
  try {
    decode(frame, CommandSchema, commandTypes);
  } catch (error) {
    expect(error).toBeInstanceOf(MessageError);
    return error as MessageError;
  }
  throw new Error("expected the frame to be refused");
}

describe("createMessage", () => {
  it("fills the envelope: version, fresh id, time from the clock, run id", () => {
    const a = collectCommand();
    const b = collectCommand();
    expect(a).toMatchObject({ v: PROTOCOL_VERSION, type: "collect", time: "2026-11-27T06:00:00.000Z", runId: "daily-2026-11-26" });
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.id).not.toBe(b.id);
    expect(createMessage<Command>("ping", {}).runId).toBeNull();
    expect(createMessage<Command>("ping", {}, { id: "fixed" }).id).toBe("fixed");
  });

  it("gives ids that count up in 12 hex digits, across the carry of the low two", () => {
    const counter = (id: string) => Number.parseInt(id.slice(24), 16);
    const first = createMessage<Command>("ping", {}).id;
    const seen = new Set([first]);
    let previous = first;
    for (let i = 0; i < 600; i++) {
      const id = createMessage<Command>("ping", {}).id;
      expect(id).toMatch(/^[0-9a-f-]{24}[0-9a-f]{12}$/);
      expect(id.slice(0, 24)).toBe(first.slice(0, 24));
      expect(counter(id)).toBe(counter(previous) + 1);
      seen.add(id);
      previous = id;
    }
    expect(seen.size).toBe(601);
  });
});

describe("encode and decode", () => {
  it("round-trips a command", () => {
    const command = collectCommand();
    expect(decode(encode(command), CommandSchema, commandTypes)).toEqual(command);
  });

  it("applies schema defaults on the way in", () => {
    const { refresh: _omitted, ...payload } = { ...ref, repos: ["."], refresh: false };
    const frame = encode(createMessage("collect", payload, { runId: ref.runId }));
    const command = decode(frame, CommandSchema, commandTypes);
    expect(command.type === "collect" && command.payload.refresh).toBe(false);
  });

  it("round-trips a reply", () => {
    const reply = createMessage<Reply>("job.state", {
      jobId: "j1",
      state: "failed",
      stage: "collect",
      result: null,
      error: { code: "SPARKY_GIT", message: "not a repository", transient: false },
    }, { runId: ref.runId });
    expect(decode(encode(reply), ReplySchema, replyTypes)).toEqual(reply);
  });

  it("round-trips an event", () => {
    const event = createMessage<Event>("collect.completed", {
      jobId: "j1",
      result: { manifest: "/data/raw/2026-11-26/manifest.json", repositories: 2, commits: 40, merges: 3 },
    }, { runId: ref.runId, clock });
    expect(decode(encode(event), EventSchema, eventTypes)).toEqual(event);
  });

  it("writes plain MessagePack that any decoder reads as a map", () => {
    const command = collectCommand();
    expect(plain.unpack(encode(command))).toEqual(command);
  });
});

describe("decode refuses", () => {
  it("a frame over the limit, before parsing it, with SPARKY_MSG_TOO_LARGE", () => {
    const error = rejection(new Uint8Array(MAX_FRAME_BYTES + 1));
    expect(error.code).toBe("SPARKY_MSG_TOO_LARGE");
    expect(error.message).toContain(`${MAX_FRAME_BYTES + 1} bytes`);
    expect(error.message).toContain(`${MAX_FRAME_BYTES}-byte limit`);
    const huge = createMessage<Command>("collect", { ...ref, repos: ["x".repeat(MAX_FRAME_BYTES)], refresh: false });
    expect(rejection(encode(huge)).code).toBe("SPARKY_MSG_TOO_LARGE");
  });

  it("bytes that are not MessagePack with SPARKY_MSG_UNDECODABLE", () => {
    for (const bytes of [[0x92, 0x01], [0x85, 0xa1], [0xd9, 0x10, 0x41], [0x81, 0xa1, 0x76, 0x01, 0xff]]) {
      const error = rejection(Uint8Array.from(bytes));
      expect(error.code).toBe("SPARKY_MSG_UNDECODABLE");
      expect(error.message).toMatch(/^message is not valid MessagePack: ./);
    }
  });

  it("MessagePack that is not an envelope with SPARKY_MSG_INVALID", () => {
    for (const value of [42, "ping", null, [1, 2, 3], new Date("2026-11-26T00:00:00Z")]) {
      const error = rejection(plain.pack(value));
      expect(error.code).toBe("SPARKY_MSG_INVALID");
      expect(error.message).toContain("not an envelope");
    }
  });

  it("the never-used byte 0xc1 as not an envelope, not as a version mismatch", () => {
    expect(rejection(Uint8Array.from([0xc1])).code).toBe("SPARKY_MSG_INVALID");
  });

  it("another protocol version with SPARKY_MSG_VERSION, naming both versions", () => {
    const error = rejection(plain.pack({ ...collectCommand(), v: 2 }));
    expect(error.code).toBe("SPARKY_MSG_VERSION");
    expect(error.message).toContain("unsupported protocol version 2");
    expect(error.message).toContain(`speaks version ${PROTOCOL_VERSION}`);
    const { v: _v, ...missing } = collectCommand();
    expect(rejection(plain.pack(missing)).message).toContain("version undefined");
  });

  it("an unknown type with SPARKY_MSG_UNKNOWN_TYPE, naming it and the known ones", () => {
    const error = rejection(plain.pack({ ...collectCommand(), type: "explode" }));
    expect(error.code).toBe("SPARKY_MSG_UNKNOWN_TYPE");
    expect(error.message).toContain('"explode"');
    expect(error.message).toContain("collect, analyze, generate, publish, job.status, ping");
    // A reply type is not a command.
    expect(rejection(encode(createMessage<Reply>("pong", { service: "x", pid: 1, uptimeMs: 0 }))).code).toBe(
      "SPARKY_MSG_UNKNOWN_TYPE",
    );
  });

  it("a known type with a bad payload with SPARKY_MSG_INVALID, naming the field", () => {
    const command = collectCommand();
    const noRepos = { ...command, payload: { ...command.payload, repos: [] } };
    const error = rejection(plain.pack(noRepos));
    expect(error.code).toBe("SPARKY_MSG_INVALID");
    expect(error.message).toMatch(/^invalid collect message: payload\.repos: /);

    const badWindow = { ...command, payload: { ...command.payload, window: { start: "yesterday", end: ref.window.end } } };
    expect(rejection(plain.pack(badWindow)).message).toContain("payload.window.start");

    const badTime = { ...command, time: 12 };
    expect(rejection(plain.pack(badTime)).message).toContain("invalid collect message: time");

    const noPayload = { ...createMessage<Command>("ping", {}), payload: undefined };
    expect(rejection(plain.pack(noPayload)).message).toContain("invalid ping message: payload");
  });

  it("errors are SparkyErrors with a stable name and non-transient", () => {
    const error = rejection(Uint8Array.from([0x92]));
    expect(error.name).toBe("MessageError");
    expect(error.transient).toBe(false);
  });
});

describe("typesOf", () => {
  it("lists the type literals of a union", () => {
    expect([...replyTypes]).toEqual(["accepted", "rejected", "error", "job.state", "pong"]);
    expect(eventTypes.has("publish.failed")).toBe(true);
    expect(eventTypes.size).toBe(16);
  });
});
