import { byText } from "@sparky/messages";
import { createHash } from "node:crypto";

/**
 * The cache key of one call: a hash of everything that can change the answer (endpoint,
 * model, messages, format and options), serialised with sorted keys so the same call
 * always hashes the same however its object was built.
 */
export function cacheKey(parts: unknown): string {
  return createHash("sha256").update(stableJson(parts)).digest("hex");
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => byText(a, b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
