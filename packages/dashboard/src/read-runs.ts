import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { RUN_ID_PATTERN, RunRecordSchema, dataLayout } from "@sparky/messages";
import type { RunRecord } from "@sparky/messages";
import { readJson } from "@sparky/harness";

/**
 * Run records straight from `data/state/runs/`, as `sparky status` reads them: they answer
 * with no orchestrator running. Each file is parsed again only when it changed.
 */
export function createRunReader(dataDir: string) {
  const layout = dataLayout(dataDir);
  const cache = new Map<string, { stamp: string; record: RunRecord }>();
  async function load(name: string): Promise<RunRecord | null> {
    const path = join(layout.runsDir, name);
    const info = await stat(path).catch(() => null);
    if (!info) return null;
    const stamp = `${info.size}:${info.mtimeMs}`;
    const hit = cache.get(name);
    if (hit?.stamp === stamp) return hit.record;
    try {
      const record = await readJson(path, RunRecordSchema, "run record");
      cache.set(name, { stamp, record });
      return record;
    } catch {
      // Another version's record, or one being replaced: listed again once readable.
      return null;
    }
  }
  return {
    /** All runs, most recently updated first. */
    async list(): Promise<RunRecord[]> {
      const names = (await readdir(layout.runsDir).catch(() => [] as string[])).filter((n) => n.endsWith(".json"));
      const records = (await Promise.all(names.map(load))).filter((r): r is RunRecord => r !== null);
      return records.sort((a, b) => (b.updatedAt < a.updatedAt ? -1 : b.updatedAt > a.updatedAt ? 1 : a.runId < b.runId ? -1 : 1));
    },
    /** One run; null when there is none or the id is not a run id (it becomes a path). */
    async get(runId: string): Promise<RunRecord | null> {
      if (!RUN_ID_PATTERN.test(runId)) return null;
      return load(`${runId}.json`);
    },
  };
}
export type RunReader = ReturnType<typeof createRunReader>;
