import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { createOperationsMetrics } from "./operations-metrics.js";
import type { OperationsMetrics } from "./operations-metrics.js";

export interface ServiceMetrics {
  readonly registry: Registry;
  readonly messages: Counter<"type">;
  readonly invalidMessages: Counter<"code">;
  readonly droppedEvents: Counter<"code">;
  readonly requestRetries: Counter<"peer">;
  readonly jobs: Counter<"stage" | "outcome">;
  readonly jobDuration: Histogram<"stage">;
  readonly runs: Counter<"period" | "outcome">;
  /** Runs, LLM, GitHub and docs-repository figures (see operations-metrics.ts). */
  readonly ops: OperationsMetrics;
}

/**
 * prom-client's default metrics include three gauges whose names end in `_total`, which
 * Prometheus reserves for counters (`promtool check metrics` fails on them). Each has a
 * by-type sibling without the suffix (`nodejs_active_handles{type}`, ...) that sums to
 * the same figure, so they are dropped.
 */
const MISNAMED_DEFAULT_GAUGES = ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"];

/** Codes a frame is refused with (see @sparky/transport), shown at 0 before the first one. */
export const INVALID_MESSAGE_CODES = [
  "SPARKY_MSG_UNDECODABLE",
  "SPARKY_MSG_INVALID",
  "SPARKY_MSG_UNKNOWN_TYPE",
  "SPARKY_MSG_VERSION",
  "SPARKY_MSG_TOO_LARGE",
] as const;

/**
 * One registry per service, so five services in one process (embedded mode) keep
 * their figures apart. Process metrics only when the service owns its process.
 */
export function createMetrics(service: string, options: { processMetrics?: boolean } = {}): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.processMetrics) {
    collectDefaultMetrics({ register: registry });
    for (const name of MISNAMED_DEFAULT_GAUGES) registry.removeSingleMetric(name);
  }
  const registers = [registry];
  const metrics: ServiceMetrics = {
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
    ops: createOperationsMetrics(registry),
  };
  // Series that exist from the start read as 0 rather than "no data" on the dashboard,
  // and increase() sees their first rise.
  for (const code of INVALID_MESSAGE_CODES) {
    metrics.invalidMessages.inc({ code }, 0);
    metrics.droppedEvents.inc({ code }, 0);
  }
  return metrics;
}

/** Pre-creates a stage's job series at 0 (see createMetrics). */
export function initStageMetrics(metrics: ServiceMetrics, stage: string): void {
  for (const outcome of ["succeeded", "failed"]) metrics.jobs.inc({ stage, outcome }, 0);
  metrics.jobDuration.zero({ stage });
}

/** Pre-creates the orchestrator's run and retry series at 0 (see createMetrics). */
export function initOrchestratorMetrics(metrics: ServiceMetrics, periods: readonly string[], peers: readonly string[]): void {
  for (const period of periods) for (const outcome of ["succeeded", "failed"]) metrics.runs.inc({ period, outcome }, 0);
  for (const peer of peers) metrics.requestRetries.inc({ peer }, 0);
}
