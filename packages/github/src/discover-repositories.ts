import { z } from "zod";
import type { GithubClient } from "./create-github-client.js";
import type { EtagCache } from "./etag-cache.js";
import { githubError } from "./github-error.js";
import { repositoryFilter } from "./glob.js";

export const DiscoveredRepositorySchema = z.object({
  owner: z.string(),
  name: z.string(),
  archived: z.boolean(),
  fork: z.boolean(),
  pushedAt: z.string().nullable(),
  defaultBranch: z.string().nullable(),
  htmlUrl: z.string(),
});
export type DiscoveredRepository = z.infer<typeof DiscoveredRepositorySchema>;
const PageSchema = z.array(DiscoveredRepositorySchema);

export interface DiscoveryOptions {
  org: string;
  /** Repositories last pushed before this instant (ISO) had no activity since: listing stops there. */
  since: string;
  include: readonly string[];
  exclude: readonly string[];
  includeArchived: boolean;
  includeForks: boolean;
}

export interface Discovery {
  /** Repositories pushed since `since` that the filters let through, most recently pushed first. */
  candidates: DiscoveredRepository[];
  /** Pages requested, and how many of them were answered 304 (unchanged, free). */
  pages: number;
  notModified: number;
  /** Repositories listed before the listing stopped, and the ones filters left out. */
  listed: number;
  filteredOut: number;
}

const PER_PAGE = 100;

interface ListedRepository {
  name: string;
  owner: { login: string };
  archived?: boolean;
  fork: boolean;
  pushed_at?: string | null;
  default_branch?: string;
  html_url: string;
}

function slim(r: ListedRepository): DiscoveredRepository {
  return {
    owner: r.owner.login,
    name: r.name,
    archived: r.archived ?? false,
    fork: r.fork,
    pushedAt: r.pushed_at ?? null,
    defaultBranch: r.default_branch ?? null,
    htmlUrl: r.html_url,
  };
}

/** Whether the filters (`include`/`exclude`, archived, forks) let a repository through. */
export function repositoryKeeper(options: Pick<DiscoveryOptions, "include" | "exclude" | "includeArchived" | "includeForks">) {
  const wanted = repositoryFilter(options.include, options.exclude);
  return (repo: DiscoveredRepository) =>
    wanted(repo.owner, repo.name) && (options.includeArchived || !repo.archived) && (options.includeForks || !repo.fork);
}

/**
 * The organisation's repositories that were pushed to since `since`: the listing is
 * sorted most recently pushed first and stops at the first page that reaches older
 * ones, so a large quiet organisation costs one or two requests. Every page is a
 * conditional request; an unchanged page (304) is taken from the ETag cache.
 */
export async function discoverRepositories(client: GithubClient, cache: EtagCache, options: DiscoveryOptions): Promise<Discovery> {
  const since = Date.parse(options.since);
  const keep = repositoryKeeper(options);
  const result: Discovery = { candidates: [], pages: 0, notModified: 0, listed: 0, filteredOut: 0 };
  for (let page = 1; ; page++) {
    const key = `GET /orgs/${options.org}/repos?type=all&sort=pushed&direction=desc&per_page=${PER_PAGE}&page=${page}`;
    const cached = cache.get(key);
    let repos: DiscoveredRepository[];
    let hasNext: boolean;
    result.pages += 1;
    try {
      const response = await client.request<ListedRepository[]>("GET /orgs/{org}/repos", {
        org: options.org,
        type: "all",
        sort: "pushed",
        direction: "desc",
        per_page: PER_PAGE,
        page,
        headers: cached ? { "if-none-match": cached.etag } : {},
      });
      repos = response.data.map(slim);
      hasNext = /\brel="next"/.test(String(response.headers.link ?? ""));
      const etag = response.headers.etag;
      if (typeof etag === "string") cache.set(key, { etag, body: repos, hasNext });
    } catch (error) {
      const cachedPage = cached ? PageSchema.safeParse(cached.body) : null;
      if ((error as { status?: number }).status !== 304 || !cached || !cachedPage?.success) {
        throw githubError(error, `listing the repositories of ${options.org}`, client.baseUrl);
      }
      result.notModified += 1;
      repos = cachedPage.data;
      hasNext = cached.hasNext;
    }
    let reachedOlder = false;
    for (const repo of repos) {
      result.listed += 1;
      const pushed = repo.pushedAt ? Date.parse(repo.pushedAt) : Number.NEGATIVE_INFINITY;
      if (pushed < since) {
        reachedOlder = true;
        continue;
      }
      if (keep(repo)) result.candidates.push(repo);
      else result.filteredOut += 1;
    }
    if (!hasNext || reachedOlder) break;
  }
  return result;
}
