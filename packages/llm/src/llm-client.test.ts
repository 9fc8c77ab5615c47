import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLlmClient } from "./llm-client.js";
import type { LlmCall, LlmObservation } from "./llm-client.js";
import { startFakeOllama } from "./testing/fake-ollama.js";
import type { FakeOllama } from "./testing/fake-ollama.js";
import { capturingLogger, refusedUrl, settingsFor, testServer } from "./test-support.js";

const CHAT: LlmCall = { endpoint: "chat", messages: [{ role: "user", content: "group these" }], numPredict: 256 };
const GENERATE: LlmCall = { endpoint: "generate", system: "facts only", prompt: "write", numPredict: 128 };

let fake: FakeOllama;
let dir: string;

beforeEach(async () => {
  fake = await startFakeOllama();
  dir = await mkdtemp(join(tmpdir(), "sparky-llm-"));
});
afterEach(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

function client(overrides: Parameters<typeof settingsFor>[1] = {}, host = fake.url) {
  const logger = capturingLogger();
  const llm = createLlmClient(settingsFor(host, { cacheDir: dir, ...overrides }), {
    log: logger.log,
    warned: new Set(),
    recheckMs: 60_000,
    backoffMs: 10,
  });
  return { llm, ...logger, warnings: () => logger.lines().filter((l) => l.level === 40) };
}

describe("createLlmClient", () => {
  it("stops a session's call when its job is cancelled, without retrying or marking Ollama down", async () => {
    fake.queue({ content: "too late", delayMs: 5000 }, { content: "next job" });
    const { llm, warnings } = client();
    const controller = new AbortController();
    const asking = llm.session({ signal: controller.signal }).ask(GENERATE);
    // Cancel once the request has reached the server (not after a fixed delay: a loaded machine may be slower).
    const arrived = setInterval(() => {
      if (fake.requests.length > 0) {
        clearInterval(arrived);
        controller.abort(new Error("cancelled by the orchestrator"));
      }
    }, 10);
    await expect(asking).rejects.toMatchObject({ code: "SPARKY_CANCELLED" });
    await expect(llm.session({ signal: controller.signal }).ask(CHAT)).rejects.toThrow();
    expect(fake.requests).toHaveLength(1); // no retry, and nothing asked once cancelled
    // Another job's session still asks: the server was never marked down.
    expect(await llm.session().ask(CHAT)).toMatchObject({ text: "next job" });
    expect(warnings()).toEqual([]);
  });

  it("tells its observer of every call made, answered or not, and of every cached answer", async () => {
    const seen: LlmObservation[] = [];
    const llm = createLlmClient(settingsFor(fake.url, { cacheDir: dir }), { log: capturingLogger().log, warned: new Set(), backoffMs: 10, observe: (o) => seen.push(o) });
    fake.queue({ error: "out of memory", status: 500 }, { content: "second try" });
    const session = llm.session();
    await session.ask(GENERATE);
    await session.ask(GENERATE);
    expect(seen).toEqual([
      { cached: false, ok: false, seconds: expect.any(Number), promptTokens: 0 },
      { cached: false, ok: true, seconds: expect.any(Number), promptTokens: expect.any(Number) },
      { cached: true },
    ]);
    expect((seen[1] as { promptTokens: number }).promptTokens).toBeGreaterThan(0);
  });

  it("checks the server and the model once, then asks with deterministic options", async () => {
    fake.queue({ content: '{"ok":true}' }, { content: "a narrative" });
    const { llm } = client();
    expect(await llm.check()).toEqual({ ok: true, version: expect.any(String) });
    const session = llm.session();
    expect(await session.ask({ ...CHAT, format: { type: "object" } })).toEqual({ text: '{"ok":true}', cached: false, promptTokens: expect.any(Number), doneReason: "stop" });
    expect(await session.ask(GENERATE)).toMatchObject({ text: "a narrative", cached: false });
    expect(fake.requests[0]).toMatchObject({
      endpoint: "chat",
      model: "qwen2.5-coder:1.5b",
      stream: false,
      format: { type: "object" },
      options: { temperature: 0, seed: 42, num_ctx: 4096, num_predict: 256 },
    });
    expect(fake.requests[1]).toMatchObject({ endpoint: "generate", messages: [{ role: "system", content: "facts only" }, { role: "user", content: "write" }] });
    // One start-up check for the life of the client, however many calls.
    expect(fake.stats().requests).toMatchObject({ "/api/version": 1, "/api/tags": 1, "/api/chat": 1, "/api/generate": 1 });
    expect(session.stats()).toEqual({ calls: 2, cached: 0, promptTokens: fake.stats().promptTokens, warning: null });
  });

  it("answers a repeated call from the cache without asking the server, even with the server gone", async () => {
    fake.queue({ content: "first answer" });
    const first = client();
    expect((await first.llm.session().ask(CHAT)).text).toBe("first answer");
    await fake.close();

    const second = client({}, await refusedUrl());
    const session = second.llm.session();
    expect(await session.ask(CHAT)).toMatchObject({ text: "first answer", cached: true });
    expect(session.stats()).toMatchObject({ calls: 0, cached: 1, warning: null });
    // Another model, prompt or option is another key.
    await expect(session.ask({ ...CHAT, numPredict: 999 })).rejects.toMatchObject({ code: "SPARKY_LLM_UNREACHABLE" });
    fake = await startFakeOllama(); // for afterEach
  });

  it("fails fast, once, on a refused connection and says how to fix it", async () => {
    const { llm, warnings } = client({ retries: 3, timeoutMs: 30_000 }, await refusedUrl());
    const started = Date.now();
    const status = await llm.check();
    expect(status).toEqual({ ok: false, reason: expect.stringContaining("connection refused") });
    const session = llm.session();
    await expect(session.ask(CHAT)).rejects.toMatchObject({ code: "SPARKY_LLM_UNREACHABLE", message: expect.stringContaining("ollama serve") });
    await expect(session.ask(GENERATE)).rejects.toMatchObject({ code: "SPARKY_LLM_UNREACHABLE" });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(session.stats()).toMatchObject({ calls: 0, warning: expect.stringContaining("llm_enabled = false") });
    expect(warnings()).toHaveLength(1);
    expect(String(warnings()[0]!.msg)).toMatch(/not reachable at http:\/\/127\.0\.0\.1:\d+ \(connection refused\).*deterministic themes/);
  });

  it("warns once per process about the same server, across clients", async () => {
    const url = await refusedUrl();
    const warned = new Set<string>();
    const a = capturingLogger();
    const b = capturingLogger();
    await createLlmClient(settingsFor(url), { log: a.log, warned }).check();
    await createLlmClient(settingsFor(url, { section: "generator" }), { log: b.log, warned }).check();
    expect([...a.lines(), ...b.lines()].filter((l) => l.level === 40)).toHaveLength(1);
  });

  it("names the model and the pull to run when the server lacks it", async () => {
    fake.models.clear();
    const { llm } = client({ model: "llama3.2:1b" });
    expect(await llm.check()).toEqual({ ok: false, reason: expect.stringContaining("ollama pull llama3.2:1b") });
    await expect(llm.session().ask(CHAT)).rejects.toMatchObject({ code: "SPARKY_LLM_MODEL_MISSING", message: expect.stringContaining("pull_model = true") });
    expect(fake.stats().calls).toBe(0);
  });

  it("pulls a missing model at start-up when pull_model is on", async () => {
    fake.models.clear();
    const { llm, lines } = client({ pullModel: true });
    expect(await llm.check()).toMatchObject({ ok: true });
    expect(fake.stats().requests["/api/pull"]).toBe(1);
    expect(lines().some((l) => l.status === "success")).toBe(true);
    fake.queue({ content: "now it answers" });
    expect((await llm.session().ask(CHAT)).text).toBe("now it answers");
  });

  it("reports a pull the server refuses", async () => {
    await fake.close();
    fake = await startFakeOllama({ models: [], pullable: [] });
    const { llm } = client({ pullModel: true });
    expect(await llm.check()).toEqual({ ok: false, reason: expect.stringMatching(/could not pull qwen2\.5-coder:1\.5b \(pull model manifest: file does not exist\): run `ollama pull/) });
  });

  it("treats a model that disappears between check and call as missing", async () => {
    const { llm } = client();
    expect(await llm.check()).toMatchObject({ ok: true });
    fake.models.clear();
    const session = llm.session();
    await expect(session.ask(CHAT)).rejects.toMatchObject({ code: "SPARKY_LLM_MODEL_MISSING" });
    expect(session.stats().calls).toBe(1);
  });

  it("gives up on a slow answer after the timeout and the retries, then leaves the server alone", async () => {
    fake.setScript(() => ({ content: "too late", delayMs: 5_000 }));
    const { llm, warnings } = client({ timeoutMs: 150, retries: 1 });
    const session = llm.session();
    const started = Date.now();
    await expect(session.ask(CHAT)).rejects.toMatchObject({ code: "SPARKY_LLM_TIMEOUT", message: expect.stringContaining("timeout_ms") });
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(300);
    expect(took).toBeLessThan(2_000);
    expect(fake.stats().calls).toBe(2);
    expect(session.stats()).toMatchObject({ calls: 2, warning: expect.stringContaining("did not answer within 150 ms (2 attempts)") });
    // Marked down: the next call fails at once without another wait.
    const again = Date.now();
    await expect(session.ask(GENERATE)).rejects.toMatchObject({ code: "SPARKY_LLM_TIMEOUT" });
    expect(Date.now() - again).toBeLessThan(100);
    expect(fake.stats().calls).toBe(2);
    expect(warnings()).toHaveLength(1);
  });

  it("gives up on a hung request too", async () => {
    fake.queue({ hang: true });
    const { llm } = client({ timeoutMs: 150, retries: 0 });
    await expect(llm.session().ask(CHAT)).rejects.toMatchObject({ code: "SPARKY_LLM_TIMEOUT" });
  });

  it("retries a server error, and reports one that lasts", async () => {
    fake.queue({ error: "out of memory", status: 500 }, { content: "second try" });
    const { llm } = client({ retries: 2 });
    const session = llm.session();
    expect((await session.ask(CHAT)).text).toBe("second try");
    expect(session.stats().calls).toBe(2);

    fake.setScript(() => ({ error: "out of memory", status: 500 }));
    const other = client({ retries: 1 }).llm.session();
    await expect(other.ask(GENERATE)).rejects.toMatchObject({ code: "SPARKY_LLM_FAILED", message: expect.stringContaining("answered 500 (out of memory)") });
  });

  it("does not retry a request the server refuses as bad", async () => {
    fake.queue({ error: "invalid format", status: 400 });
    const { llm } = client({ retries: 3 });
    await expect(llm.session().ask(CHAT)).rejects.toMatchObject({ code: "SPARKY_LLM_FAILED", transient: false });
    expect(fake.stats().calls).toBe(1);
  });

  it("tries again after the recheck interval, and says when the server is back", async () => {
    const port = Number(new URL(fake.url).port);
    await fake.close();
    const logger = capturingLogger();
    const llm = createLlmClient(settingsFor(`http://127.0.0.1:${port}`), { log: logger.log, warned: new Set(), recheckMs: 0 });
    expect(await llm.check()).toMatchObject({ ok: false });
    fake = await startFakeOllama({ port });
    expect(await llm.check()).toMatchObject({ ok: true });
    expect(logger.lines().some((l) => l.msg === "Ollama is back")).toBe(true);
  });

  it("refuses every call when turned off, without touching the network", async () => {
    const { llm } = client({ enabled: false });
    expect(await llm.check()).toEqual({ ok: false, reason: expect.stringContaining("llm_enabled = false") });
    await expect(llm.session().ask(CHAT)).rejects.toMatchObject({ code: "SPARKY_LLM_DISABLED" });
    expect(fake.stats().requests).toEqual({});
  });
});

describe("LlmSession.outage", () => {
  it("is null after a server error that a retry got past, and for a request refused as bad", async () => {
    fake.queue({ error: "out of memory", status: 500 }, { content: "second try" });
    const session = client({ retries: 1 }).llm.session();
    expect((await session.ask(CHAT)).text).toBe("second try");
    expect(session.outage()).toBeNull();

    fake.queue({ error: "invalid format", status: 400 });
    const bad = client({ retries: 1 }).llm.session();
    await expect(bad.ask(GENERATE)).rejects.toMatchObject({ code: "SPARKY_LLM_FAILED" });
    expect(bad.outage()).toBeNull();
  });

  it("names the failure once a timeout outlives its retries", async () => {
    fake.setScript(() => ({ content: "{}", delayMs: 2_000 }));
    const session = client({ timeoutMs: 150, retries: 1 }).llm.session();
    await expect(session.ask(CHAT)).rejects.toMatchObject({ code: "SPARKY_LLM_TIMEOUT" });
    expect(session.outage()).toEqual({ code: "SPARKY_LLM_TIMEOUT", message: expect.stringContaining("(2 attempts)"), host: fake.url, model: "qwen2.5-coder:1.5b" });
  });

  it("retries an answer cut off or garbled in transit, then names what happened", async () => {
    let chats = 0;
    let mode: "cut" | "html" = "cut";
    const server = await testServer((req, res) => {
      if (req.url === "/api/version") return void res.writeHead(200, { "content-type": "application/json" }).end('{"version":"0.12.6"}');
      if (req.url === "/api/tags") return void res.writeHead(200, { "content-type": "application/json" }).end('{"models":[{"name":"qwen2.5-coder:1.5b","model":"qwen2.5-coder:1.5b"}]}');
      chats += 1;
      if (mode === "html") return void res.writeHead(200, { "content-type": "text/html" }).end("<html>sign in</html>");
      res.writeHead(200, { "content-type": "application/json", "content-length": "200" });
      res.write('{"message":', () => res.socket?.destroy());
    });
    try {
      const cut = client({ retries: 1 }, server.url).llm.session();
      await expect(cut.ask(CHAT)).rejects.toMatchObject({ code: "SPARKY_LLM_UNREACHABLE", message: expect.stringContaining("(ECONNRESET)") });
      expect(chats).toBe(2);
      mode = "html";
      const garbled = client({ retries: 1 }, server.url).llm.session();
      await expect(garbled.ask(CHAT)).rejects.toMatchObject({ code: "SPARKY_LLM_FAILED", message: expect.stringContaining('could not be read (Ollama answered POST /api/chat with something that is not JSON: "<html>sign in</html>") after 2 attempts') });
      expect(chats).toBe(4);
      expect(garbled.outage()).toMatchObject({ code: "SPARKY_LLM_FAILED" });
    } finally {
      await server.close();
    }
  });

  it("names an unreachable server", async () => {
    const session = client({}, await refusedUrl()).llm.session();
    await expect(session.ask(CHAT)).rejects.toMatchObject({ code: "SPARKY_LLM_UNREACHABLE" });
    expect(session.outage()).toMatchObject({ code: "SPARKY_LLM_UNREACHABLE" });
  });
});
