import { countOf } from "@sparky/messages";
import type { GithubClient } from "./create-github-client.js";
import { discoverRepositories, repositoryKeeper } from "./discover-repositories.js";
import type { DiscoveredRepository } from "./discover-repositories.js";
import type { EtagCache } from "./etag-cache.js";
import { findIssueActivity } from "./find-issue-activity.js";

export interface CandidateOptions {
  org: string;
  /** The range start (the previous period's start) and the window. */
  since: string;
  windowStart: string;
  windowEnd: string;
  now: Date;
  refresh: boolean;
  include: readonly string[];
  exclude: readonly string[];
  includeArchived: boolean;
  includeForks: boolean;
}

export interface Candidates {
  repositories: DiscoveredRepository[];
  /** Progress lines for a person: what was found, and any search GitHub cut short. */
  messages: string[];
  warnings: string[];
}

/**
 * The repositories to collect: those pushed to since the range began (the pushed-first
 * listing, one conditional request when nothing changed), then those whose only activity
 * was issues, pull requests from forks or reviews, which are no pushes (one batched search).
 */
export async function findCandidates(client: GithubClient, cache: EtagCache, options: CandidateOptions): Promise<Candidates> {
  const discovery = await discoverRepositories(client, cache, options);
  const searched = await findIssueActivity(client, cache, {
    org: options.org,
    since: options.since,
    windowStart: options.windowStart,
    until: options.windowEnd,
    now: options.now,
    refresh: options.refresh,
  });
  await cache.save();
  const keep = repositoryKeeper(options);
  const pushed = new Set(discovery.candidates.map((r) => `${r.owner}/${r.name}`));
  const unpushed = searched.repositories.filter((r) => !pushed.has(`${r.owner}/${r.name}`) && keep(r));
  const message =
    `${options.org}: ${countOf(discovery.candidates.length, "repository", "repositories")} pushed to since ${options.since.slice(0, 10)}` +
    ` (${countOf(discovery.pages, "page")} listed, ${discovery.notModified} unchanged)` +
    (unpushed.length > 0 ? `, ${unpushed.length} more with only issue or pull-request activity` : "");
  const warnings = searched.truncated.map(
    (query) => `GitHub's search caps "${query}" at 1,000 results: repositories whose only activity was issues or pull requests may be missing`,
  );
  return { repositories: [...discovery.candidates, ...unpushed], messages: [message], warnings };
}
