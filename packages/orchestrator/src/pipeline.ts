import { setTimeout as sleep } from "node:timers/promises";
import { RawManifestSchema, STAGES, createMessage, dataLayout, toErrorInfo } from "@sparky/messages";
import type { Clock, Command, RunRecord, RunRef, Stage, StageRecord, StageResults } from "@sparky/messages";
import { readJson } from "@sparky/harness";
import type { Logger } from "@sparky/harness";
import type { Requester } from "@sparky/transport";
import { checkGate } from "./gates.js";
import type { GateContext } from "./gates.js";
import type { JobWaiter } from "./job-waiter.js";
import { runStage } from "./run-stage.js";
import { checkNotEmpty } from "./empty-window.js";
import { staleOutput } from "./stale-output.js";
import { waitingTracker } from "./waiting-tracker.js";
import type { RunLog } from "./run-log.js";

export interface PipelineDeps {
  requesters: Record<Stage, Requester>;
  waiter: JobWaiter;
  clock: Clock;
  log: Logger;
  /** One structured line per transition (run-log.ts); the run's start and end are the caller's to log. */
  events: RunLog;
  gate: GateContext;
  save: (record: RunRecord) => Promise<void>;
  onStage?: (record: RunRecord, stage: Stage, message: string) => void;
  /**
   * Take the stage's next fencing token (durably) before an attempt, and once more when giving
   * up on one: a job holding an older token then cannot overwrite newer output.
   */
  fence?: (runId: string, stage: Stage) => Promise<number>;
  /** Tell a stage to stop a job this run no longer waits for (best effort, never awaited). */
  cancel?: (stage: Stage, jobId: string, reason: string) => void;
  settings: {
    maxAttempts: number;
    retryBackoffMs: number;
    pollIntervalMs: number;
    stageTimeoutMs: number;
  };
}

export function refOf(record: RunRecord): RunRef {
  return { runId: record.runId, period: record.period, key: record.key, window: record.window, timezone: record.timezone };
}

function commandFor(stage: Stage, record: RunRecord, clock: Clock, fence: number | undefined): Command {
  const ref = { ...refOf(record), ...(fence === undefined ? {} : { fence }) };
  const options = { runId: record.runId, clock };
  return stage === "collect"
    ? createMessage<Command>("collect", { ...ref, repos: record.repos, org: record.org, refresh: record.refresh }, options)
    : createMessage<Command>(stage, ref, options);
}

/** Failures after which the stage may still be working on the job: it is told to stop. */
const ABANDONED = new Set(["SPARKY_STAGE_TIMEOUT", "SPARKY_PEER_UNAVAILABLE"]);


/**
 * Drive a run through collect, analyze, generate, publish. Stages that already
 * succeeded and whose output still passes its gate are skipped, which is what makes a
 * failed run resumable. Transient failures are retried with exponential backoff;
 * anything else stops the run with a reason a person can act on.
 */
