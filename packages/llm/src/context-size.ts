import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeJsonAtomic } from "@sparky/harness";
import type { Logger } from "@sparky/harness";
import type { LlmSettings } from "./llm-settings.js";
import { ollamaClient } from "./ollama-client.js";
import { refusedAt } from "./refused-at.js";

/** `/api/show` reads a model file's header: it answers in milliseconds or the server is in trouble. */
const SHOW_TIMEOUT_MS = 5_000;
/** num_ctx moves in steps of this: a cache key must not change with every few tokens of budget. */
const STEP = 1024;

/** What `/api/show` says about a model that decides how large a context it can take. */
export interface ModelShape {
  /** The context it was trained for (`<arch>.context_length`). */
  contextLength: number | null;
  /** Bytes of KV cache one token of context takes, at 16 bits; null when the server does not say. */
  kvBytesPerToken: number | null;
}

/**
 * The context to ask for: the model's own length, within `[section] max_num_ctx` and the
 * KV-cache memory budget (`num_ctx_memory_mib`), in whole steps of 1024. Never below the
 * configured `num_ctx` fallback's floor of 1024.
 */
export function chooseNumCtx(shape: ModelShape, limits: { maxNumCtx: number; memoryMib: number }): number | null {
  if (shape.contextLength === null) return null;
  const byMemory = shape.kvBytesPerToken === null ? Infinity : (limits.memoryMib * 2 ** 20) / shape.kvBytesPerToken;
  const chosen = Math.floor(Math.min(shape.contextLength, limits.maxNumCtx, byMemory) / STEP) * STEP;
  return Math.max(STEP, chosen);
}

/** Read the shape out of `/api/show`'s `model_info` (keys prefixed by the architecture). */
export function modelShape(modelInfo: Record<string, unknown> | undefined): ModelShape {
  const info = modelInfo ?? {};
  const arch = typeof info["general.architecture"] === "string" ? info["general.architecture"] : "";
  const num = (key: string) => {
    const value = info[`${arch}.${key}`];
    return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : null;
  };
  const layers = num("block_count");
  const heads = num("attention.head_count");
  const kvHeads = num("attention.head_count_kv") ?? heads;
  const width = num("embedding_length");
  const keyLength = num("attention.key_length") ?? (width && heads ? width / heads : null);
  const valueLength = num("attention.value_length") ?? keyLength;
  const kvBytesPerToken = layers && kvHeads && keyLength && valueLength ? layers * kvHeads * (keyLength + valueLength) * 2 : null;
  return { contextLength: num("context_length"), kvBytesPerToken };
}

// One question per model and server in a process: the analyzer and generator of an embedded
// run share it. Only answers are remembered; a failure is asked again next time.
const ANSWERS = new Map<string, Promise<ModelShape | null>>();

/**
 * num_ctx for a session: the configured number, or with `num_ctx = "auto"` the one chosen
 * from the model's shape, asked of the server once per process and kept under
 * `data/cache/llm/` so that a run while Ollama is away computes the same cache keys as the
 * run before. With no answer and nothing kept, the configured fallback.
 */
export async function contextSizeFor(settings: LlmSettings, log: Logger, signal?: AbortSignal): Promise<number> {
  const auto = settings.autoContext;
  if (!auto || !settings.enabled) return settings.numCtx;
  const key = `${settings.host} ${settings.model}`;
  const file = settings.cacheDir ? join(settings.cacheDir, "models", `${createHash("sha256").update(key).digest("hex").slice(0, 24)}.json`) : null;
  let asked = ANSWERS.get(key);
  if (!asked) {
    asked = askShape(settings, signal).then(async (shape) => {
      if (!shape) {
        ANSWERS.delete(key);
        return file ? readFile(file, "utf8").then((text) => JSON.parse(text) as ModelShape, () => null) : null;
      }
      if (file) await writeJsonAtomic(file, { model: settings.model, ...shape }).catch(() => {});
      return shape;
    });
    ANSWERS.set(key, asked);
  }
  const shape = await asked;
  const chosen = shape ? chooseNumCtx(shape, auto) : null;
  if (chosen === null) {
    log.debug({ model: settings.model, fallback: settings.numCtx }, "model context length unknown: using the configured num_ctx");
    return settings.numCtx;
  }
  return chosen;
}

async function askShape(settings: LlmSettings, signal?: AbortSignal): Promise<ModelShape | null> {
  if ((await refusedAt(settings.host)) !== null) return null;
  try {
    const client = ollamaClient(settings.host, { timeoutMs: Math.min(settings.timeoutMs, SHOW_TIMEOUT_MS), signal });
    const shown = await client.show({ model: settings.model });
    return modelShape(shown.model_info);
  } catch {
    // Unreachable, an old server, or a model it does not have: the caller falls back.
    return null;
  }
}
