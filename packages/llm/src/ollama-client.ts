import type { Ollama } from "ollama";

/**
 * An Ollama client, the `ollama` module (and the fetch polyfill it brings) loaded on first
 * use: a run without a model (`llm_enabled = false`, or no Ollama answering) never needs it,
 * and every start of the analyzer and generator would otherwise pay for it.
 */
export async function ollamaClient(host: string, fetch: typeof globalThis.fetch): Promise<Ollama> {
  const { Ollama } = await import("ollama");
  return new Ollama({ host, fetch });
}
