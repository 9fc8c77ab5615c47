import { systemClock } from "@sparky/messages";
import type { Clock } from "@sparky/messages";
import { createLogger, createMetrics, resolveEndpoints } from "@sparky/harness";
import type { Logger, SparkyConfig, StageService } from "@sparky/harness";
import { createNotifier } from "@sparky/notify";
import type { Notifier } from "@sparky/notify";
import { createOrchestrator } from "@sparky/orchestrator";
import type { Orchestrator } from "@sparky/orchestrator";
import type { DestinationStream } from "pino";
import { STAGE_FACTORIES } from "./services.js";

/** Longest a command waits, after printing its result, for announcements still being retried. */
export const NOTIFY_GRACE_MS = 30_000;

export interface Embedded {
  orchestrator: Orchestrator;
  /** Announces finished runs to `[notify]` targets; its stop() waits for deliveries under way. */
  notifier: Notifier;
  /** Stops the services; deliveries go on until `notifier.stop()`. */
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
  // First: a target whose secret is missing stops here, before any work.
  const notifier = createNotifier({ config, log: logFor("notify") });
  const orchestrator = createOrchestrator({
    config,
    endpoints,
    clock,
    log: logFor("orchestrator"),
    metrics: createMetrics("orchestrator"),
    mode: "embedded",
    // `sparky digest` and `sparky resume` keep the data directory to retain_raw_days, as the served orchestrator does.
    retention: true,
  });
  await orchestrator.start();
  orchestrator.onEvent((event) => notifier.onEvent(event));
  const stages: StageService[] = [];
  for (const [name, create] of Object.entries(STAGE_FACTORIES)) {
    const service = create({ config, endpoints, clock, log: logFor(name), metrics: createMetrics(name) });
    await service.start();
    stages.push(service);
  }
  return {
    orchestrator,
    notifier,
    async stop() {
      await orchestrator.stop();
      for (const service of stages) await service.stop(1000);
    },
  };
}
