import { byText } from "@sparky/messages";
import type { Analysis } from "@sparky/messages";
import { countOf } from "./format.js";
import { section, text } from "./markdown.js";
import { PERIOD_NOUN } from "./narrative.js";

interface Person {
  name: string;
  parts: string[];
}

/**
 * People who merged or reviewed but authored no commit of their own in the period. They are
 * not contributors (as `git shortlog --no-merges` and GitHub's contributor graphs count
 * them), so they are shown here rather than left out or counted among contributors.
 */
export function renderMergersAndReviewers(analysis: Analysis, maxItems: number): string | null {
  const contributors = new Set(analysis.contributors.map((c) => c.key));
  const people = new Map<string, Person>();
  const person = (key: string, name: string) => {
    let p = people.get(key);
    if (!p) people.set(key, (p = { name, parts: [] }));
    return p;
  };
  for (const m of analysis.mergers ?? []) {
    if (m.isContributor || contributors.has(m.key)) continue;
    const p = person(m.key, m.name);
    if (m.pullRequestsMerged > 0) p.parts.push(`merged ${countOf(m.pullRequestsMerged, "pull request")}`);
    if (m.mergeCommits > 0) p.parts.push(countOf(m.mergeCommits, "merge commit"));
  }
  // Every reviewer who did not commit, when the analysis lists them; the top reviewers otherwise.
  for (const r of analysis.reviewersOnly ?? analysis.github?.topReviewers ?? []) {
    if (contributors.has(r.key)) continue;
    person(r.key, r.name).parts.push(`${countOf(r.reviews, "review")} of ${countOf(r.pullRequests, "pull request")}`);
  }
  if (people.size === 0) return null;
  const sorted = [...people.entries()].sort(([ka, a], [kb, b]) => byText(a.name, b.name) || byText(ka, kb));
  const lines = sorted.slice(0, maxItems).map(([, p]) => `- ${text(p.name, "(unknown)")}: ${p.parts.join("; ")}`);
  if (sorted.length > maxItems) lines.push("", `${countOf(sorted.length - maxItems, "more person", "more people")} not listed.`);
  const intro = `People who merged or reviewed but authored no commit of their own this ${PERIOD_NOUN[analysis.period]}: mergers and reviewers, not counted as contributors.`;
  return section("Mergers and reviewers", `${intro}\n\n${lines.join("\n")}`);
}
