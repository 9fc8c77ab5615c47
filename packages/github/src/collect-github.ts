import { relative, sep } from "node:path";
import { rm } from "node:fs/promises";
import type { z } from "zod";
import { GithubRepositorySchema, RawManifestSchema, SparkyError, countOf, dataLayout, periodFromRunId, previousPeriod } from "@sparky/messages";
import type { Clock, CollectPayload, CollectResult, CollectionStats, GithubRepository, RawManifest, Window } from "@sparky/messages";
import { readJson, writeJsonValidated } from "@sparky/harness";
import type { Logger } from "@sparky/harness";

/** Collected data the next stage would reject is refused before it is written. */
const INVALID = { code: "SPARKY_COLLECT_INVALID", what: "collected data" };
import { addPriorAuthors } from "./add-prior-authors.js";
import { createGithubClient } from "./create-github-client.js";
import type { GithubTiming } from "./create-github-client.js";
import { discoverRepositories, repositoryKeeper } from "./discover-repositories.js";
import type { DiscoveredRepository } from "./discover-repositories.js";
import { etagCacheFile, openEtagCache } from "./etag-cache.js";
import { fetchRepositories } from "./fetch-repositories.js";
import { findIssueActivity } from "./find-issue-activity.js";
import { createIdentityResolver, loadIdentities } from "./identities.js";
import { shapeRepository } from "./shape-repository.js";

export type GithubCollectInput = z.output<typeof CollectPayload>;

export interface GithubSettings {
  apiUrl: string;
  include: readonly string[];
  exclude: readonly string[];
  includeArchived: boolean;
  includeForks: boolean;
  identitiesFile: string;
}

export interface GithubCollectContext {
  dataDir: string;
  botPatterns: readonly string[];
  log: Logger;
  clock: Clock;
  progress(message: string, done: number | null, total: number | null): void;
  settings: GithubSettings;
  tokens: readonly string[];
  /** Tests shorten every wait. */
  timing?: Partial<GithubTiming>;
  /** Repositories per GraphQL query. */
  batchSize?: number;
}

const same = (a: Window, b: Window) => Date.parse(a.start) === Date.parse(b.start) && Date.parse(a.end) === Date.parse(b.end);

