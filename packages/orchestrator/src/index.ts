export { createOrchestrator } from "./create-orchestrator.js";
export type { Orchestrator, OrchestratorOptions, RunRequest } from "./create-orchestrator.js";
export { createStateStore } from "./state-store.js";
export type { StateStore } from "./state-store.js";
export { runsApi, summarize } from "./http-api.js";
export { checkGate } from "./gates.js";
export { runNote } from "./run-note.js";
export { createLeaderElection, leaderElectionFromEnv } from "./leader-election.js";
export type { LeaderElection, LeaderElectionOptions } from "./leader-election.js";
