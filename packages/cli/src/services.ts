import type { StageService, StageServiceDeps, StageServiceName } from "@sparky/harness";

type StageFactory = (deps: StageServiceDeps) => StageService;

/**
 * One factory per stage service; the same ones run embedded (inproc) and served (tcp).
 * Each is imported when asked for: `sparky serve collector` loads the collector alone,
 * not the analyzer's LLM client or the publisher's git.
 */
export const STAGE_FACTORIES: Record<StageServiceName, () => Promise<StageFactory>> = {
  collector: () => import("@sparky/collector").then((m) => m.createCollector),
  analyzer: () => import("@sparky/analyzer").then((m) => m.createAnalyzer),
  generator: () => import("@sparky/generator").then((m) => m.createGenerator),
  publisher: () => import("@sparky/publisher").then((m) => m.createPublisher),
};
