import type { JobState, RunRecord, Stage } from "@sparky/messages";

/**
 * Keep `record.waiting` in step with what the stage's `job.status` answers say: while the
 * collector waits for GitHub's quota, the run record (and so `sparky status`) says
 * "waiting for GitHub quota until T" instead of looking like a hung stage.
 */
export function waitingTracker(record: RunRecord, stage: Stage, save: () => Promise<void>, announce: (message: string) => void) {
  return (state: JobState): void => {
    const next = state.state === "running" && state.waiting ? { stage, until: state.waiting.until, message: state.waiting.message } : null;
    const current = record.waiting ?? null;
    if (current?.until === next?.until && current?.message === next?.message) return;
    record.waiting = next;
    if (next) announce(`${stage}: ${next.message}`);
    void save().catch(() => undefined);
  };
}
