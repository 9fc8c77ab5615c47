import type { Logger } from "@sparky/harness";
import type { LeaderElection } from "@sparky/orchestrator";

/**
 * The Lease election of a served orchestrator (`serve orchestrator`, `serve all`), or null
 * outside a cluster. A replica that becomes the leader catches up on what the schedules
 * missed meanwhile: `catchUpWith` names the orchestrator once it exists.
 */
export async function servedLeader(
  env: NodeJS.ProcessEnv,
  log: Logger,
): Promise<{ leader: LeaderElection | null; catchUpWith(o: { catchUp(): Promise<unknown> }): void }> {
  let orchestrator: { catchUp(): Promise<unknown> } | undefined;
  // Imported here, not at the top: `serve collector` uses this file's untilSignal and must not load the orchestrator.
  const { leaderElectionFromEnv } = await import("@sparky/orchestrator");
  const leader = await leaderElectionFromEnv(env, log, (isLeader) => {
    if (isLeader) void orchestrator?.catchUp().catch((error: unknown) => log.error({ err: error }, "catch-up failed"));
  });
  return { leader, catchUpWith: (o) => void (orchestrator = o) };
}

/** Resolves on the first SIGTERM or SIGINT: a served process then closes down gracefully. */
export function untilSignal(log: Logger): Promise<void> {
  return new Promise((resolve) => {
    const shutdown = (signal: string) => {
      log.info({ signal }, "shutting down");
      resolve();
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
  });
}
