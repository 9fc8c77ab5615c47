import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface ServiceMetrics {
  readonly registry: Registry;
  readonly messages: Counter<"type">;
  readonly invalidMessages: Counter<"code">;
  readonly droppedEvents: Counter<"code">;
  readonly requestRetries: Counter<"peer">;
  readonly jobs: Counter<"stage" | "outcome">;
  readonly jobDuration: Histogram<"stage">;
  readonly runs: Counter<"period" | "outcome">;
}

/**
 * One registry per service, so five services in one process (embedded mode) keep
 * their figures apart. Process metrics only when the service owns its process.
 */
export function createMetrics(service: string, options: { processMetrics?: boolean } = {}): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    messages: new Counter({ name: "sparky_messages_received_total", help: "Commands received, by type.", labelNames: ["type"], registers }),
    invalidMessages: new Counter({
      name: "sparky_messages_invalid_total",
      help: "Frames refused because they did not decode or validate, by error code.",
      labelNames: ["code"],
      registers,
    }),
    droppedEvents: new Counter({
      name: "sparky_events_dropped_total",
      help: "Event frames dropped by a subscriber because they did not decode or validate.",
      labelNames: ["code"],
      registers,
    }),
    requestRetries: new Counter({
      name: "sparky_request_retries_total",
      help: "Commands re-sent on a fresh socket after a peer did not answer in time.",
      labelNames: ["peer"],
      registers,
    }),
    jobs: new Counter({ name: "sparky_jobs_total", help: "Stage jobs finished, by outcome.", labelNames: ["stage", "outcome"], registers }),
    jobDuration: new Histogram({
      name: "sparky_job_duration_seconds",
      help: "Time a stage job took from acceptance to completion.",
      labelNames: ["stage"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
      registers,
    }),
    runs: new Counter({ name: "sparky_runs_total", help: "Pipeline runs finished, by period and outcome.", labelNames: ["period", "outcome"], registers }),
  };
}
