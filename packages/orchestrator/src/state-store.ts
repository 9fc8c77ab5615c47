import { readdir } from "node:fs/promises";
import { RUN_ID_PATTERN, RunRecordSchema, SparkyError, StatusSchema, dataLayout } from "@sparky/messages";
import type { RunRecord, Status } from "@sparky/messages";
import { advanceFence, readJson, writeJsonAtomic } from "@sparky/harness";
import type { Stage } from "@sparky/messages";

/**
 * The orchestrator's memory, as files: one per run plus a summary. The CLI reads the
 * same files, so `sparky status` answers even when no service is running.
 */
const RUN_ID = RUN_ID_PATTERN;

export function createStateStore(dataDir: string) {
  const layout = dataLayout(dataDir);
  // Writes go one after another: two renames racing could leave an older state on disk.
  let writes: Promise<unknown> = Promise.resolve();
  const serial = <T>(write: () => Promise<T>): Promise<T> => {
    const next = writes.then(write);
    writes = next.catch(() => undefined);
    return next;
  };
  return {
    layout,
    /** The record is read when its turn comes, so the newest state is what lands. */
    // Durable when it resolves (written, flushed, renamed, folder flushed): POST /runs answers only then.
    saveRun: (record: RunRecord) =>
      serial(() => writeJsonAtomic(layout.run(record.runId), RunRecordSchema.parse(record), { syncDir: true })),
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
    /** All runs, most recently updated first. Unreadable records are skipped, not fatal. */
    async listRuns(): Promise<RunRecord[]> {
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
      return runs.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.runId.localeCompare(b.runId));
    },
    /** The next fencing token of a stage of a run: older tokens may no longer write (durable before it resolves). */
    advanceFence: (runId: string, stage: Stage) => serial(() => advanceFence(dataDir, runId, stage)),
    saveStatus: (status: () => Status) => serial(() => writeJsonAtomic(layout.status, StatusSchema.parse(status()))),
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
