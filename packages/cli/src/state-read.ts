import { readFile } from "node:fs/promises";
import type { Status } from "@sparky/messages";
import { dataLayout } from "@sparky/messages/layout";
import { readRunIndex } from "@sparky/orchestrator/run-index";
import type { RunIndexHead, RunRow } from "@sparky/orchestrator/run-index";

/**
 * What `sparky status` and `sparky tasks` read from data/state/, on a path that loads no
 * schema library and no service: the status file and the run index. Only when the index is
 * missing or stale (or a file does not look right) is the orchestrator's state store
 * loaded, to rebuild the index from the run files or to name what is wrong with a file.
 */
export interface RunsView {
  /** Most recently updated first; only as many as `enough` asked for when the index was fresh. */
  rows: RunRow[];
  lastFinished: RunIndexHead["lastFinished"];
  /** The first five runs with a note. */
  noted: RunRow[];
}

export async function readRuns(dataDir: string, enough?: (rows: RunRow[]) => boolean): Promise<RunsView> {
  const read = await readRunIndex(dataDir, enough);
  if (read.fresh) return { rows: read.rows, lastFinished: read.head.lastFinished, noted: read.head.noted };
  const { createStateStore } = await import("@sparky/orchestrator");
  const { rows, lastFinished } = await createStateStore(dataDir).rebuildIndex();
  return { rows, lastFinished, noted: rows.filter((r) => r.note !== null).slice(0, 5) };
}

export async function readStatus(dataDir: string): Promise<Status | null> {
  let text: string;
  try {
    text = await readFile(dataLayout(dataDir).status, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  // Empty: a power cut after the orchestrator's last (unflushed) rewrite; as if not written yet.
  if (text.trim() === "") return null;
  const value = parseJson(text) as Status | null;
  if (looksLikeStatus(value)) return value;
  // Not what the orchestrator writes: the schema says exactly what is wrong, with the path.
  const { createStateStore } = await import("@sparky/orchestrator");
  return createStateStore(dataDir).loadStatus();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The fields status reads, with the types it relies on; anything else goes to the schema. */
function looksLikeStatus(value: Status | null): value is Status {
  const isTime = (v: unknown) => typeof v === "string" && !Number.isNaN(Date.parse(v));
  return (
    value?.schema === "sparky.status/1" &&
    isTime(value.updatedAt) &&
    (value.lastCheck === null || isTime(value.lastCheck)) &&
    Array.isArray(value.pending) &&
    value.pending.every((p) => typeof p === "string") &&
    Array.isArray(value.running) &&
    value.running.every((r) => typeof r?.runId === "string" && isTime(r.since)) &&
    (value.orchestrator === null || (typeof value.orchestrator?.pid === "number" && typeof value.orchestrator.mode === "string")) &&
    (value.lastRun === null || typeof value.lastRun?.runId === "string")
  );
}
