import { createStageService } from "@sparky/harness";
import type { StageService, StageServiceDeps } from "@sparky/harness";
import { checkLlmAtStart, createLlmClient, llmSettingsOf } from "@sparky/llm";
import { handleAnalyze } from "./handlers/analyze.js";

/** The analyzer service: `analyze` commands in, `data/processed/<period>/<key>.json` out. */
export function createAnalyzer(deps: StageServiceDeps): StageService {
  // One client for the life of the service: its start-up check and "Ollama is down" state are shared by every job.
  const llm = createLlmClient(llmSettingsOf(deps.config, "analyzer"), { log: deps.log });
  const service = createStageService({
    service: "analyzer",
    stage: "analyze",
    bind: deps.endpoints.stages.analyzer.bind,
    events: deps.endpoints.eventsIn.connect,
    log: deps.log,
    clock: deps.clock,
    metrics: deps.metrics,
    work: (command, ctx) => handleAnalyze(command, ctx, deps, llm),
  });
  return checkLlmAtStart(service, llm);
}
