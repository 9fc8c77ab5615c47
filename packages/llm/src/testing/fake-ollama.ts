import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { countTokens } from "./count-tokens.js";

/** One `/api/chat` or `/api/generate` request as the fake received it. */
export interface FakeRequest {
  endpoint: "chat" | "generate";
  model: string;
  /** Chat messages; for `/api/generate` the system prompt then the prompt. */
  messages: { role: string; content: string }[];
  /** Every message's content, joined: what a script usually inspects. */
  prompt: string;
  format: unknown;
  options: Record<string, unknown>;
  stream: boolean;
  /** Prompt tokens as this server counts them. */
  promptTokens: number;
}

/** What the fake answers one request with. */
export type FakeReply =
  /**
   * An answer. `doneReason: "length"` is how Ollama marks an answer cut off by
   * `num_predict`: the content is then what the model had written when it was stopped.
   */
  | { content: string; delayMs?: number; doneReason?: "stop" | "length" }
  | { error: string; status: number; delayMs?: number }
  /** Accept the request and never answer: a hung model. */
  | { hang: true };

export type FakeScript = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

export interface FakeOllamaOptions {
  /** Models the server has (`/api/tags`); a request for another gets 404. Default: `qwen2.5-coder:1.5b`. */
  models?: string[];
  /** How requests are answered once the queued replies run out. Default: `{ content: "{}" }`. */
  script?: FakeScript;
  /** Models `/api/pull` can fetch. Default: any. */
  pullable?: string[];
  /** Loopback port to listen on; default a free one. */
  port?: number;
  /**
   * What `/api/show` reports as the models' context length (`qwen2.context_length`), as
   * Ollama does for qwen2.5-coder:1.5b; null leaves it out (an old server or odd model).
   * Default 32768.
   */
  contextLength?: number | null;
}

export interface FakeOllamaStats {
  /** Requests per path, every endpoint. */
  requests: Record<string, number>;
  /** `/api/chat` and `/api/generate` requests: what the LLM was asked. */
  calls: number;
  promptTokens: number;
  evalTokens: number;
}

export interface FakeOllama {
  readonly url: string;
  readonly models: Set<string>;
  /** Every chat and generate request, in order. */
  readonly requests: FakeRequest[];
  stats(): FakeOllamaStats;
  /** Replace the script. */
  setScript(script: FakeScript): void;
  /** Answer the next requests with these, in order, before the script. */
  queue(...replies: FakeReply[]): void;
  /** Forget requests and counts. */
  reset(): void;
  close(): Promise<void>;
}

const VERSION = "0.12.6";
const CREATED_AT = "2026-01-01T00:00:00.000Z";

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown> | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Split an answer into a few pieces, as a model streams tokens. */
function pieces(content: string): string[] {
  const size = Math.max(1, Math.ceil(content.length / 3));
  const out: string[] = [];
  for (let i = 0; i < content.length; i += size) out.push(content.slice(i, i + size));
  return out.length > 0 ? out : [""];
}

/**
 * An HTTP server that speaks Ollama's API at the protocol level, for tests and benchmarks:
 * `GET /api/version`, `GET /api/tags`, `POST /api/show`, `POST /api/chat`, `POST /api/generate` (JSON, or
 * NDJSON when `stream` is true, the last line `done: true`), `POST /api/pull` (streamed
 * progress ending in `success`), errors as `{ "error": ... }` with Ollama's status codes.
 * Answers come from queued replies, then from a script; it counts calls and prompt tokens.
 */