/**
 * Collect one GitHub organisation's window into `data/raw/<key>/`: discover the
 * repositories pushed to since the previous period began (one conditional request when
 * nothing changed), fetch them in batched GraphQL queries, write one file per repository
 * and then the manifest, the same manifest the local-git source writes. A repository whose
 * file holds a complete collection of this closed window is kept, not fetched again,
 * unless `refresh` is set.
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
  const layout = dataLayout(ctx.dataDir);
  const previousWindow = previousPeriod(periodFromRunId(input.runId, input.timezone)).window;
  const range = { since: previousWindow.start, until: input.window.end };
  const resolver = createIdentityResolver(await loadIdentities(ctx.settings.identitiesFile), ctx.botPatterns);
  const client = createGithubClient({
    baseUrl: ctx.settings.apiUrl,
    tokens: ctx.tokens,
    log: ctx.log,
    onWait: (message) => ctx.progress(message, null, null),
    ...(ctx.timing ? { timing: ctx.timing } : {}),
  });

  // An old manifest next to half-rewritten files would pass the gate: remove it first.
  const manifestPath = layout.rawManifest(input.key);
  await rm(manifestPath, { force: true });

  ctx.progress(`discovering the repositories of ${org}`, null, null);
  const cache = await openEtagCache(etagCacheFile(layout.cacheDir, ctx.settings.apiUrl, org), () => ctx.clock.now());
  const discovery = await discoverRepositories(client, cache, {
    org,
    since: range.since,
    include: ctx.settings.include,
    exclude: ctx.settings.exclude,
    includeArchived: ctx.settings.includeArchived,
    includeForks: ctx.settings.includeForks,
  });
  // Issues, pull requests from forks and reviews are no pushes: the search finds the repositories they alone kept busy.
  const searched = await findIssueActivity(client, cache, {
    org,
    since: range.since,
    windowStart: input.window.start,
    until: input.window.end,
    now: ctx.clock.now(),
    refresh: input.refresh,
  });
  await cache.save();
  for (const query of searched.truncated) {
    const message = `GitHub's search caps "${query}" at 1,000 results: repositories whose only activity was issues or pull requests may be missing`;
    ctx.log.warn(message);
    ctx.progress(message, null, null);
  }
  const keep = repositoryKeeper(ctx.settings);
  const pushed = new Set(discovery.candidates.map((r) => `${r.owner}/${r.name}`));
  const unpushed = searched.repositories.filter((r) => !pushed.has(`${r.owner}/${r.name}`) && keep(r));
  const candidates = [...discovery.candidates, ...unpushed];
  ctx.progress(
    `${org}: ${countOf(discovery.candidates.length, "repository", "repositories")} pushed to since ${range.since.slice(0, 10)}` +
      ` (${countOf(discovery.pages, "page")} listed, ${discovery.notModified} unchanged)` +
      (unpushed.length > 0 ? `, ${unpushed.length} more with only issue or pull-request activity` : ""),
    0,
    candidates.length,
  );

  const files = new Map<string, GithubRepository>();
  const toFetch: DiscoveredRepository[] = [];
  for (const repo of candidates) {
    const kept = input.refresh ? null : await reusable(layout.rawRepository(input.key, repo.owner, repo.name), input.window, previousWindow, resolver.fingerprint);
    if (kept) files.set(`${repo.owner}/${repo.name}`, kept);
    else toFetch.push(repo);
  }
  let done = files.size;
  if (files.size > 0) {
    ctx.progress(`kept ${countOf(files.size, "repository", "repositories")} from the complete earlier collection of this window (--refresh fetches again)`, done, candidates.length);
  }

  const skipped: CollectionStats["skipped"] = [];
  const batchSize = ctx.batchSize ?? 20;
  const collectedAt = ctx.clock.now().toISOString();
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
      const file = layout.rawRepository(input.key, raw.owner, raw.name);
      await writeJsonValidated(file, GithubRepositorySchema, raw, INVALID);
      files.set(`${raw.owner}/${raw.name}`, raw);
      ctx.progress(`collected ${raw.owner}/${raw.name}: ${describe(raw)}`, ++done, candidates.length);
    }
  }

  const entries: RawManifest["repositories"] = [];
  let commits = 0;
  let merges = 0;
  let activity = 0;
  for (const raw of [...files.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const m = raw.commits.filter((c) => c.isMerge).length;
    const file = layout.rawRepository(input.key, raw.owner, raw.name);
    entries.push({
      owner: raw.owner,
      name: raw.name,
      file: relative(layout.rawDir(input.key), file).split(sep).join("/"),
      commits: raw.commits.length - m,
      merges: m,
      // The last push: GitHub's cheap answer to "when was there activity", for the empty-window hint.
      newestCommitAt: raw.pushedAt,
    });
    commits += raw.commits.length - m;
    merges += m;
    activity += raw.pullRequests.length + raw.reviews.length + raw.issues.length + raw.releases.length;
  }
  const { requests, notModified, graphqlCost, waitedMs, rateLimit } = client.stats();
  const stats: CollectionStats = { requests, notModified, graphqlCost, rateLimit, waitedMs: Math.round(waitedMs), reused: candidates.length - toFetch.length, skipped, partial: skipped.length > 0 };
  const manifest: RawManifest = {
    schema: "sparky.raw.manifest/1",
    runId: input.runId,
    period: input.period,
    key: input.key,
    window: input.window,
    timezone: input.timezone,
    collectedAt,
    complete: true,
    source: "github",
    org,
    stats,
    repositories: entries,
  };
  await writeJsonValidated(manifestPath, RawManifestSchema, manifest, INVALID);
  ctx.log.info({ org, repositories: entries.length, commits, merges, activity, ...stats, skipped: skipped.length }, "collected GitHub organisation");
  return { manifest: manifestPath, repositories: entries.length, commits, merges, activity };
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

/** An earlier file of this window, complete, made after the window closed, with the same identity rules. */
async function reusable(path: string, window: Window, previous: Window, fingerprint: string): Promise<GithubRepository | null> {
  const raw = await readJson(path, GithubRepositorySchema).catch(() => null);
  if (!raw || raw.identityFingerprint !== fingerprint) return null;
  if (!same(raw.window, window) || !same(raw.previous.window, previous)) return null;
  return Date.parse(raw.collectedAt) >= Date.parse(window.end) ? raw : null;
}
