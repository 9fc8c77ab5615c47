import { performance } from "node:perf_hooks";
import type { ErrorInfo, RunRecord, Stage } from "@sparky/messages";
import type { Logger } from "@sparky/harness";

/**
 * The stable `event` values of the run log: one line per transition, so an operator can
 * follow a run with `grep '"event":"run.'` and alert on a field rather than a sentence.
 * Fields are only ever added, never renamed.
 */
export const RUN_LOG_EVENTS = [
  "run.started",
  "run.stage.kept",
  "run.stage.started",
  "run.stage.retried",
  "run.stage.succeeded",
  "run.stage.failed",
  "run.succeeded",
  "run.failed",
] as const;
export type RunLogEvent = (typeof RUN_LOG_EVENTS)[number];

/**
 * Writes the run's transitions to `log` (a child carrying the run id). Durations are measured
 * on the monotonic clock, not the injected one: they say how long the operator waited.
 */
export function runLog(log: Logger, record: RunRecord) {
  const runStarted = performance.now();
  let stageStarted = runStarted;
  let attemptStarted = runStarted;
  const since = (t: number) => Math.round(performance.now() - t);
  const base = () => ({ runId: record.runId, period: record.period, key: record.key });
  return {
    started(): void {
      log.info({ event: "run.started", ...base(), trigger: record.trigger, stage: null }, `${record.runId} started (${record.trigger})`);
    },
    kept(stage: Stage): void {
      log.info({ event: "run.stage.kept", ...base(), stage }, `${stage}: kept from an earlier attempt`);
    },
    stageStarted(stage: Stage, attempt: number): void {
      stageStarted = attemptStarted = performance.now();
      log.info({ event: "run.stage.started", ...base(), stage, attempt }, `${stage} started`);
    },
    /** A new attempt of the same stage (after `retried`): no line of its own, `retried` said it. */
    attemptStarted(): void {
      attemptStarted = performance.now();
    },
    retried(stage: Stage, attempt: number, error: ErrorInfo, delayMs: number): void {
      log.warn(
        { event: "run.stage.retried", ...base(), stage, attempt, durationMs: since(attemptStarted), code: error.code, reason: error.message, delayMs },
        `${stage} attempt ${attempt} failed; retrying in ${delayMs} ms`,
      );
    },
    stageSucceeded(stage: Stage, attempt: number): void {
      log.info({ event: "run.stage.succeeded", ...base(), stage, attempt, durationMs: since(stageStarted) }, `${stage} succeeded`);
    },
    stageFailed(stage: Stage, attempt: number, error: ErrorInfo): void {
      log.error(
        { event: "run.stage.failed", ...base(), stage, attempt, durationMs: since(stageStarted), code: error.code, reason: error.message },
        `${stage} failed`,
      );
    },
    finished(): void {
      const ok = record.state === "succeeded";
      const fields = { event: ok ? "run.succeeded" : "run.failed", ...base(), stage: null, durationMs: since(runStarted), state: record.state, reason: record.reason };
      if (ok) log.info(fields, `${record.runId} succeeded`);
      else log.error(fields, `${record.runId} failed: ${record.reason}`);
    },
  };
}
export type RunLog = ReturnType<typeof runLog>;
