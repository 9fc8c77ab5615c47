import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chooseNumCtx, modelShape } from "./context-size.js";
import { createLlmClient } from "./llm-client.js";
import type { LlmCall } from "./llm-client.js";
import { startFakeOllama } from "./testing/fake-ollama.js";
import type { FakeOllama } from "./testing/fake-ollama.js";
import { capturingLogger, refusedUrl, settingsFor } from "./test-support.js";

const CHAT: LlmCall = { endpoint: "chat", messages: [{ role: "user", content: "group these" }], numPredict: 64 };
// What Ollama's /api/show reports for qwen2.5-coder:1.5b.
const QWEN_1_5B = {
  "general.architecture": "qwen2",
  "qwen2.attention.head_count": 12,
  "qwen2.attention.head_count_kv": 2,
  "qwen2.block_count": 28,
  "qwen2.context_length": 32768,
  "qwen2.embedding_length": 1536,
};
const AUTO = { maxNumCtx: 32768, memoryMib: 1024 };

describe("chooseNumCtx", () => {
  it("takes the model's context length within max_num_ctx and the KV-cache memory budget, in steps of 1024", () => {
    const shape = modelShape(QWEN_1_5B);
    // 28 layers x 2 KV heads x (128 + 128) dimensions x 2 bytes.
    expect(shape).toEqual({ contextLength: 32768, kvBytesPerToken: 28672 });
    expect(chooseNumCtx(shape, AUTO)).toBe(32768);
    expect(chooseNumCtx(shape, { ...AUTO, maxNumCtx: 8000 })).toBe(7168);
    // 512 MiB hold 18,724 tokens of this model's KV cache.
    expect(chooseNumCtx(shape, { ...AUTO, memoryMib: 512 })).toBe(18432);
    expect(chooseNumCtx({ contextLength: 2048, kvBytesPerToken: null }, AUTO)).toBe(2048);
    expect(chooseNumCtx(modelShape({ "general.architecture": "qwen2" }), AUTO)).toBeNull();
    expect(chooseNumCtx(modelShape(undefined), AUTO)).toBeNull();
  });
});

describe("num_ctx = auto", () => {
  let fake: FakeOllama;
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "sparky-ctx-"));
  });
  afterEach(async () => {
    await fake?.close();
    await rm(dir, { recursive: true, force: true });
  });
  const client = (host: string, overrides: Parameters<typeof settingsFor>[1] = {}) =>
    createLlmClient(settingsFor(host, { cacheDir: dir, autoContext: AUTO, ...overrides }), { log: capturingLogger().log, warned: new Set(), backoffMs: 10 });

  it("sends the context /api/show allows, asking once per model, and keeps the answer under data/cache/llm/models", async () => {
    fake = await startFakeOllama({ script: () => ({ content: "{}" }) });
    const llm = client(fake.url);
    await llm.session().ask(CHAT);
    await llm.session().ask({ ...CHAT, numPredict: 65 });
    await client(fake.url).session().ask({ ...CHAT, numPredict: 66 });
    expect(fake.requests.map((r) => r.options.num_ctx)).toEqual([32768, 32768, 32768]);
    expect(fake.stats().requests["/api/show"]).toBe(1);
    const [kept] = await readdir(join(dir, "models"));
    expect(JSON.parse(await readFile(join(dir, "models", kept!), "utf8"))).toMatchObject({ model: "qwen2.5-coder:1.5b", contextLength: 32768 });
  });

  it("falls back to the configured num_ctx when the server does not say, or cannot be reached", async () => {
    fake = await startFakeOllama({ contextLength: null, script: () => ({ content: "{}" }) });
    const session = client(fake.url).session();
    expect(await session.contextSize()).toBe(4096);
    await session.ask(CHAT);
    expect(fake.requests[0]!.options.num_ctx).toBe(4096);
    expect(await client(await refusedUrl()).session().contextSize()).toBe(4096);
  });

  it("uses the configured number as it is when num_ctx is a number, without asking", async () => {
    fake = await startFakeOllama({ script: () => ({ content: "{}" }) });
    const session = client(fake.url, { autoContext: null, numCtx: 8192 }).session();
    await session.ask(CHAT);
    expect(fake.requests[0]!.options.num_ctx).toBe(8192);
    expect(fake.stats().requests["/api/show"]).toBeUndefined();
  });
});
