import type { RunRecord } from "@sparky/messages";
import type { OperationsMetrics } from "@sparky/harness";

const seconds = (from: string | null, to: string | null) => (from && to ? Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000) : null);

/**
 * The orchestrator's share of the operations metrics: runs in progress and waiting, how
 * long runs and their stages took, and when each period last succeeded (the figure the
 * "digest missing" alert reads).
 */
export function runMetrics(ops: OperationsMetrics) {
  return {
    queued(waiting: number): void {
      ops.queueDepth.set(waiting);
    },

    started(): void {
      ops.runsInProgress.set(1);
    },

    finished(record: RunRecord, startedAt: string): void {
      ops.runsInProgress.set(0);
      const took = seconds(startedAt, record.finishedAt);
      if (took !== null) ops.runDuration.observe({ period: record.period, outcome: record.state }, took);
      for (const stage of record.stages) {
        const stageTook = seconds(stage.startedAt, stage.finishedAt);
        if (stageTook !== null && (stage.state === "succeeded" || stage.state === "failed")) {
          ops.stageDuration.observe({ stage: stage.stage, outcome: stage.state }, stageTook);
        }
      }
      if (record.state === "succeeded") this.succeeded(record);
    },

    /** A run of an older period that succeeds today counts as today's success: a digest was just made. */
    succeeded(record: RunRecord): void {
      if (record.finishedAt) ops.lastSuccess.set({ period: record.period }, Date.parse(record.finishedAt) / 1000);
    },

    /** From the run records at start: the age of the last digest survives a restart. */
    restore(records: readonly RunRecord[]): void {
      const newest = new Map<string, RunRecord>();
      for (const r of records) {
        if (r.state !== "succeeded" || !r.finishedAt) continue;
        const seen = newest.get(r.period);
        if (!seen || Date.parse(r.finishedAt) > Date.parse(seen.finishedAt!)) newest.set(r.period, r);
      }
      for (const r of newest.values()) this.succeeded(r);
    },
  };
}
