import { join } from "node:path";
import { z } from "zod";
import { readJson, writeJsonAtomic } from "@sparky/harness";

const EntrySchema = z.object({
  etag: z.string(),
  /** The answer's useful part, since a 304 brings no body. */
  body: z.unknown(),
  hasNext: z.boolean(),
  storedAt: z.string(),
});
const CacheFileSchema = z.object({ schema: z.literal("sparky.github-etags/1"), entries: z.record(z.string(), EntrySchema) });
export type EtagEntry = z.infer<typeof EntrySchema>;

export interface EtagCache {
  get(url: string): EtagEntry | undefined;
  set(url: string, entry: Omit<EtagEntry, "storedAt">): void;
  /** Keep only the `keep` most recently stored entries whose key starts with `prefix`. */
  prune(prefix: string, keep: number): void;
  /** Write the file (atomically) when anything changed. */
  save(): Promise<void>;
}

/** The folder the ETags of one API host live in, under `data/cache/`. */
export function etagCacheFile(cacheDir: string, apiUrl: string, org: string): string {
  const host = new URL(apiUrl).host.replace(/[^\w.-]/g, "_");
  return join(cacheDir, "github", host, `${org.toLowerCase()}-repositories.json`);
}

/**
 * ETags of conditional requests with the bodies they stand for: a 304 costs no rate limit
 * and brings no body, so the body last seen is kept beside its ETag. An unreadable file
 * is an empty cache (it only costs full requests), never an error.
 */
export async function openEtagCache(file: string, now: () => Date): Promise<EtagCache> {
  const entries = await readJson(file, CacheFileSchema, "GitHub ETag cache")
    .then((f) => f.entries)
    .catch(() => ({}) as Record<string, EtagEntry>);
  let dirty = false;
  return {
    get: (url) => entries[url],
    set(url, entry) {
      entries[url] = { ...entry, storedAt: now().toISOString() };
      dirty = true;
    },
    prune(prefix, keep) {
      const stale = Object.entries(entries)
        .filter(([key]) => key.startsWith(prefix))
        .sort(([ka, a], [kb, b]) => (a.storedAt < b.storedAt ? 1 : a.storedAt > b.storedAt ? -1 : ka < kb ? -1 : 1))
        .slice(keep);
      for (const [key] of stale) delete entries[key];
      if (stale.length > 0) dirty = true;
    },
    async save() {
      if (!dirty) return;
      await writeJsonAtomic(file, { schema: "sparky.github-etags/1", entries });
      dirty = false;
    },
  };
}
