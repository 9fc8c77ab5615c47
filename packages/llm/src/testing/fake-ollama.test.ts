import { request } from "node:http";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeOllama } from "./fake-ollama.js";
import type { FakeOllama } from "./fake-ollama.js";
import { ollamaClient } from "../ollama-client.js";
import type { OllamaClient } from "../ollama-client.js";
import { ollamaRequest } from "../ollama-request.js";
import { readNdjson } from "../read-ndjson.js";

let fake: FakeOllama;
let client: OllamaClient;

beforeEach(async () => {
  fake = await startFakeOllama({ models: ["qwen2.5-coder:1.5b"] });
  client = ollamaClient(fake.url);
});
afterEach(async () => {
  await fake.close();
});

// The fake is checked against Sparky's client, so what passes here is what Sparky's code meets.
describe("fake Ollama server", () => {
  it("answers version and tags", async () => {
    expect(await client.version()).toEqual({ version: expect.any(String) });
    const { models } = await client.list();
    expect(models.map((m) => m.name)).toEqual(["qwen2.5-coder:1.5b"]);
    expect(fake.stats().requests).toEqual({ "/api/version": 1, "/api/tags": 1 });
  });

  it("answers chat and generate with JSON, counting calls and prompt tokens", async () => {
    fake.setScript((request) => ({ content: `echo: ${request.messages.at(-1)?.content}` }));
    const chat = await client.chat({ model: "qwen2.5-coder:1.5b", messages: [{ role: "user", content: "hello there" }], stream: false });
    expect(chat.message).toEqual({ role: "assistant", content: "echo: hello there" });
    expect(chat.done).toBe(true);
    expect(chat.prompt_eval_count).toBeGreaterThan(0);
    const generated = await client.generate({ model: "qwen2.5-coder:1.5b", system: "be brief", prompt: "say hi", stream: false });
    expect(generated.response).toBe("echo: say hi");
    expect(fake.requests.map((r) => [r.endpoint, r.prompt])).toEqual([
      ["chat", "hello there"],
      ["generate", "be brief\nsay hi"],
    ]);
    expect(fake.stats()).toMatchObject({ calls: 2, promptTokens: chat.prompt_eval_count! + generated.prompt_eval_count! });
  });

  it("streams NDJSON that ends with done: true", async () => {
    // Sparky's client asks for no streamed answers; the lines are read as it reads a pull's.
    const streamed = async (endpoint: string, body: object) => {
      const lines: Array<{ done: boolean; message?: { content: string }; response?: string; eval_count?: number }> = [];
      for await (const line of readNdjson(await ollamaRequest(fake.url, "POST", endpoint, { model: "qwen2.5-coder:1.5b", stream: true, ...body }))) lines.push(line as never);
      return lines;
    };
    fake.queue({ content: "a streamed answer" });
    const chat = await streamed("/api/chat", { messages: [{ role: "user", content: "go" }] });
    expect(chat.map((part) => part.message?.content).join("")).toBe("a streamed answer");
    expect(chat.length).toBeGreaterThan(2);
    expect(chat.at(-1)).toMatchObject({ done: true, eval_count: expect.any(Number) });

    fake.queue({ content: "generated" });
    expect((await streamed("/api/generate", { prompt: "go" })).map((part) => part.response ?? "").join("")).toBe("generated");
  });

  it("answers a missing model with 404 and an error body, and pulls it", async () => {
    const missing = client.chat({ model: "llama3:8b", messages: [{ role: "user", content: "hi" }] });
    await expect(missing).rejects.toMatchObject({ name: "ResponseError", status_code: 404, message: expect.stringContaining("not found, try pulling it first") });

    const statuses: string[] = [];
    for await (const progress of await client.pull({ model: "llama3:8b", stream: true })) statuses.push(progress.status);
    expect(statuses[0]).toBe("pulling manifest");
    expect(statuses.at(-1)).toBe("success");
    expect((await client.list()).models.map((m) => m.name)).toContain("llama3:8b");
    expect(await readNdjson(await ollamaRequest(fake.url, "POST", "/api/pull", { model: "other", stream: false })).next()).toEqual({ done: false, value: { status: "success" } });
  });

  it("scripts errors, delays and refused pulls", async () => {
    const refusing = await startFakeOllama({ pullable: [] });
    try {
      const pull = ollamaRequest(refusing.url, "POST", "/api/pull", { model: "x", stream: false });
      await expect(pull).rejects.toMatchObject({ name: "ResponseError", status_code: 500 });
      const streamed = async () => {
        for await (const _ of await ollamaClient(refusing.url).pull({ model: "x", stream: true })) void _;
      };
      await expect(streamed()).rejects.toThrow("file does not exist");
    } finally {
      await refusing.close();
    }
    fake.queue({ error: "boom", status: 500 }, { content: "late", delayMs: 50 });
    await expect(client.generate({ model: "qwen2.5-coder:1.5b", prompt: "x" })).rejects.toMatchObject({ status_code: 500, message: "boom" });
    const started = Date.now();
    expect((await client.generate({ model: "qwen2.5-coder:1.5b", prompt: "x" })).response).toBe("late");
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it("refuses what is not Ollama's API", async () => {
    await expect(ollamaRequest(fake.url, "GET", "/api/nothing", undefined)).rejects.toMatchObject({ status_code: 404, message: "GET /api/nothing not found" });
    const bad = await new Promise<number>((resolve, reject) => {
      const url = new URL(`${fake.url}/api/chat`);
      request(url, { method: "POST" }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on("error", reject)
        .end("{ nope");
    });
    expect(bad).toBe(400);
  });
});
