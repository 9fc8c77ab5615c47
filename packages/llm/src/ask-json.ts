import type { z } from "zod";
import { SparkyError } from "@sparky/messages";
import { jsonSchemaFor } from "./json-schema.js";
import type { ChatCall, LlmSession } from "./llm-client.js";
import { parseJsonAnswer } from "./parse-json-answer.js";

export interface AskJsonOptions<S extends z.ZodType> {
  session: LlmSession;
  messages: ChatCall["messages"];
  /** What the model is held to: sent as `format`, a JSON Schema derived from it. */
  format: z.ZodType;
  /** What is accepted back: usually looser than `format` (lengths, types a model gets wrong), cleaned up after. */
  answer: S;
  numPredict: number;
}

/**
 * Ask for structured output and read it. An answer that is not valid JSON, or not the
 * shape asked for, gets one retry with the problem spelled out (a different prompt, so
 * neither the cache nor a fixed seed hands back the same bad answer); a second bad answer
 * is an error the caller answers with its deterministic stand-in.
 */
export async function askJson<S extends z.ZodType>(options: AskJsonOptions<S>): Promise<z.infer<S>> {
  const format = jsonSchemaFor(options.format);
  const call = { endpoint: "chat" as const, messages: options.messages, format, numPredict: options.numPredict };
  const first = parseJsonAnswer((await options.session.ask(call)).text, options.answer);
  if (first.ok) return first.value;
  const repair = {
    role: "user" as const,
    content: `Your answer could not be used: it was ${first.problem}. Reply again with only the JSON object the schema describes, nothing else.`,
  };
  const second = parseJsonAnswer((await options.session.ask({ ...call, messages: [...options.messages, repair] })).text, options.answer);
  if (second.ok) return second.value;
  throw new SparkyError("SPARKY_LLM_INVALID_ANSWER", `the model answered twice with unusable JSON (${second.problem})`);
}
