import { rmSync } from "node:fs";
import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import type { z } from "zod";
import { SparkyError } from "@sparky/messages";
import { tempPathFor } from "./temp-files.js";

export interface WriteOptions {
  /**
   * Runs after the bytes are on disk and just before the rename makes them visible; throwing
   * drops the write. A stage job checks here that it was not cancelled or superseded.
   */
  beforeRename?: () => Promise<void>;
  /** Also flush the folder after the rename, so the new name itself survives a power cut. */
  syncDir?: boolean;
  /**
   * False skips flushing the bytes before the rename: for files derived from others and
   * rebuilt when found damaged (the run index, the status summary), where a power cut may
   * leave an empty file but a flush per write would cost a few ms each on the run's path.
   */
  durable?: boolean;
}

// Temp files of writes under way. A process that exits in the middle of one (Ctrl-C, a fatal
// error) removes them on its way out, so only whole files stay; after kill -9 the next
// start's sweep (sweepTempFiles) finds them by the dead writer's name.
const inFlight = new Set<string>();
let removeOnExit = false;
function discardInFlight(): void {
  for (const temp of inFlight) rmSync(temp, { force: true });
}

/**
 * Write a file so readers see either the old bytes or the new ones, never a part:
 * write a temp file beside it, flush it to disk, then rename over the target.
 * `data` may come in parts, written one after the other (a large file need not be joined first).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array | readonly Uint8Array[], options: WriteOptions = {}): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // The name says which process wrote it, so a sweep can tell an orphan from a live write.
  const temp = tempPathFor(path);
  if (!removeOnExit) {
    removeOnExit = true;
    process.once("exit", discardInFlight);
  }
  inFlight.add(temp);
  try {
    const handle = await open(temp, "w");
    try {
      if (typeof data === "string" || data instanceof Uint8Array) await handle.writeFile(data);
      // Each writeFile continues where the last one ended, and writes its part whole.
      else for (const part of data) await handle.writeFile(part);
      if (options.durable !== false) await handle.sync();
    } finally {
      await handle.close();
    }
    await options.beforeRename?.();
    await rename(temp, path);
    if (options.syncDir) {
      const folder = await open(dirname(path), "r");
      try {
        await folder.sync();
      } finally {
        await folder.close();
      }
    }
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  } finally {
    inFlight.delete(temp);
  }
}

export async function writeJsonAtomic(path: string, value: unknown, options: WriteOptions = {}): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, options);
}

/** Read and validate a JSON file; a missing or malformed file is a coded error naming the path. */
export async function readJson<S extends z.ZodType>(path: string, schema: S, what = "file"): Promise<z.infer<S>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new SparkyError("SPARKY_FILE_MISSING", `${what} ${path} does not exist`);
    }
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SparkyError("SPARKY_FILE_CORRUPT", `${what} ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SparkyError(
      "SPARKY_FILE_INVALID",
      `${what} ${path} does not match its schema: ${issue?.path.join(".") || "(root)"}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

/**
 * Validate, then write atomically: a file the next stage would reject never reaches the
 * disk. The error names the path and the first field that is wrong.
 */
export async function writeJsonValidated<S extends z.ZodType>(
  path: string,
  schema: S,
  value: z.input<S>,
  error: { code: string; what: string },
  options: WriteOptions = {},
): Promise<void> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const detail = issue ? `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}` : "invalid";
    throw new SparkyError(error.code, `${error.what} for ${path} does not match its schema: ${detail}`);
  }
  await writeJsonAtomic(path, parsed.data, options);
}
