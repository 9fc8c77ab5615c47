import type { LlmSettings } from "../llm-settings.js";

/** LLM settings for tests against a fake Ollama at `host`: fast timeouts, deterministic, no cache unless given. */
export function llmTestSettings(host: string, overrides: Partial<LlmSettings> = {}): LlmSettings {
  return {
    section: "analyzer",
    enabled: true,
    host,
    model: "qwen2.5-coder:1.5b",
    numCtx: 4096,
    autoContext: null,
    timeoutMs: 2_000,
    retries: 1,
    pullModel: false,
    seed: 42,
    temperature: 0,
    cacheDir: null,
    ...overrides,
  };
}
