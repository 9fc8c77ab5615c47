import { relative, sep } from "node:path";
import { dataLayout, byText } from "@sparky/messages";
import type { CollectPayload, CollectionStats, GithubRepository, RawManifest } from "@sparky/messages";
import type { z } from "zod";

export interface ManifestTotals {
  manifest: RawManifest;
  commits: number;
  merges: number;
  activity: number;
}

/** The manifest of a GitHub collection (the same shape the local-git source writes), and its totals. */
export function githubManifest(
  input: z.output<typeof CollectPayload>,
  dataDir: string,
  files: Iterable<GithubRepository>,
  stats: CollectionStats,
  collectedAt: string,
): ManifestTotals {
  const layout = dataLayout(dataDir);
  const entries: RawManifest["repositories"] = [];
  let commits = 0;
  let merges = 0;
  let activity = 0;
  for (const raw of [...files].sort((a, b) => byText(a.name, b.name))) {
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
    org: input.org!,
    stats,
    repositories: entries,
  };
  return { manifest, commits, merges, activity };
}
