import { OllamaAnswerError } from "./ollama-errors.js";

function parse(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new OllamaAnswerError(`Ollama streamed a line that is not JSON: ${line.slice(0, 200)}`);
  }
}

/**
 * The values of a newline-delimited JSON stream, whatever its chunks: a line may come in
 * pieces (a multi-byte character too), several in one chunk, the last without its newline.
 */
export async function* readNdjson(chunks: AsyncIterable<Buffer>): AsyncGenerator<unknown> {
  const decoder = new TextDecoder("utf-8");
  let pending = "";
  for await (const chunk of chunks) {
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) yield parse(line);
  }
  pending += decoder.decode();
  if (pending.trim()) yield parse(pending);
}
