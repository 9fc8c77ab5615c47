import { join } from "node:path";
import { rm } from "node:fs/promises";
import { z } from "zod";
import { dataLayout } from "@sparky/messages";
import { readJson, writeJsonAtomic } from "@sparky/harness";

/**
 * A collection that stopped part-way (GitHub's quota used up for longer than it may wait,
 * GitHub unavailable) leaves the repository files it wrote, and this note beside them: the
 * next collection of the same run keeps every file written since `since` instead of fetching
 * it again, also for a window that has not closed yet. Removed when a collection completes.
 */
const InterruptedSchema = z.object({
  schema: z.literal("sparky.raw.interrupted/1"),
  runId: z.string(),
  /** When the first interrupted attempt began: files collected since belong to this collection. */
  since: z.string(),
  reason: z.string(),
});
export type InterruptedCollection = z.infer<typeof InterruptedSchema>;

const fileOf = (dataDir: string, key: string) => join(dataLayout(dataDir).rawDir(key), "interrupted.json");

/** The note of an earlier interrupted collection of this run, or null. */
export async function readInterrupted(dataDir: string, key: string, runId: string): Promise<InterruptedCollection | null> {
  const note = await readJson(fileOf(dataDir, key), InterruptedSchema, "interrupted-collection note").catch(() => null);
  return note && note.runId === runId ? note : null;
}

export async function markInterrupted(dataDir: string, key: string, note: Omit<InterruptedCollection, "schema">): Promise<void> {
  await writeJsonAtomic(fileOf(dataDir, key), { schema: "sparky.raw.interrupted/1", ...note });
}

export async function clearInterrupted(dataDir: string, key: string): Promise<void> {
  await rm(fileOf(dataDir, key), { force: true });
}
