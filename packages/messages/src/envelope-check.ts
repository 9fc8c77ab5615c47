import type { z } from "zod";
import { isPlainIsoTime } from "./iso-time.js";
import { ENVELOPE_FIELDS, PROTOCOL_VERSION } from "./protocol.js";

/**
 * The same verdict as `schema.safeParse(record)` for a message union built by protocol.ts,
 * in less time: the envelope's fields are checked here by hand, and zod parses the payload
 * alone. Returns the parsed message, or undefined when the message is not valid or the
 * schema is not one this check knows, and then the caller runs zod on the whole message
 * (which also words the error).
 *
 * Why: zod's union dispatch and its walk over the five envelope fields were about a third
 * of decoding a small command, and every command and reply pays it twice per round trip.
 */
export function checkEnvelope(record: Record<string, unknown>, schema: z.ZodType): unknown {
  const payloads = payloadSchemas(schema);
  const payloadSchema = payloads?.get(record.type as string);
  if (payloadSchema === undefined || !ISO_TIME) return undefined;
  const { v, id, time, runId, type } = record;
  if (
    v !== PROTOCOL_VERSION ||
    typeof id !== "string" ||
    id.length < 1 ||
    typeof time !== "string" ||
    !(isPlainIsoTime(time) || ISO_TIME.test(time)) ||
    (runId !== null && typeof runId !== "string")
  ) {
    return undefined;
  }
  const payload = payloadSchema.safeParse(record.payload);
  if (!payload.success) return undefined;
  // Keys in the schema's order and unknown keys dropped, as zod's output has them.
  return { v, id, time, runId, type, payload: payload.data };
}

/**
 * The pattern zod tests `time` against, taken from the schema itself so the two cannot drift;
 * if zod ever keeps it elsewhere, this is null and every message goes through zod whole.
 */
const ISO_TIME = isoPattern(ENVELOPE_FIELDS.time);

function isoPattern(schema: z.ZodType): RegExp | null {
  const checks = (schema._zod.def as { checks?: { _zod: { def: { format?: string; pattern?: unknown } } }[] }).checks;
  const only = checks?.length === 1 ? checks[0]?._zod.def : undefined;
  return only?.format === "datetime" && only.pattern instanceof RegExp && !only.pattern.global && !only.pattern.sticky
    ? only.pattern
    : null;
}

const byUnion = new WeakMap<object, Map<string, z.ZodType> | null>();

/**
 * Each type's payload schema, for a union whose every option is exactly protocol.ts's
 * `message(type, payload)`: the envelope fields (the very same schema objects), a `type`
 * literal and a payload, with no refinement or catch-all on the message itself. Null for
 * any other schema.
 */
function payloadSchemas(schema: z.ZodType): Map<string, z.ZodType> | null {
  let known = byUnion.get(schema);
  if (known === undefined) {
    known = planOf(schema);
    byUnion.set(schema, known);
  }
  return known;
}

interface MessageOption {
  shape?: Record<string, z.ZodType>;
  _zod: { def: { checks?: unknown[]; catchall?: unknown } };
}

function planOf(schema: z.ZodType): Map<string, z.ZodType> | null {
  const def = schema._zod.def as { type?: string; options?: MessageOption[]; checks?: unknown[] };
  if (def.type !== "union" || !Array.isArray(def.options) || def.checks?.length) return null;
  const plan = new Map<string, z.ZodType>();
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
    plan.set(value, shape.payload!);
  }
  return plan;
}

const MESSAGE_KEYS = ["v", "id", "time", "runId", "type", "payload"];
