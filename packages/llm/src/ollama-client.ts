import { OllamaAnswerError } from "./ollama-errors.js";
import { ollamaBaseUrl } from "./ollama-host.js";
import { ollamaRequest, readText } from "./ollama-request.js";
import type { CallOptions } from "./ollama-request.js";
import type { ChatRequest, ChatResponse, GenerateRequest, GenerateResponse, ListResponse, ProgressResponse, PullRequest, ShowResponse, VersionResponse } from "./ollama-types.js";
import { readNdjson } from "./read-ndjson.js";

/** The calls Sparky makes to Ollama, with the request and answer shapes of the `ollama` package. */
export interface OllamaClient {
  version(): Promise<VersionResponse>;
  list(): Promise<ListResponse>;
  show(request: { model: string }): Promise<ShowResponse>;
  chat(request: ChatRequest): Promise<ChatResponse>;
  generate(request: GenerateRequest): Promise<GenerateResponse>;
  /** The pull's progress, line by line; an `{"error"}` line throws a plain Error with its text. */
  pull(request: PullRequest): Promise<AsyncIterable<ProgressResponse>>;
}

async function readJson<T>(chunks: AsyncIterable<Buffer>, what: string): Promise<T> {
  const body = await readText(chunks);
  try {
    return JSON.parse(body) as T;
  } catch {
    throw new OllamaAnswerError(`Ollama answered ${what} with something that is not JSON: ${JSON.stringify(body.slice(0, 200))}`);
  }
}

/** A pull's lines until `success`, as the `ollama` package reads them. */
async function* progressOf(chunks: AsyncIterable<Buffer>): AsyncGenerator<ProgressResponse> {
  for await (const line of readNdjson(chunks)) {
    if (line === null || typeof line !== "object") throw new OllamaAnswerError(`Ollama streamed ${JSON.stringify(line)} where a pull's progress belongs`);
    const progress = line as ProgressResponse & { error?: unknown; done?: boolean };
    // The server answered 200 and then failed: it says why in the stream.
    if ("error" in progress) throw new Error(String(progress.error));
    yield progress;
    if (progress.done || progress.status === "success") return;
  }
  throw new OllamaAnswerError("Ollama's pull stream ended before it said success");
}

/**
 * Sparky's Ollama client, on node:http (node:https for an https host). It replaced the
 * `ollama` package, whose fetch loads undici: 10 to 20 MiB more in every service that
 * asks Ollama (see README, Choices). Every call of this client has `options`' deadline and signal.
 */
export function ollamaClient(host: string, options: CallOptions = {}): OllamaClient {
  const base = ollamaBaseUrl(host);
  const get = async <T>(path: string) => readJson<T>(await ollamaRequest(base, "GET", path, undefined, options), `GET ${path}`);
  const post = async <T>(path: string, body: unknown) => readJson<T>(await ollamaRequest(base, "POST", path, body, options), `POST ${path}`);
  return {
    version: () => get("/api/version"),
    list: () => get("/api/tags"),
    show: (request) => post("/api/show", request),
    chat: (request) => post("/api/chat", { ...request, stream: false }),
    generate: (request) => post("/api/generate", { ...request, stream: false }),
    pull: async (request) => progressOf(await ollamaRequest(base, "POST", "/api/pull", { ...request, stream: true }, options)),
  };
}
