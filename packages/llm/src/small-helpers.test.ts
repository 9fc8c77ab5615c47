import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { cacheKey } from "./cache-key.js";
import { classifyFailure } from "./classify-failure.js";
import { jsonSchemaFor } from "./json-schema.js";
import { displayHost } from "./llm-settings.js";
import { sameModel } from "./model-names.js";
import { OllamaAnswerError, OllamaConnectionError, OllamaResponseError } from "./ollama-errors.js";
import { oneLine } from "./one-line.js";
import { parseJsonAnswer } from "./parse-json-answer.js";
import { fileResponseCache } from "./response-cache.js";
import { estimateTokens } from "./token-estimate.js";

describe("cacheKey", () => {
  it("is the same for the same call however its keys were ordered, and differs for any change", () => {
    const a = cacheKey({ model: "m", messages: [{ role: "user", content: "x" }], options: { seed: 1, temperature: 0 } });
    const b = cacheKey({ options: { temperature: 0, seed: 1 }, messages: [{ content: "x", role: "user" }], model: "m" });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey({ model: "m2", messages: [{ role: "user", content: "x" }], options: { seed: 1, temperature: 0 } })).not.toBe(a);
    expect(cacheKey({ model: "m", messages: [{ role: "user", content: "x" }], options: { seed: 2, temperature: 0 } })).not.toBe(a);
  });
});

describe("fileResponseCache", () => {
  it("keeps answers under two-character folders and treats an unreadable entry as a miss", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sparky-cache-"));
    try {
      const cache = fileResponseCache(dir);
      const key = cacheKey("x");
      expect(await cache.get(key)).toBeNull();
      await cache.put(key, "m", { text: "answer", promptTokens: 7 });
      expect(await cache.get(key)).toEqual({ text: "answer", promptTokens: 7, doneReason: null });
      expect(await readdir(dir)).toEqual([key.slice(0, 2)]);
      await writeFile(join(dir, key.slice(0, 2), `${key}.json`), "{ torn");
      expect(await cache.get(key)).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("jsonSchemaFor", () => {
  it("derives the format schema from zod, without $schema or safe-integer bounds", () => {
    const schema = jsonSchemaFor(z.object({ ids: z.array(z.number().int()).max(3), title: z.string().max(10) }));
    expect(schema).toEqual({
      type: "object",
      properties: { ids: { type: "array", maxItems: 3, items: { type: "integer" } }, title: { type: "string", maxLength: 10 } },
      required: ["ids", "title"],
      additionalProperties: false,
    });
  });
});

describe("parseJsonAnswer", () => {
  const schema = z.object({ n: z.number() });
  it("reads JSON, fenced JSON too", () => {
    expect(parseJsonAnswer('{"n":1}', schema)).toEqual({ ok: true, value: { n: 1 } });
    expect(parseJsonAnswer('```json\n{"n":2}\n```', schema)).toEqual({ ok: true, value: { n: 2 } });
  });
  it("says what is wrong otherwise", () => {
    expect(parseJsonAnswer("{ n: 1", schema)).toEqual({ ok: false, problem: expect.stringMatching(/^not valid JSON/) });
    expect(parseJsonAnswer('{"n":"x"}', schema)).toEqual({ ok: false, problem: expect.stringMatching(/^JSON does not match the schema at n/) });
  });
});

describe("small helpers", () => {
  it("estimates tokens on the high side: words by four letters, digits and punctuation one each", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("handle rate limits")).toBe(5);
    expect(estimateTokens("fix(api): v1.10")).toBe(10);
    expect(estimateTokens("\u6f22\u5b57 ok")).toBe(3); // other scripts: a token a character
  });
  it("puts model text on one line and cuts it at a word", () => {
    expect(oneLine("  a\nb\t c  ", 20)).toBe("a b c");
    expect(oneLine("the quick brown fox jumps", 16)).toBe("the quick brown\u2026");
  });
  it("matches model names with and without the latest tag", () => {
    expect(sameModel("llama3", "llama3:latest")).toBe(true);
    expect(sameModel("qwen2.5-coder:1.5b", "qwen2.5-coder:1.5b")).toBe(true);
    expect(sameModel("qwen2.5-coder:1.5b", "qwen2.5-coder:7b")).toBe(false);
  });
  it("hides credentials in a host", () => {
    expect(displayHost("http://user:secret@ollama:11434/")).toBe("http://ollama:11434");
  });
  it("sorts failures for the retry policy", () => {
    expect(classifyFailure(Object.assign(new Error("x"), { name: "TimeoutError" }))).toEqual({ kind: "timeout" });
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(classifyFailure(new OllamaConnectionError("http://127.0.0.1:1/api/tags", refused))).toEqual({ kind: "refused", detail: "connection refused" });
    // Both addresses of `localhost` refused: Node's AggregateError lists them.
    expect(classifyFailure(new OllamaConnectionError("http://localhost:1/api/tags", { errors: [{ code: "ECONNREFUSED" }] }))).toMatchObject({ kind: "refused" });
    expect(classifyFailure(new OllamaConnectionError("http://x/api/chat", Object.assign(new Error("aborted"), { code: "ECONNRESET" })))).toEqual({ kind: "network", detail: "ECONNRESET" });
    expect(classifyFailure(new OllamaConnectionError("http://x/api/chat", new Error("the connection closed early")))).toEqual({ kind: "network", detail: "the connection closed early" });
    expect(classifyFailure(new OllamaResponseError("model 'x' not found, try pulling it first", 404))).toEqual({ kind: "model-missing" });
    expect(classifyFailure(new OllamaResponseError("boom", 503))).toEqual({ kind: "http", status: 503, message: "boom" });
    expect(classifyFailure(new OllamaAnswerError("not JSON"))).toEqual({ kind: "bad-answer", message: "not JSON" });
    // A pull's `{"error"}` line: a plain Error, no code.
    expect(classifyFailure(new Error("file does not exist"))).toEqual({ kind: "network", detail: "file does not exist" });
  });
});
