import type { Analysis } from "@sparky/messages";
import { code, section, text } from "./markdown.js";
import { countOf } from "./format.js";

const LISTED = 5;

/**
 * The repositories the collection found but could not collect (deleted, renamed or made
 * inaccessible mid-run), and why: the figures leave them out, and the digest must say so
 * rather than undercount in silence. Null when everything was collected.
 */
export function renderUncollected(analysis: Analysis): string | null {
  const missing = analysis.uncollected ?? [];
  if (missing.length === 0) return null;
  // Run ids are `daily-2026-11-26` and the like; anything else is shown escaped, not as code.
  const resume = /^[A-Za-z0-9-]+$/.test(analysis.runId) ? `\`sparky resume ${analysis.runId}\`` : `sparky resume ${code(analysis.runId)}`;
  // Bounded, since it opens the digest: the run record and `sparky status` list them all.
  const lines = missing.slice(0, LISTED).map((m) => `- ${text(m.repository, "(unknown repository)")}: ${text(m.reason, "(no reason given)")}`);
  if (missing.length > LISTED) lines.push(`- and ${countOf(missing.length - LISTED, "more repository", "more repositories")} (see \`sparky status\`)`);
  return section(
    "Not collected",
    `The figures of this digest leave out ${countOf(missing.length, "repository", "repositories")} that could not be collected:\n\n` +
      `${lines.join("\n")}\n\nThe collection is marked partial: ${resume} (or running the period again) collects ` +
      `${missing.length === 1 ? "it once it is" : "them once they are"} reachable again.`,
  );
}
