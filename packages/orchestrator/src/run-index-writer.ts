import { stat } from "node:fs/promises";
import { dataLayout } from "@sparky/messages";
import type { RunRecord } from "@sparky/messages";
import { writeFileAtomic } from "@sparky/harness";
import { dirStamp, formatRunIndex, sameStamp } from "./run-index.js";
import type { DirStamp, RunIndexHead, RunRow } from "./run-index.js";
import { compareRuns, runRow } from "./run-summary.js";

interface Entry {
  row: RunRow;
  finished: boolean;
}

/**
 * Keeps data/state/runs-index.ndjson in step with the run files the state store writes.
 * The rows live in memory after a first full read; each save replaces one and rewrites the
 * file atomically. A change to the runs folder this writer did not make (another process,
 * a removed record) is noticed before the next save and answered by reading the files again.
 */
export function createRunIndexWriter(dataDir: string, listRuns: () => Promise<RunRecord[]>) {
  const layout = dataLayout(dataDir);
  let entries: Map<string, Entry> | null = null;
  // The runs folder as the last index this writer wrote recorded it.
  let written: DirStamp | null = null;

  const load = async () => new Map((await listRuns()).map((r) => [r.runId, entryOf(r)] as const));
  async function write(stamp: DirStamp, all: Map<string, Entry>): Promise<void> {
    const { rows, lastFinished } = ordered(all);
    // Not flushed: a damaged or empty index is rebuilt from the run files by its reader.
    await writeFileAtomic(layout.runIndex, formatRunIndex(stamp, rows, lastFinished), { durable: false });
  }

  return {
    /** Before a run file is written: anything else that changed the folder means reading it again. */
    async beforeSave(): Promise<void> {
      if (entries && !sameStamp(await dirStamp(layout.runsDir), written)) entries = null;
    },
    /**
     * After a run file is written (renamed into place). True when the index landed in the
     * same clock tick as the folder's change: readers cannot trust it until `settle()`.
     */
    async afterSave(record: RunRecord): Promise<boolean> {
      // The stamp is taken before the files are read: a write during the read makes it stale.
      const stamp = await dirStamp(layout.runsDir);
      if (!stamp) return false;
      if (entries) entries.set(record.runId, entryOf(record));
      else entries = await load();
      await write(stamp, entries);
      written = stamp;
      return (await stat(layout.runIndex, { bigint: true })).mtimeNs <= BigInt(stamp.mtimeNs);
    },
    /**
     * Rewrite the same index in a later tick, if the folder has not changed since: readers
     * then trust it instead of rebuilding. Run through the store's write queue.
     */
    async settle(): Promise<void> {
      if (entries && written && sameStamp(await dirStamp(layout.runsDir), written)) await write(written, entries);
    },
    /** Read every run file and write the index afresh; what it holds, most recently updated first. */
    async rebuild(): Promise<IndexedRuns> {
      const stamp = await dirStamp(layout.runsDir);
      const all = await load();
      // A read-only data directory (a status read in another pod) still gets its answer from the files.
      if (stamp) await write(stamp, all).catch(() => undefined);
      return ordered(all);
    },
  };
}

export interface IndexedRuns {
  rows: RunRow[];
  lastFinished: RunIndexHead["lastFinished"];
}

function ordered(all: Map<string, Entry>): IndexedRuns {
  const sorted = [...all.values()].sort((a, b) => compareRuns(a.row, b.row));
  const last = sorted.find((e) => e.finished)?.row;
  return {
    rows: sorted.map((e) => e.row),
    lastFinished: last ? { runId: last.runId, state: last.state, reason: last.reason } : null,
  };
}

function entryOf(record: RunRecord): Entry {
  return { row: runRow(record), finished: record.finishedAt !== null };
}
