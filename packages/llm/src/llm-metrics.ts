import { fallbackReason } from "@sparky/harness";
import type { OperationsMetrics } from "@sparky/harness";
import type { LlmClient, LlmObservation, LlmStats } from "./llm-client.js";

/** A client's observations counted in a stage service's metrics (calls, latency, tokens, cache hits). */
export function llmMetrics(ops: OperationsMetrics, stage: string): (observation: LlmObservation) => void {
  return (o) => {
    if (o.cached) return void ops.llmCacheHits.inc({ stage });
    ops.llmCalls.inc({ stage, outcome: o.ok ? "ok" : "error" });
    ops.llmCallDuration.observe({ stage }, o.seconds);
    if (o.promptTokens) ops.llmPromptTokens.inc({ stage }, o.promptTokens);
  };
}

/** A job that used the deterministic themes or the template paragraph, counted by why. */
export function countFallback(ops: OperationsMetrics, stage: string, llm: LlmClient, stats: Pick<LlmStats, "failureCode">): void {
  ops.llmFallbacks.inc({ stage, reason: fallbackReason(llm.settings.enabled ? stats.failureCode : "SPARKY_LLM_DISABLED") });
}
