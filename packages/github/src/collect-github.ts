import { rm } from "node:fs/promises";
import type { z } from "zod";
import { GithubRepositorySchema, RawManifestSchema, SparkyError, countOf, dataLayout, periodFromRunId, previousPeriod } from "@sparky/messages";
import type { Clock, CollectPayload, CollectResult, CollectionStats, GithubRepository, Window } from "@sparky/messages";
import { readJson, writeJsonValidated } from "@sparky/harness";
import type { Logger } from "@sparky/harness";
import { addPriorAuthors } from "./add-prior-authors.js";
import { createGithubClient } from "./create-github-client.js";
import type { GithubClient, GithubObserver, GithubTiming } from "./create-github-client.js";
import type { DiscoveredRepository } from "./discover-repositories.js";
import { etagCacheFile, openEtagCache } from "./etag-cache.js";
import { fetchRepositories } from "./fetch-repositories.js";
import { findCandidates } from "./find-candidates.js";
import { GithubQuotaWaitError } from "./github-error.js";
import { createIdentityResolver, loadIdentities } from "./identities.js";
import type { IdentityResolver } from "./identities.js";
import { clearInterrupted, markInterrupted, readInterrupted } from "./interrupted-collection.js";
import { githubManifest } from "./raw-manifest.js";
import { shapeRepository } from "./shape-repository.js";

/** Collected data the next stage would reject is refused before it is written. */
const INVALID = { code: "SPARKY_COLLECT_INVALID", what: "collected data" };

export type GithubCollectInput = z.output<typeof CollectPayload>;

export interface GithubSettings {
  apiUrl: string;
  include: readonly string[];
  exclude: readonly string[];
  includeArchived: boolean;
  includeForks: boolean;
  identitiesFile: string;
  /** Longest wait for GitHub's quota to reset (`max_rate_limit_wait_s`); unlimited when absent. */
  maxRateLimitWaitS?: number;
}

export interface GithubCollectContext {
  dataDir: string;
  botPatterns: readonly string[];
  log: Logger;
  clock: Clock;
  progress(message: string, done: number | null, total: number | null): void;
  /** Told while the collection waits for GitHub's quota (`until`, ISO), and with null when the wait is over. */
  waiting?(until: string | null, message?: string): void;
  settings: GithubSettings;
  tokens: readonly string[];
  /** Tests shorten every wait. */
  timing?: Partial<GithubTiming>;
  /** Repositories per GraphQL query. */
  batchSize?: number;
  /** Requests, quota and waits as they happen (the collector's metrics). */
  observer?: GithubObserver;
  /** Fires when the orchestrator gives up on the job: requests under way stop. */
  signal?: AbortSignal;
  /** Checked before each file becomes visible: a cancelled or fenced-off job writes nothing. */
  guard?: () => Promise<void>;
}

const same = (a: Window, b: Window) => Date.parse(a.start) === Date.parse(b.start) && Date.parse(a.end) === Date.parse(b.end);

/** One collection attempt: what it found and kept so far, for the message when it stops early. */
interface Attempt {
  client: GithubClient;
  resolver: IdentityResolver;
  previousWindow: Window;
  collectedAt: string;
  /** Files written since this instant belong to this collection: set when an interrupted attempt of the run began then. */
  keepSince: string | null;
  found: number;
  kept: number;
}

/**
 * Collect one GitHub organisation's window into `data/raw/<key>/`: find the repositories
 * with activity since the previous period began (see findCandidates), fetch them in batched
 * GraphQL queries, write one file per repository and then the manifest, the same manifest
 * the local-git source writes. A repository whose file holds a complete collection of this
 * closed window is kept, not fetched again, unless `refresh` is set; so is every file an
 * interrupted collection of the same run wrote (GitHub's quota used up for longer than
 * `maxRateLimitWaitS`, GitHub down), so `sparky resume` continues where it stopped.
 */
