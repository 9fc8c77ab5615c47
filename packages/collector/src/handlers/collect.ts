import type { CollectResult, CommandOf } from "@sparky/messages";
import type { StageJobContext, StageServiceDeps } from "@sparky/harness";
import { collectGit } from "../collect-git.js";

export function handleCollect(command: CommandOf<"collect">, ctx: StageJobContext, deps: StageServiceDeps): Promise<CollectResult> {
  return collectGit(command.payload, {
    dataDir: deps.config.data_dir,
    botPatterns: deps.config.collector.bot_patterns,
    log: ctx.log,
    clock: deps.clock,
    progress: ctx.progress,
  });
}
