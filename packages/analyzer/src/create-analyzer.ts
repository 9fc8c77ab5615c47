import { join } from "node:path";
import { defineStageService } from "@sparky/harness";
import { dataLayout } from "@sparky/messages";
import type { StageService, StageServiceDeps } from "@sparky/harness";
import { checkLlmAtStart, countFallback, createLlmClient, llmMetrics, llmSettingsOf } from "@sparky/llm";
import { handleAnalyze } from "./handlers/analyze.js";

/** The analyzer service: `analyze` commands in, `data/processed/<period>/<key>.json` out. */
export function createAnalyzer(deps: StageServiceDeps): StageService {
  // One client for the life of the service: its start-up check and "Ollama is down" state are shared by every job.
  const llm = createLlmClient(llmSettingsOf(deps.config, "analyzer"), { log: deps.log, observe: llmMetrics(deps.metrics.ops, "analyze") });
  const layout = dataLayout(deps.config.data_dir);
  const processed = join(deps.config.data_dir, "processed");
  const service = defineStageService(
    "analyzer",
    "analyze",
    async (command, ctx) => {
      const result = await handleAnalyze(command, ctx, deps, llm);
      if (result.themesSource === "deterministic") countFallback(deps.metrics.ops, "analyze", llm, result.llm);
      return result;
    },
    () => ({ onStart: [processed, layout.cacheDir], forJob: (command) => [join(processed, command.payload.period)] }),
  )(deps);
  return checkLlmAtStart(service, llm);
}
