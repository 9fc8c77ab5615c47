import type { GithubClient } from "./create-github-client.js";
import { batchGraphql } from "./fetch-repositories.js";
import { priorAuthorsQuery } from "./repository-query.js";
import type { ShapedRepository } from "./shape-repository.js";

/** Lookups per query: each is a one-commit history, so many fit in one request. */
const LOOKUPS_PER_QUERY = 50;

/**
 * Complete `priorAuthors` (who is not a new contributor) for window authors the previous
 * window did not already show: one commit of theirs before the window, in the repository
 * they committed to, answers it. All lookups of a batch of repositories share requests.
 */
export async function addPriorAuthors(client: GithubClient, shaped: readonly ShapedRepository[], windowStart: string): Promise<void> {
  const all = shaped.flatMap((s) => s.lookups.map((l) => ({ ...l, into: s.raw.priorAuthors })));
  for (let i = 0; i < all.length; i += LOOKUPS_PER_QUERY) {
    const chunk = all.slice(i, i + LOOKUPS_PER_QUERY);
    const built = priorAuthorsQuery(
      chunk.map((c) => c.lookup),
      windowStart,
    );
    const { data } = await batchGraphql<Record<string, { object: { history?: { nodes: unknown[] } } | null } | null>>(
      client,
      built,
      `looking up earlier commits of ${chunk.length} contributor${chunk.length === 1 ? "" : "s"}`,
    );
    chunk.forEach((c, j) => {
      // A repository gone since its batch was fetched says nothing: its author stays new.
      if ((data[`a${j}`]?.object?.history?.nodes.length ?? 0) > 0 && !c.into.includes(c.key)) c.into.push(c.key);
    });
  }
  for (const s of shaped) s.raw.priorAuthors.sort();
}
