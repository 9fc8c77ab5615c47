import { describe, expect, it } from "vitest";
import { OllamaAnswerError } from "./ollama-errors.js";
import { readNdjson } from "./read-ndjson.js";

async function read(chunks: Array<string | Buffer>): Promise<unknown[]> {
  async function* source() {
    for (const chunk of chunks) yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
  }
  const values: unknown[] = [];
  for await (const value of readNdjson(source())) values.push(value);
  return values;
}

describe("readNdjson", () => {
  it("joins a line cut across chunks and splits several in one chunk", async () => {
    expect(await read(['{"a":', "1}\n", '{"b":2}\n{"c":3}\n'])).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  it("reads a last line without its newline, and skips blank lines", async () => {
    expect(await read(['{"a":1}\n\n', '{"b"', ":2}"])).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it("keeps a character whose bytes are cut between chunks", async () => {
    const bytes = Buffer.from('{"s":"é"}\n');
    const cut = bytes.indexOf(0xc3) + 1; // between the two bytes of é
    expect(await read([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual([{ s: "é" }]);
  });

  it("fails on a line that is not JSON", async () => {
    await expect(read(['{"a":1}\n', "<html>\n"])).rejects.toThrow(new OllamaAnswerError("Ollama streamed a line that is not JSON: <html>"));
  });
});
