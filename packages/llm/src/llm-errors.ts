import { SparkyError } from "@sparky/messages";
import { displayHost } from "./llm-settings.js";
import type { LlmSettings } from "./llm-settings.js";

/** What a user can do about any LLM problem: the same in every message, the section named. */
function optOut(settings: LlmSettings): string {
  return `or set llm_enabled = false under [${settings.section}] to run without it`;
}

export function unreachableError(settings: LlmSettings, detail: string, cause?: unknown): SparkyError {
  return new SparkyError(
    "SPARKY_LLM_UNREACHABLE",
    `Ollama is not reachable at ${displayHost(settings.host)} (${detail}): start it (\`ollama serve\`) ` +
      `or point [${settings.section}] ollama_url at it, ${optOut(settings)}`,
    { transient: true, cause },
  );
}

export function modelMissingError(settings: LlmSettings): SparkyError {
  return new SparkyError(
    "SPARKY_LLM_MODEL_MISSING",
    `Ollama at ${displayHost(settings.host)} does not have the model ${settings.model}: run \`ollama pull ${settings.model}\` there, ` +
      `set [${settings.section}] pull_model = true to pull it at start-up, or name another model in [${settings.section}] model`,
  );
}

export function timeoutError(settings: LlmSettings, attempts: number): SparkyError {
  return new SparkyError(
    "SPARKY_LLM_TIMEOUT",
    `Ollama at ${displayHost(settings.host)} did not answer within ${settings.timeoutMs} ms ` +
      `(${attempts} attempt${attempts === 1 ? "" : "s"}): raise [${settings.section}] timeout_ms, use a smaller model, ${optOut(settings)}`,
    { transient: true },
  );
}

export function serverError(settings: LlmSettings, status: number, message: string, attempts: number): SparkyError {
  return new SparkyError(
    "SPARKY_LLM_FAILED",
    `Ollama at ${displayHost(settings.host)} answered ${status} (${message.slice(0, 200)}) after ${attempts} attempt${attempts === 1 ? "" : "s"}: ` +
      `check the Ollama server's log, ${optOut(settings)}`,
    { transient: status >= 500 || status === 429 },
  );
}

export function disabledError(settings: LlmSettings): SparkyError {
  return new SparkyError("SPARKY_LLM_DISABLED", `the LLM is turned off ([${settings.section}] llm_enabled = false)`);
}

export function pullFailedError(settings: LlmSettings, message: string): SparkyError {
  return new SparkyError(
    "SPARKY_LLM_PULL_FAILED",
    `Ollama at ${displayHost(settings.host)} could not pull ${settings.model} (${message.slice(0, 200)}): ` +
      `run \`ollama pull ${settings.model}\` there to see why, or name another model in [${settings.section}] model`,
  );
}

export function badAnswerError(settings: LlmSettings, message: string, attempts: number): SparkyError {
  return new SparkyError(
    "SPARKY_LLM_FAILED",
    `Ollama at ${displayHost(settings.host)} sent an answer that could not be read (${message.slice(0, 200)}) after ${attempts} attempt${attempts === 1 ? "" : "s"}: ` +
      `check the Ollama server's log and any proxy in front of it, ${optOut(settings)}`,
    { transient: true },
  );
}
