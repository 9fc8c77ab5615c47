import { stat } from "node:fs/promises";
import { join } from "node:path";
import { DigestIndexSchema, OUTPUT_FILES, SparkyError } from "@sparky/messages";
import type { DigestIndex } from "@sparky/messages";
import { readJson } from "@sparky/harness";

const EMPTY = (timezone: string): DigestIndex => ({ schema: "sparky.digest-index/1", timezone, digests: [], quietDays: [] });

/**
 * The generator's `index.json`, parsed once per change of the file (size and mtime), so a
 * page costs no parse of three years of digests. A missing index is an empty one (no digest
 * generated yet); a damaged one is an error naming the file and how to rebuild it.
 */
export function createIndexReader(outputDir: string, timezone: string) {
  const path = join(outputDir, OUTPUT_FILES.digestIndex);
  let cached: { stamp: string; index: DigestIndex } | null = null;
  return {
    path,
    async read(): Promise<DigestIndex> {
      const info = await stat(path).catch(() => null);
      if (!info) return EMPTY(timezone);
      const stamp = `${info.size}:${info.mtimeMs}`;
      if (cached?.stamp === stamp) return cached.index;
      try {
        cached = { stamp, index: await readJson(path, DigestIndexSchema, "digest index") };
      } catch (error) {
        if (error instanceof SparkyError && error.code === "SPARKY_FILE_MISSING") return EMPTY(timezone);
        throw new SparkyError(
          "SPARKY_DASHBOARD_INDEX_INVALID",
          `${(error as Error).message}; the generator rewrites it with the next digest (sparky digest), or delete it to start over`,
        );
      }
      return cached.index;
    },
  };
}
export type IndexReader = ReturnType<typeof createIndexReader>;
