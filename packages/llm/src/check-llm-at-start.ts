import type { StageService } from "@sparky/harness";
import type { LlmClient } from "./llm-client.js";

/**
 * The service, with Ollama checked as it starts: in the background, so readiness never
 * waits on a model server, and remembered, so the first job does not check again. A
 * problem is logged once by the client; jobs then use their deterministic stand-ins.
 */
export function checkLlmAtStart(service: StageService, llm: LlmClient): StageService {
  return {
    get service() {
      return service.service;
    },
    get endpoint() {
      return service.endpoint;
    },
    async start() {
      await service.start();
      if (llm.settings.enabled) void llm.check();
    },
    stop: (graceMs) => service.stop(graceMs),
    readiness: () => service.readiness(),
  };
}
