import { randomUUID } from "node:crypto";
// "msgpackr/pack" is the package's pure-JS entry: the main one also loads the optional native
// string extractor (node-gyp-build, detect-libc), streams and records, none of which a
// frame of at most MAX_FRAME_BYTES needs; ~35 ms and ~7 MiB less at every start.
import { Packr } from "msgpackr/pack";
import type { z } from "zod";
import { checkEnvelope } from "./envelope-check.js";
import { SparkyError } from "./errors.js";
import { packPlain } from "./plain-pack.js";
import { NOT_PLAIN, unpackPlain } from "./plain-unpack.js";
import { PROTOCOL_VERSION } from "./protocol.js";

/** Largest frame a service will decode; anything bigger is refused before parsing. */
export const MAX_FRAME_BYTES = 1024 * 1024;

// Plain MessagePack (no msgpackr records), so any MessagePack peer can read the wire.
const packr = new Packr({ useRecords: false, moreTypes: false });

export class MessageError extends SparkyError {
  override readonly name = "MessageError";
}

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

// Ids: a random per-process prefix and a 48-bit counter in 12 hex digits, unique without
// drawing 16 random bytes for every message; the time string is reused within a millisecond.
// Both are on the hot path of every command and event. The counter's text is kept in two
// parts, so most ids are one concatenation with a two-digit string from a table (padStart and
// toString on every id were about a fifth of building a small message).
const ID_PREFIX = randomUUID().slice(0, 24);
const LOW_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
let idHigh = 0; // the counter's upper 40 bits
let idLow = 0; // and its lower 8
let idHead = ID_PREFIX + "0".repeat(10);
function nextId(): string {
  idLow = (idLow + 1) & 0xff;
  if (idLow === 0) {
    idHigh = (idHigh + 1) % 0x10000000000;
    idHead = ID_PREFIX + idHigh.toString(16).padStart(10, "0");
  }
  return idHead + LOW_HEX[idLow]!;
}

let lastMs = Number.NaN;
let lastIso = "";
function isoNow(clock: Clock): string {
  if (clock !== systemClock) return clock.now().toISOString();
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/** Build a message of any type with a fresh id and the current time. */
export function createMessage<M extends { type: string; payload: unknown }>(
  type: M["type"],
  payload: M["payload"],
  options?: { runId?: string | null; clock?: Clock; id?: string },
): M {
  return {
    v: PROTOCOL_VERSION,
    id: options?.id ?? nextId(),
    type,
    time: isoNow(options?.clock ?? systemClock),
    runId: options?.runId ?? null,
    payload,
  } as unknown as M;
}

/**
 * Plain MessagePack. Plain data goes through Sparky's own writer (the same bytes msgpackr
 * writes, faster); anything else (undefined, Date, bigint...) through msgpackr.
 */
export function encode(message: { type: string }): Buffer {
  return packPlain(message) ?? packr.pack(message);
}

/**
 * Decode and validate one frame against `schema`. Throws a MessageError whose code
 * tells which rule the frame broke, so the receiver can answer with it.
 */
export function decode<S extends z.ZodType>(frame: Uint8Array, schema: S, knownTypes: ReadonlySet<string>): z.infer<S> {
  if (frame.byteLength > MAX_FRAME_BYTES) {
    throw new MessageError(
      "SPARKY_MSG_TOO_LARGE",
      `message of ${frame.byteLength} bytes exceeds the ${MAX_FRAME_BYTES}-byte limit`,
    );
  }
  // The fast reader takes plain frames; whatever it will not vouch for, msgpackr reads
  // (and refuses) exactly as before.
  let raw = unpackPlain(frame);
  if (raw === NOT_PLAIN) {
    try {
      raw = packr.unpack(frame);
    } catch (error) {
      throw new MessageError("SPARKY_MSG_UNDECODABLE", `message is not valid MessagePack: ${(error as Error).message}`);
    }
  }
  // A plain map only: msgpackr also yields arrays, Dates (timestamp extension) and a marker object for byte 0xc1.
  if (typeof raw !== "object" || raw === null || Object.getPrototypeOf(raw) !== Object.prototype) {
    throw new MessageError("SPARKY_MSG_INVALID", "message is not an envelope (expected a map with v, id, type, time, runId, payload)");
  }
  const record = raw as Record<string, unknown>;
  if (record.v !== PROTOCOL_VERSION) {
    throw new MessageError(
      "SPARKY_MSG_VERSION",
      `unsupported protocol version ${JSON.stringify(record.v)}: this service speaks version ${PROTOCOL_VERSION}; upgrade the older side`,
    );
  }
  if (typeof record.type !== "string" || !knownTypes.has(record.type)) {
    throw new MessageError(
      "SPARKY_MSG_UNKNOWN_TYPE",
      `unknown message type ${JSON.stringify(record.type)}: expected one of ${[...knownTypes].join(", ")}`,
    );
  }
  const checked = checkEnvelope(record, schema);
  if (checked !== undefined) return checked as z.infer<S>;
  // Invalid (or a schema the quick check does not know): zod decides, and words the error.
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "message";
    throw new MessageError("SPARKY_MSG_INVALID", `invalid ${record.type} message: ${where}: ${issue?.message ?? "does not match the schema"}`);
  }
  return parsed.data;
}

/** The `type` literals of a discriminated union schema, for quick rejection of unknown types. */
export function typesOf(schema: { options: readonly { shape: { type: { value: string } } }[] }): ReadonlySet<string> {
  return new Set(schema.options.map((option) => option.shape.type.value));
}
