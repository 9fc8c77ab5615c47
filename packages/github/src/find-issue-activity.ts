import { byText } from "@sparky/messages";
import { z } from "zod";
import type { GithubClient } from "./create-github-client.js";
import type { DiscoveredRepository } from "./discover-repositories.js";
import type { EtagCache } from "./etag-cache.js";
import { batchGraphql } from "./fetch-repositories.js";

export interface IssueActivityOptions {
  org: string;
  /** Start of the range (the previous period's start). */
  since: string;
  /** Start of the window: where the searches are split. */
  windowStart: string;
}

export interface IssueActivity {
  repositories: DiscoveredRepository[];
  /** GraphQL requests made (0 when taken from the cache). */
  requests: number;
  /** Searches GitHub capped at 1,000 results that a one-second range could not split: some repositories may be missing. */
  truncated: string[];
}

const SearchRepoSchema = z.object({
  name: z.string(),
  owner: z.object({ login: z.string() }),
  isArchived: z.boolean(),
  isFork: z.boolean(),
  pushedAt: z.string().nullable(),
  url: z.string(),
  defaultBranchRef: z.object({ name: z.string() }).nullable(),
});
const SearchPageSchema = z.object({
  issueCount: z.number(),
  pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
  nodes: z.array(z.object({ repository: SearchRepoSchema.optional() }).nullable()),
});
const CachedSchema = z.object({ repositories: z.array(z.unknown()) });

/** GitHub's search reads ISO date-times with an offset: 2026-11-25T00:00:00+00:00. */
function searchTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/** GitHub lets a search reach its first 1,000 results; a search that matched more is split in time. */
const REACHABLE = 1000;
/** Searches asked in one request (each a page of 100 at most). */
const SEARCHES_PER_REQUEST = 10;

/** One search: issues or pull requests updated in [from, to] (seconds, both ends included; open-ended when `to` is null). */
interface Slice {
  kind: "issue" | "pr";
  from: number;
  to: number | null;
}

export function sliceQuery(org: string, slice: Slice): string {
  const updated = slice.to === null ? `updated:>=${searchTime(slice.from)}` : `updated:${searchTime(slice.from)}..${searchTime(slice.to)}`;
  return `org:${org} is:${slice.kind} ${updated}`;
}

/** The first searches: issues and pull requests, updated in the previous period or from the window on. */
function firstSlices(options: IssueActivityOptions): Slice[] {
  const since = Date.parse(options.since);
  const windowStart = Date.parse(options.windowStart);
  return (["issue", "pr"] as const).flatMap((kind) => [
    { kind, from: since, to: windowStart - 1000 },
    { kind, from: windowStart, to: null },
  ]);
}

/** Two halves of a slice, or null when it is one second long and cannot be split. */
function halves(slice: Slice, now: number): [Slice, Slice] | null {
  const to = slice.to ?? Math.max(now, slice.from);
  const mid = slice.from + Math.floor((to - slice.from) / 2000) * 1000;
  if (mid <= slice.from || mid >= to) return null;
  return [
    { kind: slice.kind, from: slice.from, to: mid },
    { kind: slice.kind, from: mid + 1000, to: slice.to },
  ];
}

function searchQuery(searches: readonly { query: string; after: string | null }[]): { query: string; variables: Record<string, unknown> } {
  const declarations: string[] = [];
  const variables: Record<string, unknown> = {};
  const fields = searches.map((s, i) => {
    declarations.push(`$q${i}: String!`);
    variables[`q${i}`] = s.query;
    let after = "";
    if (s.after) {
      declarations.push(`$c${i}: String!`);
      variables[`c${i}`] = s.after;
      after = `, after: $c${i}`;
    }
    return (
      `  s${i}: search(query: $q${i}, type: ISSUE, first: 100${after}) { issueCount pageInfo { hasNextPage endCursor } ` +
      "nodes { __typename ... on Issue { repository { ...SearchRepo } } ... on PullRequest { repository { ...SearchRepo } } } }"
    );
  });
  const query = [
    `query SparkyActiveByIssues(${declarations.join(", ")}) {`,
    "  rateLimit { cost remaining limit resetAt }",
    ...fields,
    "}",
    "fragment SearchRepo on Repository { name owner { login } isArchived isFork pushedAt url defaultBranchRef { name } }",
  ].join("\n");
  return { query, variables };
}

