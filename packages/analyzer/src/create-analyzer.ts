import { createStageService } from "@sparky/harness";
import type { StageService, StageServiceDeps } from "@sparky/harness";
import { handleAnalyze } from "./handlers/analyze.js";

/** The analyzer service: `analyze` commands in, `data/processed/<period>/<key>.json` out. */
export function createAnalyzer(deps: StageServiceDeps): StageService {
  return createStageService({
    service: "analyzer",
    stage: "analyze",
    bind: deps.endpoints.stages.analyzer.bind,
    events: deps.endpoints.eventsIn.connect,
    log: deps.log,
    clock: deps.clock,
    metrics: deps.metrics,
    work: (command, ctx) => handleAnalyze(command, ctx, deps),
  });
}
