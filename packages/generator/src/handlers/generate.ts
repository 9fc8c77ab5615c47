import type { CommandOf, GenerateResult } from "@sparky/messages";
import type { StageJobContext, StageServiceDeps } from "@sparky/harness";
import type { LlmClient } from "@sparky/llm";
import { generateDigest } from "../generate-digest.js";

export function handleGenerate(
  command: CommandOf<"generate">,
  ctx: StageJobContext,
  deps: StageServiceDeps,
  llm: LlmClient,
): Promise<GenerateResult> {
  return generateDigest(command.payload, {
    dataDir: deps.config.data_dir,
    outputDir: deps.config.generator.output_dir,
    maxItems: deps.config.generator.max_items,
    emptyDays: deps.config.generator.empty_days,
    feed: { webUrl: deps.config.publisher.docs_web_url, subdir: deps.config.publisher.docs_subdir },
    log: ctx.log,
    llm,
    guard: ctx.guard,
    signal: ctx.signal,
  });
}
