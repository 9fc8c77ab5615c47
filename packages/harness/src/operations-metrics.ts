import type { Registry } from "prom-client";
import { promClient } from "./prom-client.js";
import type { Recorder } from "./recorders.js";

/**
 * What an operator watches (README "Metrics"): runs and their age, the LLM, GitHub's quota,
 * the docs repository. Every service registers all of them, each fills those of its own
 * work. Label values are bounded sets (periods, stages, outcomes, reasons, request kinds,
 * status codes, hashed token ids): never run ids, repository names or other input.
 */
export function createOperationsMetrics(registry: Registry) {
  const { Counter, Gauge, Histogram } = promClient();
  const registers = [registry];
  const durations = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
  return {
    runDuration: new Histogram({ name: "sparky_run_duration_seconds", help: "Runs from start to end, by period and outcome.", labelNames: ["period", "outcome"], buckets: durations, registers }),
    runsInProgress: new Gauge({ name: "sparky_runs_in_progress", help: "Runs being executed now.", registers }),
    queueDepth: new Gauge({ name: "sparky_queue_depth", help: "Runs waiting for the one running now to finish.", registers }),
    lastSuccess: new Gauge({
      name: "sparky_last_success_timestamp_seconds",
      help: "When the newest succeeded run of a period finished (Unix seconds); absent until one has.",
      labelNames: ["period"],
      registers,
    }),
    stageDuration: new Histogram({ name: "sparky_stage_duration_seconds", help: "A stage of a run, every attempt included, as the orchestrator saw it.", labelNames: ["stage", "outcome"], buckets: durations, registers }),

    llmCalls: new Counter({ name: "sparky_llm_calls_total", help: "HTTP calls to Ollama, by stage and outcome (ok, error).", labelNames: ["stage", "outcome"], registers }),
    llmCallDuration: new Histogram({ name: "sparky_llm_call_duration_seconds", help: "Time one call to Ollama took, answered or not.", labelNames: ["stage"], buckets: [0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120], registers }),
    llmPromptTokens: new Counter({ name: "sparky_llm_prompt_tokens_total", help: "Prompt tokens Ollama reported evaluating.", labelNames: ["stage"], registers }),
    llmCacheHits: new Counter({ name: "sparky_llm_cache_hits_total", help: "Answers read from data/cache/llm instead of asking Ollama.", labelNames: ["stage"], registers }),
    llmFallbacks: new Counter({
      name: "sparky_llm_fallbacks_total",
      help: "Jobs that used the deterministic themes or the template narrative, by reason (disabled, unreachable, model_missing, timeout, server_error, rejected).",
      labelNames: ["stage", "reason"],
      registers,
    }),

    githubRequests: new Counter({ name: "sparky_github_requests_total", help: "Requests to GitHub, by kind (rest, graphql, search) and HTTP status.", labelNames: ["kind", "status"], registers }),
    githubQuotaRemaining: new Gauge({ name: "sparky_github_quota_remaining", help: "Requests left in the current rate-limit window, per token (a hash, never the token).", labelNames: ["token"], registers }),
    githubQuotaLimit: new Gauge({ name: "sparky_github_quota_limit", help: "Requests allowed per rate-limit window, per token (a hash, never the token).", labelNames: ["token"], registers }),
    githubWaited: new Counter({ name: "sparky_github_wait_seconds_total", help: "Time spent waiting out GitHub rate limits.", registers }),

    docsCommits: new Counter({ name: "sparky_docs_commits_total", help: "Commits made to the docs repository.", registers }),
    pushFailures: new Counter({ name: "sparky_push_failures_total", help: "Pushes of the docs repository that failed (the commit is kept and pushed next time).", registers }),

    prunedFiles: new Counter({ name: "sparky_pruned_files_total", help: "Files removed by retain_raw_days, by kind (raw, cache).", labelNames: ["kind"], registers }),
    prunedBytes: new Counter({ name: "sparky_pruned_bytes_total", help: "Bytes removed by retain_raw_days, by kind (raw, cache).", labelNames: ["kind"], registers }),
  };
}

/** The prom-client objects of a served service. */
export type PromOperationsMetrics = ReturnType<typeof createOperationsMetrics>;

/** What the services record into: the recording methods of each (see recorders.ts). */
export type OperationsMetrics = { readonly [K in keyof PromOperationsMetrics]: Recorder<PromOperationsMetrics[K]> };

/** The bounded reasons of `sparky_llm_fallbacks_total`, from the error code that made the stage fall back. */
export function fallbackReason(code: string | null | undefined): string {
  switch (code) {
    case "SPARKY_LLM_DISABLED":
      return "disabled";
    case "SPARKY_LLM_UNREACHABLE":
      return "unreachable";
    case "SPARKY_LLM_MODEL_MISSING":
      return "model_missing";
    case "SPARKY_LLM_TIMEOUT":
      return "timeout";
    case "SPARKY_LLM_FAILED":
      return "server_error";
    default:
      return "rejected";
  }
}
