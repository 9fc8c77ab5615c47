import { localDay } from "@sparky/messages";
import type { Analysis, Release, ReleaseEntry } from "@sparky/messages";
import { escapeMarkdownInline } from "./escape.js";
import { countOf } from "./format.js";
import { linked } from "./markdown.js";
import { namesOf } from "./story-lines.js";

/** Releases listed in the story; the rest are counted there and listed in full further down. */
export const STORY_RELEASES = 5;

/** Releases of an analysis written before git tags were read: its GitHub releases, as releases. */
function fromGithub(list: ReleaseEntry[]): Release[] {
  return list.map((r) => ({
    repository: r.repository,
    tagName: r.tagName,
    name: r.name,
    version: null,
    isPrerelease: r.isPrerelease,
    publishedAt: r.publishedAt,
    sources: ["github"],
    url: r.url,
    previousTag: null,
    compareUrl: null,
    commits: null,
    authors: [],
    author: r.author,
  }));
}

export function releasesOf(analysis: Analysis): Release[] {
  return analysis.releases ?? fromGithub(analysis.github?.releases.list ?? []);
}

/**
 * One release: its tag linked to its forge page, the repository when the digest covers
 * several, its day, and what it contains: the commits since the previous tag and by whom.
 */
export function releaseLine(release: Release, analysis: Analysis): string {
  const several = analysis.repositories.length + (analysis.github?.repositories.length ?? 0) > 1;
  const label = escapeMarkdownInline(several ? `${release.repository} ${release.tagName}` : release.tagName);
  const name = release.name && release.name.trim() !== release.tagName ? ` ${escapeMarkdownInline(release.name)}` : "";
  const day = localDay(Date.parse(release.publishedAt), analysis.timezone);
  const parts = [`- **${linked(label, release.url)}**${name}, ${day}${release.isPrerelease ? " (pre-release)" : ""}`];
  if (release.commits !== null) {
    const since = release.previousTag ? ` since ${linked(escapeMarkdownInline(release.previousTag), release.compareUrl)}` : "";
    const by = release.authors.length > 0 ? ` by ${namesOf(release.authors.map((a) => a.name))}` : "";
    parts.push(`: ${countOf(release.commits, "commit")}${since}${by}`);
  } else if (release.author) {
    parts.push(`, by ${escapeMarkdownInline(release.author) || "(unknown)"}`);
  }
  return parts.join("");
}
