import { defineStageService } from "@sparky/harness";
import { dataLayout } from "@sparky/messages";
import type { StageService, StageServiceDeps } from "@sparky/harness";
import { checkLlmAtStart, countFallback, createLlmClient, llmMetrics, llmSettingsOf } from "@sparky/llm";
import { handleGenerate } from "./handlers/generate.js";

/** The generator service: `generate` commands in, `output/<period>/<key>.md` and `output/index.md` out. */
export function createGenerator(deps: StageServiceDeps): StageService {
  // One client for the life of the service: its start-up check and "Ollama is down" state are shared by every job.
  const llm = createLlmClient(llmSettingsOf(deps.config, "generator"), { log: deps.log, observe: llmMetrics(deps.metrics.ops, "generate") });
  const output = deps.config.generator.output_dir;
  const service = defineStageService(
    "generator",
    "generate",
    async (command, ctx) => {
      const result = await handleGenerate(command, ctx, deps, llm);
      if (result.narrativeSource === "template") countFallback(deps.metrics.ops, "generate", llm, result.llm);
      return result;
    },
    // The LLM answer cache too: a narrative cached mid-write by a killed generator.
    () => ({ onStart: [output, dataLayout(deps.config.data_dir).cacheDir], forJob: () => [output] }),
  )(deps);
  return checkLlmAtStart(service, llm);
}
