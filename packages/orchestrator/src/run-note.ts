import type { RunRecord } from "@sparky/messages";

/**
 * What a person should know about a run beyond its state and reason: that a stage is
 * waiting for GitHub's quota (until when), or that its collection is partial (and how to
 * complete it). Shown by `sparky status`, `sparky tasks` and the runs API.
 */
export function runNote(record: RunRecord): string | null {
  if (record.state === "running" && record.waiting) return `${record.waiting.stage}: ${record.waiting.message}`;
  const skipped = record.stages.find((s) => s.stage === "generate")?.result?.skipped;
  if (typeof skipped === "string") return `${skipped}: no activity, no digest written ([generator] empty_days = "skip"); the index lists the day`;
  const collection = record.collection;
  if (collection?.partial) {
    const missing = collection.skipped.map((s) => s.repository);
    return `collection partial: ${missing.length === 1 ? "1 repository" : `${missing.length} repositories`} not collected (${missing.join(", ")}); \`sparky resume ${record.runId}\` completes it`;
  }
  return null;
}
