import { join } from "node:path";
import { dataLayout } from "@sparky/messages";

/** How one service talks to Ollama: read from its config section (`[analyzer]` or `[generator]`). */
export interface LlmSettings {
  /** The config section these came from, so messages name the key to change (`[analyzer] timeout_ms`). */
  section: string;
  enabled: boolean;
  /** Ollama's base URL, e.g. `http://localhost:11434`. */
  host: string;
  model: string;
  /**
   * Context window asked of the model, in tokens; prompts are split to fit it. With
   * `autoContext`, only the fallback for when the server does not say how long the model's is.
   */
  numCtx: number;
  /** `num_ctx = "auto"`: the model's own context length within these limits (see `contextSizeFor`). */
  autoContext: { maxNumCtx: number; memoryMib: number } | null;
  /** Longest one HTTP call may take, body included. */
  timeoutMs: number;
  /** Further attempts after a timeout or a server error (never after a refused connection). */
  retries: number;
  /** Pull the model at start-up when the server does not have it. */
  pullModel: boolean;
  seed: number;
  temperature: number;
  /** Folder of cached answers; null turns the cache off. */
  cacheDir: string | null;
}

/** Where cached LLM answers live under a data folder: `data/cache/llm/`. */
export function llmCacheDir(dataDir: string): string {
  return join(dataLayout(dataDir).cacheDir, "llm");
}

/** The host as it may be shown in logs and messages: any `user:password@` removed. */
export function displayHost(host: string): string {
  try {
    const url = new URL(host);
    url.username = "";
    url.password = "";
    return url.toString().replace(/\/$/, "");
  } catch {
    return host;
  }
}
