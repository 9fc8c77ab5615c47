import type { z } from "zod";
import { isIsoTime } from "./iso-time-check.js";
import { FAIL, PAYLOAD_CHECKS } from "./payload-checks.js";
import type { PayloadCheck } from "./payload-checks.js";
import { ENVELOPE_FIELDS, PROTOCOL_VERSION } from "./protocol.js";

/**
 * The same verdict as `schema.safeParse(record)` for a message union built by protocol.ts,
 * in less time: the envelope's fields are checked here by hand, and the payload by its
 * hand-written check (payload-checks.ts) or, for payloads without one, by zod alone.
 * Returns the parsed message, or undefined when the message is not valid or the schema is
 * not one this check knows, and then the caller runs zod on the whole message (which also
 * words the error).
 *
 * Why: zod's union dispatch and its walk over the five envelope fields were about a third
 * of decoding a small command, and every command and reply pays it twice per round trip.
 */
export function checkEnvelope(record: Record<string, unknown>, schema: z.ZodType): unknown {
  const check = payloadChecks(schema)?.get(record.type as string);
  if (check === undefined) return undefined;
  const { v, id, time, runId, type } = record;
  if (
    v !== PROTOCOL_VERSION ||
    typeof id !== "string" ||
    id.length < 1 ||
    typeof time !== "string" ||
    !isIsoTime(time) ||
    (runId !== null && typeof runId !== "string")
  ) {
    return undefined;
  }
  const payload = check(record.payload);
  if (payload === FAIL) return undefined;
  // Keys in the schema's order and unknown keys dropped, as zod's output has them.
  return { v, id, time, runId, type, payload };
}

/** zod on the payload alone, for payloads without a hand-written check. */
function zodCheck(schema: z.ZodType): PayloadCheck {
  return (value) => {
    const parsed = schema.safeParse(value);
    return parsed.success ? parsed.data : FAIL;
  };
}

const byUnion = new WeakMap<object, Map<string, PayloadCheck> | null>();
// The last union asked about: a service decodes with one or two, so this skips the WeakMap.
let lastUnion: object | null = null;
let lastChecks: Map<string, PayloadCheck> | null = null;

/**
 * Each type's payload check, for a union whose every option is exactly protocol.ts's
 * `message(type, payload)`: the envelope fields (the very same schema objects), a `type`
 * literal and a payload, with no refinement or catch-all on the message itself. Null for
 * any other schema.
 */
function payloadChecks(schema: z.ZodType): Map<string, PayloadCheck> | null {
  if (schema === lastUnion) return lastChecks;
  let known = byUnion.get(schema);
  if (known === undefined) {
    known = planOf(schema);
    byUnion.set(schema, known);
  }
  lastUnion = schema;
  lastChecks = known;
  return known;
}

interface MessageOption {
  shape?: Record<string, z.ZodType>;
  _zod: { def: { checks?: unknown[]; catchall?: unknown } };
}

function planOf(schema: z.ZodType): Map<string, PayloadCheck> | null {
  const def = schema._zod.def as { type?: string; options?: MessageOption[]; checks?: unknown[] };
  if (def.type !== "union" || !Array.isArray(def.options) || def.checks?.length) return null;
  const plan = new Map<string, PayloadCheck>();
  for (const option of def.options) {
    const shape = option.shape;
    if (!shape || option._zod.def.checks?.length || option._zod.def.catchall !== undefined) return null;
    const keys = Object.keys(shape);
    if (keys.length !== 6 || !keys.every((key, i) => key === MESSAGE_KEYS[i])) return null;
    for (const field of ["v", "id", "time", "runId"] as const) {
      if (shape[field] !== ENVELOPE_FIELDS[field]) return null;
    }
    const literal = shape.type?._zod.def as { type?: string; values?: unknown[] } | undefined;
    const value = literal?.values?.[0];
    if (literal?.type !== "literal" || literal.values?.length !== 1 || typeof value !== "string" || plan.has(value)) return null;
    const payload = shape.payload!;
    plan.set(value, PAYLOAD_CHECKS.get(payload) ?? zodCheck(payload));
  }
  return plan;
}

const MESSAGE_KEYS = ["v", "id", "time", "runId", "type", "payload"];
