import { rm } from "node:fs/promises";
import { relative, sep } from "node:path";
import {
  RawManifestSchema,
  RawRepositorySchema,
  SparkyError,
  dataLayout,
  periodFromRunId,
  previousPeriod,
} from "@sparky/messages";
import type { Clock, CollectPayload, CollectResult, RawCommit, RawManifest, RawRepository } from "@sparky/messages";
import type { Logger } from "@sparky/harness";
import { writeJsonAtomic } from "@sparky/harness";
import { openRepository } from "./open-repository.js";
import type { OpenedRepository } from "./open-repository.js";
import { startNumstat } from "./read-numstat.js";
import type { LineCounts } from "./read-numstat.js";
import { repositoryName, uniqueNames } from "./repository-name.js";
import { scanHistory } from "./scan-history.js";
import type { HistoryScan, TimeRange } from "./scan-history.js";

/** The parsed `collect` command payload (defaults applied). */
export type CollectInput = ReturnType<(typeof CollectPayload)["parse"]>;

export interface CollectContext {
  dataDir: string;
  botPatterns: readonly string[];
  log: Logger;
  clock: Clock;
  progress(message: string, done: number | null, total: number | null): void;
}

/**
 * Collect the commits of the window from local git repositories into `data/raw/<key>/`:
 * one file per repository, then the manifest, written last so that a manifest on disk
 * always means a finished collection.
 */
export async function collectGit(input: CollectInput, ctx: CollectContext): Promise<CollectResult> {
  const layout = dataLayout(ctx.dataDir);
  const window = toRange(input.window);
  const previousWindow = previousPeriod(periodFromRunId(input.runId, input.timezone)).window;
  const previous = toRange(previousWindow);

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
  await rm(manifestPath, { force: true });

  const entries: RawManifest["repositories"] = [];
  let totalCommits = 0;
  let totalMerges = 0;
  for (const [index, repository] of opened.entries()) {
    const { owner, name, webUrl } = names[index]!;
    const fullName = `${owner}/${name}`;
    const started = performance.now();
    if (repository.shallow) {
      ctx.log.warn({ repository: fullName }, "shallow clone: older authors are missing, so some may be counted as new");
    }

    // Pass 2 (line counts) runs beside pass 1 (the history walk), fed each commit as found.
    let scan: HistoryScan | null = null;
    let counts = new Map<string, LineCounts>();
    if (repository.head !== null) {
      const numstat = startNumstat(repository.path);
      try {
        scan = await scanHistory(repository.path, {
          window,
          previous,
          botPatterns: ctx.botPatterns,
          onWindowCommit: (commit) => {
            if (!commit.isMerge) numstat.add(commit.sha);
          },
        });
      } catch (error) {
        numstat.abort(error);
        await numstat.finish().catch(() => {});
        throw error;
      }
      counts = await numstat.finish();
    }
    const scanned = scan?.commits ?? [];
    const commits: RawCommit[] = scanned.map((c) => {
      const lines = c.isMerge ? { additions: 0, deletions: 0, filesChanged: 0 } : counts.get(c.sha);
      if (!lines) throw new SparkyError("SPARKY_GIT_FAILED", `git printed no line counts for commit ${c.sha} in ${repository.path}`);
      return {
        sha: c.sha,
        parents: c.parents,
        authorName: c.authorName,
        authorEmail: c.authorEmail,
        authoredAt: new Date(c.authoredAt).toISOString(),
        committedAt: new Date(c.committedAt).toISOString(),
        subject: c.subject,
        additions: lines.additions,
        deletions: lines.deletions,
        filesChanged: lines.filesChanged,
        isMerge: c.isMerge,
        isBot: c.isBot,
      };
    });
    commits.sort(newestFirst);
    const merges = commits.filter((c) => c.isMerge).length;

    const raw: RawRepository = {
      schema: "sparky.raw.repository/1",
      source: "git",
      owner,
      name,
      path: repository.path,
      webUrl,
      head: repository.head ?? "",
      branch: repository.branch,
      window: input.window,
      commits,
      priorAuthors: [...(scan?.priorAuthors ?? [])].sort(),
      previous: {
        window: previousWindow,
        commits: scan?.previous.commits ?? 0,
        merges: scan?.previous.merges ?? 0,
        authors: [...(scan?.previous.authors ?? [])].sort(),
      },
    };
    const file = layout.rawRepository(input.key, owner, name);
    await writeJsonAtomic(file, validated(RawRepositorySchema, raw, file));

    entries.push({
      owner,
      name,
      file: relative(layout.rawDir(input.key), file).split(sep).join("/"),
      commits: commits.length - merges,
      merges,
      newestCommitAt: scan?.newestCommitAt == null ? null : new Date(scan.newestCommitAt).toISOString(),
    });
    totalCommits += commits.length - merges;
    totalMerges += merges;
    ctx.log.info(
      { repository: fullName, commits: commits.length - merges, merges, ms: Math.round(performance.now() - started) },
      "collected repository",
    );
    ctx.progress(
      `collected ${fullName}: ${count(commits.length - merges, "commit")}${merges > 0 ? `, ${count(merges, "merge")}` : ""}`,
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
  await writeJsonAtomic(manifestPath, validated(RawManifestSchema, manifest, manifestPath));
  return { manifest: manifestPath, repositories: entries.length, commits: totalCommits, merges: totalMerges };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function toRange(window: { start: string; end: string }): TimeRange {
  return { start: Date.parse(window.start), end: Date.parse(window.end) };
}

function newestFirst(a: RawCommit, b: RawCommit): number {
  if (a.committedAt !== b.committedAt) return a.committedAt < b.committedAt ? 1 : -1;
  return a.sha < b.sha ? -1 : a.sha > b.sha ? 1 : 0;
}

/** Parse before writing: a file the next stage would reject must never reach the disk. */
function validated<T>(schema: { parse(value: unknown): T }, value: T, path: string): T {
  try {
    return schema.parse(value);
  } catch (error) {
    const issue = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues?.[0];
    const detail = issue ? `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}` : String(error);
    throw new SparkyError("SPARKY_COLLECT_INVALID", `collected data for ${path} does not match its schema: ${detail}`);
  }
}
