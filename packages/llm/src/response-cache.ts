import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { writeJsonAtomic } from "@sparky/harness";

const EntrySchema = z.object({
  schema: z.literal("sparky.llm-cache/1"),
  model: z.string(),
  text: z.string(),
  promptTokens: z.number().int().nonnegative(),
  /** Absent in entries written before it was kept. */
  doneReason: z.string().nullable().optional(),
});
export type CachedAnswer = Pick<z.infer<typeof EntrySchema>, "text" | "promptTokens" | "doneReason">;

export interface ResponseCache {
  get(key: string): Promise<CachedAnswer | null>;
  put(key: string, model: string, answer: CachedAnswer): Promise<void>;
}

/**
 * Answers on disk, one file per call under `<dir>/<first two hex>/<key>.json`, written
 * atomically. Whatever the server answered is kept, a malformed answer too: with it the
 * repair prompt that followed is also cached, so a re-run replays the same path with no call.
 * A file that cannot be read is a miss, never an error: the cache only saves time.
 */
export function fileResponseCache(dir: string): ResponseCache {
  const pathOf = (key: string) => join(dir, key.slice(0, 2), `${key}.json`);
  return {
    async get(key) {
      try {
        const parsed = EntrySchema.safeParse(JSON.parse(await readFile(pathOf(key), "utf8")));
        if (!parsed.success) return null;
        const { text, promptTokens, doneReason } = parsed.data;
        return { text, promptTokens, doneReason: doneReason ?? null };
      } catch {
        return null;
      }
    },
    async put(key, model, answer) {
      await writeJsonAtomic(pathOf(key), { schema: "sparky.llm-cache/1", model, ...answer });
    },
  };
}

/** No cache: every call goes to the server. */
export const noResponseCache: ResponseCache = {
  get: async () => null,
  put: async () => undefined,
};
