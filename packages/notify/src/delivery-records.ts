import { link, mkdir, open, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { z } from "zod";
import { tempPathFor, writeJsonAtomic } from "@sparky/harness";

export const DeliveryRecordSchema = z.object({
  schema: z.literal("sparky.delivery/1"),
  runId: z.string(),
  /** What is announced: `succeeded`, or `failed@<finishedAt>` (each failure of a run once). */
  announcement: z.string(),
  target: z.string(),
  state: z.enum(["sending", "delivered", "failed"]),
  attempts: z.number().int().nonnegative(),
  status: z.number().int().nullable(),
  error: z.string().nullable(),
  updatedAt: z.string(),
});
export type DeliveryRecord = z.infer<typeof DeliveryRecordSchema>;

/** A "sending" record older than this was left by a process that died mid-delivery. */
const STALE_SENDING_MS = 15 * 60_000;

/**
 * One file per run, announcement and target under `data/state/notifications/`, so an
 * announcement survives restarts: a resumed or repeated run finds it delivered and says
 * nothing again. The first writer claims it with an exclusive create, so two processes
 * sharing the volume never both send it.
 */
export function deliveryRecords(stateDir: string, now: () => Date) {
  const path = (runId: string, announcement: string, target: string) =>
    join(stateDir, "notifications", runId, `${announcement.replace(/[^\w.-]/g, "_")}.${target}.json`);

  return {
    path,
    async read(runId: string, announcement: string, target: string): Promise<DeliveryRecord | null> {
      const text = await readFile(path(runId, announcement, target), "utf8").catch(() => null);
      const parsed = text ? DeliveryRecordSchema.safeParse(JSON.parse(text)) : null;
      return parsed?.success ? parsed.data : null;
    },

    /** True when this process may send it: nobody has delivered it, nor is sending it now. */
    async claim(runId: string, announcement: string, target: string): Promise<boolean> {
      const file = path(runId, announcement, target);
      await mkdir(dirname(file), { recursive: true });
      const record: DeliveryRecord = { schema: "sparky.delivery/1", runId, announcement, target, state: "sending", attempts: 0, status: null, error: null, updatedAt: now().toISOString() };
      // Written whole beside it, then linked into place: the claim is exclusive like an `O_EXCL`
      // create, and nobody ever reads it empty (an empty file would read as "try again").
      const text = `${JSON.stringify(record, null, 2)}\n`;
      const temp = tempPathFor(file);
      await writeFile(temp, text);
      try {
        await link(temp, file);
        return true;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // A volume without hard links (some network shares): an exclusive create, which a claim
        // racing it in the moment before its bytes land may still read as unreadable.
        if (code === "EPERM" || code === "ENOTSUP" || code === "ENOSYS" || code === "EOPNOTSUPP") {
          if (await createExclusive(file, text)) return true;
        } else if (code !== "EEXIST") {
          throw error;
        }
      } finally {
        await rm(temp, { force: true });
      }
      const existing = await this.read(runId, announcement, target);
      if (existing?.state === "delivered") return false;
      if (existing?.state === "sending" && now().getTime() - Date.parse(existing.updatedAt) < STALE_SENDING_MS) return false;
      // Failed earlier, stale, or unreadable: this event tries again.
      await writeJsonAtomic(file, record);
      return true;
    },

    async finish(record: Omit<DeliveryRecord, "schema" | "updatedAt">): Promise<void> {
      await writeJsonAtomic(path(record.runId, record.announcement, record.target), { schema: "sparky.delivery/1", ...record, updatedAt: now().toISOString() });
    },
  };
}

/** Create `file` with `text` unless it exists: false when it does. */
async function createExclusive(file: string, text: string): Promise<boolean> {
  try {
    const handle = await open(file, "wx");
    try {
      await handle.writeFile(text);
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}
