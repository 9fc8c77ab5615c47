import { once } from "node:events";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { classifyFailure } from "./classify-failure.js";
import { ollamaClient } from "./ollama-client.js";
import { OllamaAnswerError, OllamaConnectionError, OllamaResponseError } from "./ollama-errors.js";
import { startFakeOllama } from "./testing/fake-ollama.js";
import { refusedUrl, testServer } from "./test-support.js";

const MODEL = "qwen2.5-coder:1.5b";
const servers: Array<{ close: () => Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = await testServer(handler);
  servers.push(server);
  return server.url;
}

/** What a call rejected with (the test fails if it did not). */
async function failure(call: Promise<unknown>): Promise<Error> {
  return call.then(
    () => expect.fail("the call should have failed"),
    (error: unknown) => error as Error,
  );
}

describe("ollamaClient against the fake Ollama", () => {
  it("answers each endpoint Sparky uses, with the shapes its callers read", async () => {
    const fake = await startFakeOllama({ models: [MODEL], contextLength: 4096 });
    servers.push(fake);
    fake.setScript((request) => ({ content: `${request.endpoint}: ${request.prompt}` }));
    const client = ollamaClient(`${fake.url}/`);
    expect(await client.version()).toEqual({ version: expect.any(String) });
    expect((await client.list()).models.map((m) => [m.name, m.model])).toEqual([[MODEL, MODEL]]);
    expect((await client.show({ model: MODEL })).model_info).toMatchObject({ "general.architecture": "qwen2", "qwen2.context_length": 4096 });
    const chat = await client.chat({ model: MODEL, messages: [{ role: "user", content: "hi" }], format: { type: "object" }, options: { num_ctx: 2048, seed: 7 } });
    expect(chat).toMatchObject({ message: { role: "assistant", content: "chat: hi" }, done_reason: "stop", prompt_eval_count: expect.any(Number), eval_count: expect.any(Number) });
    const generated = await client.generate({ model: MODEL, system: "sys", prompt: "go", options: { num_predict: 5 } });
    expect(generated).toMatchObject({ response: "generate: sys\ngo", done: true });
    expect(fake.requests.map((r) => [r.endpoint, r.stream, r.format, r.options])).toEqual([
      ["chat", false, { type: "object" }, { num_ctx: 2048, seed: 7 }],
      ["generate", false, undefined, { num_predict: 5 }],
    ]);
    const statuses: string[] = [];
    for await (const progress of await client.pull({ model: "llama3:8b", stream: true })) statuses.push(progress.status);
    expect(statuses).toEqual(["pulling manifest", "pulling 5ee4f07cdb9b", "pulling 5ee4f07cdb9b", "verifying sha256 digest", "writing manifest", "success"]);
    expect(fake.models.has("llama3:8b")).toBe(true);
  });

  it("sends JSON with Ollama's headers, and the URL's credentials as basic auth", async () => {
    let seen: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string } | null = null;
    const url = await serve(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += String(chunk);
      seen = { method: req.method, url: req.url, headers: req.headers, body };
      res.writeHead(200, { "content-type": "application/json" }).end('{"models":[]}');
    });
    await ollamaClient(url.replace("http://", "http://me:s%40cret@")).show({ model: MODEL });
    expect(seen).toMatchObject({
      method: "POST",
      url: "/api/show",
      body: JSON.stringify({ model: MODEL }),
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        "user-agent": expect.stringMatching(/^sparky \(.*Node\.js\/v\d+/),
        authorization: `Basic ${Buffer.from("me:s@cret").toString("base64")}`,
      },
    });
  });
});

