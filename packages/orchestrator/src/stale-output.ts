import type { RunRecord, Stage } from "@sparky/messages";

/**
 * Why a stage that succeeded must run again although its output passes its gate, or null.
 * A partial collection (repositories found but not collected, e.g. gone mid-run) let the run
 * go on, with the digest saying what is missing; resuming the run is how to complete it, so
 * the collection runs again (it keeps the repositories it has when the window is closed).
 */
export function staleOutput(stage: Stage, record: RunRecord): string | null {
  if (stage === "collect" && record.collection?.partial) {
    const missing = record.collection.skipped.map((s) => s.repository).join(", ");
    return `the collection was partial (${missing} not collected): collecting again`;
  }
  return null;
}
