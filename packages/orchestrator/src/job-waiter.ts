import { SparkyError, fromErrorInfo } from "@sparky/messages";
import type { ErrorInfo, Event, JobState } from "@sparky/messages";

type Outcome = { ok: true; result: Record<string, unknown> } | { ok: false; error: ErrorInfo };

const KEEP_SETTLED = 1000;

export interface WaitOptions {
  /** Ask the stage directly: events can be lost (slow joiner, restart), polls cannot. */
  poll: () => Promise<JobState>;
  pollIntervalMs: number;
  /** Epoch ms after which the attempt counts as timed out. */
  deadline: number;
  stage: string;
  /** Every polled state, e.g. to show that the job is waiting for GitHub's quota. */
  onState?: (state: JobState) => void;
}

/**
 * Completion of a job is known from its event when the event arrives, and from a
 * `job.status` poll when it does not. Outcomes that arrive before anyone waits are
 * kept, so a fast stage cannot finish "too early".
 */
export function createJobWaiter() {
  const settled = new Map<string, Outcome>();
  const waiting = new Map<string, () => void>();

  function settle(jobId: string, outcome: Outcome) {
    settled.set(jobId, outcome);
    if (settled.size > KEEP_SETTLED) settled.delete(settled.keys().next().value!);
    waiting.get(jobId)?.();
  }

  function unwrap(outcome: Outcome): Record<string, unknown> {
    if (outcome.ok) return outcome.result;
    throw fromErrorInfo(outcome.error);
  }

  return {
    /** Feed every event from the bus here. */
    observe(event: Event) {
      if (event.type.endsWith(".completed")) {
        const payload = event.payload as { jobId: string; result: Record<string, unknown> };
        settle(payload.jobId, { ok: true, result: payload.result });
      } else if (event.type.endsWith(".failed") && !event.type.startsWith("run.")) {
        const payload = event.payload as { jobId: string; error: ErrorInfo };
        settle(payload.jobId, { ok: false, error: payload.error });
      }
    },

    async wait(jobId: string, options: WaitOptions): Promise<Record<string, unknown>> {
      // Time the job says it spends waiting (for GitHub's quota) is not held against it: the
      // deadline moves on by as long as the last poll said it was waiting.
      let deadline = options.deadline;
      let waitingSince: number | null = null;
      /** Move the deadline on by the waiting time not yet credited. */
      const credit = () => {
        if (waitingSince === null) return;
        const now = Date.now();
        deadline += now - waitingSince;
        waitingSince = now;
      };
      for (;;) {
        const known = settled.get(jobId);
        if (known) return unwrap(known);
        credit();
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
          throw new SparkyError(
            "SPARKY_STAGE_TIMEOUT",
            `${options.stage} job ${jobId} did not finish in time (stage_timeout_s)`,
            { transient: true },
          );
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitingSince !== null ? options.pollIntervalMs : Math.min(options.pollIntervalMs, remaining));
          waiting.set(jobId, () => {
            clearTimeout(timer);
            resolve();
          });
        });
        waiting.delete(jobId);
        if (settled.has(jobId)) continue;
        const state = await options.poll();
        options.onState?.(state);
        credit();
        if (state.state === "running" && state.waiting) waitingSince ??= Date.now();
        else waitingSince = null;
        switch (state.state) {
          case "succeeded":
            settle(jobId, { ok: true, result: state.result ?? {} });
            break;
          case "failed":
            settle(jobId, {
              ok: false,
              error: state.error ?? { code: "SPARKY_INTERNAL", message: "job failed without a reason", transient: false },
            });
            break;
          case "unknown":
            throw new SparkyError(
              "SPARKY_JOB_LOST",
              `${options.stage} no longer knows job ${jobId} (it restarted mid-job); the stage will be retried`,
              { transient: true },
            );
          case "running":
            break;
        }
      }
    },
  };
}
export type JobWaiter = ReturnType<typeof createJobWaiter>;
