import { createStageService } from "@sparky/harness";
import type { StageService, StageServiceDeps } from "@sparky/harness";
import { handleCollect } from "./handlers/collect.js";

/** The collector service: `collect` commands in, `data/raw/<key>/` out. */
export function createCollector(deps: StageServiceDeps): StageService {
  return createStageService({
    service: "collector",
    stage: "collect",
    bind: deps.endpoints.stages.collector.bind,
    events: deps.endpoints.eventsIn.connect,
    log: deps.log,
    clock: deps.clock,
    metrics: deps.metrics,
    work: (command, ctx) => handleCollect(command, ctx, deps),
  });
}
