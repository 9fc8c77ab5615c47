import { systemClock } from "@sparky/messages";
import type { Clock } from "@sparky/messages";
import { createLogger, createMetrics, resolveEndpoints, unservedMetrics } from "@sparky/harness";
import type { Logger, ServedMetrics, ServiceMetrics, SparkyConfig, StageService } from "@sparky/harness";
import { createNotifier } from "@sparky/notify";
import type { Notifier } from "@sparky/notify";
import { createOrchestrator } from "@sparky/orchestrator";
import type { Orchestrator, OrchestratorOptions } from "@sparky/orchestrator";
import type { DestinationStream } from "pino";
import { STAGE_FACTORIES } from "./services.js";

/** Longest a command waits, after printing its result, for announcements still being retried. */
export const NOTIFY_GRACE_MS = 30_000;

export interface Embedded {
  orchestrator: Orchestrator;
  /** Each service's registry (the orchestrator's first), for one `/metrics` in `sparky serve all`; none unless served. */
  registries: ServedMetrics["registry"][];
  /** Ready when the orchestrator and every stage service are. */
  readiness(): Promise<{ ready: boolean; detail: string }>;
  /** Each of the five services' readiness, for the dashboard's overview. */
  health(): Promise<{ service: string; ready: boolean; detail: string }[]>;
  /** Announces finished runs to `[notify]` targets; its stop() waits for deliveries under way. */
  notifier: Notifier;
  /** Stops the services; deliveries go on until `notifier.stop()`. */
  stop(): Promise<void>;
}

/** All five services in this process, wired over inproc:// sockets: the laptop and CI mode. */
export async function startEmbedded(
  config: SparkyConfig,
  options: {
    logLevel: string;
    clock?: Clock;
    log?: Logger;
    destination?: NodeJS.WritableStream;
    /** `sparky serve all`: a long-running orchestrator (schedules, status heartbeat, leader lease). */
    served?: Pick<OrchestratorOptions, "leader">;
  } = { logLevel: "warn" },
): Promise<Embedded> {
  const clock = options.clock ?? systemClock;
  const endpoints = resolveEndpoints(config, "inproc");
  const destination = options.destination as DestinationStream | undefined;
  const logFor = (service: string) => options.log?.child({ service }) ?? createLogger({ service, level: options.logLevel, destination });
  // First: a target whose secret is missing stops here, before any work.
  const notifier = createNotifier({ config, log: logFor("notify") });
  const served = options.served;
  // Only `serve all` has a /metrics: `sparky digest`, `backfill` and `resume` record into
  // metrics that keep nothing, and never load prom-client (see @sparky/harness prom-client.ts).
  const registries: ServedMetrics["registry"][] = [];
  const metricsFor = (service: string, processMetrics = false): ServiceMetrics => {
    if (!served) return unservedMetrics();
    const metrics = createMetrics(service, { processMetrics });
    registries.push(metrics.registry);
    return metrics;
  };
  const metrics = metricsFor("orchestrator", true);
  const orchestrator = createOrchestrator({
    config,
    endpoints,
    clock,
    log: logFor("orchestrator"),
    metrics,
    mode: served ? "served" : "embedded",
    ...(served ? { schedules: true, leader: served.leader } : {}),
    // `sparky digest` and `sparky resume` keep the data directory to retain_raw_days, as the served orchestrator does.
    retention: true,
  });
  await orchestrator.start();
  orchestrator.onEvent((event) => notifier.onEvent(event));
  const stages: StageService[] = [];
  const factories = await Promise.all(Object.entries(STAGE_FACTORIES).map(async ([name, load]) => [name, await load()] as const));
  for (const [name, create] of factories) {
    const service = create({ config, endpoints, clock, log: logFor(name), metrics: metricsFor(name) });
    await service.start();
    stages.push(service);
  }
  return {
    orchestrator,
    registries,
    async health() {
      const answers = await Promise.all([orchestrator.readiness(), ...stages.map((s) => s.readiness())]);
      const names = ["orchestrator", ...Object.keys(STAGE_FACTORIES)];
      return answers.map((a, i) => ({ service: names[i]!, ready: a.ready, detail: a.detail }));
    },
    async readiness() {
      const answers = await Promise.all([orchestrator.readiness(), ...stages.map((s) => s.readiness())]);
      const names = ["orchestrator", ...Object.keys(STAGE_FACTORIES)];
      const notReady = answers.map((a, i) => ({ ...a, name: names[i] })).filter((a) => !a.ready);
      return notReady.length
        ? { ready: false, detail: notReady.map((a) => `${a.name}: ${a.detail}`).join("; ") }
        : { ready: true, detail: `all five services in one process; ${answers[0]!.detail}` };
    },
    notifier,
    async stop() {
      await orchestrator.stop();
      // Together: each stage waits a moment for its last events to leave, and `sparky digest`
      // should not wait four such moments one after another before it exits.
      await Promise.all(stages.map((service) => service.stop(1000)));
    },
  };
}
