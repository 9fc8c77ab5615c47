import type { SparkyConfig } from "@sparky/harness";
import { llmCacheDir } from "./llm-settings.js";
import type { LlmSettings } from "./llm-settings.js";

/** The LLM settings of the analyzer or generator section of the config. */
export function llmSettingsOf(config: SparkyConfig, section: "analyzer" | "generator"): LlmSettings {
  const keys = config[section];
  return {
    section,
    enabled: keys.llm_enabled,
    host: keys.ollama_url,
    model: keys.model,
    // "auto" falls back to the long-standing default when the server does not say.
    numCtx: keys.num_ctx === "auto" ? 4096 : keys.num_ctx,
    autoContext: keys.num_ctx === "auto" ? { maxNumCtx: keys.max_num_ctx, memoryMib: keys.num_ctx_memory_mib } : null,
    timeoutMs: keys.timeout_ms,
    retries: keys.retries,
    pullModel: keys.pull_model,
    seed: keys.seed,
    temperature: keys.temperature,
    cacheDir: llmCacheDir(config.data_dir),
  };
}
