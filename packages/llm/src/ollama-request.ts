import type { IncomingMessage } from "node:http";
import { OllamaConnectionError, OllamaResponseError } from "./ollama-errors.js";
import { displayHost } from "./llm-settings.js";
import { transportFor } from "./ollama-transport.js";

export interface CallOptions {
  /** Longest the call may take, the whole answer included: Ollama sets no limit of its own. */
  timeoutMs?: number;
  /** Ends the call: the job it serves was given up on. */
  signal?: AbortSignal;
}

const USER_AGENT = `sparky (${process.arch} ${process.platform} Node.js/${process.version})`;

/** The deadline and the caller's signal as one signal; the call fails with its reason, as fetch did. */
function callSignal({ timeoutMs, signal }: CallOptions): AbortSignal | undefined {
  const signals = [...(timeoutMs === undefined ? [] : [AbortSignal.timeout(timeoutMs)]), ...(signal ? [signal] : [])];
  return signals.length <= 1 ? signals[0] : AbortSignal.any(signals);
}

/** The status line's words, else the body, else JSON's `error`: the `ollama` package's choice. */
function responseError(response: IncomingMessage, body: string | null): OllamaResponseError {
  const status = response.statusCode ?? 0;
  let message = `Error ${status}: ${response.statusMessage ?? ""}`;
  if (body !== null && String(response.headers["content-type"] ?? "").includes("application/json")) {
    try {
      const error = (JSON.parse(body) as { error?: unknown } | null)?.error;
      if (typeof error === "string" && error) message = error;
    } catch {
      // Not JSON after all: the status line says what there is to say.
    }
  } else if (body) {
    message = body;
  }
  return new OllamaResponseError(message, status);
}

export async function readText(chunks: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts).toString("utf8");
}

/**
 * Send one request to Ollama and wait for a 2xx status; the answer's body comes back as its
 * chunks, read under the same deadline. A connection that fails or closes early rejects with
 * `OllamaConnectionError` (Node's error as `cause`), another status with `OllamaResponseError`,
 * the deadline or the signal with the signal's reason (a `TimeoutError` for the deadline).
 */
export async function ollamaRequest(base: string, method: "GET" | "POST", path: string, body: unknown, options: CallOptions = {}): Promise<AsyncIterable<Buffer>> {
  const url = new URL(`${base}${path}`);
  const signal = callSignal(options);
  signal?.throwIfAborted();
  const send = transportFor(url.protocol);
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const headers: Record<string, string | number> = { "Content-Type": "application/json", Accept: "application/json", "User-Agent": USER_AGENT };
  if (payload) headers["Content-Length"] = payload.length;
  const fail = (error: unknown) => (signal?.aborted ? signal.reason : new OllamaConnectionError(displayHost(url.href), error));

  return new Promise((resolve, reject) => {
    let response: IncomingMessage | undefined;
    const request = send(url, { method, headers });
    const abort = () => (response ?? request).destroy(signal?.reason as Error);
    const settle = () => signal?.removeEventListener("abort", abort);
    signal?.addEventListener("abort", abort, { once: true });
    request.on("error", (error) => {
      settle();
      reject(fail(error));
    });
    request.on("response", (answer) => {
      response = answer;
      const chunks = bodyOf(answer, fail, settle);
      const status = answer.statusCode ?? 0;
      if (status >= 200 && status < 300) return resolve(chunks);
      // An error body that cannot be read still leaves the status to report.
      readText(chunks).then(
        (read) => reject(responseError(answer, read)),
        () => reject(signal?.aborted ? signal.reason : responseError(answer, null)),
      );
    });
    request.end(payload);
  });
}

/** The answer's chunks, with its errors told as the call's, and the call's ends tidied. */
async function* bodyOf(response: IncomingMessage, fail: (error: unknown) => unknown, settle: () => void): AsyncGenerator<Buffer> {
  try {
    // An answer cut off (the connection closed before its length or last chunk) fails here with ECONNRESET.
    for await (const chunk of response) yield chunk as Buffer;
  } catch (error) {
    throw fail(error);
  } finally {
    // A reader that stopped early (a stream's last line read) frees the socket.
    if (!response.complete) response.destroy();
    settle();
  }
}
