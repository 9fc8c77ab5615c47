import type { RunRecord } from "@sparky/messages";

/**
 * What a person should know about a run beyond its state and reason: that its collection
 * is partial (and how to complete it). Shown by `sparky status`, `sparky tasks` and the runs API.
 */
export function runNote(record: RunRecord): string | null {
  const collection = record.collection;
  if (collection?.partial) {
    const missing = collection.skipped.map((s) => s.repository);
    return `collection partial: ${missing.length === 1 ? "1 repository" : `${missing.length} repositories`} not collected (${missing.join(", ")}); \`sparky resume ${record.runId}\` completes it`;
  }
  return null;
}
