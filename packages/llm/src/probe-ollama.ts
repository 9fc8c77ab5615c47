import type { Logger } from "@sparky/harness";
import type { SparkyError } from "@sparky/messages";
import { classifyFailure } from "./classify-failure.js";
import { badAnswerError, modelMissingError, pullFailedError, serverError, timeoutError, unreachableError } from "./llm-errors.js";
import { displayHost } from "./llm-settings.js";
import type { LlmSettings } from "./llm-settings.js";
import { sameModel } from "./model-names.js";
import { ollamaClient } from "./ollama-client.js";
import type { OllamaClient } from "./ollama-client.js";
import { OllamaConnectionError } from "./ollama-errors.js";
import { refusedAt } from "./refused-at.js";

/** The start-up check answers quickly or not at all: a healthy server lists its models in milliseconds. */
const CHECK_TIMEOUT_MS = 5_000;
/** A pull downloads a gigabyte or more: it gets its own, long, limit. */
const PULL_TIMEOUT_MS = 30 * 60_000;

export type ProbeResult = { ok: true; version: string } | { ok: false; error: SparkyError };

function asError(settings: LlmSettings, error: unknown): SparkyError {
  const failure = classifyFailure(error);
  switch (failure.kind) {
    case "refused":
    case "network":
      return unreachableError(settings, failure.detail, error);
    case "timeout":
      return timeoutError(settings, 1);
    case "model-missing":
      return modelMissingError(settings);
    case "http":
      return serverError(settings, failure.status, failure.message, 1);
    case "bad-answer":
      return badAnswerError(settings, failure.message, 1);
  }
}

async function hasModel(client: OllamaClient, model: string): Promise<boolean> {
  const { models } = await client.list();
  return models.some((m) => sameModel(model, m.name) || sameModel(model, m.model));
}

/**
 * Does the server answer (`/api/version`), and does it have the model (`/api/tags`)? When
 * it does not and `pull_model` is on, pull it (`/api/pull`, progress logged) and look again.
 */
export async function probeOllama(settings: LlmSettings, log: Logger): Promise<ProbeResult> {
  const nobody = await refusedAt(settings.host);
  if (nobody !== null) return { ok: false, error: unreachableError(settings, nobody) };
  try {
    const client = ollamaClient(settings.host, { timeoutMs: Math.min(settings.timeoutMs, CHECK_TIMEOUT_MS) });
    const { version } = await client.version();
    if (await hasModel(client, settings.model)) return { ok: true, version };
    if (!settings.pullModel) return { ok: false, error: modelMissingError(settings) };
    log.info({ model: settings.model, host: displayHost(settings.host) }, `pulling ${settings.model} (pull_model = true)`);
    const puller = ollamaClient(settings.host, { timeoutMs: PULL_TIMEOUT_MS });
    let lastStatus = "";
    try {
      for await (const progress of await puller.pull({ model: settings.model, stream: true })) {
        // One line per phase, not one per downloaded chunk.
        if (progress.status !== lastStatus) log.info({ model: settings.model, status: progress.status }, "pulling model");
        lastStatus = progress.status;
      }
    } catch (error) {
      // A stream line `{"error": ...}` arrives as a plain Error: the server answered, the pull failed.
      const failure = classifyFailure(error);
      if (failure.kind === "http" || failure.kind === "bad-answer" || (failure.kind === "network" && !(error instanceof OllamaConnectionError))) {
        return { ok: false, error: pullFailedError(settings, (error as Error).message) };
      }
      throw error;
    }
    if (await hasModel(client, settings.model)) return { ok: true, version };
    return { ok: false, error: modelMissingError(settings) };
  } catch (error) {
    return { ok: false, error: asError(settings, error) };
  }
}
