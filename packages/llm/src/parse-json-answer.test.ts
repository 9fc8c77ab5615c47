import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseJsonAnswer } from "./parse-json-answer.js";

const Schema = z.object({ themes: z.array(z.object({ title: z.string() })) });
const JSON_TEXT = '{"themes": [{"title": "Parser work"}]}';
const VALUE = { themes: [{ title: "Parser work" }] };

describe("parseJsonAnswer", () => {
  it.each([
    ["bare JSON", JSON_TEXT],
    ["a json fence", `\`\`\`json\n${JSON_TEXT}\n\`\`\``],
    ["a JSON fence in capitals", `\`\`\`JSON\n${JSON_TEXT}\n\`\`\``],
    ["a fence after a sentence", `Here is the JSON you asked for:\n\n\`\`\`json\n${JSON_TEXT}\n\`\`\``],
    ["a fence with prose after it", `\`\`\`json\n${JSON_TEXT}\n\`\`\`\n\nLet me know if you need anything else.`],
    ["a fence with no language", `Sure!\n\`\`\`\n${JSON_TEXT}\n\`\`\`\n`],
    ["a fence never closed", `\`\`\`json\n${JSON_TEXT}\n`],
  ])("reads %s", (_, text) => {
    expect(parseJsonAnswer(text, Schema)).toEqual({ ok: true, value: VALUE });
  });

  it("still reports what is wrong with JSON that is not there or not the shape", () => {
    expect(parseJsonAnswer("```json\n{\"themes\": [\n```", Schema)).toMatchObject({ ok: false, problem: expect.stringMatching(/^not valid JSON/) });
    expect(parseJsonAnswer("I cannot help with that.", Schema)).toMatchObject({ ok: false, problem: expect.stringMatching(/^not valid JSON/) });
    expect(parseJsonAnswer('```json\n{"themes": 3}\n```', Schema)).toMatchObject({ ok: false, problem: expect.stringContaining("at themes") });
  });
});
