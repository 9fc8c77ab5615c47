import { OllamaAnswerError, OllamaConnectionError, OllamaResponseError } from "./ollama-errors.js";

/** What went wrong with one HTTP call to Ollama, in the terms the retry policy needs. */
export type Failure =
  | { kind: "refused"; detail: string }
  | { kind: "timeout" }
  | { kind: "network"; detail: string }
  | { kind: "model-missing" }
  | { kind: "http"; status: number; message: string }
  /** A 2xx answer that is not Ollama's (not JSON): a server or a proxy in front of it misbehaving. */
  | { kind: "bad-answer"; message: string };

const REFUSED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** How a failed connect's code reads in a message, when it means nothing serves there; else null. */
export function refusedDetail(code: string | undefined): string | null {
  if (code === undefined || !REFUSED.has(code)) return null;
  return code === "ECONNREFUSED" ? "connection refused" : code;
}

function codesOf(error: unknown): string[] {
  const cause = (error as { cause?: { code?: unknown; errors?: Array<{ code?: unknown }> } } | null)?.cause;
  const codes = [cause?.code, ...(cause?.errors ?? []).map((e) => e.code)];
  return codes.filter((c): c is string => typeof c === "string");
}

/**
 * Sort an error thrown by the Ollama client. A refused connection is not worth retrying
 * (nothing listens); a timeout, a dropped connection, a 5xx or a garbled answer may be.
 */
export function classifyFailure(error: unknown): Failure {
  const e = error as { name?: string; message?: string } | null;
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return { kind: "timeout" };
  if (error instanceof OllamaResponseError) {
    // Ollama answers 404 with "model 'x' not found, try pulling it first".
    if (error.status_code === 404 && /model .*not found/i.test(error.message)) return { kind: "model-missing" };
    return { kind: "http", status: error.status_code, message: error.message };
  }
  if (error instanceof OllamaAnswerError) return { kind: "bad-answer", message: error.message };
  const codes = codesOf(error);
  const refused = codes.find((c) => REFUSED.has(c));
  if (refused) return { kind: "refused", detail: refusedDetail(refused)! };
  // Node's own words when it gives no code.
  const said = error instanceof OllamaConnectionError ? (error.cause as { message?: unknown } | undefined)?.message : e?.message;
  return { kind: "network", detail: codes[0] ?? String(said ?? error) };
}
