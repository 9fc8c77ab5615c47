import { readdir } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { z } from "zod";
import { PERIODS, SparkyError, dataLayout, toErrorInfo } from "@sparky/messages";
import type { Clock, Period, RunRecord } from "@sparky/messages";
import { readJson, writeJsonAtomic } from "@sparky/harness";
import type { Logger } from "@sparky/harness";
import { backfillId, backfillPeriods } from "./backfill-plan.js";

const BackfillRecordSchema = z.object({
  schema: z.literal("sparky.backfill/1"),
  id: z.string(),
  period: z.enum(PERIODS),
  from: z.string(),
  to: z.string(),
  /** Who asked: POST /backfill or `sparky backfill`. */
  requestedBy: z.enum(["api", "cli"]),
  repos: z.array(z.string()).optional(),
  org: z.string().nullable().optional(),
  state: z.enum(["queued", "running", "finished"]),
  runIds: z.array(z.string()),
  succeeded: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  failed: z.array(z.object({ runId: z.string(), reason: z.string() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type BackfillRecord = z.infer<typeof BackfillRecordSchema>;

export interface BackfillRequest {
  period: Period;
  from: string;
  to: string;
  requestedBy: "api" | "cli";
  /** The source of every run; the configured one when left out. */
  repos?: string[];
  org?: string | null;
}

export interface BackfillProgress {
  id: string;
  total: number;
  /** Periods finished: succeeded, failed or skipped (already succeeded before). */
  done: number;
  succeeded: number;
  skipped: number;
  failed: { runId: string; reason: string }[];
  /** The period running now, null between periods and at the end. */
  current: string | null;
  /** Estimated time left, from the periods actually run so far; null before the first. */
  etaMs: number | null;
}

/** What a backfill needs of the orchestrator: its run records and a way to run one period. */
export interface BackfillDeps {
  dataDir: string;
  timezone: string;
  clock: Clock;
  log: Logger;
  loadRun(runId: string): Promise<RunRecord | null>;
  /** Start or join the run of a period; resolves when it has finished. */
  submit(request: { period: Period; date: string; trigger: "backfill"; allowEmpty: boolean; repos?: string[]; org?: string | null }): Promise<RunRecord>;
  /** With several replicas, only the leader carries on backfills left by a stopped one. */
  isLeader?: () => boolean;
}

export type Backfills = ReturnType<typeof createBackfills>;

/**
 * Backfills: every period of a range, run one after another through the orchestrator's queue
 * (so the one-run-per-id rule holds and scheduled runs interleave rather than wait hours).
 * Periods that already succeeded are skipped, which makes a backfill resumable by asking
 * again; a failed period is recorded and the rest go on. Each request is a file under
 * data/state/backfills/, written before it is admitted and carried on after a restart.
 */
export function createBackfills(deps: BackfillDeps) {
  const layout = dataLayout(deps.dataDir);
  const active = new Map<string, { record: BackfillRecord; saved: Promise<void>; job: Promise<BackfillRecord> }>();
  const listeners = new Set<(progress: BackfillProgress) => void>();
  // Backfills run one after another: overlapping ranges then find the other's periods succeeded.
  let chain: Promise<unknown> = Promise.resolve();
  const now = () => deps.clock.now().toISOString();
  const save = (record: BackfillRecord) => writeJsonAtomic(layout.backfill(record.id), BackfillRecordSchema.parse(record), { syncDir: true });

  function plan(request: BackfillRequest): BackfillRecord {
    const specs = backfillPeriods(request.period, request.from, request.to, deps.clock.now(), deps.timezone);
    const first = specs[0]!;
    const last = specs[specs.length - 1]!;
    const at = now();
    return {
      schema: "sparky.backfill/1",
      id: backfillId(request.period, first.firstDay, last.lastDay),
      period: request.period,
      from: first.firstDay,
      to: last.lastDay,
      requestedBy: request.requestedBy,
      ...(request.repos?.length ? { repos: request.repos } : {}),
      ...(request.org ? { org: request.org } : {}),
      state: "queued",
      runIds: specs.map((s) => s.runId),
      succeeded: 0,
      skipped: 0,
      failed: [],
      createdAt: at,
      updatedAt: at,
    };
  }

  async function execute(record: BackfillRecord, onProgress?: (p: BackfillProgress) => void): Promise<BackfillRecord> {
    const specs = backfillPeriods(record.period, record.from, record.to, deps.clock.now(), deps.timezone);
    record.state = "running";
    record.succeeded = record.skipped = 0;
    record.failed = [];
    record.updatedAt = now();
    await save(record);
    const log = deps.log.child({ backfill: record.id });
    log.info({ periods: specs.length }, "backfill started");
    let ranMs = 0;
    let ran = 0;
    const progress = (current: string | null): BackfillProgress => {
      const done = record.succeeded + record.skipped + record.failed.length;
      return {
        id: record.id,
        total: specs.length,
        done,
        succeeded: record.succeeded,
        skipped: record.skipped,
        failed: [...record.failed],
        current,
        etaMs: ran ? Math.round((ranMs / ran) * (specs.length - done)) : null,
      };
    };
    const tell = (current: string | null) => {
      const p = progress(current);
      onProgress?.(p);
      for (const listener of listeners) listener(p);
    };
    for (const spec of specs) {
      const before = await deps.loadRun(spec.runId).catch(() => null);
      if (before?.state === "succeeded") {
        record.skipped++;
        tell(null);
        continue;
      }
      tell(spec.runId);
      const started = performance.now();
      try {
        const result = await deps.submit({ period: spec.period, date: spec.firstDay, trigger: "backfill", allowEmpty: true, repos: record.repos, org: record.org });
        if (result.state === "succeeded") record.succeeded++;
        else record.failed.push({ runId: spec.runId, reason: result.reason ?? "failed" });
      } catch (error) {
        if (error instanceof SparkyError && error.code === "SPARKY_NOT_STARTED") {
          // The orchestrator is stopping: leave the backfill "running" for the next one to carry on.
          log.info({ runId: spec.runId }, "backfill paused: the orchestrator stopped");
          tell(null);
          return record;
        }
        // Anything else (a full disk, a bug): the period failed, the rest may not.
        record.failed.push({ runId: spec.runId, reason: toErrorInfo(error).message });
      }
      ranMs += performance.now() - started;
      ran++;
      record.updatedAt = now();
      await save(record).catch((error) => log.warn({ err: error }, "could not save the backfill record"));
      tell(null);
    }
    record.state = "finished";
    record.updatedAt = now();
    await save(record);
    log.info({ succeeded: record.succeeded, skipped: record.skipped, failed: record.failed.length }, "backfill finished");
    return record;
  }

  /** Run after the backfills before it, once its request is saved; joinable at once. */
  function start(record: BackfillRecord, saved: Promise<void>, onProgress?: (p: BackfillProgress) => void) {
    const job = chain.then(() => saved).then(() => execute(record, onProgress));
    chain = job.catch(() => undefined);
    const entry = { record, saved, job };
    active.set(record.id, entry);
    void job
      .catch((error) => deps.log.error({ err: error, backfill: record.id }, "backfill stopped"))
      .finally(() => {
        if (active.get(record.id) === entry) active.delete(record.id);
      });
    return entry;
  }

  return {
    /**
     * Queue a backfill and resolve once its request is durable (written and flushed under
     * data/state/backfills/), so an answer survives a kill. The same range asked for again
     * while it is queued or running joins it. Bad dates throw (SPARKY_BAD_DATE,
     * SPARKY_DATE_OUT_OF_RANGE, SPARKY_BAD_RANGE).
     */
    async admit(request: BackfillRequest): Promise<{ id: string; total: number; joined: boolean; done: Promise<BackfillRecord> }> {
      const record = plan(request);
      const running = active.get(record.id);
      // A backfill that has finished (its last save may still be flushing, and readers of the
      // file already see it finished) is not joined: asked again, it runs again, after it.
      if (running && running.record.state !== "finished") {
        await running.saved;
        return { id: record.id, total: record.runIds.length, joined: true, done: running.job };
      }
      const saved = save(record).catch((error: Error) => {
        throw new SparkyError(
          "SPARKY_STATE_UNWRITABLE",
          `could not save the backfill request in ${layout.backfillsDir}: ${error.message}; free space or fix permissions there, then post again`,
          { transient: true },
        );
      });
      const entry = start(record, saved);
      await saved;
      return { id: record.id, total: record.runIds.length, joined: false, done: entry.job };
    },

    /** Run a backfill to its end here (the CLI), reporting progress after each period. */
    async run(request: BackfillRequest, onProgress?: (p: BackfillProgress) => void): Promise<BackfillRecord> {
      const record = plan(request);
      const running = active.get(record.id);
      if (running) return running.job;
      return start(record, save(record), onProgress).job;
    },

    /** Carry on backfills a stopped orchestrator left queued or running (leader only). */
    async resumePending(): Promise<string[]> {
      if (deps.isLeader && !deps.isLeader()) return [];
      let names: string[];
      try {
        names = (await readdir(layout.backfillsDir)).filter((n) => n.endsWith(".json"));
      } catch {
        return [];
      }
      const resumed: string[] = [];
      for (const name of names.sort()) {
        const record = await readJson(`${layout.backfillsDir}/${name}`, BackfillRecordSchema, "backfill record").catch(() => null);
        if (!record || record.state === "finished" || active.has(record.id)) continue;
        deps.log.info({ backfill: record.id }, "carrying on a backfill an earlier orchestrator left unfinished");
        start(record, Promise.resolve());
        resumed.push(record.id);
      }
      return resumed;
    },

    /** A backfill's record, null when there is none. */
    async load(id: string): Promise<BackfillRecord | null> {
      // The id becomes a path: only the shape backfill ids have may reach the file system.
      if (!/^(daily|weekly|monthly)-\d{4}-\d{2}-\d{2}--\d{4}-\d{2}-\d{2}$/.test(id)) {
        throw new SparkyError("SPARKY_BAD_BACKFILL_ID", `invalid backfill id "${id}": expected e.g. daily-2026-09-01--2026-11-30`);
      }
      return readJson(layout.backfill(id), BackfillRecordSchema, "backfill record").catch((error: { code?: string }) => {
        if (error.code === "SPARKY_FILE_MISSING") return null;
        throw error;
      });
    },

    onProgress(listener: (p: BackfillProgress) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
