import { createStageService } from "@sparky/harness";
import type { StageService, StageServiceDeps } from "@sparky/harness";
import { handlePublish } from "./handlers/publish.js";

/** The publisher service: `publish` commands in, a commit in the docs repository out. */
export function createPublisher(deps: StageServiceDeps): StageService {
  return createStageService({
    service: "publisher",
    stage: "publish",
    bind: deps.endpoints.stages.publisher.bind,
    events: deps.endpoints.eventsIn.connect,
    log: deps.log,
    clock: deps.clock,
    metrics: deps.metrics,
    work: (command, ctx) => handlePublish(command, ctx, deps),
  });
}