export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const models = new Set(options.models ?? ["qwen2.5-coder:1.5b"]);
  let script: FakeScript = options.script ?? (() => ({ content: "{}" }));
  const queued: FakeReply[] = [];
  const requests: FakeRequest[] = [];
  let stats: FakeOllamaStats = { requests: {}, calls: 0, promptTokens: 0, evalTokens: 0 };
  const timers = new Set<NodeJS.Timeout>();

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  async function answer(endpoint: "chat" | "generate", body: Record<string, unknown>, res: ServerResponse): Promise<void> {
    const model = String(body.model ?? "");
    const messages =
      endpoint === "chat"
        ? ((Array.isArray(body.messages) ? body.messages : []) as { role: string; content: string }[])
        : [
            ...(typeof body.system === "string" ? [{ role: "system", content: body.system }] : []),
            { role: "user", content: String(body.prompt ?? "") },
          ];
    if (!models.has(model)) {
      send(res, 404, { error: `model '${model}' not found, try pulling it first` });
      return;
    }
    const prompt = messages.map((m) => m.content).join("\n");
    const request: FakeRequest = {
      endpoint,
      model,
      messages,
      prompt,
      format: body.format,
      options: (body.options ?? {}) as Record<string, unknown>,
      stream: body.stream !== false,
      // Chat templates add a few tokens per message.
      promptTokens: messages.reduce((n, m) => n + countTokens(m.content) + 4, 0),
    };
    requests.push(request);
    stats.calls += 1;
    stats.promptTokens += request.promptTokens;
    const reply = queued.shift() ?? (await script(request));
    if ("hang" in reply) return; // the socket stays open until the client gives up or the server closes
    if (reply.delayMs) await wait(reply.delayMs);
    if (res.destroyed) return;
    if ("error" in reply) {
      send(res, reply.status, { error: reply.error });
      return;
    }
    const evalCount = countTokens(reply.content);
    stats.evalTokens += evalCount;
    const final = {
      model,
      created_at: CREATED_AT,
      done: true,
      done_reason: reply.doneReason ?? "stop",
      total_duration: 1_000_000,
      load_duration: 1000,
      prompt_eval_count: request.promptTokens,
      prompt_eval_duration: 1000,
      eval_count: evalCount,
      eval_duration: 1000,
    };
    const part = (content: string) => (endpoint === "chat" ? { message: { role: "assistant", content } } : { response: content });
    if (!request.stream) {
      send(res, 200, { ...final, ...part(reply.content) });
      return;
    }
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    for (const piece of pieces(reply.content)) {
      res.write(`${JSON.stringify({ model, created_at: CREATED_AT, ...part(piece), done: false })}\n`);
    }
    res.end(`${JSON.stringify({ ...final, ...part("") })}\n`);
  }

  /** The shape of Ollama's answer for a qwen2 model: details, and model_info keyed by architecture. */
  function show(body: Record<string, unknown>, res: ServerResponse): void {
    const name = String(body.model ?? body.name ?? "");
    if (!models.has(name)) return send(res, 404, { error: `model '${name}' not found` });
    const contextLength = options.contextLength === undefined ? 32_768 : options.contextLength;
    send(res, 200, {
      license: "Apache License 2.0",
      modelfile: `FROM ${name}`,
      parameters: "",
      template: "{{ .Prompt }}",
      details: { parent_model: "", format: "gguf", family: "qwen2", families: ["qwen2"], parameter_size: "1.5B", quantization_level: "Q4_K_M" },
      model_info: {
        "general.architecture": "qwen2",
        "general.parameter_count": 1_543_714_304,
        "qwen2.attention.head_count": 12,
        "qwen2.attention.head_count_kv": 2,
        "qwen2.block_count": 28,
        ...(contextLength === null ? {} : { "qwen2.context_length": contextLength }),
        "qwen2.embedding_length": 1536,
        "qwen2.feed_forward_length": 8960,
      },
      capabilities: ["completion", "tools", "insert"],
      modified_at: CREATED_AT,
    });
  }

  function pull(body: Record<string, unknown>, res: ServerResponse): void {
    const name = String(body.model ?? body.name ?? "");
    if (options.pullable && !options.pullable.includes(name)) {
      // As Ollama does: a status code when not streaming, an error line in the stream when streaming.
      const error = "pull model manifest: file does not exist";
      if (body.stream === false) send(res, 500, { error });
      else {
        res.writeHead(200, { "content-type": "application/x-ndjson" });
        res.end(`${JSON.stringify({ status: "pulling manifest" })}\n${JSON.stringify({ error })}\n`);
      }
      return;
    }
    models.add(name);
    const steps = [
      { status: "pulling manifest" },
      { status: "pulling 5ee4f07cdb9b", digest: "sha256:5ee4f07cdb9b", total: 1000, completed: 500 },
      { status: "pulling 5ee4f07cdb9b", digest: "sha256:5ee4f07cdb9b", total: 1000, completed: 1000 },
      { status: "verifying sha256 digest" },
      { status: "writing manifest" },
      { status: "success" },
    ];
    if (body.stream === false) {
      send(res, 200, { status: "success" });
      return;
    }
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    res.end(steps.map((s) => `${JSON.stringify(s)}\n`).join(""));
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    stats.requests[path] = (stats.requests[path] ?? 0) + 1;
    void (async () => {
      if (req.method === "GET" && path === "/api/version") return send(res, 200, { version: VERSION });
      if (req.method === "GET" && path === "/api/tags") {
        return send(res, 200, {
          models: [...models].sort().map((name) => ({
            name,
            model: name,
            modified_at: CREATED_AT,
            size: 986_000_000,
            digest: "6d3abb8d2d53",
            details: { parent_model: "", format: "gguf", family: "qwen2", families: ["qwen2"], parameter_size: "1.5B", quantization_level: "Q4_K_M" },
          })),
        });
      }
      if (req.method !== "POST" || !["/api/chat", "/api/generate", "/api/pull", "/api/show"].includes(path)) {
        return send(res, 404, { error: `${req.method} ${path} not found` });
      }
      const body = await readBody(req);
      if (!body) return send(res, 400, { error: "invalid JSON in request body" });
      if (path === "/api/pull") return pull(body, res);
      if (path === "/api/show") return show(body, res);
      return answer(path === "/api/chat" ? "chat" : "generate", body, res);
    })().catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { error: String((error as Error).message ?? error) });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    models,
    requests,
    stats: () => structuredClone(stats),
    setScript(next) {
      script = next;
    },
    queue(...replies) {
      queued.push(...replies);
    },
    reset() {
      requests.length = 0;
      queued.length = 0;
      stats = { requests: {}, calls: 0, promptTokens: 0, evalTokens: 0 };
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
