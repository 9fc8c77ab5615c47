import { join } from "node:path";
import { defineStageService } from "@sparky/harness";
import { dataLayout } from "@sparky/messages";
import type { StageService, StageServiceDeps } from "@sparky/harness";
import { checkLlmAtStart, createLlmClient, llmSettingsOf } from "@sparky/llm";
import { handleAnalyze } from "./handlers/analyze.js";

/** The analyzer service: `analyze` commands in, `data/processed/<period>/<key>.json` out. */
export function createAnalyzer(deps: StageServiceDeps): StageService {
  // One client for the life of the service: its start-up check and "Ollama is down" state are shared by every job.
  const llm = createLlmClient(llmSettingsOf(deps.config, "analyzer"), { log: deps.log });
  const layout = dataLayout(deps.config.data_dir);
  const processed = join(deps.config.data_dir, "processed");
  const service = defineStageService(
    "analyzer",
    "analyze",
    (command, ctx) => handleAnalyze(command, ctx, deps, llm),
    () => ({ onStart: [processed, layout.cacheDir], forJob: (command) => [join(processed, command.payload.period)] }),
  )(deps);
  return checkLlmAtStart(service, llm);
}
