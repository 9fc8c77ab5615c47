/** What went wrong with one HTTP call to Ollama, in the terms the retry policy needs. */
export type Failure =
  | { kind: "refused"; detail: string }
  | { kind: "timeout" }
  | { kind: "network"; detail: string }
  | { kind: "model-missing" }
  | { kind: "http"; status: number; message: string };

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
 * Sort an error thrown by the ollama client or by fetch. The client's `ResponseError` is
 * not exported, so it is recognised by name and `status_code`. A refused connection is
 * not worth retrying (nothing listens); a timeout or a 5xx may be.
 */
export function classifyFailure(error: unknown): Failure {
  const e = error as { name?: string; message?: string; status_code?: unknown } | null;
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return { kind: "timeout" };
  if (e?.name === "ResponseError" && typeof e.status_code === "number") {
    const message = String(e.message ?? "");
    // Ollama answers 404 with "model 'x' not found, try pulling it first".
    if (e.status_code === 404 && /model .*not found/i.test(message)) return { kind: "model-missing" };
    return { kind: "http", status: e.status_code, message };
  }
  const codes = codesOf(error);
  const refused = codes.find((c) => REFUSED.has(c));
  if (refused) return { kind: "refused", detail: refusedDetail(refused)! };
  return { kind: "network", detail: codes[0] ?? String(e?.message ?? error) };
}
