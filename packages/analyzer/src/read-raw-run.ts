import { dirname, isAbsolute, relative, resolve } from "node:path";
import { readJson } from "@sparky/harness";
import {
  AnyRawRepositorySchema,
  RawManifestSchema,
  SparkyError,
  dataLayout,
  periodFromRunId,
  previousPeriod,
} from "@sparky/messages";
import type { RawManifest, RawRepository, RunRef } from "@sparky/messages";
import { runMismatch, sameWindow } from "./run-mismatch.js";

export interface RawRun {
  manifestPath: string;
  manifest: RawManifest;
  repositories: RawRepository[];
}

/** Read a file the collector wrote, turning the harness's file errors into gate errors a user can act on. */
async function gated<T>(ref: RunRef, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof SparkyError)) throw error;
    if (error.code === "SPARKY_FILE_MISSING") {
      throw new SparkyError(
        "SPARKY_GATE_RAW_MISSING",
        `no raw data for ${ref.runId}: ${error.message}. Collect ${ref.runId} first, then analyze again.`,
        { cause: error },
      );
    }
    if (error.code === "SPARKY_FILE_CORRUPT" || error.code === "SPARKY_FILE_INVALID") {
      throw new SparkyError(
        "SPARKY_GATE_RAW_INVALID",
        `raw data for ${ref.runId} is unreadable: ${error.message}. Collect ${ref.runId} again.`,
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * The analyzer's phase gate: the raw manifest for `ref` exists, validates, is complete and
 * covers exactly the requested run, and so does every repository file it lists. Every
 * refusal is permanent (transient false): waiting does not make a missing collection appear,
 * only collecting again does.
 */
export async function readRawRun(ref: RunRef, dataDir: string): Promise<RawRun> {
  const layout = dataLayout(dataDir);
  const manifestPath = layout.rawManifest(ref.key);
  const manifest = await gated(ref, () => readJson(manifestPath, RawManifestSchema, "raw manifest"));
  if (!manifest.complete) {
    throw new SparkyError(
      "SPARKY_GATE_RAW_INCOMPLETE",
      `raw data for ${ref.runId} is incomplete: the collection that wrote ${manifestPath} did not finish. Collect ${ref.runId} again.`,
    );
  }
  const mismatch = runMismatch(ref, manifest);
  if (mismatch) {
    throw new SparkyError(
      "SPARKY_GATE_RAW_MISMATCH",
      `raw manifest ${manifestPath} does not cover run ${ref.runId}: ${mismatch}. Collect ${ref.runId} again.`,
    );
  }
  // Change figures compare against the period before; a file summarising another one would lie.
  const previousWindow = previousPeriod(periodFromRunId(ref.runId, ref.timezone)).window;

  const rawDir = layout.rawDir(ref.key);
  const folder = dirname(manifestPath);
  const seen = new Set<string>();
  const repositories: RawRepository[] = [];
  for (const entry of manifest.repositories) {
    const fullName = `${entry.owner}/${entry.name}`;
    const path = resolve(folder, entry.file);
    const inside = relative(rawDir, path);
    if (seen.has(fullName) || inside.startsWith("..") || isAbsolute(inside)) {
      throw new SparkyError(
        "SPARKY_GATE_RAW_INVALID",
        `raw manifest ${manifestPath} lists ${fullName} ${seen.has(fullName) ? "twice" : `at ${entry.file}, outside ${rawDir}`}. Collect ${ref.runId} again.`,
      );
    }
    seen.add(fullName);
    // The full schema of either source: a GitHub file keeps its pull requests, reviews, issues and releases.
    const repo = await gated(ref, () => readJson(path, AnyRawRepositorySchema, `raw repository file for ${fullName}`));
    const problems: string[] = [];
    // A manifest written before the GitHub source names none: it was local git.
    const source = manifest.source ?? "git";
    if (repo.source !== source) problems.push(`it was collected from ${repo.source}, the manifest from ${source}`);
    if (repo.owner !== entry.owner || repo.name !== entry.name) problems.push(`it holds ${repo.owner}/${repo.name}`);
    if (!sameWindow(repo.window, manifest.window)) problems.push(`its window is ${repo.window.start} .. ${repo.window.end}`);
    if (!sameWindow(repo.previous.window, previousWindow)) {
      problems.push(`its previous window is ${repo.previous.window.start} .. ${repo.previous.window.end}`);
    }
    if (problems.length > 0) {
      throw new SparkyError(
        "SPARKY_GATE_RAW_MISMATCH",
        `raw repository file ${path} does not match run ${ref.runId} (${fullName}): ${problems.join("; ")}. Collect ${ref.runId} again.`,
      );
    }
    repositories.push(repo);
  }
  return { manifestPath, manifest, repositories };
}
