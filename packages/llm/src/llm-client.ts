import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "@sparky/harness";
import { SparkyError } from "@sparky/messages";
import { cacheKey } from "./cache-key.js";
import { classifyFailure } from "./classify-failure.js";
import { contextSizeFor } from "./context-size.js";
import { badAnswerError, disabledError, modelMissingError, serverError, timeoutError, unreachableError } from "./llm-errors.js";
import { displayHost } from "./llm-settings.js";
import type { LlmSettings } from "./llm-settings.js";
import { ollamaClient } from "./ollama-client.js";
import { probeOllama } from "./probe-ollama.js";
import { fileResponseCache, noResponseCache } from "./response-cache.js";
import type { ResponseCache } from "./response-cache.js";

export interface ChatCall {
  endpoint: "chat";
  messages: { role: "system" | "user" | "assistant"; content: string }[];
  /** A JSON Schema for structured output (see `jsonSchemaFor`), or none for free text. */
  format?: Record<string, unknown>;
  /** Most tokens the answer may take: keeps prompt plus answer inside `num_ctx`. */
  numPredict: number;
}

export interface GenerateCall {
  endpoint: "generate";
  system: string;
  prompt: string;
  format?: Record<string, unknown>;
  numPredict: number;
}

export type LlmCall = ChatCall | GenerateCall;

export interface LlmAnswer {
  text: string;
  cached: boolean;
  /** Prompt tokens as the server counted them (`prompt_eval_count`). */
  promptTokens: number;
  /**
   * Why the model stopped (`done_reason`): `stop` when it finished, `length` when
   * `num_predict` cut it off mid-answer; null when unknown (an answer cached before it was kept).
   */
  doneReason: string | null;
}

/** What one job did with the LLM: goes into the stage's result and so into the run record. */
export interface LlmStats {
  /** HTTP calls to `/api/chat` and `/api/generate`, failed attempts included. */
  calls: number;
  /** Answers served from `data/cache/`. */
  cached: number;
  promptTokens: number;
  /** Why the LLM could not be used in this job (unreachable, model missing, timeout), else null. */
  warning: string | null;
  /** The error code behind `warning` (SPARKY_LLM_TIMEOUT, ...), for metrics; absent when none. */
  failureCode?: string;
}

/**
 * Ollama failing a call for good: unreachable, the model missing, or a timeout or server
 * error that outlived its retries. A 500 that a retry got past is not one; neither is an
 * answer that could not be used (the server worked, the model answered badly).
 */
export interface LlmOutage {
  code: string;
  message: string;
  /** The server, as it may be shown (no credentials), and the model asked. */
  host: string;
  model: string;
}

/** One job's view of the client: its own counters, the service's connection state. */
export interface LlmSession {
  ask(call: LlmCall): Promise<LlmAnswer>;
  stats(): LlmStats;
  /** The outage this session met, if any: the rest of the run should not wait on Ollama again. */
  outage(): LlmOutage | null;
  /** The `num_ctx` this session sends: configured, or chosen from the model (`num_ctx = "auto"`). */
  contextSize(): Promise<number>;
}

export type LlmStatus = { ok: true; version: string } | { ok: false; reason: string };

export interface LlmClient {
  readonly settings: LlmSettings;
  /** The start-up check, run once and remembered; never throws. */
  check(): Promise<LlmStatus>;
  /** A job's session; `signal` (the job was given up on) stops its calls under way and to come. */
  session(options?: { signal?: AbortSignal }): LlmSession;
}

/** One answer as the service's metrics count it. */
export type LlmObservation = { cached: true } | { cached: false; ok: boolean; seconds: number; promptTokens: number };

export interface LlmClientDeps {
  log: Logger;
  cache?: ResponseCache;
  /** Told of every answer read from the cache and every HTTP call made, answered or not. */
  observe?: (observation: LlmObservation) => void;
  /**
   * Problems already warned about in this process (shared by default, so the analyzer and
   * generator of an embedded run warn once between them about the same dead server).
   */
  warned?: Set<string>;
  /** How long a server found down is left alone before it is tried again. */
  recheckMs?: number;
  /** First retry delay, doubled each time. */
  backoffMs?: number;
}

const PROCESS_WARNINGS = new Set<string>();
const MAX_BACKOFF_MS = 4_000;

type State = { kind: "unknown" } | { kind: "ready"; version: string } | { kind: "down"; error: SparkyError; until: number };


/**
 * The one way Sparky talks to Ollama. Every call is cached by a hash of model, prompt and
 * options; every HTTP call has a timeout; transient failures get a bounded number of
 * retries with backoff, but a refused connection fails at once and marks the server down
 * for `recheckMs`, so a missing Ollama costs milliseconds, not timeouts, and is reported
 * in one warning per process rather than one per call.
 */
