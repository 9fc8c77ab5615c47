import type { z } from "zod";

export type JsonAnswer<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * Read a model's structured answer. A model sometimes wraps JSON in a code fence even when
 * asked not to; that much is forgiven, anything else is reported for the retry prompt.
 */
export function parseJsonAnswer<S extends z.ZodType>(text: string, schema: S): JsonAnswer<z.infer<S>> {
  const unfenced = text.trim().replace(/^```(?:json)?\s*([^]*?)\s*```$/, "$1");
  let value: unknown;
  try {
    value = JSON.parse(unfenced);
  } catch (error) {
    return { ok: false, problem: `not valid JSON (${(error as Error).message})` };
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, problem: `JSON does not match the schema at ${issue?.path.join(".") || "(root)"}: ${issue?.message}` };
  }
  return { ok: true, value: parsed.data };
}
