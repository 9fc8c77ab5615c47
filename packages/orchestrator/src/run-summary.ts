import type { RunRecord } from "@sparky/messages";
import { runNote } from "./run-note.js";

/** A run in one line: what the runs API lists and `sparky tasks` shows. */
export function summarize(record: RunRecord) {
  const current = record.stages.find((s) => s.state === "running" || s.state === "failed");
  return {
    runId: record.runId,
    period: record.period,
    key: record.key,
    state: record.state,
    stage: current?.stage ?? null,
    trigger: record.trigger,
    attempts: record.stages.reduce((n, s) => n + s.attempts.length, 0),
    updatedAt: record.updatedAt,
    reason: record.reason,
  };
}
export type RunSummary = ReturnType<typeof summarize>;

/** A run as the state index keeps it: its summary and what state and reason do not say. */
export function runRow(record: RunRecord): RunSummary & { note: string | null } {
  return { ...summarize(record), note: runNote(record) };
}

/** Runs in the order people read them: most recently updated first, then by run id (code points, not locale). */
export function compareRuns(a: { updatedAt: string; runId: string }, b: { updatedAt: string; runId: string }): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt < b.updatedAt ? 1 : -1;
  return a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0;
}
