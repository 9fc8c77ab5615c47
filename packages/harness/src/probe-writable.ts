import { randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Whether a process can create files in `dir`: a read-only volume, a full disk or a
 * directory owned by another uid all fail here, before a run fails on them. Returns the
 * reason, or null when a probe file could be written and removed.
 */
export async function probeWritable(dir: string): Promise<string | null> {
  const probe = join(dir, `.ready-probe-${process.pid}-${randomBytes(4).toString("hex")}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, "");
    return null;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "";
    return `cannot write to ${dir} (${code || (error as Error).message}): mount it writable for uid ${process.getuid?.() ?? "?"}`;
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
}
