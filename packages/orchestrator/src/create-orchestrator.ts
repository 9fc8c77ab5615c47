import { PERIODS, STAGES, SparkyError, createMessage, periodFor } from "@sparky/messages";
import type { Clock, Command, Event, Period, RunRecord, Stage, Status } from "@sparky/messages";
import { createLogLimiter, eventsSettleFor, initOrchestratorMetrics, probeWritable, sweepTempFiles } from "@sparky/harness";
import type { Endpoints, Logger, ServiceMetrics, SparkyConfig, StageServiceName } from "@sparky/harness";
import { createEventPublisher, createRequester, startEventBus, subscribeEvents } from "@sparky/transport";
import type { EventBus, EventPublisher, EventSubscription, Requester } from "@sparky/transport";
import { createBackfills } from "./backfill.js";
import { createJobWaiter } from "./job-waiter.js";
import { runMetrics } from "./run-metrics.js";
import { executeRun } from "./pipeline.js";
import { runLog as runEvents } from "./run-log.js";
import { pruneData } from "./retention.js";
import type { Schedules } from "./scheduler.js";
import { createStateStore } from "./state-store.js";

export interface RunRequest {
  period: Period;
  date: string;
  /** Local repositories to collect; defaults to `[collector] repos`. */
  repos?: string[];
  /** GitHub organisation to collect; wins over `repos`. See `newRecord` for the defaults. */
  org?: string | null;
  /** Collect again even when an earlier collection of the window was complete. */
  refresh?: boolean;
  trigger: RunRecord["trigger"];
  allowEmpty?: boolean;
}

export interface OrchestratorOptions {
  config: SparkyConfig;
  endpoints: Endpoints;
  log: Logger;
  clock: Clock;
  metrics: ServiceMetrics;
  /** Served orchestrators arm the cron schedules (and catch up on missed ones) and keep status.json fresh. */
  schedules?: boolean;
  mode: "embedded" | "served";
  /** With several replicas, only the holder of the leader lease fires the cron schedules and catches up. */
  leader?: { isLeader(): boolean };
  /**
   * Apply `[orchestrator] retain_raw_days` after each run (served orchestrators and `sparky
   * digest`). Inside the run queue, so no run of this orchestrator is collecting meanwhile.
   */
  retention?: boolean;
}

const SERVICE_OF: Record<Stage, StageServiceName> = {
  collect: "collector",
  analyze: "analyzer",
  generate: "generator",
  publish: "publisher",
};

export type Orchestrator = ReturnType<typeof createOrchestrator>;

/**
 * Owns the event bus, the run queue and the run records. Runs execute one at a time
 * (they share the docs repository and the machine); a run asked for while it is
 * already queued or running joins the existing one.
 */
