import { compareVersions, forgeLinks, parseTagVersion, byText } from "@sparky/messages";
import type { GithubRelease, GithubRepository, RawRepository, RawTag, Release, TagVersion, Window } from "@sparky/messages";
import { within } from "./github/github-window.js";

/** A tag and a GitHub release of one version, either possibly missing. */
interface Pair {
  repository: string;
  webUrl: string | null;
  tag: RawTag | null;
  github: GithubRelease | null;
}

/**
 * What makes a tag and a GitHub release the same release: the version they spell
 * (`v5.0.0` and `5.0.0` are one; build metadata and the `v` never tell versions apart),
 * or the exact name for a tag that is no version.
 */
function releaseKey(tagName: string): string {
  const version = parseTagVersion(tagName);
  if (!version) return `tag ${tagName}`;
  return `version ${version.scope ?? ""}@${version.version.replace(/\+.*$/, "")}`;
}

/**
 * The window's releases from git tags and GitHub releases, one per version and
 * repository: the tag gives the commit counts, GitHub the page and the name. Newest first;
 * within one repository, versions of one package keep semantic order (v5.0.0 above 4.20.0
 * of the same day, a backport tagged later below the major it follows).
 */
export function releasesOf(repositories: readonly RawRepository[], github: readonly GithubRepository[], window: Window): Release[] {
  const inWindow = within(window);
  const pairs: Pair[] = [];
  for (const repo of repositories) {
    const repository = `${repo.owner}/${repo.name}`;
    const byKey = new Map<string, Pair>();
    const pairOf = (tagName: string) => {
      const key = releaseKey(tagName);
      let pair = byKey.get(key);
      if (!pair) {
        pair = { repository, webUrl: repo.webUrl, tag: null, github: null };
        byKey.set(key, pair);
        pairs.push(pair);
      }
      return pair;
    };
    // The collector keeps the window's tags only; held to it here as every other figure is.
    for (const tag of repo.tags ?? []) {
      const pair = pairOf(tag.name);
      // The same version tagged twice (`v1.0.0` and `1.0.0`): the exact name GitHub uses wins later, else the first.
      if (!pair.tag && inWindow(tag.taggedAt)) pair.tag = tag;
    }
    const full = github.find((g) => g.owner === repo.owner && g.name === repo.name);
    for (const release of full?.releases ?? []) {
      if (!inWindow(release.publishedAt)) continue;
      const pair = pairOf(release.tagName);
      if (pair.github) continue;
      pair.github = release;
      const exact = (repo.tags ?? []).find((t) => t.name === release.tagName && inWindow(t.taggedAt));
      if (exact) pair.tag = exact;
    }
  }
  const releases = pairs.filter((p) => p.tag || p.github).map(toRelease);
  return semanticWithinLines(releases.sort(newestFirst));
}

function toRelease({ repository, webUrl, tag, github }: Pair): Release {
  const tagName = tag?.name ?? github!.tagName;
  const version = parseTagVersion(tagName);
  const links = forgeLinks(webUrl);
  const previousTag = tag?.previousTag ?? null;
  return {
    repository,
    tagName,
    name: github?.name && github.name !== tagName ? github.name : null,
    version: version?.version ?? null,
    isPrerelease: (github?.isPrerelease ?? false) || (version !== null && version.prerelease.length > 0),
    // A GitHub release is dated when it was published, which is when people heard of it.
    publishedAt: github?.publishedAt ?? tag!.taggedAt,
    sources: [...(tag ? (["tag"] as const) : []), ...(github ? (["github"] as const) : [])],
    url: github?.url ?? links.tag(tagName),
    previousTag,
    compareUrl: previousTag === null ? null : links.compare(previousTag, tagName),
    commits: tag?.commits ?? null,
    authors: tag?.authors ?? [],
    author: github?.author?.name ?? tag?.tagger ?? null,
  };
}

function newestFirst(a: Release, b: Release): number {
  return byText(b.publishedAt, a.publishedAt) || byText(a.repository, b.repository) || byText(a.tagName, b.tagName);
}

/**
 * Keep each version line (one repository, one package) in semantic order, newest version
 * first, in the places its releases hold in the date order: other releases do not move.
 */
function semanticWithinLines(sorted: Release[]): Release[] {
  const lines = new Map<string, { slots: number[]; releases: { release: Release; version: TagVersion }[] }>();
  sorted.forEach((release, slot) => {
    const version = parseTagVersion(release.tagName);
    if (!version) return;
    const line = `${release.repository} ${version.scope ?? ""}`;
    const entry = lines.get(line) ?? { slots: [], releases: [] };
    entry.slots.push(slot);
    entry.releases.push({ release, version });
    lines.set(line, entry);
  });
  const result = [...sorted];
  for (const { slots, releases } of lines.values()) {
    // Equal versions (`v1.0.0` and `1.0.0`, both tagged) keep their date order: the sort is stable.
    releases.sort((a, b) => compareVersions(b.version, a.version));
    slots.forEach((slot, i) => (result[slot] = releases[i]!.release));
  }
  return result;
}