export async function collectGithub(input: GithubCollectInput, ctx: GithubCollectContext): Promise<CollectResult> {
  const org = input.org;
  if (!org) throw new SparkyError("SPARKY_COLLECT_INVALID", "collectGithub needs an organisation");
  if (ctx.tokens.length === 0) {
    throw new SparkyError(
      "SPARKY_GITHUB_TOKEN_MISSING",
      `collecting GitHub organisation ${org} needs a token: set GITHUB_TOKEN (repo and read:org scopes), or several in GITHUB_TOKENS`,
    );
  }
  const collectedAt = ctx.clock.now().toISOString();
  const interrupted = await readInterrupted(ctx.dataDir, input.key, input.runId);
  const attempt: Attempt = {
    client: createGithubClient({
      baseUrl: ctx.settings.apiUrl,
      tokens: ctx.tokens,
      log: ctx.log,
      onWait: (message) => ctx.progress(message, null, null),
      onQuotaWait: (until) =>
        ctx.waiting?.(until?.toISOString() ?? null, until ? `waiting for GitHub quota until ${until.toISOString()}` : undefined),
      ...(ctx.settings.maxRateLimitWaitS !== undefined ? { maxRateLimitWaitS: ctx.settings.maxRateLimitWaitS } : {}),
      ...(ctx.timing ? { timing: ctx.timing } : {}),
      ...(ctx.observer ? { observer: ctx.observer } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    }),
    resolver: createIdentityResolver(await loadIdentities(ctx.settings.identitiesFile), ctx.botPatterns),
    previousWindow: previousPeriod(periodFromRunId(input.runId, input.timezone)).window,
    collectedAt,
    keepSince: interrupted?.since ?? null,
    found: 0,
    kept: 0,
  };
  try {
    const result = await collect(input, org, ctx, attempt);
    await clearInterrupted(ctx.dataDir, input.key);
    return result;
  } catch (error) {
    // A job given up on (cancelled, or fenced off by a newer attempt) leaves the data to the newer attempt.
    if ((error as { code?: string }).code === "SPARKY_FENCED" || ctx.signal?.aborted) throw error;
    // What was written stays, with a note that the next attempt of this run keeps it.
    await markInterrupted(ctx.dataDir, input.key, { runId: input.runId, since: attempt.keepSince ?? collectedAt, reason: (error as Error).message });
    if (!(error instanceof GithubQuotaWaitError)) throw error;
    throw new GithubQuotaWaitError(
      error.resetAt,
      `${error.message}. Kept the ${countOf(attempt.kept, "repository", "repositories")} collected so far` +
        `${attempt.found ? ` (of ${attempt.found})` : ""}: \`sparky resume ${input.runId}\` after ${error.resetAt.toISOString()} ` +
        "continues without fetching them again",
      error,
    );
  }
}

async function collect(input: GithubCollectInput, org: string, ctx: GithubCollectContext, attempt: Attempt): Promise<CollectResult> {
  const { client, resolver, previousWindow, collectedAt } = attempt;
  const layout = dataLayout(ctx.dataDir);
  // An old manifest next to half-rewritten files would pass the gate: remove it first.
  const manifestPath = layout.rawManifest(input.key);
  await ctx.guard?.();
  await rm(manifestPath, { force: true });

  ctx.progress(`discovering the repositories of ${org}`, null, null);
  const cache = await openEtagCache(etagCacheFile(layout.cacheDir, ctx.settings.apiUrl, org), () => ctx.clock.now());
  const found = await findCandidates(client, cache, {
    ...ctx.settings,
    org,
    since: previousWindow.start,
    windowStart: input.window.start,
    windowEnd: input.window.end,
    now: ctx.clock.now(),
    refresh: input.refresh,
  });
  for (const warning of found.warnings) {
    ctx.log.warn(warning);
    ctx.progress(warning, null, null);
  }
  const candidates = found.repositories;
  attempt.found = candidates.length;
  for (const message of found.messages) ctx.progress(message, 0, candidates.length);

  const files = new Map<string, GithubRepository>();
  const toFetch: DiscoveredRepository[] = [];
  for (const repo of candidates) {
    const path = layout.rawRepository(input.key, repo.owner, repo.name);
    const kept = await reusable(path, input, previousWindow, resolver.fingerprint, attempt.keepSince);
    if (kept) files.set(`${repo.owner}/${repo.name}`, kept);
    else toFetch.push(repo);
  }
  let done = (attempt.kept = files.size);
  if (files.size > 0) {
    ctx.progress(`kept ${countOf(files.size, "repository", "repositories")} from an earlier collection of this window (--refresh fetches again)`, done, candidates.length);
  }

  const skipped: CollectionStats["skipped"] = [];
  const batchSize = ctx.batchSize ?? 20;
  const range = { since: previousWindow.start, until: input.window.end };
  for (let i = 0; i < toFetch.length; i += batchSize) {
    const refs = toFetch.slice(i, i + batchSize).map((r) => ({ owner: r.owner, name: r.name }));
    const fetched = await fetchRepositories(client, refs, range);
    for (const data of fetched.filter((d) => d.vanished)) {
      skipped.push({ repository: `${data.ref.owner}/${data.ref.name}`, reason: data.vanished! });
      ctx.log.warn({ repository: `${data.ref.owner}/${data.ref.name}` }, data.vanished!);
      ctx.progress(`skipped ${data.ref.owner}/${data.ref.name}: ${data.vanished}`, ++done, candidates.length);
    }
    const shaped = fetched.filter((d) => !d.vanished).map((d) => shapeRepository(d, { window: input.window, previousWindow, resolver, collectedAt }));
    await addPriorAuthors(client, shaped, input.window.start);
    for (const { raw } of shaped) {
      await writeJsonValidated(layout.rawRepository(input.key, raw.owner, raw.name), GithubRepositorySchema, raw, INVALID, { beforeRename: ctx.guard });
      files.set(`${raw.owner}/${raw.name}`, raw);
      attempt.kept += 1;
      ctx.progress(`collected ${raw.owner}/${raw.name}: ${describe(raw)}`, ++done, candidates.length);
    }
  }

  const { requests, notModified, graphqlCost, waitedMs, rateLimit } = client.stats();
  const stats: CollectionStats = {
    requests,
    notModified,
    graphqlCost,
    rateLimit,
    waitedMs: Math.round(waitedMs),
    reused: candidates.length - toFetch.length,
    skipped,
    partial: skipped.length > 0,
  };
  const { manifest, commits, merges, activity } = githubManifest(input, ctx.dataDir, files.values(), stats, collectedAt);
  await writeJsonValidated(manifestPath, RawManifestSchema, manifest, INVALID, { beforeRename: ctx.guard });
  ctx.log.info({ org, repositories: manifest.repositories.length, commits, merges, activity, ...stats, skipped: skipped.length }, "collected GitHub organisation");
  return { manifest: manifestPath, repositories: manifest.repositories.length, commits, merges, activity };
}

function describe(raw: GithubRepository): string {
  return [
    countOf(raw.commits.length, "commit"),
    countOf(raw.pullRequests.length, "pull request"),
    countOf(raw.reviews.length, "review"),
    countOf(raw.issues.length, "issue"),
    countOf(raw.releases.length, "release"),
  ].join(", ");
}

/**
 * An earlier file of this window with the same identity rules that can stand: one written
 * by this collection (an interrupted attempt of the same run, since `keepSince`), or, unless
 * `refresh`, a complete one made after the window closed.
 */
async function reusable(path: string, input: GithubCollectInput, previous: Window, fingerprint: string, keepSince: string | null): Promise<GithubRepository | null> {
  const raw = await readJson(path, GithubRepositorySchema).catch(() => null);
  if (!raw || raw.identityFingerprint !== fingerprint) return null;
  if (!same(raw.window, input.window) || !same(raw.previous.window, previous)) return null;
  const at = Date.parse(raw.collectedAt);
  if (keepSince !== null && at >= Date.parse(keepSince)) return raw;
  return !input.refresh && at >= Date.parse(input.window.end) ? raw : null;
}
