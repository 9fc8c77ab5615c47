import { join } from "node:path";
import type { Period } from "./period.js";

/**
 * Where each stage reads and writes on the shared volume. One definition, so a stage
 * and the gate that checks it can never disagree about a path.
 */
export function dataLayout(dataDir: string) {
  return {
    rawDir: (key: string) => join(dataDir, "raw", key),
    rawManifest: (key: string) => join(dataDir, "raw", key, "manifest.json"),
    rawRepository: (key: string, owner: string, name: string) => join(dataDir, "raw", key, owner, `${name}.json`),
    analysis: (period: Period, key: string) => join(dataDir, "processed", period, `${key}.json`),
    stateDir: join(dataDir, "state"),
    status: join(dataDir, "state", "status.json"),
    runsDir: join(dataDir, "state", "runs"),
    /** A summary of every run record, so `sparky status` need not read them all (rebuilt when stale). */
    runIndex: join(dataDir, "state", "runs-index.ndjson"),
    run: (runId: string) => join(dataDir, "state", "runs", `${runId}.json`),
    /** Fencing tokens of a run's stages: which attempt may still write its output. */
    fence: (runId: string) => join(dataDir, "state", "fences", `${runId}.json`),
    /** Backfill requests, kept until done so a restarted orchestrator carries them on. */
    backfillsDir: join(dataDir, "state", "backfills"),
    backfill: (id: string) => join(dataDir, "state", "backfills", `${id}.json`),
    cacheDir: join(dataDir, "cache"),
  };
}
export type DataLayout = ReturnType<typeof dataLayout>;

export function digestRelativePath(period: Period, key: string): string {
  return `${period}/${key}.md`;
}

/**
 * The files the generator keeps beside the digests in the output folder, and the publisher
 * commits with them: the index page, the Atom feed, the ledger of quiet days skipped
 * under `[generator] empty_days = "skip"` (which the index reads back to list them), and the
 * dashboard's JSON index of every digest (its read model, see DigestIndexSchema).
 */
export const OUTPUT_FILES = { index: "index.md", feed: "feed.xml", quietDays: "quiet-days.json", digestIndex: "index.json" } as const;
