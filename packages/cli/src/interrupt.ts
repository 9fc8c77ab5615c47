import type { Orchestrator } from "@sparky/orchestrator";
import type { Io } from "./io.js";

/**
 * Ctrl-C (or SIGTERM) during an embedded run: record the run as failed with a reason
 * that says how to continue, then exit 130. Every file the stages write is renamed into
 * place, so what is on disk is whole and `sparky resume` picks up from it.
 */
export function failRunOnInterrupt(orchestrator: Orchestrator, runId: string, io: Io): () => void {
  const handler = (signal: NodeJS.Signals) => {
    void (async () => {
      const record = await orchestrator.store.loadRun(runId).catch(() => null);
      const reason = `interrupted by ${signal}; continue it with \`sparky resume ${runId}\``;
      if (record && (record.state === "running" || record.state === "pending")) {
        record.state = "failed";
        record.reason = reason;
        record.finishedAt = record.updatedAt = io.now().toISOString();
        await orchestrator.store.saveRun(record).catch(() => undefined);
      }
      io.stderr.write(`sparky: ${runId} ${reason}\n`);
      process.exit(130);
    })();
  };
  process.once("SIGINT", handler);
  process.once("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}
