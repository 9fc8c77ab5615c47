import { readdir } from "node:fs/promises";
import { RUN_ID_PATTERN, RunRecordSchema, SparkyError, StatusSchema, dataLayout } from "@sparky/messages";
import type { RunRecord, Status } from "@sparky/messages";
import { advanceFence, readJson, writeJsonAtomic } from "@sparky/harness";
import type { Stage } from "@sparky/messages";
import { createRunIndexWriter } from "./run-index-writer.js";
import { compareRuns } from "./run-summary.js";

/**
 * The orchestrator's memory, as files: one per run plus a summary. The CLI reads the
 * same files, so `sparky status` answers even when no service is running.
 */
const RUN_ID = RUN_ID_PATTERN;
/** Longer than a file-system timestamp tick (1 to 10 ms), so the rewritten index is newer than the folder. */
const SETTLE_MS = 25;

export function createStateStore(dataDir: string) {
  const layout = dataLayout(dataDir);
  // Writes go one after another: two renames racing could leave an older state on disk.
  let writes: Promise<unknown> = Promise.resolve();
  const serial = <T>(write: () => Promise<T>): Promise<T> => {
    const next = writes.then(write);
    writes = next.catch(() => undefined);
    return next;
  };
  const index = createRunIndexWriter(dataDir, () => listRuns());
  // One pending rewrite of a racy index at most; none once the store is closed.
  let settling: NodeJS.Timeout | null = null;
  let closed = false;
  let statusQueued: Promise<void> | null = null;
  let newestStatus: () => Status;
  /** All runs, most recently updated first. Unreadable records are skipped, not fatal. */
  async function listRuns(): Promise<RunRecord[]> {
    let names: string[];
    try {
      names = (await readdir(layout.runsDir)).filter((n) => n.endsWith(".json"));
    } catch {
      return [];
    }
    const runs: RunRecord[] = [];
    for (const name of names) {
      try {
        runs.push(await readJson(`${layout.runsDir}/${name}`, RunRecordSchema, "run record"));
      } catch {
        // A record from another version or a damaged file: listing goes on without it.
      }
    }
    return runs.sort(compareRuns);
  }
  return {
    layout,
    /** The record is read when its turn comes, so the newest state is what lands. */
    // Durable when it resolves (written, flushed, renamed, folder flushed): POST /runs answers only then.
    saveRun: (record: RunRecord) =>
      serial(async () => {
        const valid = RunRecordSchema.parse(record);
        await index.beforeSave().catch(() => undefined);
        await writeJsonAtomic(layout.run(record.runId), valid, { syncDir: true });
        // The run file is the truth; an index that could not be written is stale and rebuilt by its next reader.
        const racy = await index.afterSave(valid).catch(() => false);
        if (racy && !closed && !settling) {
          settling = setTimeout(() => {
            settling = null;
            void serial(() => (closed ? Promise.resolve() : index.settle())).catch(() => undefined);
          }, SETTLE_MS);
          settling.unref();
        }
      }),
    /** No more index rewrites after this; resolves once the writes under way are done (stop, tests). */
    async close(): Promise<void> {
      closed = true;
      if (settling) clearTimeout(settling);
      settling = null;
      await writes;
    },
    async loadRun(runId: string): Promise<RunRecord | null> {
      // The id becomes a path: only the shape run ids have may reach the file system.
      if (!RUN_ID.test(runId)) {
        throw new SparkyError("SPARKY_BAD_RUN_ID", `invalid run id "${runId}": expected e.g. daily-2026-11-26, weekly-2026-W48 or monthly-2026-11`);
      }
      try {
        return await readJson(layout.run(runId), RunRecordSchema, "run record");
      } catch (error) {
        if ((error as { code?: string }).code === "SPARKY_FILE_MISSING") return null;
        throw error;
      }
    },
    listRuns,
    /** Read every run file and write the run index afresh (`sparky status` after a stale index). */
    rebuildIndex: () => index.rebuild(),
    /** The next fencing token of a stage of a run: older tokens may no longer write (durable before it resolves). */
    advanceFence: (runId: string, stage: Stage) => serial(() => advanceFence(dataDir, runId, stage)),
    // A summary rewritten on every change (and by the heartbeat): not flushed, as the run files are.
    // Read when its turn comes, so a rewrite still waiting in line already holds any later
    // change: asking again meanwhile joins it instead of queueing one more.
    saveStatus: (status: () => Status) => {
      newestStatus = status;
      return (statusQueued ??= serial(() => {
        statusQueued = null;
        return writeJsonAtomic(layout.status, StatusSchema.parse(newestStatus()), { durable: false });
      }));
    },
    async loadStatus(): Promise<Status | null> {
      try {
        return await readJson(layout.status, StatusSchema, "status file");
      } catch (error) {
        if ((error as { code?: string }).code === "SPARKY_FILE_MISSING") return null;
        throw error;
      }
    },
  };
}
export type StateStore = ReturnType<typeof createStateStore>;
