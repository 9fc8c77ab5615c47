import { z } from "zod";

const SAFE = Number.MAX_SAFE_INTEGER;

/** Drop what a grammar gains nothing from: the `$schema` tag and zod's safe-integer bounds. */
function prune(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(prune);
  if (node === null || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$schema") continue;
    if ((key === "minimum" || key === "maximum") && typeof value === "number" && Math.abs(value) >= SAFE) continue;
    out[key] = prune(value);
  }
  return out;
}

/**
 * The JSON Schema Ollama's `format` parameter takes, derived from the zod schema the answer
 * is validated with, so the two cannot disagree. Ollama turns it into a grammar; the
 * huge safe-integer bounds zod adds to `int()` would only make that grammar bigger.
 */
export function jsonSchemaFor(schema: z.ZodType): Record<string, unknown> {
  return prune(z.toJSONSchema(schema)) as Record<string, unknown>;
}