export async function executeRun(record: RunRecord, deps: PipelineDeps): Promise<RunRecord> {
  const { clock, log, settings, events } = deps;
  const now = () => clock.now().toISOString();
  // A stage's success is saved together with what follows it (the next stage's start, or the
  // run's end), one durable write instead of two, and told only once that write is done.
  let told: (() => void) | null = null;
  const touch = async () => {
    record.updatedAt = now();
    await deps.save(record);
    const tell = told;
    told = null;
    tell?.();
  };
  // Saved with the first stage that starts (or the run's end): the record is already on disk.
  record.state = "running";
  record.reason = null;
  record.finishedAt = null;

  // Once a stage runs again, every later stage does too: its kept output was made from the old input.
  let rerun = false;
  for (const stage of STAGES) {
    const rec = record.stages.find((s) => s.stage === stage) as StageRecord;
    // What is said of an earlier attempt's output comes after the stage before it is told done.
    if (told && rec.state === "succeeded") await touch();
    const stale = rec.state === "succeeded" ? staleOutput(stage, record) : null;
    if (stale) {
      log.info({ stage }, stale);
      deps.onStage?.(record, stage, `${stage}: ${stale}`);
    }
    if (!rerun && !stale && rec.state === "succeeded" && rec.result) {
      try {
        await checkGate(stage, rec.result as never, refOf(record), deps.gate);
        events.kept(stage);
        deps.onStage?.(record, stage, `${stage}: kept from an earlier attempt`);
        continue;
      } catch {
        log.info({ stage }, "earlier output no longer passes its gate; running the stage again");
      }
    }
    rerun = true;
    rec.state = "running";
    rec.startedAt = now();
    rec.finishedAt = null;
    rec.result = null;

    for (let attempt = 1; ; attempt++) {
      const entry = { attempt: rec.attempts.length + 1, jobId: null as string | null, startedAt: now(), finishedAt: null as string | null, error: null as ReturnType<typeof toErrorInfo> | null };
      rec.attempts.push(entry);
      // One durable write for "the stage runs" and "its attempt began", and only then told.
      await touch();
      if (attempt === 1) {
        events.stageStarted(stage, entry.attempt);
        deps.onStage?.(record, stage, `${stage}: started`);
      } else {
        events.attemptStarted();
      }
      try {
        const fence = await deps.fence?.(record.runId, stage);
        const result = await runStage(stage, commandFor(stage, record, clock, fence), {
          requester: deps.requesters[stage],
          waiter: deps.waiter,
          clock,
          pollIntervalMs: settings.pollIntervalMs,
          stageTimeoutMs: settings.stageTimeoutMs,
          onAccepted: (jobId) => {
            entry.jobId = jobId;
          },
          onState: waitingTracker(record, stage, touch, (message) => deps.onStage?.(record, stage, message)),
        });
        record.waiting = null;
        await checkGate(stage, result, refOf(record), deps.gate);
        if (stage === "collect") {
          // The manifest has just passed its gate: what it cost (GitHub) goes into the run
          // record, and its newest commit into the empty-window hint.
          const manifest = await readJson(dataLayout(deps.gate.dataDir).rawManifest(record.key), RawManifestSchema);
          record.collection = manifest.stats ?? null;
          const newest = manifest.repositories.map((r) => r.newestCommitAt).filter((t): t is string => !!t).sort().pop() ?? null;
          checkNotEmpty(record, result as StageResults["collect"], newest);
        }
        entry.finishedAt = rec.finishedAt = now();
        rec.state = "succeeded";
        rec.result = result as unknown as Record<string, unknown>;
        told = () => {
          events.stageSucceeded(stage, entry.attempt);
          deps.onStage?.(record, stage, `${stage}: done`);
        };
        break;
      } catch (error) {
        const info = toErrorInfo(error);
        record.waiting = null;
        entry.finishedAt = now();
        entry.error = info;
        const retry = info.transient && attempt < settings.maxAttempts;
        if (entry.jobId && ABANDONED.has(info.code)) deps.cancel?.(stage, entry.jobId, `${record.runId} gave up on attempt ${entry.attempt}: ${info.message}`);
        if (!retry) {
          // Whatever of this attempt is still running may no longer write: the run is over.
          await deps.fence?.(record.runId, stage).catch((e: unknown) => log.warn({ err: e, stage }, "could not raise the fence"));
          rec.state = "failed";
          rec.finishedAt = now();
          record.state = "failed";
          record.reason =
            info.code === "SPARKY_CLOSED"
              ? `interrupted: the orchestrator stopped during ${stage}; continue it with \`sparky resume ${record.runId}\` or POST /runs/${record.runId}/resume`
              : `${stage} failed${info.transient ? ` after ${attempt} attempt${attempt === 1 ? "" : "s"}` : ""}: ${info.message}`;
          record.finishedAt = now();
          await touch();
          events.stageFailed(stage, entry.attempt, info);
          deps.onStage?.(record, stage, record.reason);
          return record;
        }
        await touch();
        const delay = settings.retryBackoffMs * 2 ** (attempt - 1);
        events.retried(stage, entry.attempt, info, delay);
        deps.onStage?.(record, stage, `${stage}: attempt ${attempt} failed (${info.message}); retrying in ${delay} ms`);
        await sleep(delay);
      }
    }
  }
  record.state = "succeeded";
  record.finishedAt = now();
  await touch();
  return record;
}