export function createLlmClient(settings: LlmSettings, deps: LlmClientDeps): LlmClient {
  const { log } = deps;
  const cache = deps.cache ?? (settings.cacheDir ? fileResponseCache(settings.cacheDir) : noResponseCache);
  const warned = deps.warned ?? PROCESS_WARNINGS;
  const recheckMs = deps.recheckMs ?? 30_000;
  const backoffMs = deps.backoffMs ?? 250;
  const options = {
    temperature: settings.temperature,
    seed: settings.seed,
  };
  let state: State = { kind: "unknown" };
  let probing: Promise<void> | null = null;

  function markDown(error: SparkyError): SparkyError {
    state = { kind: "down", error, until: Date.now() + recheckMs };
    const key = `${error.code} ${displayHost(settings.host)} ${error.code === "SPARKY_LLM_UNREACHABLE" ? "" : settings.model}`;
    if (!warned.has(key)) {
      warned.add(key);
      log.warn({ code: error.code, model: settings.model }, `${error.message}; until then digests use deterministic themes and the template narrative`);
    } else {
      log.debug({ code: error.code }, error.message);
    }
    return error;
  }

  async function ensureReady(): Promise<void> {
    if (state.kind === "ready") return;
    if (state.kind === "down" && Date.now() < state.until) throw state.error;
    probing ??= probeOllama(settings, log)
      .then((result) => {
        if (result.ok) {
          const recovered = state.kind === "down";
          state = { kind: "ready", version: result.version };
          log.info({ host: displayHost(settings.host), model: settings.model, version: result.version }, recovered ? "Ollama is back" : "Ollama ready");
        } else {
          markDown(result.error);
        }
      })
      .finally(() => {
        probing = null;
      });
    await probing;
    // The probe changed `state` behind TypeScript's back.
    const after = state as State;
    if (after.kind === "down") throw after.error;
  }

  async function send(call: LlmCall, numCtx: number, signal?: AbortSignal): Promise<{ text: string; promptTokens: number; doneReason: string | null }> {
    const request = { model: settings.model, format: call.format, stream: false as const, options: { ...options, num_ctx: numCtx, num_predict: call.numPredict } };
    const client = ollamaClient(settings.host, { timeoutMs: settings.timeoutMs, signal });
    if (call.endpoint === "chat") {
      const response = await client.chat({ ...request, messages: call.messages });
      return { text: response.message?.content ?? "", promptTokens: response.prompt_eval_count ?? 0, doneReason: response.done_reason ?? null };
    }
    const response = await client.generate({ ...request, system: call.system, prompt: call.prompt });
    return { text: response.response ?? "", promptTokens: response.prompt_eval_count ?? 0, doneReason: response.done_reason ?? null };
  }

  return {
    settings,
    async check() {
      if (!settings.enabled) return { ok: false, reason: disabledError(settings).message };
      try {
        await ensureReady();
        return { ok: true, version: state.kind === "ready" ? state.version : "" };
      } catch (error) {
        return { ok: false, reason: (error as Error).message };
      }
    },
    session(sessionOptions = {}) {
      const { signal } = sessionOptions;
      const stats: LlmStats = { calls: 0, cached: 0, promptTokens: 0, warning: null };
      let outage: LlmOutage | null = null;
      let size: Promise<number> | null = null;
      const contextSize = () => (size ??= contextSizeFor(settings, log, signal));
      const fail = (error: SparkyError) => {
        stats.warning = error.message;
        stats.failureCode = error.code;
        // Every failure that marks the server down is an outage; a 4xx is this request's fault.
        if (state.kind === "down" && state.error === error) {
          outage ??= { code: error.code, message: error.message, host: displayHost(settings.host), model: settings.model };
        }
        return error;
      };
      return {
        stats: () => ({ ...stats }),
        outage: () => outage,
        contextSize,
        async ask(call) {
          if (!settings.enabled) throw disabledError(settings);
          signal?.throwIfAborted();
          const { numPredict, ...prompt } = call;
          const numCtx = await contextSize();
          const key = cacheKey({ model: settings.model, ...prompt, options: { ...options, num_ctx: numCtx, num_predict: numPredict } });
          const hit = await cache.get(key);
          if (hit) {
            stats.cached += 1;
            deps.observe?.({ cached: true });
            return { doneReason: null, ...hit, cached: true };
          }
          try {
            await ensureReady();
          } catch (error) {
            throw fail(error as SparkyError);
          }
          for (let attempt = 1; ; attempt++) {
            const started = performance.now();
            const took = () => (performance.now() - started) / 1000;
            try {
              stats.calls += 1;
              const answer = await send(call, numCtx, signal);
              stats.promptTokens += answer.promptTokens;
              deps.observe?.({ cached: false, ok: true, seconds: took(), promptTokens: answer.promptTokens });
              await cache.put(key, settings.model, answer).catch((error: unknown) => {
                log.warn({ reason: (error as Error).message }, "could not cache an LLM answer; the next run will ask again");
              });
              return { ...answer, cached: false };
            } catch (error) {
              deps.observe?.({ cached: false, ok: false, seconds: took(), promptTokens: 0 });
              // The job was given up on: not Ollama's fault, so no retry and no "down" mark.
              if (signal?.aborted) throw new SparkyError("SPARKY_CANCELLED", "the job was cancelled while Ollama was answering", { cause: error });
              const failure = classifyFailure(error);
              const retry = attempt <= settings.retries;
              switch (failure.kind) {
                case "refused":
                  throw fail(markDown(unreachableError(settings, failure.detail, error)));
                case "model-missing":
                  throw fail(markDown(modelMissingError(settings)));
                case "http":
                  // A 4xx is the request's fault and will not change on retry.
                  if (failure.status < 500 || !retry) {
                    const problem = serverError(settings, failure.status, failure.message, attempt);
                    throw fail(failure.status >= 500 ? markDown(problem) : problem);
                  }
                  break;
                case "timeout":
                  if (!retry) throw fail(markDown(timeoutError(settings, attempt)));
                  break;
                case "network":
                  if (!retry) throw fail(markDown(unreachableError(settings, failure.detail, error)));
                  break;
                case "bad-answer":
                  if (!retry) throw fail(markDown(badAnswerError(settings, failure.message, attempt)));
                  break;
              }
              log.debug({ attempt, failure: failure.kind }, "LLM call failed; retrying");
              await sleep(Math.min(backoffMs * 2 ** (attempt - 1), MAX_BACKOFF_MS));
            }
          }
        },
      };
    },
  };
}
