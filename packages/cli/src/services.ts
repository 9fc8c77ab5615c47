import { createAnalyzer } from "@sparky/analyzer";
import { createCollector } from "@sparky/collector";
import { createGenerator } from "@sparky/generator";
import { createPublisher } from "@sparky/publisher";
import type { StageService, StageServiceDeps, StageServiceName } from "@sparky/harness";

/** One factory per stage service; the same ones run embedded (inproc) and served (tcp). */
export const STAGE_FACTORIES: Record<StageServiceName, (deps: StageServiceDeps) => StageService> = {
  collector: createCollector,
  analyzer: createAnalyzer,
  generator: createGenerator,
  publisher: createPublisher,
};
