import type { Analysis } from "@sparky/messages";
import { limited } from "./github-lines.js";
import { section } from "./markdown.js";
import { STORY_RELEASES, releaseLine, releasesOf } from "./render-story-releases.js";

/** Every release of the period, when there are more than the story lists; null otherwise. */
export function renderAllReleases(analysis: Analysis, maxItems: number): string | null {
  const releases = releasesOf(analysis);
  if (releases.length <= STORY_RELEASES) return null;
  return section("All releases", limited(releases.map((r) => releaseLine(r, analysis)), maxItems, "release", "releases"));
}
