import { randomUUID } from "node:crypto";
import { SparkyError, createMessage, toErrorInfo } from "@sparky/messages";
import type { Clock, Command, CommandOf, ErrorInfo, Event, JobState, Reply, Stage, StageResults } from "@sparky/messages";
import { createEventPublisher, startReplier } from "@sparky/transport";
import type { EventPublisher, Replier } from "@sparky/transport";
import type { Logger } from "pino";
import { initStageMetrics } from "./metrics.js";
import type { ServiceMetrics } from "./metrics.js";
import type { SparkyConfig, StageServiceName } from "./config-schema.js";
import type { Endpoints } from "./endpoints.js";
import { eventsSettleFor } from "./events-settle.js";
import { createLogLimiter } from "./log-limiter.js";
import { assertFence } from "./fence.js";
import { sweepTempFiles } from "./temp-files.js";

/** What every service factory is handed: nothing is read from globals. */
export interface StageServiceDeps {
  config: SparkyConfig;
  endpoints: Endpoints;
  log: Logger;
  clock: Clock;
  metrics: ServiceMetrics;
}

export interface StageJobContext {
  jobId: string;
  log: Logger;
  /** Fires when the orchestrator gives up on this job (cancel) or a newer job for the run replaces it. */
  signal?: AbortSignal;
  /**
   * Call right before output becomes visible (a rename, a commit): throws when the job was
   * cancelled or its attempt is fenced off, so a stale job never overwrites a newer one's output.
   * (Both are optional only so tests can build a context by hand; the service always sets them.)
   */
  guard?: () => Promise<void>;
  progress(message: string, done?: number | null, total?: number | null): void;
  /**
   * The job is waiting on something outside it until `until` (ISO), with `message` saying what
   * (null: the wait is over). `job.status` answers carry it, so the orchestrator can show the
   * wait and not count it against stage_timeout_s.
   */
  waiting(until: string | null, message?: string): void;
}

export type StageWork<S extends Stage> = (command: CommandOf<S>, ctx: StageJobContext) => Promise<StageResults[S]>;

export interface StageServiceOptions<S extends Stage> {
  service: string;
  stage: S;
  /** REP endpoint to bind for commands. */
  bind: string;
  /** Event bus input to connect the PUB socket to. */
  events: string;
  log: Logger;
  clock: Clock;
  metrics: ServiceMetrics;
  work: StageWork<S>;
  /**
   * A command for a run whose job is still running joins that job, unless the job is
   * older than this: a job the orchestrator has given up on (stage_timeout_s) is
   * presumed hung, and a retry gets a fresh one instead of joining it again.
   */
  joinWithinMs?: number;
  /** Shared data folder: where the orchestrator's fences are read. No fencing when absent. */
  dataDir?: string;
  /**
   * Folders the stage writes into: swept of orphaned temp files (a writer killed mid-write)
   * on start, and the job's own folders again before each job writes.
   */
  writeAreas?: { onStart: string[]; forJob: (command: CommandOf<S>) => string[] };
}

export interface StageService {
  readonly service: string;
  /** Bound command endpoint (real port when bound to port 0). */
  readonly endpoint: string;
  start(): Promise<void>;
  /** Stop taking work, let running jobs finish for up to `graceMs`, close sockets. */
  stop(graceMs?: number): Promise<void>;
  readiness(): { ready: boolean; detail: string };
}

interface Job {
  state: JobState;
  runId: string;
  startedAt: number;
  done: Promise<void>;
  controller: AbortController;
  /** The newest fencing token this job works for (a retry that joins it lends it its own). */
  fence: number | undefined;
}

const MAX_JOBS_KEPT = 200;

/**
 * What the four stage services share: answer a command at once with `accepted {jobId}`,
 * do the work after replying, publish progress and the outcome, and answer
 * `job.status` for whoever missed the event. One job per run id at a time: a repeated
 * command for a run in progress gets the same job id instead of a second run.
 */
