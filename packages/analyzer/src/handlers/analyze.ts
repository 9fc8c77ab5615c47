import type { AnalyzeResult, CommandOf } from "@sparky/messages";
import type { StageJobContext, StageServiceDeps } from "@sparky/harness";
import type { LlmClient } from "@sparky/llm";
import { analyzeRun } from "../analyze-run.js";

export function handleAnalyze(
  command: CommandOf<"analyze">,
  ctx: StageJobContext,
  deps: StageServiceDeps,
  llm: LlmClient,
): Promise<AnalyzeResult> {
  return analyzeRun(command.payload, {
    dataDir: deps.config.data_dir,
    topContributors: deps.config.analyzer.top_contributors,
    highlights: deps.config.analyzer.highlights,
    log: ctx.log,
    llm,
    guard: ctx.guard,
    signal: ctx.signal,
  });
}
