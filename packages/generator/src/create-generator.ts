import { createStageService } from "@sparky/harness";
import type { StageService, StageServiceDeps } from "@sparky/harness";
import { handleGenerate } from "./handlers/generate.js";

/** The generator service: `generate` commands in, `output/<period>/<key>.md` and `output/index.md` out. */
export function createGenerator(deps: StageServiceDeps): StageService {
  return createStageService({
    service: "generator",
    stage: "generate",
    bind: deps.endpoints.stages.generator.bind,
    events: deps.endpoints.eventsIn.connect,
    log: deps.log,
    clock: deps.clock,
    metrics: deps.metrics,
    work: (command, ctx) => handleGenerate(command, ctx, deps),
  });
}