export function createStageService<S extends Stage>(options: StageServiceOptions<S>): StageService {
  const { service, stage, log, metrics } = options;
  initStageMetrics(metrics, stage);
  const joinWithinMs = options.joinWithinMs ?? Number.POSITIVE_INFINITY;
  const jobs = new Map<string, Job>();
  let replier: Replier | null = null;
  let publisher: EventPublisher | null = null;
  let stopping = false;
  const startedAt = Date.now();
  // Garbage is counted in full by the metric; the log gets a few lines per code and minute.
  const invalidLog = createLogLimiter(log);

  const settle = eventsSettleFor(options.events);
  const emit = (type: Event["type"], runId: string, payload: unknown) => {
    if (!publisher) return undefined;
    return settle.track(publisher.publish(createMessage<Event>(type, payload as never, { runId, clock: options.clock }))).catch((error) => {
      log.warn({ err: error, type }, "could not publish event");
    });
  };

  function remember(jobId: string, job: Job) {
    jobs.set(jobId, job);
    for (const [id, old] of jobs) {
      if (jobs.size <= MAX_JOBS_KEPT) break;
      if (old.state.state !== "running") jobs.delete(id);
    }
  }

  function accept(command: Extract<Command, { type: Stage }>): Reply {
    const runId = command.payload.runId;
    const fence = command.payload.fence;
    for (const [jobId, job] of jobs) {
      // A job that says it is waiting (for GitHub's quota) is not hung, however long it has run.
      if (job.runId === runId && job.state.state === "running" && (job.state.waiting || Date.now() - job.startedAt < joinWithinMs)) {
        if (fence !== undefined) job.fence = Math.max(job.fence ?? 0, fence);
        return createMessage<Reply>("accepted", { jobId, service }, { runId });
      }
    }
    // Older jobs of this run are presumed hung: they are stopped, not left to race the new one.
    for (const [jobId, job] of jobs) {
      if (job.runId === runId && job.state.state === "running") {
        job.controller.abort(new SparkyError("SPARKY_CANCELLED", `${stage} job ${jobId} was replaced by a newer attempt`));
      }
    }
    const jobId = randomUUID();
    const controller = new AbortController();
    const job = { fence } as { fence: number | undefined };
    const jobLog = log.child({ runId, jobId, stage });
    const state: JobState = { jobId, state: "running", stage, result: null, error: null };
    const started = Date.now();
    const ctx: StageJobContext = {
      jobId,
      log: jobLog,
      signal: controller.signal,
      guard: async () => {
        controller.signal.throwIfAborted();
        if (options.dataDir && job.fence !== undefined) await assertFence(options.dataDir, runId, stage, job.fence, jobId);
      },
      progress: (message, done = null, total = null) => {
        jobLog.info({ done, total }, message);
        void emit(`${stage}.progress` as Event["type"], runId, { jobId, message, done, total });
      },
      waiting: (until, message = "waiting") => {
        if (until === null) delete state.waiting;
        else {
          state.waiting = { until, message };
          ctx.progress(message);
        }
      },
    };
    jobLog.info({ command: command.type }, "job accepted");
    // setImmediate: the reply goes out before any of the work starts.
    const done = new Promise<void>((resolve) => setImmediate(resolve))
      .then(async () => {
        const areas = options.writeAreas?.forJob(command as CommandOf<S>) ?? [];
        if (areas.length) await sweepTempFiles(areas, { log: jobLog, registry: metrics.registry, recursive: true });
        return options.work(command as CommandOf<S>, ctx);
      })
      .then(
        (result) => {
          delete state.waiting;
          state.state = "succeeded";
          state.result = result as unknown as Record<string, unknown>;
          metrics.jobs.inc({ stage, outcome: "succeeded" });
          jobLog.info({ result, seconds: (Date.now() - started) / 1000 }, "job succeeded");
          return emit(`${stage}.completed` as Event["type"], runId, { jobId, result });
        },
        (error: unknown) => {
          const info: ErrorInfo = toErrorInfo(error);
          delete state.waiting;
          state.state = "failed";
          state.error = info;
          metrics.jobs.inc({ stage, outcome: "failed" });
          if (info.code === "SPARKY_INTERNAL") jobLog.error({ err: error }, "job failed");
          else jobLog.warn({ code: info.code, reason: info.message }, "job failed");
          return emit(`${stage}.failed` as Event["type"], runId, { jobId, error: info });
        },
      )
      .finally(() => metrics.jobDuration.observe({ stage }, (Date.now() - started) / 1000))
      .then(() => undefined);
    remember(jobId, Object.assign(job, { state, runId, startedAt: started, done, controller }));
    return createMessage<Reply>("accepted", { jobId, service }, { runId });
  }

  async function handle(command: Command): Promise<Reply> {
    metrics.messages.inc({ type: command.type });
    switch (command.type) {
      case "ping":
        return createMessage<Reply>("pong", { service, pid: process.pid, uptimeMs: Date.now() - startedAt });
      case "cancel": {
        const job = jobs.get(command.payload.jobId);
        if (job?.state.state === "running" && !job.controller.signal.aborted) {
          log.warn({ jobId: command.payload.jobId, runId: job.runId, reason: command.payload.reason }, "cancelling a job the orchestrator gave up on");
          job.controller.abort(new SparkyError("SPARKY_CANCELLED", `${stage} job cancelled: ${command.payload.reason}`));
        }
        const state: JobState = job?.state ?? { jobId: command.payload.jobId, state: "unknown", stage: null, result: null, error: null };
        return createMessage<Reply>("job.state", state, { runId: command.runId });
      }
      case "job.status": {
        const job = jobs.get(command.payload.jobId);
        const state: JobState = job?.state ?? { jobId: command.payload.jobId, state: "unknown", stage: null, result: null, error: null };
        return createMessage<Reply>("job.state", state, { runId: command.runId });
      }
      default:
        if (command.type !== stage) {
          return createMessage<Reply>("rejected", {
            code: "SPARKY_WRONG_SERVICE",
            message: `${service} handles ${stage}, not ${command.type}: check the endpoints in config`,
            transient: false,
          });
        }
        if (stopping) {
          return createMessage<Reply>("rejected", { code: "SPARKY_SHUTTING_DOWN", message: `${service} is shutting down`, transient: true });
        }
        return accept(command);
    }
  }

  return {
    service,
    get endpoint() {
      if (!replier) throw new SparkyError("SPARKY_NOT_STARTED", `${service} is not started`);
      return replier.endpoint;
    },
    async start() {
      // What a predecessor killed mid-write left behind goes before any new work starts.
      if (options.writeAreas?.onStart.length) {
        await sweepTempFiles(options.writeAreas.onStart, { log, registry: metrics.registry, recursive: true });
      }
      publisher = createEventPublisher(options.events);
      replier = await startReplier({
        endpoint: options.bind,
        handle,
        onInvalid: (info) => {
          metrics.invalidMessages.inc({ code: info.code });
          invalidLog.warn(info.code, { code: info.code, reason: info.message }, "refused a malformed command");
        },
        onError: (error) => log.error({ err: error }, "command handler failed"),
      });
      log.info({ endpoint: replier.endpoint, events: options.events }, `${service} listening`);
    },
    async stop(graceMs = 10_000) {
      stopping = true;
      const running = [...jobs.values()].filter((j) => j.state.state === "running").map((j) => j.done);
      if (running.length) {
        log.info({ jobs: running.length }, "waiting for running jobs before stopping");
        await Promise.race([Promise.all(running), new Promise((r) => setTimeout(r, graceMs).unref())]);
      }
      await replier?.close();
      // Let the last completion events leave before the PUB socket goes.
      await settle.settled();
      publisher?.close();
      replier = null;
      publisher = null;
    },
    readiness() {
      if (stopping) return { ready: false, detail: "shutting down" };
      return replier ? { ready: true, detail: `listening on ${replier.endpoint}` } : { ready: false, detail: "command socket not bound yet" };
    },
  };
}

/**
 * A stage service factory from its name, its stage and the handler of its one command:
 * the shape all four stage services share.
 */
export function defineStageService<S extends Stage>(
  service: StageServiceName,
  stage: S,
  handle: (command: CommandOf<S>, ctx: StageJobContext, deps: StageServiceDeps) => Promise<StageResults[S]>,
  writeAreas?: (deps: StageServiceDeps) => StageServiceOptions<S>["writeAreas"],
): (deps: StageServiceDeps) => StageService {
  return (deps) =>
    createStageService({
      service,
      stage,
      bind: deps.endpoints.stages[service].bind,
      events: deps.endpoints.eventsIn.connect,
      log: deps.log,
      clock: deps.clock,
      metrics: deps.metrics,
      work: (command, ctx) => handle(command, ctx, deps),
      joinWithinMs: deps.config.orchestrator.stage_timeout_s * 1000,
      dataDir: deps.config.data_dir,
      writeAreas: writeAreas?.(deps),
    });
}
