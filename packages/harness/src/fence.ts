import { readFile } from "node:fs/promises";
import { SparkyError, dataLayout } from "@sparky/messages";
import type { Stage } from "@sparky/messages";
import { writeJsonAtomic } from "./fs.js";

type Fences = Partial<Record<Stage, number>>;

async function readFences(dataDir: string, runId: string): Promise<Fences> {
  try {
    return JSON.parse(await readFile(dataLayout(dataDir).fence(runId), "utf8")) as Fences;
  } catch (error) {
    // No file: nothing fenced yet. A torn file cannot exist (written atomically); anything
    // unreadable is treated as no fence rather than blocking every write of the run.
    if ((error as NodeJS.ErrnoException).code === "ENOENT" || error instanceof SyntaxError) return {};
    throw error;
  }
}

/** The lowest fencing token of `stage` that may still write for `runId` (0: no fence). */
export async function currentFence(dataDir: string, runId: string, stage: Stage): Promise<number> {
  const value = (await readFences(dataDir, runId))[stage];
  return typeof value === "number" ? value : 0;
}

/**
 * Raise the fence of one stage (never lower it): from now on only token `value` or later
 * may write. Callers serialise their writes.
 */
export async function raiseFence(dataDir: string, runId: string, stage: Stage, value: number): Promise<void> {
  const fences = await readFences(dataDir, runId);
  if ((fences[stage] ?? 0) >= value) return;
  await writeJsonAtomic(dataLayout(dataDir).fence(runId), { ...fences, [stage]: value });
}

/**
 * Take the next fencing token of one stage of a run: one more than any token handed out
 * before, across every run of that id (a run id is reused when a period is run again), and
 * durable before it is returned. Callers serialise their calls (the state store does).
 */
export async function advanceFence(dataDir: string, runId: string, stage: Stage): Promise<number> {
  const fences = await readFences(dataDir, runId);
  const next = (fences[stage] ?? 0) + 1;
  await writeJsonAtomic(dataLayout(dataDir).fence(runId), { ...fences, [stage]: next });
  return next;
}

/** Refuse the write of an attempt the orchestrator has moved on from. */
export async function assertFence(dataDir: string, runId: string, stage: Stage, token: number, jobId: string): Promise<void> {
  const current = await currentFence(dataDir, runId, stage);
  if (current > token) {
    throw new SparkyError(
      "SPARKY_FENCED",
      `${stage} job ${jobId} of ${runId} holds fencing token ${token}, but the orchestrator has moved on to ${current}: ` +
        "its output was discarded so that it cannot overwrite a newer attempt's",
    );
  }
}
