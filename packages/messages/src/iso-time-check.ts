import type { z } from "zod";
import { isPlainIsoTime } from "./iso-time.js";
import { IsoTime } from "./models/common.js";

/**
 * Whether zod's IsoTime accepts `text`: toISOString's shape by hand first (the common case,
 * and the cheaper test), else the very pattern zod tests, taken from the schema so the two
 * cannot drift. If zod ever keeps it elsewhere this answers false, and callers leave every
 * time to zod.
 */
export function isIsoTime(text: string): boolean {
  return ISO_TIME !== null && (isPlainIsoTime(text) || ISO_TIME.test(text));
}

const ISO_TIME = isoPattern(IsoTime);

function isoPattern(schema: z.ZodType): RegExp | null {
  const checks = (schema._zod.def as { checks?: { _zod: { def: { format?: string; pattern?: unknown } } }[] }).checks;
  const only = checks?.length === 1 ? checks[0]?._zod.def : undefined;
  return only?.format === "datetime" && only.pattern instanceof RegExp && !only.pattern.global && !only.pattern.sticky
    ? only.pattern
    : null;
}
