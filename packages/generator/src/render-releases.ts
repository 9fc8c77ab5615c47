import type { Analysis } from "@sparky/messages";
import { countOf, formatCount, formatSigned } from "./format.js";
import { limited, releaseLine } from "./github-lines.js";
import { section } from "./markdown.js";
import { PERIOD_NOUN } from "./narrative.js";

/**
 * The Releases section of a GitHub digest: how many were published against the previous
 * period, and each one, newest first, linked to its GitHub page. Null for a local-git
 * digest, and when neither this period nor the one before had a release.
 */
export function renderReleases(analysis: Analysis, maxItems: number): string | null {
  const github = analysis.github;
  if (!github) return null;
  const { count, list } = github.releases;
  if (count.current === 0 && count.previous === 0) return null;
  const noun = PERIOD_NOUN[analysis.period];
  const summary =
    `${count.current === 0 ? `No releases this ${noun}` : `${countOf(count.current, "release")} published`} ` +
    `(previous ${noun}: ${formatCount(count.previous)}, ${formatSigned(count.delta)}).`;
  const lines = list.map((release) => releaseLine(release, analysis.timezone));
  return section("Releases", lines.length > 0 ? `${summary}\n\n${limited(lines, maxItems, "release", "releases")}` : summary);
}
