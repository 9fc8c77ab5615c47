import { rm } from "node:fs/promises";
import { relative, sep } from "node:path";
import {
  RawManifestSchema,
  RawRepositorySchema,
  countOf,
  dataLayout,
  periodFromRunId,
  previousPeriod,
} from "@sparky/messages";
import type { Clock, CollectPayload, CollectResult, RawManifest } from "@sparky/messages";
import type { Logger } from "@sparky/harness";
import { writeJsonValidated } from "@sparky/harness";

/** Collected data the next stage would reject is refused before it is written. */
const INVALID = { code: "SPARKY_COLLECT_INVALID", what: "collected data" };
import { openRepository } from "./open-repository.js";
import type { OpenedRepository } from "./open-repository.js";
import { collectRepository } from "./collect-repository.js";
import { repositoryName, uniqueNames } from "./repository-name.js";

/** The parsed `collect` command payload (defaults applied). */
export type CollectInput = ReturnType<(typeof CollectPayload)["parse"]>;

export interface CollectContext {
  dataDir: string;
  botPatterns: readonly string[];
  log: Logger;
  clock: Clock;
  progress(message: string, done: number | null, total: number | null): void;
  /** Checked before each file becomes visible: a cancelled or fenced-off job writes nothing more. */
  guard?: () => Promise<void>;
  /** Fires when the job is cancelled: no further repository is read. */
  signal?: AbortSignal;
}

/**
 * Collect the commits of the window from local git repositories into `data/raw/<key>/`:
 * one file per repository, then the manifest, written last so that a manifest on disk
 * always means a finished collection.
 */
export async function collectGit(input: CollectInput, ctx: CollectContext): Promise<CollectResult> {
  const layout = dataLayout(ctx.dataDir);
  const previousWindow = previousPeriod(periodFromRunId(input.runId, input.timezone)).window;

  // Check every path before any work: a typo in the last path should not cost minutes first.
  const opened: OpenedRepository[] = [];
  for (const path of input.repos) {
    const repository = await openRepository(path);
    const twin = opened.find((other) => other.realPath === repository.realPath);
    if (twin) {
      // The same repository twice would count every commit twice.
      ctx.log.warn({ path: repository.path, same: twin.path }, "repository listed twice, collecting it once");
      continue;
    }
    opened.push(repository);
  }
  const names = uniqueNames(opened.map((r) => repositoryName(r.path, r.originUrl)));

  // An old manifest next to half-rewritten files would pass the gate: remove it first.
  const manifestPath = layout.rawManifest(input.key);
  await ctx.guard?.();
  await rm(manifestPath, { force: true });

  const entries: RawManifest["repositories"] = [];
  let totalCommits = 0;
  let totalMerges = 0;
  for (const [index, repository] of opened.entries()) {
    ctx.signal?.throwIfAborted();
    const repoName = names[index]!;
    const { owner, name } = repoName;
    const fullName = `${owner}/${name}`;
    const started = performance.now();
    if (repository.shallow) {
      ctx.log.warn({ repository: fullName }, "shallow clone: older authors are missing, so some may be counted as new");
    }

    const { raw, newestCommitAt } = await collectRepository(repository, repoName, {
      window: input.window,
      previousWindow,
      botPatterns: ctx.botPatterns,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      cache: { cacheDir: layout.cacheDir, log: ctx.log },
    });
    const merges = raw.commits.filter((c) => c.isMerge).length;
    const nonMerges = raw.commits.length - merges;
    const file = layout.rawRepository(input.key, owner, name);
    await writeJsonValidated(file, RawRepositorySchema, raw, INVALID, { beforeRename: ctx.guard });

    entries.push({
      owner,
      name,
      file: relative(layout.rawDir(input.key), file).split(sep).join("/"),
      commits: nonMerges,
      merges,
      newestCommitAt,
    });
    totalCommits += nonMerges;
    totalMerges += merges;
    ctx.log.info(
      { repository: fullName, commits: nonMerges, merges, ms: Math.round(performance.now() - started) },
      "collected repository",
    );
    ctx.progress(
      `collected ${fullName}: ${countOf(nonMerges, "commit")}${merges > 0 ? `, ${countOf(merges, "merge")}` : ""}`,
      index + 1,
      opened.length,
    );
  }

  const manifest: RawManifest = {
    schema: "sparky.raw.manifest/1",
    runId: input.runId,
    period: input.period,
    key: input.key,
    window: input.window,
    timezone: input.timezone,
    collectedAt: ctx.clock.now().toISOString(),
    complete: true,
    repositories: entries,
  };
  await writeJsonValidated(manifestPath, RawManifestSchema, manifest, INVALID, { beforeRename: ctx.guard });
  return { manifest: manifestPath, repositories: entries.length, commits: totalCommits, merges: totalMerges };
}
