import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { askJson } from "./ask-json.js";
import { createLlmClient } from "./llm-client.js";
import { startFakeOllama } from "./testing/fake-ollama.js";
import type { FakeOllama } from "./testing/fake-ollama.js";
import { capturingLogger, settingsFor } from "./test-support.js";

const Format = z.object({ n: z.number().int().max(9) });
const Answer = z.object({ n: z.number() });

let fake: FakeOllama;
beforeEach(async () => {
  fake = await startFakeOllama();
});
afterEach(async () => {
  await fake.close();
});

const ask = () => {
  const session = createLlmClient(settingsFor(fake.url), { log: capturingLogger().log, warned: new Set() }).session();
  return { session, result: askJson({ session, messages: [{ role: "user", content: "a number" }], format: Format, answer: Answer, numPredict: 64 }) };
};

describe("askJson", () => {
  it("sends the zod schema as the format and returns the parsed answer", async () => {
    fake.queue({ content: '{"n": 4}' });
    expect(await ask().result).toEqual({ n: 4 });
    expect(fake.requests[0]!.format).toEqual({
      type: "object",
      properties: { n: { type: "integer", maximum: 9 } },
      required: ["n"],
      additionalProperties: false,
    });
  });

  it("retries invalid JSON once, saying what was wrong", async () => {
    fake.queue({ content: '{"n": 4' }, { content: '{"n": 5}' });
    expect(await ask().result).toEqual({ n: 5 });
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1]!.messages.at(-1)!.content).toMatch(/^Your answer could not be used: it was not valid JSON/);
  });

  it("gives up after the second bad answer", async () => {
    fake.queue({ content: "sure! here you go" }, { content: '{"n": "five"}' });
    await expect(ask().result).rejects.toMatchObject({ code: "SPARKY_LLM_INVALID_ANSWER", message: expect.stringContaining("does not match the schema at n") });
  });
});

describe("askJson, fenced answers", () => {
  it("unwraps JSON a model fenced and explained, and asks only once", async () => {
    fake.queue({ content: 'Here is the JSON:\n\n```json\n{"n": 4}\n```\n\nThe number is 4.' });
    expect(await ask().result).toEqual({ n: 4 });
    expect(fake.requests).toHaveLength(1);
  });
});
