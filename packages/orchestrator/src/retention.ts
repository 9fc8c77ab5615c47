import { lstat, readdir, rm, stat, unlink } from "node:fs/promises";
import { join } from "node:path";
import { dataLayout, periodFromRunId } from "@sparky/messages";
import type { Period, RunRecord } from "@sparky/messages";
import type { Logger, OperationsMetrics } from "@sparky/harness";

const DAY_MS = 86_400_000;

export interface PruneOptions {
  dataDir: string;
  /** 0 keeps everything. */
  retainRawDays: number;
  now: Date;
  timezone: string;
  /** The run of a raw collection, if any: its state decides whether the collection may go. */
  loadRun: (runId: string) => Promise<RunRecord | null>;
  log: Logger;
  metrics?: OperationsMetrics;
}

export interface PruneReport {
  raw: { keys: string[]; files: number; bytes: number };
  cache: { files: number; bytes: number };
}

/** A raw folder is named by its period's key; the key's shape says which period. */
function periodOfKey(key: string): Period | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(key)) return "daily";
  if (/^\d{4}-W\d{2}$/.test(key)) return "weekly";
  if (/^\d{4}-\d{2}$/.test(key)) return "monthly";
  return null;
}

async function sizeOf(path: string): Promise<{ files: number; bytes: number }> {
  const info = await lstat(path);
  if (!info.isDirectory()) return { files: 1, bytes: info.size };
  let files = 0;
  let bytes = 0;
  for (const entry of await readdir(path)) {
    const inner = await sizeOf(join(path, entry));
    files += inner.files;
    bytes += inner.bytes;
  }
  return { files, bytes };
}

const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === "ENOENT";

/**
 * Why a raw collection older than the window must stay, or null when it may go. A run in
 * flight still reads it; a failed run needs it to resume (for the window, counted from when
 * it failed, so an old period retried today keeps its data as long as a new one would).
 */
function keepFor(record: RunRecord | null, cutoff: number): string | null {
  if (!record || record.state === "succeeded") return null;
  if (record.state === "pending" || record.state === "running") return `${record.runId} is ${record.state}`;
  const failedAt = Date.parse(record.finishedAt ?? record.updatedAt);
  return failedAt > cutoff ? `${record.runId} failed on ${record.finishedAt ?? record.updatedAt} and may be resumed` : null;
}

async function pruneRaw(options: PruneOptions, cutoff: number, report: PruneReport): Promise<void> {
  const rawRoot = dataLayout(options.dataDir).rawDir("");
  let keys: string[];
  try {
    keys = await readdir(rawRoot);
  } catch (error) {
    if (missing(error)) return;
    throw error;
  }
  for (const key of keys.sort()) {
    const period = periodOfKey(key);
    if (!period) continue; // temp files and anything Sparky did not name
    const runId = `${period}-${key}`;
    let end: number;
    try {
      end = Date.parse(periodFromRunId(runId, options.timezone).window.end);
    } catch {
      continue; // "2026-13-40": not a period Sparky made
    }
    if (end > cutoff) continue;
    // An unreadable record might be a failed run's: keep its data rather than guess.
    const kept = await options.loadRun(runId).then(
      (record) => keepFor(record, cutoff),
      (error: unknown) => `its run record is unreadable (${(error as Error).message})`,
    );
    if (kept) {
      options.log.debug({ key, why: kept }, "kept a raw collection older than retain_raw_days");
      continue;
    }
    const dir = join(rawRoot, key);
    const size = await sizeOf(dir).catch((error: unknown) => (missing(error) ? null : Promise.reject(error)));
    if (!size) continue;
    await rm(dir, { recursive: true, force: true });
    report.raw.keys.push(key);
    report.raw.files += size.files;
    report.raw.bytes += size.bytes;
  }
}

/** Cache entries (ETags, LLM answers) are found by what they hash, not by date: their age is the file's. */
async function pruneCache(dir: string, cutoff: number, report: PruneReport): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (missing(error)) return;
    throw error;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      await pruneCache(path, cutoff, report);
      continue;
    }
    if (!entry.isFile()) continue;
    const info = await stat(path).catch(() => null);
    if (!info || info.mtimeMs > cutoff) continue;
    try {
      await unlink(path);
    } catch (error) {
      if (missing(error)) continue;
      throw error;
    }
    report.cache.files++;
    report.cache.bytes += info.size;
  }
}

/**
 * `[orchestrator] retain_raw_days`: remove raw collections whose period ended before the
 * window and cache files older than it. Processed data, run records and digests are never
 * touched: they are what later periods' trends and the dashboard read, and they are small.
 */
export async function pruneData(options: PruneOptions): Promise<PruneReport> {
  const report: PruneReport = { raw: { keys: [], files: 0, bytes: 0 }, cache: { files: 0, bytes: 0 } };
  if (options.retainRawDays <= 0) return report;
  const cutoff = options.now.getTime() - options.retainRawDays * DAY_MS;
  await pruneRaw(options, cutoff, report);
  await pruneCache(dataLayout(options.dataDir).cacheDir, cutoff, report);
  const { metrics } = options;
  metrics?.prunedFiles.inc({ kind: "raw" }, report.raw.files);
  metrics?.prunedBytes.inc({ kind: "raw" }, report.raw.bytes);
  metrics?.prunedFiles.inc({ kind: "cache" }, report.cache.files);
  metrics?.prunedBytes.inc({ kind: "cache" }, report.cache.bytes);
  if (report.raw.keys.length || report.cache.files) {
    options.log.info(
      {
        event: "data.pruned",
        retainRawDays: options.retainRawDays,
        rawKeys: report.raw.keys,
        rawFiles: report.raw.files,
        rawBytes: report.raw.bytes,
        cacheFiles: report.cache.files,
        cacheBytes: report.cache.bytes,
      },
      `pruned ${report.raw.keys.length} raw collection(s) and ${report.cache.files} cache file(s) older than ${options.retainRawDays} days`,
    );
  }
  return report;
}