const SEARCH_PREFIX = "SEARCH ";
const KEEP_SEARCHES = 100;
const cacheKey = (options: IssueActivityOptions, until: string) =>
  `${SEARCH_PREFIX}issues and pull requests of ${options.org} updated since ${options.since} (window ${options.windowStart} .. ${until})`;

/**
 * Repositories with issue or pull-request activity since `since`, whatever their
 * `pushed_at`: opening, closing or commenting on an issue, a pull request from a fork, a
 * review, none of them is a push, so the pushed-first listing never reaches a repository
 * whose only activity they were. GitHub's issue search finds them for the whole
 * organisation at once (`updated_at` moves with every one of those events and never goes
 * back, so "updated since the range began" covers them all).
 *
 * One GraphQL request asks four searches at once (issues and pull requests, each split at
 * the window's start so that a busy day still fits in a page of 100 each); only a search
 * with more pages costs another request (up to 10 searches each). GitHub reaches only the
 * first 1,000 results of a search: one that matched more is asked again as two halves of
 * its time range, so a busy month is found whole too.
 *
 * When `until` (the window's end) has passed, the answer
 * is final for the window (what happened in it cannot change, only later updates are
 * added) and is kept in `cache`: collecting the same closed window again asks nothing.
 */
export async function findIssueActivity(
  client: GithubClient,
  cache: EtagCache,
  options: IssueActivityOptions & { until: string; now: Date; refresh: boolean },
): Promise<IssueActivity> {
  const key = cacheKey(options, options.until);
  const cached = options.refresh ? undefined : CachedSchema.safeParse(cache.get(key)?.body);
  if (cached?.success) {
    return { repositories: cached.data.repositories as DiscoveredRepository[], requests: 0, truncated: [] };
  }
  const found = new Map<string, DiscoveredRepository>();
  const truncated: string[] = [];
  const now = options.now.getTime();
  const pending = firstSlices(options).map((slice) => ({ slice, after: null as string | null }));
  let requests = 0;
  while (pending.length > 0) {
    const round = pending.splice(0, SEARCHES_PER_REQUEST);
    const built = searchQuery(round.map((s) => ({ query: sliceQuery(options.org, s.slice), after: s.after })));
    requests += 1;
    const { data } = await batchGraphql<Record<string, unknown>>(client, built, `searching ${options.org}'s issues and pull requests updated since ${options.since.slice(0, 10)}`);
    round.forEach((search, i) => {
      const page = SearchPageSchema.parse(data[`s${i}`]);
      if (search.after === null && page.issueCount > REACHABLE) {
        // GitHub would stop at the first 1,000: ask for each half of the time range instead.
        const split = halves(search.slice, now);
        if (split) {
          pending.push(...split.map((slice) => ({ slice, after: null })));
          return;
        }
        truncated.push(sliceQuery(options.org, search.slice));
      }
      for (const node of page.nodes) {
        const r = node?.repository;
        if (!r) continue;
        const full = `${r.owner.login}/${r.name}`;
        if (!found.has(full)) {
          found.set(full, { owner: r.owner.login, name: r.name, archived: r.isArchived, fork: r.isFork, pushedAt: r.pushedAt, defaultBranch: r.defaultBranchRef?.name ?? null, htmlUrl: r.url });
        }
      }
      if (page.pageInfo.hasNextPage && page.pageInfo.endCursor) pending.push({ slice: search.slice, after: page.pageInfo.endCursor });
    });
  }
  const repositories = [...found.values()].sort((a, b) => byText(a.name, b.name));
  if (truncated.length === 0 && options.now.getTime() >= Date.parse(options.until)) {
    cache.set(key, { etag: "final", body: { repositories }, hasNext: false });
    // One entry per closed window collected: enough for re-runs and backfills, not a year's worth.
    cache.prune(SEARCH_PREFIX, KEEP_SEARCHES);
  }
  return { repositories, requests, truncated };
}