export function createOrchestrator(options: OrchestratorOptions) {
  const { config, endpoints, log, clock, metrics } = options;
  initOrchestratorMetrics(metrics, PERIODS, Object.values(SERVICE_OF));
  for (const kind of ["raw", "cache"]) {
    metrics.ops.prunedFiles.inc({ kind }, 0);
    metrics.ops.prunedBytes.inc({ kind }, 0);
  }
  const measure = runMetrics(metrics.ops);
  const o = config.orchestrator;
  const store = createStateStore(config.data_dir);
  const waiter = createJobWaiter();
  const listeners = new Set<(event: Event) => void>();
  const startedAt = clock.now().toISOString();
  // Anyone on the bus can publish garbage: the metric counts it all, the log a few lines a minute.
  const droppedLog = createLogLimiter(log);
  let bus: EventBus | null = null;
  let subscription: EventSubscription | null = null;
  let publisher: EventPublisher | null = null;
  let requesters: Record<Stage, Requester> | null = null;
  let schedules: Schedules | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  const inFlight = new Map<string, Promise<RunRecord>>();
  /** Per run in flight: its record and the durable save of it that admission waits for. */
  const admitted = new Map<string, { record: RunRecord; saved: Promise<void> }>();
  /** When the last run of each id finished: a request that arrived before then joins it. */
  const finishedAt = new Map<string, { at: number; record: RunRecord }>();
  const pending: string[] = [];
  let running: { runId: string; stage: Stage | null; since: string } | null = null;
  let lastRun: Status["lastRun"] = null;
  let lastCheck: string | null = null;

  // The last run.* events get a moment to cross the bus before it closes (see eventsSettleFor).
  const settle = eventsSettleFor(endpoints.eventsIn.connect);
  const emit = (type: Event["type"], runId: string, stage: Stage | null, message: string) => {
    if (!publisher) return;
    void settle
      .track(publisher.publish(createMessage<Event>(type, { runId, stage, message }, { runId, clock })))
      .catch((error) => log.warn({ err: error }, "could not publish run event"));
  };

  async function writeStatus() {
    await store
      .saveStatus(() => ({
        schema: "sparky.status/1",
        updatedAt: clock.now().toISOString(),
        orchestrator: { pid: process.pid, startedAt, mode: options.mode },
        running: running ? [running] : [],
        pending: [...pending],
        lastCheck,
        lastRun,
      }))
      .catch((error) => log.warn({ err: error }, "could not write status.json"));
  }

  function enqueue(record: RunRecord): Promise<RunRecord> {
    const existing = inFlight.get(record.runId);
    if (existing) return existing;
    pending.push(record.runId);
    measure.queued(pending.length);
    const saved = store.saveRun(record);
    admitted.set(record.runId, { record, saved });
    void saved.then(writeStatus).catch((error) => log.warn({ err: error, runId: record.runId }, "could not save the run record"));
    const job = queue.then(async () => {
      pending.splice(pending.indexOf(record.runId), 1);
      measure.queued(pending.length);
      try {
        await saved;
      } catch (error) {
        // Never admitted (the API answered 503): nothing runs, and the next request starts anew.
        if (admitted.get(record.runId)?.saved === saved) admitted.delete(record.runId);
        throw error;
      }
      measure.started();
      running = { runId: record.runId, stage: null, since: clock.now().toISOString() };
      await writeStatus();
      emit("run.started", record.runId, null, `${record.runId} started (${record.trigger})`);
      const runLog = log.child({ runId: record.runId });
      const events = runEvents(runLog, record);
      events.started();
      const result = await executeRun(record, {
        requesters: requesters!,
        waiter,
        clock,
        log: runLog,
        events,
        gate: { dataDir: config.data_dir, docsRepo: config.publisher.git_repo },
        save: (r) => store.saveRun(r),
        fence: (runId, stage) => store.advanceFence(runId, stage),
        cancel: (stage, jobId, reason) => {
          requesters?.[stage]
            .request(createMessage<Command>("cancel", { jobId, reason }, { runId: record.runId, clock }))
            .catch((error) => log.info({ err: error, stage, jobId }, "could not tell the stage to cancel the job (it is fenced off all the same)"));
        },
        onStage: (r, stage, message) => {
          running = { runId: r.runId, stage, since: running?.since ?? clock.now().toISOString() };
          void writeStatus();
          emit("run.stage", r.runId, stage, message);
        },
        settings: {
          maxAttempts: o.max_attempts,
          retryBackoffMs: o.retry_backoff_ms,
          pollIntervalMs: o.poll_interval_ms,
          stageTimeoutMs: o.stage_timeout_s * 1000,
        },
      }).catch(async (error: unknown) => {
        // Only a bug or a full disk gets here: record it rather than leave a run "running".
        record.state = "failed";
        record.reason = `orchestrator error: ${(error as Error).message}`;
        record.finishedAt = clock.now().toISOString();
        await store.saveRun(record).catch(() => undefined);
        return record;
      });
      // The record on disk says the run is over: from here a request for the same run
      // starts a new one rather than joining this one (no await since the last save).
      inFlight.delete(record.runId);
      admitted.delete(record.runId);
      finishedAt.delete(record.runId);
      finishedAt.set(record.runId, { at: Date.now(), record: result });
      // Only recent finishes matter (requests still being answered): keep the newest few hundred.
      if (finishedAt.size > 500) finishedAt.delete(finishedAt.keys().next().value!);
      metrics.runs.inc({ period: result.period, outcome: result.state });
      measure.finished(result, running!.since);
      running = null;
      lastRun = { runId: result.runId, state: result.state, reason: result.reason, finishedAt: result.finishedAt };
      await writeStatus();
      if (result.state === "succeeded") emit("run.completed", result.runId, null, `${result.runId} succeeded`);
      else emit("run.failed", result.runId, null, result.reason ?? "failed");
      events.finished();
      if (options.retention) await prune();
      return result;
    });
    queue = job.catch(() => undefined);
    inFlight.set(record.runId, job);
    // The job rejects only when its record could not be saved; whoever waits on it hears why.
    void job
      .finally(() => {
        if (inFlight.get(record.runId) === job) {
          inFlight.delete(record.runId);
          admitted.delete(record.runId);
        }
      })
      .catch(() => undefined);
    return job;
  }

  let catchingUp: Promise<string[]> = Promise.resolve([]);
  /**
   * Queue the periods the schedules missed (the orchestrator was down at their cron time,
   * or their run failed) that still have no succeeded run, oldest first. The queue runs one
   * at a time in order, so they come before anything asked for later; a period already in
   * flight is joined, never run twice. Calls are serialised: two never queue the same period.
   * `justRan`: the scheduled run that just failed had its attempts; the next catch-up takes it.
   */
  function catchUp(justRan?: string): Promise<string[]> {
    const next = catchingUp.then(async () => {
      // Embedded runs (`sparky digest`) do what they are asked and nothing else.
      if (!requesters || options.mode !== "served") return [];
      if (options.leader && !options.leader.isLeader()) {
        log.info("catch-up left to the replica that holds the leader lease");
        return [];
      }
      const queued: string[] = [];
      // Imported here: croner (cron calendars) is a served orchestrator's; `sparky digest` never loads it.
      const { duePeriods } = await import("./catch-up.js");
      for (const { spec, dueAt } of duePeriods(config, clock.now())) {
        if (inFlight.has(spec.runId) || spec.runId === justRan) continue;
        const record = await store.loadRun(spec.runId).catch(() => null);
        if (record?.state === "succeeded") continue;
        void enqueue(newRecord({ period: spec.period, date: spec.firstDay, trigger: "catch-up", allowEmpty: true })).catch((error) =>
          log.error({ err: error, runId: spec.runId }, "catch-up run could not start"),
        );
        queued.push(spec.runId);
        log.info({ runId: spec.runId, dueAt: dueAt.toISOString(), previous: record?.state ?? null }, "catching up a period the schedule missed");
      }
      return queued;
    });
    catchingUp = next.catch(() => []);
    return next;
  }

  /**
   * Runs left "running" or "pending" by an orchestrator that stopped (a restart, a rolling
   * update, a crash) would otherwise look alive forever. With one orchestrator they are
   * marked failed with how to continue; with leader election other replicas may own them.
   */
  async function markInterrupted(runs: readonly RunRecord[]) {
    if (options.leader) return;
    for (const record of runs) {
      if (record.state !== "running" && record.state !== "pending") continue;
      const stage = record.stages.find((s) => s.state === "running")?.stage;
      record.state = "failed";
      record.reason = `interrupted: the orchestrator stopped${stage ? ` during ${stage}` : ""}; continue it with \`sparky resume ${record.runId}\` or POST /runs/${record.runId}/resume`;
      record.finishedAt = record.updatedAt = clock.now().toISOString();
      await store.saveRun(record).catch((error) => log.warn({ err: error, runId: record.runId }, "could not save the run record"));
      log.warn({ runId: record.runId }, "marked a run interrupted by an earlier stop");
    }
  }

  /** Never fails a run: what could not be removed now is removed after the next one. */
  async function prune() {
    await pruneData({
      dataDir: config.data_dir,
      retainRawDays: o.retain_raw_days,
      now: clock.now(),
      timezone: config.timezone,
      loadRun: (runId) => store.loadRun(runId),
      log,
      metrics: metrics.ops,
    }).catch((error: unknown) => log.warn({ err: error }, "could not prune old raw data and caches; will try again after the next run"));
  }

  /** A request that names its source (repos or org) must name the one the run uses. */
  function assertSameSource(running: RunRecord, asked: RunRecord, request: RunRequest) {
    if (!request.repos?.length && !request.org) return;
    const key = (r: RunRecord) => JSON.stringify([r.org, [...r.repos].sort()]);
    if (key(running) === key(asked)) return;
    const source = (r: RunRecord) => (r.org ? `organisation ${r.org}` : `repositories ${r.repos.join(", ")}`);
    throw new SparkyError(
      "SPARKY_RUN_CONFLICT",
      `run ${running.runId} is already running with ${source(running)}, not ${source(asked)}: ` +
        `wait until it finishes (GET /runs/${running.runId}) and post again, or leave repos out to join it`,
    );
  }

  function newRecord(request: RunRequest): RunRecord {
    const spec = periodFor(request.period, request.date, config.timezone);
    const now = clock.now().toISOString();
    // The source, most explicit first: an organisation asked for, repositories asked for,
    // the configured organisation, the configured repositories.
    const org = request.org || (request.repos?.length ? null : config.collector.github_org || null);
    const repos = org ? [] : request.repos?.length ? request.repos : config.collector.repos;
    return {
      schema: "sparky.run/1",
      runId: spec.runId,
      period: spec.period,
      key: spec.key,
      window: spec.window,
      timezone: spec.timezone,
      state: "pending",
      trigger: request.trigger,
      repos,
      org,
      refresh: request.refresh ?? false,
      collection: null,
      allowEmpty: request.allowEmpty ?? false,
      createdAt: now,
      updatedAt: now,
      finishedAt: null,
      reason: null,
      stages: STAGES.map((stage) => ({ stage, state: "pending", startedAt: null, finishedAt: null, attempts: [], result: null })),
    };
  }

  /** Start (or join) the run of a period; resolves when it has finished. */
  function submit(request: RunRequest): Promise<RunRecord> {
    if (!requesters) return Promise.reject(new SparkyError("SPARKY_NOT_STARTED", "orchestrator is not started"));
    const record = newRecord(request);
    const existing = inFlight.get(record.runId);
    return existing ?? enqueue(record);
  }

  const backfills = createBackfills({
    dataDir: config.data_dir,
    timezone: config.timezone,
    clock,
    log,
    loadRun: (runId) => store.loadRun(runId),
    submit,
    isLeader: options.leader ? () => options.leader!.isLeader() : undefined,
  });

  return {
    store,
    async start() {
      bus = await startEventBus({
        input: endpoints.eventsIn.bind,
        output: endpoints.eventsOut.bind,
        onError: (error) => log.error({ err: error }, "the event bus stopped forwarding; restart the orchestrator"),
      });
      subscription = subscribeEvents(endpoints.eventsOut.connect, {
        onDrop: (info) => {
          metrics.droppedEvents.inc({ code: info.code });
          droppedLog.warn(info.code, { code: info.code, reason: info.message }, "dropped a malformed event");
        },
      });
      void (async () => {
        for await (const event of subscription!) {
          waiter.observe(event);
          for (const listener of listeners) listener(event);
        }
      })().catch((error) => log.error({ err: error }, "event subscription ended"));
      publisher = createEventPublisher(endpoints.eventsIn.connect);
      requesters = Object.fromEntries(
        STAGES.map((stage) => {
          const peer = SERVICE_OF[stage];
          return [
            stage,
            createRequester({
              endpoint: endpoints.stages[peer].connect,
              timeoutMs: o.request_timeout_ms,
              retries: o.request_retries,
              peer,
              onRetry: ({ attempt, reason }) => {
                metrics.requestRetries.inc({ peer });
                log.warn({ peer, attempt, reason }, `no answer from ${peer}; retrying on a fresh socket`);
              },
            }),
          ];
        }),
      ) as Record<Stage, Requester>;
      if (options.schedules && o.schedules_enabled) {
        const { startSchedules } = await import("./scheduler.js"); // croner, as for catch-up
        schedules = startSchedules(config, clock, log, (period, date) => {
          if (options.leader && !options.leader.isLeader()) {
            return log.info({ period, date }, "scheduled run left to the replica that holds the leader lease");
          }
          void submit({ period, date, trigger: "schedule", allowEmpty: true })
            .then((record) => record.runId)
            .catch((error) => log.error({ err: error, period, date }, "scheduled run could not start"))
            // Whatever else the schedules missed (a failed day, a day the process was down) comes next.
            .then((runId) => catchUp(runId ?? undefined))
            .catch((error) => log.error({ err: error }, "catch-up failed"));
        });
      }
      // Temp files of a predecessor killed mid-write (run records, status, fences).
      await sweepTempFiles([store.layout.stateDir], { log, registry: metrics.registry, recursive: true });
      if (options.mode === "served") {
        // One read of the run records serves both: runs left behind, and the last successes.
        const runs = await store.listRuns();
        await markInterrupted(runs);
        measure.restore(runs);
        lastCheck = clock.now().toISOString();
        heartbeat = setInterval(() => {
          lastCheck = clock.now().toISOString();
          void writeStatus();
        }, 30_000);
        heartbeat.unref();
      }
      await writeStatus();
      log.info({ eventsIn: bus.input, eventsOut: bus.output }, "orchestrator started");
      if (schedules) void catchUp().catch((error) => log.error({ err: error }, "catch-up failed"));
      // After catch-up has queued its periods: a backfill a stopped orchestrator left goes on.
      if (options.mode === "served") {
        void catchingUp.then(() => backfills.resumePending()).catch((error) => log.error({ err: error }, "could not carry on unfinished backfills"));
      }
    },

    submit,

    /** Backfills of a range of periods (POST /backfill, `sparky backfill`), run through this queue. */
    backfills,

    /**
     * Admit a run asked for over HTTP: start it, or join the run of the same id that is in
     * flight, or that finished after this request arrived (a burst of identical requests makes
     * one run). Resolves once the run record is durable, so an answer of 202 survives a kill.
     * A request naming another source than the run in flight is refused (SPARKY_RUN_CONFLICT).
     */
    async admit(request: RunRequest, receivedAt: number): Promise<{ runId: string; joined: boolean }> {
      if (!requesters) throw new SparkyError("SPARKY_NOT_STARTED", "orchestrator is not started");
      const record = newRecord(request);
      const current = admitted.get(record.runId);
      if (current) {
        assertSameSource(current.record, record, request);
        await current.saved;
        return { runId: current.record.runId, joined: true };
      }
      const finished = finishedAt.get(record.runId);
      if (finished && receivedAt <= finished.at) {
        assertSameSource(finished.record, record, request);
        return { runId: finished.record.runId, joined: true };
      }
      void enqueue(record).catch(() => undefined);
      const entry = admitted.get(record.runId);
      try {
        await entry?.saved;
      } catch (error) {
        if (entry && admitted.get(record.runId) === entry) admitted.delete(record.runId);
        throw new SparkyError("SPARKY_STATE_UNWRITABLE", `could not save the run record of ${record.runId} in ${store.layout.runsDir}: ${(error as Error).message}; free space or fix permissions there, then post again`, { transient: true });
      }
      return { runId: record.runId, joined: false };
    },

    /** Continue a failed run from its first stage whose output is missing or stale. */
    async resume(runId: string): Promise<RunRecord> {
      const existing = inFlight.get(runId);
      if (existing) return existing;
      const record = await store.loadRun(runId);
      if (!record) {
        throw new SparkyError("SPARKY_RUN_NOT_FOUND", `no run ${runId} in ${store.layout.runsDir}: list runs with \`sparky tasks\``);
      }
      return enqueue(record);
    },

    onEvent(listener: (event: Event) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    nextSchedules: () => schedules?.next() ?? [],

    /** Queue the periods the schedules missed (see catchUp); resolves with the run ids queued. */
    catchUp: () => catchUp(),

    /** Ready when the event bus is bound and run state can be written (a read-only or full volume is not). */
    async readiness() {
      if (!bus) return { ready: false, detail: "event bus not bound yet" };
      const unwritable = await probeWritable(store.layout.stateDir);
      if (unwritable) return { ready: false, detail: unwritable };
      return { ready: true, detail: `event bus on ${bus.input} -> ${bus.output}` };
    },

    async stop() {
      schedules?.stop();
      if (heartbeat) clearInterval(heartbeat);
      // Wait for what is running: a run stopped midway is resumable, but a finished one is better.
      await Promise.race([queue, new Promise((r) => setTimeout(r, 5000).unref())]);
      running = null;
      await writeStatus();
      for (const requester of Object.values(requesters ?? {})) requester.close();
      await settle.settled();
      publisher?.close();
      subscription?.close();
      await bus?.close();
      requesters = null;
      await store.close();
    },
  };
}
