import { SparkyError } from "@sparky/messages";

/**
 * Ollama answered with a status other than 2xx. `status_code` and the name are those of the
 * `ollama` package's `ResponseError`, which this client replaced; the message is the JSON
 * body's `error`, else the text body, else `Error <status>: <reason>`.
 */
export class OllamaResponseError extends SparkyError {
  override readonly name = "ResponseError";
  readonly status_code: number;

  constructor(message: string, status: number) {
    super("SPARKY_OLLAMA_HTTP", message, { transient: status >= 500 || status === 429 });
    this.status_code = status;
  }
}

/**
 * No answer came: the connection failed or closed before the answer was complete. `cause`
 * is Node's error, whose `code` (ECONNREFUSED, ENOTFOUND, ECONNRESET...) says which.
 */
export class OllamaConnectionError extends SparkyError {
  override readonly name = "OllamaConnectionError";

  constructor(url: string, cause: unknown) {
    const detail = (cause as { message?: unknown } | null)?.message;
    super("SPARKY_OLLAMA_CONNECTION", `no answer from ${url}: ${typeof detail === "string" && detail ? detail : String(cause)}`, { transient: true, cause });
  }
}

/** A 2xx answer that is not what Ollama sends: not JSON, or a stream that stopped short. */
export class OllamaAnswerError extends SparkyError {
  override readonly name = "OllamaAnswerError";

  constructor(message: string) {
    super("SPARKY_OLLAMA_BAD_ANSWER", message, { transient: true });
  }
}
