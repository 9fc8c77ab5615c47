export { startFakeOllama } from "./fake-ollama.js";
export type { FakeOllama, FakeOllamaOptions, FakeOllamaStats, FakeReply, FakeRequest, FakeScript } from "./fake-ollama.js";
export { countTokens } from "./count-tokens.js";
export { llmTestSettings } from "./llm-test-settings.js";
