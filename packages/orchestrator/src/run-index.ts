import { open, stat } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";
import { dataLayout } from "@sparky/messages/layout";
import type { RunState } from "@sparky/messages";
import type { RunSummary } from "./run-summary.js";

/**
 * The run index (data/state/runs-index.ndjson): one line per run record, most recently
 * updated first, after a head line. `sparky status` reads the head and a few lines instead
 * of parsing thousands of run files, and loads no schema library to do it (a subpath
 * export, `@sparky/orchestrator/run-index`, so the CLI's fast path stays light).
 *
 * The run files stay the truth. The head records the runs folder as it was when the
 * index was made (device, inode, mtime in ns); any file created, renamed or removed
 * there changes the folder's mtime, so an index that no longer matches is stale and is
 * rebuilt from the files. A kill -9 between a run write and the index write therefore
 * costs one rebuild, never a wrong answer.
 */
export const RUN_INDEX_SCHEMA = "sparky.run-index/1";

export type RunRow = RunSummary & { note: string | null };
export interface DirStamp {
  dev: string;
  ino: string;
  mtimeNs: string;
}
export interface RunIndexHead {
  schema: typeof RUN_INDEX_SCHEMA;
  runsDir: DirStamp;
  count: number;
  /** The most recently updated run that has finished: `sparky status`'s "Last run". */
  lastFinished: { runId: string; state: RunState; reason: string | null } | null;
  /** The first five runs (in index order) that carry a note. */
  noted: RunRow[];
}

export type RunIndexRead =
  | { fresh: true; head: RunIndexHead; rows: RunRow[]; complete: boolean }
  | { fresh: false; why: string };

/** The folder's identity and mtime, or null when it does not exist. */
export async function dirStamp(path: string): Promise<DirStamp | null> {
  try {
    const s = await stat(path, { bigint: true });
    return { dev: String(s.dev), ino: String(s.ino), mtimeNs: String(s.mtimeNs) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

export function sameStamp(a: DirStamp | null, b: DirStamp | null): boolean {
  return a !== null && b !== null && a.dev === b.dev && a.ino === b.ino && a.mtimeNs === b.mtimeNs;
}

/** The file's text: rows must already be in index order (updatedAt descending, then run id). */
export function formatRunIndex(stamp: DirStamp, rows: RunRow[], lastFinished: RunIndexHead["lastFinished"]): string {
  const head: RunIndexHead = {
    schema: RUN_INDEX_SCHEMA,
    runsDir: stamp,
    count: rows.length,
    lastFinished,
    noted: rows.filter((r) => r.note !== null).slice(0, 5),
  };
  return [head, ...rows].map((line) => `${JSON.stringify(line)}\n`).join("");
}

/**
 * Read the head and then rows until `enough(rows)` says so (or all of them). A missing,
 * damaged or stale index comes back as `fresh: false`, for the caller to rebuild; a data
 * directory without a runs folder is a fresh, empty index.
 */
export async function readRunIndex(dataDir: string, enough: (rows: RunRow[]) => boolean = () => false): Promise<RunIndexRead> {
  const layout = dataLayout(dataDir);
  const folder = await dirStamp(layout.runsDir);
  if (!folder) {
    const empty: RunIndexHead = { schema: RUN_INDEX_SCHEMA, runsDir: { dev: "", ino: "", mtimeNs: "" }, count: 0, lastFinished: null, noted: [] };
    return { fresh: true, head: empty, rows: [], complete: true };
  }
  let handle;
  try {
    handle = await open(layout.runIndex, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { fresh: false, why: "missing" };
    throw error;
  }
  try {
    const written = await handle.stat({ bigint: true });
    const lines = readLines(handle);
    const first = await lines.next();
    const head = first.done ? null : parseLine(first.value);
    if (!isHead(head)) return { fresh: false, why: "damaged" };
    if (!sameStamp(head.runsDir, folder)) return { fresh: false, why: "stale" };
    // Timestamps have a coarse tick: a run written in the same tick as the one the index
    // recorded, after it, would leave the folder's mtime unchanged. Only an index written
    // in a later tick than the folder's last change can vouch for all of it (as git does).
    if (written.mtimeNs <= BigInt(head.runsDir.mtimeNs)) return { fresh: false, why: "racy" };
    const rows: RunRow[] = [];
    while (!enough(rows)) {
      const next = await lines.next();
      if (next.done) {
        // The rename makes the whole file visible at once, but a power cut can still cut it.
        if (rows.length !== head.count) return { fresh: false, why: "truncated" };
        break;
      }
      const row = parseLine(next.value);
      if (!isRow(row)) return { fresh: false, why: "damaged" };
      rows.push(row);
    }
    return { fresh: true, head, rows, complete: rows.length === head.count };
  } finally {
    await handle.close();
  }
}

async function* readLines(handle: import("node:fs/promises").FileHandle): AsyncGenerator<string> {
  // 64 KiB holds the head and a few hundred rows: `sparky status` reads once.
  const chunk = Buffer.allocUnsafe(64 * 1024);
  const decoder = new StringDecoder("utf8");
  let pending = "";
  for (let position = 0; ; ) {
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    pending += decoder.write(chunk.subarray(0, bytesRead));
    let start = 0;
    for (let end = pending.indexOf("\n"); end >= 0; end = pending.indexOf("\n", start)) {
      yield pending.slice(start, end);
      start = end + 1;
    }
    pending = pending.slice(start);
  }
  // A last line without its newline was cut short: it is not yielded, and the count check catches it.
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}

function isHead(value: unknown): value is RunIndexHead {
  const head = value as RunIndexHead | null;
  return head?.schema === RUN_INDEX_SCHEMA && typeof head.count === "number" && Array.isArray(head.noted) && typeof head.runsDir?.mtimeNs === "string";
}

function isRow(value: unknown): value is RunRow {
  const row = value as RunRow | null;
  return typeof row?.runId === "string" && typeof row.state === "string" && typeof row.updatedAt === "string";
}
