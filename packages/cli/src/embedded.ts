import { systemClock } from "@sparky/messages";
import type { Clock } from "@sparky/messages";
import { createLogger, createMetrics, resolveEndpoints } from "@sparky/harness";
import type { Logger, SparkyConfig, StageService } from "@sparky/harness";
import { createOrchestrator } from "@sparky/orchestrator";
import type { Orchestrator } from "@sparky/orchestrator";
import type { DestinationStream } from "pino";
import { STAGE_FACTORIES } from "./services.js";

export interface Embedded {
  orchestrator: Orchestrator;
  stop(): Promise<void>;
}

/** All five services in this process, wired over inproc:// sockets: the laptop and CI mode. */
export async function startEmbedded(
  config: SparkyConfig,
  options: { logLevel: string; clock?: Clock; log?: Logger; destination?: NodeJS.WritableStream } = { logLevel: "warn" },
): Promise<Embedded> {
  const clock = options.clock ?? systemClock;
  const endpoints = resolveEndpoints(config, "inproc");
  const destination = options.destination as DestinationStream | undefined;
  const logFor = (service: string) => options.log?.child({ service }) ?? createLogger({ service, level: options.logLevel, destination });
  const orchestrator = createOrchestrator({
    config,
    endpoints,
    clock,
    log: logFor("orchestrator"),
    metrics: createMetrics("orchestrator"),
    mode: "embedded",
  });
  await orchestrator.start();
  const stages: StageService[] = [];
  for (const [name, create] of Object.entries(STAGE_FACTORIES)) {
    const service = create({ config, endpoints, clock, log: logFor(name), metrics: createMetrics(name) });
    await service.start();
    stages.push(service);
  }
  return {
    orchestrator,
    async stop() {
      await orchestrator.stop();
      for (const service of stages) await service.stop(1000);
    },
  };
}