describe("ollamaClient errors", () => {
  const answer = (status: number, type: string | null, body: string) =>
    serve((_req, res) => res.writeHead(status, type ? { "content-type": type } : {}).end(body));

  it("rejects another status with the status code and the JSON error, the text, or the status line", async () => {
    const json = await failure(ollamaClient(await answer(404, "application/json; charset=utf-8", '{"error":"model \'x\' not found, try pulling it first"}')).chat({ model: "x", messages: [] }));
    expect(json).toBeInstanceOf(OllamaResponseError);
    expect(json).toMatchObject({ name: "ResponseError", status_code: 404, message: "model 'x' not found, try pulling it first" });
    expect(classifyFailure(json)).toEqual({ kind: "model-missing" });
    const text = await failure(ollamaClient(await answer(502, "text/plain", "bad gateway: upstream gone")).list());
    expect(text).toMatchObject({ status_code: 502, message: "bad gateway: upstream gone" });
    expect(classifyFailure(text)).toEqual({ kind: "http", status: 502, message: "bad gateway: upstream gone" });
    expect(await failure(ollamaClient(await answer(503, null, "")).list())).toMatchObject({ status_code: 503, message: "Error 503: Service Unavailable" });
    // JSON without an `error`, or not JSON though labelled so: the status line.
    expect(await failure(ollamaClient(await answer(500, "application/json", "{ torn")).list())).toMatchObject({ status_code: 500, message: "Error 500: Internal Server Error" });
  });

  it("says clearly when a 200 answer is not JSON", async () => {
    const error = await failure(ollamaClient(await answer(200, "text/html", "<html>proxy login</html>")).generate({ model: MODEL, prompt: "x" }));
    expect(error).toBeInstanceOf(OllamaAnswerError);
    expect(error.message).toBe('Ollama answered POST /api/generate with something that is not JSON: "<html>proxy login</html>"');
    expect(classifyFailure(error)).toEqual({ kind: "bad-answer", message: error.message });
  });

  it("rejects with Node's error code when the server closes the connection mid-answer", async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
      res.write('{"models":[', () => res.socket?.destroy());
    });
    const error = await failure(ollamaClient(url).list());
    expect(error).toBeInstanceOf(OllamaConnectionError);
    expect(error.message).toContain(`${url}/api/tags`);
    expect(classifyFailure(error)).toEqual({ kind: "network", detail: "ECONNRESET" });
  });

  it("keeps ECONNREFUSED when nothing listens, and no credentials in the message", async () => {
    const url = await refusedUrl();
    const error = await failure(ollamaClient(url.replace("http://", "http://me:secret@")).version());
    expect(error).toBeInstanceOf(OllamaConnectionError);
    expect(error.cause).toMatchObject({ code: "ECONNREFUSED" });
    expect(error.message).not.toContain("secret");
    expect(classifyFailure(error)).toEqual({ kind: "refused", detail: "connection refused" });
  });
});

describe("ollamaClient deadlines", () => {
  /** A server that takes requests and never answers; resolves each request's close. */
  async function holding(partial: boolean) {
    const closed: Array<Promise<unknown>> = [];
    const url = await serve((_req, res) => {
      closed.push(once(res, "close"));
      if (partial) res.writeHead(200, { "content-type": "application/json" }).write('{"version":');
    });
    return { url, closed };
  }

  it("gives up when the deadline passes before the answer starts, or halfway through it", async () => {
    for (const partial of [false, true]) {
      const { url, closed } = await holding(partial);
      const error = await failure(ollamaClient(url, { timeoutMs: 100 }).version());
      expect(error).toMatchObject({ name: "TimeoutError" });
      expect(classifyFailure(error)).toEqual({ kind: "timeout" });
      await closed[0]; // the connection was dropped, not left to the server
    }
  });

  it("stops when its signal aborts, with the signal's reason", async () => {
    const { url, closed } = await holding(false);
    const controller = new AbortController();
    const call = ollamaClient(url, { timeoutMs: 60_000, signal: controller.signal }).chat({ model: MODEL, messages: [] });
    await expect.poll(() => closed.length).toBe(1);
    const reason = new Error("cancelled by the orchestrator");
    controller.abort(reason);
    expect(await failure(call)).toBe(reason);
    await closed[0];
    // An aborted signal sends nothing more.
    expect(await failure(ollamaClient(url, { signal: controller.signal }).list())).toBe(reason);
    expect(closed).toHaveLength(1);
  });
});

describe("ollamaClient pull", () => {
  /** A pull endpoint that writes these pieces one after another, each once the last has left. */
  const streaming = (pieces: string[]) =>
    serve(async (_req, res) => {
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      for (const piece of pieces) {
        await new Promise<void>((resolve) => res.write(piece, () => resolve()));
        await new Promise((resolve) => setImmediate(resolve));
      }
      res.end();
    });

  const statuses = async (url: string) => {
    const seen: string[] = [];
    for await (const progress of await ollamaClient(url).pull({ model: MODEL, stream: true })) seen.push(progress.status);
    return seen;
  };

  it("reads lines however the stream cuts them", async () => {
    const url = await streaming(['{"status":"pulling', ' manifest"}\n{"status":"pulling 5e","total":2}\n{"status":"verifying"}', '\n{"status":"success"}']);
    expect(await statuses(url)).toEqual(["pulling manifest", "pulling 5e", "verifying", "success"]);
  });

  it("throws a plain Error with the server's words for an error line", async () => {
    const url = await streaming(['{"status":"pulling manifest"}\n', '{"error":"pull model manifest: file does not exist"}\n']);
    const error = await failure(statuses(url));
    expect(error.constructor).toBe(Error);
    expect(error.message).toBe("pull model manifest: file does not exist");
  });

  it("says so when the stream ends before success or sends something else", async () => {
    const url = await streaming(['{"status":"pulling manifest"}\n']);
    await expect(statuses(url)).rejects.toThrow(new OllamaAnswerError("Ollama's pull stream ended before it said success"));
    const odd = await streaming(['{"status":"pulling manifest"}\n', "null\n"]);
    await expect(statuses(odd)).rejects.toThrow(new OllamaAnswerError("Ollama streamed null where a pull's progress belongs"));
  });
});
