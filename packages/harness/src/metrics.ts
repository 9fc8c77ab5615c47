import type { Counter, Histogram, Registry } from "prom-client";
import { createOperationsMetrics } from "./operations-metrics.js";
import type { OperationsMetrics, PromOperationsMetrics } from "./operations-metrics.js";
import { promClient } from "./prom-client.js";
import { DISCARD } from "./recorders.js";
import type { Recorder } from "./recorders.js";

/** A served service's metrics: prom-client's, in a registry that `/metrics` prints. */
export interface ServedMetrics {
  readonly registry: Registry;
  readonly messages: Counter<"type">;
  readonly invalidMessages: Counter<"code">;
  readonly droppedEvents: Counter<"code">;
  readonly requestRetries: Counter<"peer">;
  readonly jobs: Counter<"stage" | "outcome">;
  readonly jobDuration: Histogram<"stage">;
  readonly runs: Counter<"period" | "outcome">;
  /** Runs, LLM, GitHub and docs-repository figures (see operations-metrics.ts). */
  readonly ops: PromOperationsMetrics;
}

/**
 * What a service records into while it works: `createMetrics` (served: scraped at
 * `/metrics`) or `unservedMetrics` (a one-shot command; registry null). Services only
 * record, so they run the same with either.
 */
export type ServiceMetrics = { readonly registry: Registry | null; readonly ops: OperationsMetrics } & {
  readonly [K in Exclude<keyof ServedMetrics, "registry" | "ops">]: Recorder<ServedMetrics[K]>;
};

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
export function createMetrics(service: string, options: { processMetrics?: boolean } = {}): ServedMetrics {
  const { Counter, Histogram, Registry, collectDefaultMetrics } = promClient();
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.processMetrics) {
    collectDefaultMetrics({ register: registry });
    for (const name of MISNAMED_DEFAULT_GAUGES) registry.removeSingleMetric(name);
  }
  const registers = [registry];
  const metrics: ServedMetrics = {
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

/**
 * Metrics of a process that serves no `/metrics` (`sparky digest`, `backfill`, `resume`):
 * nothing could read them, so they are not kept, and prom-client is never loaded (see
 * prom-client.ts). A process that serves metrics uses createMetrics.
 */
export function unservedMetrics(): ServiceMetrics {
  return {
    registry: null,
    messages: DISCARD,
    invalidMessages: DISCARD,
    droppedEvents: DISCARD,
    requestRetries: DISCARD,
    jobs: DISCARD,
    jobDuration: DISCARD,
    runs: DISCARD,
    // One recorder that keeps nothing answers for every operations metric, present and future.
    ops: new Proxy({} as OperationsMetrics, { get: () => DISCARD }),
  };
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
