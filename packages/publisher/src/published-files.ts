import { mkdir, readFile, realpath, stat } from "node:fs/promises";
import { join, sep } from "node:path";
import { OUTPUT_FILES, QuietDaysSchema, SparkyError } from "@sparky/messages";
import type { RunRef } from "@sparky/messages";

export interface PublishedFiles {
  /** Paths relative to the output folder, `/`-separated: the digest (unless a quiet day), the index, the feed, the quiet-day ledger and the JSON index when there. */
  files: string[];
  /** A quiet day skipped under `[generator] empty_days = "skip"`: no digest, only the listing. */
  quiet: boolean;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}

/** Whether the generator's ledger lists this run as a quiet day it wrote no digest for. */
async function listedQuiet(outputDir: string, ref: RunRef): Promise<boolean> {
  const text = await readFile(join(outputDir, OUTPUT_FILES.quietDays), "utf8").catch(() => null);
  if (text === null) return false;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return false;
  }
  const ledger = QuietDaysSchema.safeParse(data);
  return ledger.success && ledger.data.days.some((day) => day.key === ref.key && day.runId === ref.runId);
}

/**
 * What the generate stage left for this run in the output folder. A digest that is missing
 * fails the gate, unless the generator recorded the day as quiet: then the index, the feed
 * and the ledger go out alone. The feed and the ledger are optional (an output folder made
 * before they existed has neither).
 */
export async function publishedFiles(outputDir: string, ref: RunRef, digest: string): Promise<PublishedFiles> {
  const quiet = !(await isFile(join(outputDir, digest))) && (await listedQuiet(outputDir, ref));
  const required = quiet ? [OUTPUT_FILES.index] : [digest, OUTPUT_FILES.index];
  for (const path of required) {
    const file = join(outputDir, path);
    if (!(await isFile(file))) {
      throw new SparkyError(
        "SPARKY_GATE_DIGEST_MISSING",
        `${path === OUTPUT_FILES.index ? "index page" : "digest"} ${file} does not exist: run the generate stage first`,
      );
    }
  }
  const optional: string[] = [];
  for (const path of [OUTPUT_FILES.feed, OUTPUT_FILES.quietDays, OUTPUT_FILES.digestIndex]) if (await isFile(join(outputDir, path))) optional.push(path);
  return { files: [...required, ...optional], quiet };
}

/**
 * The folder of the docs repository the output goes to (`[publisher] docs_subdir`), made if
 * missing, and checked to be inside the repository once symlinks are followed: a link
 * pointing elsewhere must not let Sparky write outside the repository it commits to.
 */
export async function docsFolder(dir: string, subdir: string, isOutputDir: boolean): Promise<void> {
  if (subdir === "") return;
  if (isOutputDir) {
    throw new SparkyError(
      "SPARKY_DOCS_SUBDIR_IN_OUTPUT",
      `[publisher] docs_subdir = "${subdir}" needs a docs repository apart from the output folder, but git_repo is the output folder ${dir}: ` +
        `set [publisher] git_repo to a clone of your docs repository, or docs_subdir to ""`,
    );
  }
  const target = join(dir, ...subdir.split("/"));
  await mkdir(target, { recursive: true });
  const [root, real] = await Promise.all([realpath(dir), realpath(target)]);
  if (!real.startsWith(root + sep)) {
    throw new SparkyError(
      "SPARKY_DOCS_SUBDIR_OUTSIDE",
      `[publisher] docs_subdir "${subdir}" leads to ${real}, outside the docs repository ${root} (a symbolic link?): point it at a real folder inside the repository`,
    );
  }
}
