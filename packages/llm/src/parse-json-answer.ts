import type { z } from "zod";

export type JsonAnswer<T> = { ok: true; value: T } | { ok: false; problem: string };

// A Markdown code fence, its language tag in any case, closed or cut off at the end.
const FENCE = /```[\w-]*[ \t]*\r?\n?([^]*?)(?:```|$)/;

/**
 * Where the JSON in an answer may be. Small models often wrap it in a code fence, with a
 * sentence before or after, even when asked for JSON only: the fence's content is the
 * answer. Without a fence, the outermost braces. The whole text comes first, so a JSON
 * string that happens to hold a fence is read as it is.
 */
function candidates(text: string): string[] {
  const trimmed = text.trim();
  const found = [trimmed];
  const fenced = FENCE.exec(trimmed)?.[1]?.trim();
  if (fenced) found.push(fenced);
  const open = trimmed.indexOf("{");
  const close = trimmed.lastIndexOf("}");
  if (open >= 0 && close > open) found.push(trimmed.slice(open, close + 1));
  return [...new Set(found)];
}

/**
 * Read a model's structured answer: JSON, or JSON fenced or explained (see `candidates`),
 * held to `schema`. What is wrong with it otherwise is reported for the retry prompt.
 */
export function parseJsonAnswer<S extends z.ZodType>(text: string, schema: S): JsonAnswer<z.infer<S>> {
  let syntax: string | null = null;
  let shape: string | null = null;
  for (const candidate of candidates(text)) {
    let value: unknown;
    try {
      value = JSON.parse(candidate);
    } catch (error) {
      syntax ??= (error as Error).message;
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) return { ok: true, value: parsed.data };
    const issue = parsed.error.issues[0];
    shape ??= `JSON does not match the schema at ${issue?.path.join(".") || "(root)"}: ${issue?.message}`;
  }
  return { ok: false, problem: shape ?? `not valid JSON (${syntax})` };
}
