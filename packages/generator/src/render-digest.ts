import { SparkyError, byText } from "@sparky/messages";
import type { Analysis, CommitItem, ContributorStats, RepositoryStats } from "@sparky/messages";
import { renderCommitsChart } from "./commits-chart.js";
import { digestTitle } from "./digest-title.js";
import { escapeMarkdownInline } from "./escape.js";
import { countOf, formatAdded, formatCount, formatRemoved, formatSigned } from "./format.js";
import { figuresOf, renderFrontMatter } from "./front-matter.js";
import { code, linked, plain, section, shortSha, table, text } from "./markdown.js";
import { PERIOD_NOUN, renderNarrative } from "./narrative.js";
import { renderBusiest } from "./render-busiest.js";
import { renderIssues } from "./render-issues.js";
import { renderMergersAndReviewers } from "./render-mergers.js";
import { renderPulls } from "./render-pulls.js";
import { renderAllReleases } from "./render-releases.js";
import { renderStory } from "./render-story.js";
import { releasesOf } from "./render-story-releases.js";
import { renderTrends } from "./render-trends.js";
import { renderUncollected } from "./render-uncollected.js";
import type { RefIndex } from "./refs.js";
import { refIndexOf, titleMarkdown } from "./refs.js";

export interface RenderDigestOptions {
  /** Most entries any one list shows; the rest are counted, not listed. */
  maxItems: number;
  /** A grounded paragraph by the LLM to open with; the template paragraph when absent. */
  narrative?: { source: "llm" | "template"; text: string };
}

const NARRATIVE_NOTES = {
  llm: "_Summary written by a local LLM from the figures below; every number and name in it was checked against them._",
  template: "_Summary built from the figures below._",
} as const;

/** The opening paragraph and the note saying who wrote it. Model text is escaped like any untrusted title. */
function renderOpening(analysis: Analysis, narrative: RenderDigestOptions["narrative"]): string {
  const llm = narrative?.source === "llm" ? escapeMarkdownInline(narrative.text) : "";
  return llm ? `${llm}

${NARRATIVE_NOTES.llm}` : `${renderNarrative(analysis)}

${NARRATIVE_NOTES.template}`;
}

function newestFirst(a: CommitItem, b: CommitItem): number {
  return (
    Date.parse(b.committedAt) - Date.parse(a.committedAt) ||
    byText(a.repository, b.repository) ||
    byText(a.sha, b.sha)
  );
}

function byActivity(a: ContributorStats, b: ContributorStats): number {
  return (
    b.commits - a.commits ||
    b.additions + b.deletions - (a.additions + a.deletions) ||
    byText(a.name, b.name) ||
    byText(a.key, b.key)
  );
}

function commitLine(item: CommitItem, refs: RefIndex): string {
  const marks = [item.isMerge ? "merge" : null, item.isBot ? "bot" : null].filter((m) => m !== null);
  return (
    `- ${linked(shortSha(item.sha), item.url)} ${titleMarkdown(item.subject, item.repository, refs, "(no subject)")}, ` +
    `by ${text(item.author, "(unknown author)")}${marks.length > 0 ? ` (${marks.join(", ")})` : ""}`
  );
}

function renderFigures(analysis: Analysis): string {
  const noun = PERIOD_NOUN[analysis.period];
  const { totals, change } = analysis;
  const none = "\u2014";
  const compared = (figure: string, c: Analysis["change"]["commits"]) => [
    figure,
    formatCount(c.current),
    formatCount(c.previous),
    formatSigned(c.delta),
  ];
  return section(
    "Figures",
    table(
      ["Figure", `This ${noun}`, `Previous ${noun}`, "Change"],
      [":---", "---:", "---:", "---:"],
      [
        compared("Commits", change.commits),
        compared("Merges", change.merges),
        compared("Contributors", change.contributors),
        ["New contributors", formatCount(totals.newContributors), none, none],
        ["Active repositories", `${formatCount(totals.activeRepositories)} of ${formatCount(totals.repositories)}`, none, none],
        ["Lines added", formatAdded(totals.additions), none, none],
        ["Lines removed", formatRemoved(totals.deletions), none, none],
        ...(analysis.releases || analysis.github ? [["Releases", formatCount(releasesOf(analysis).length), none, none]] : []),
        ...(analysis.github ? [compared("GitHub releases published", analysis.github.releases.count)] : []),
      ],
    ),
  );
}

function more(hidden: number, singular: string, plural: string): string {
  return `${countOf(hidden, `more ${singular}`, `more ${plural}`)} not listed.`;
}

function renderTopContributors(analysis: Analysis, maxItems: number): string | null {
  const top = [...analysis.topContributors].sort(byActivity);
  if (top.length === 0) return null;
  const rows = top.slice(0, maxItems).map((c) => [
    `${text(c.name, "(unknown)")}${c.isNew ? " (new)" : ""}`,
    formatCount(c.commits),
    formatAdded(c.additions),
    formatRemoved(c.deletions),
    [...c.repositories].sort(byText).map((r) => escapeMarkdownInline(r)).join(", "),
  ]);
  const body = table(["Contributor", "Commits", "Lines added", "Lines removed", "Repositories"], [":---", "---:", "---:", "---:", ":---"], rows);
  return section("Top contributors", top.length > maxItems ? `${body}\n\n${more(top.length - maxItems, "contributor", "contributors")}` : body);
}

/**
 * Repositories with commits or merges, in a table. "Active" means more (any pull request,
 * review, issue or release too), so when the two differ the section says what it lists
 * and how many active repositories it leaves to the GitHub sections.
 */
function renderRepositories(analysis: Analysis): string {
  const active = analysis.repositories
    .filter((r) => r.commits + r.merges > 0)
    .sort((a, b) => b.commits + b.merges - (a.commits + a.merges) || byText(a.fullName, b.fullName));
  const activeCount = Math.max(analysis.totals.activeRepositories, active.length);
  const withoutCommits = activeCount - active.length;
  const quiet = analysis.repositories.length - activeCount;
  const notes = [
    withoutCommits === 0
      ? null
      : `${countOf(withoutCommits, "other active repository", "other active repositories")} had pull requests, reviews, issues or releases but no commits.`,
    quiet <= 0 ? null : `${countOf(quiet, "other repository", "other repositories")} had no activity.`,
  ].filter((n) => n !== null);
  if (active.length === 0) {
    const watched = countOf(analysis.repositories.length, "repository", "repositories");
    if (analysis.repositories.length === 0) return section("Repositories", "No repositories were collected.");
    if (activeCount === 0) return section("Repositories", `${watched} watched, none with activity.`);
    return section(
      "Repositories",
      `${watched} watched, none with commits or merges; ${countOf(activeCount, "was", "were")} active with pull requests, reviews, issues or releases.`,
    );
  }
  const intro =
    withoutCommits === 0
      ? null
      : `The ${countOf(active.length, "repository", "repositories")} with commits or merges, of ${countOf(activeCount, "active repository", "active repositories")}:`;
  const rows = active.map((r: RepositoryStats) => [
    linked(text(r.fullName, "(unknown)"), r.webUrl),
    formatCount(r.commits),
    formatCount(r.merges),
    formatCount(r.contributors),
    formatAdded(r.additions),
    formatRemoved(r.deletions),
  ]);
  const body = table(
    ["Repository", "Commits", "Merges", "Contributors", "Lines added", "Lines removed"],
    [":---", "---:", "---:", "---:", "---:", "---:"],
    rows,
  );
  return section("Repositories", [intro, body, notes.length > 0 ? notes.join(" ") : null].filter((b) => b !== null).join("\n\n"));
}

/**
 * Commits by repository, newest first. The limit is on the whole list, not per repository,
 * so a busy period gives a digest of bounded size; the newest work is what gets shown and
 * every repository that had to drop entries says how many.
 */
function renderCommits(analysis: Analysis, maxItems: number, refs: RefIndex): string {
  const all = analysis.items.filter((item): item is CommitItem => item.kind === "commit").sort(newestFirst);
  if (all.length === 0) return section("All commits", "No commits or merges in this period.");
  const shown = new Set(all.slice(0, maxItems));
  const byRepository = new Map<string, CommitItem[]>();
  for (const item of all) {
    const list = byRepository.get(item.repository) ?? [];
    list.push(item);
    byRepository.set(item.repository, list);
  }
  const blocks = [...byRepository.keys()].sort(byText).map((repository) => {
    const items = byRepository.get(repository)!;
    const listed = items.filter((item) => shown.has(item));
    const lines = listed.map((item) => commitLine(item, refs));
    const hidden = items.length - listed.length;
    if (hidden > 0) lines.push(`- ${listed.length > 0 ? "and " : ""}${countOf(hidden, "more entry", "more entries")} not listed`);
    return `### ${text(repository, "(unknown repository)")}\n\n${lines.join("\n")}`;
  });
  const hidden = all.length - shown.size;
  if (hidden > 0) {
    blocks.push(
      `Showing the newest ${formatCount(shown.size)} of ${formatCount(all.length)} commits and merges; ` +
        `${formatCount(hidden)} more ${hidden === 1 ? "was" : "were"} not listed.`,
    );
  }
  return section("All commits", blocks.join("\n\n"));
}

function checkMaxItems(maxItems: number): number {
  if (!Number.isSafeInteger(maxItems) || maxItems < 0) {
    throw new SparkyError(
      "SPARKY_GENERATOR_BAD_MAX_ITEMS",
      `maxItems must be a whole number of 0 or more, got ${String(maxItems)}: check [generator] max_items in the config`,
    );
  }
  return maxItems;
}

/**
 * The Markdown digest of one analysis. Pure and deterministic: the same analysis gives the
 * same bytes on any machine on any day, so re-running a period never makes a docs-repo
 * commit that changes nothing but a timestamp.
 */
export function renderDigest(analysis: Analysis, options: RenderDigestOptions): string {
  const maxItems = checkMaxItems(options.maxItems);
  const title = digestTitle(analysis);
  const frontMatter = renderFrontMatter(figuresOf(analysis));
  const refs = refIndexOf(analysis);
  const head = [`# ${plain(title)}`, renderOpening(analysis, options.narrative), renderUncollected(analysis)].filter((b) => b !== null);
  // The story first (what a reader takes in a minute), then the figures and full lists.
  const blocks = [
    frontMatter,
    ...head,
    ...renderStory(analysis, head.join("\n\n"), refs),
    renderFigures(analysis),
    renderTrends(analysis),
    analysis.period === "daily" ? null : section("Commits per day", renderCommitsChart(analysis)),
    renderTopContributors(analysis, maxItems),
    renderMergersAndReviewers(analysis, maxItems),
    renderPulls(analysis, maxItems, refs),
    renderIssues(analysis, maxItems, refs),
    renderAllReleases(analysis, maxItems),
    renderRepositories(analysis),
    renderBusiest(analysis, maxItems),
    renderCommits(analysis, maxItems, refs),
    `---\n\n_Generated by Sparky from run ${code(analysis.runId)} (time zone ${code(analysis.timezone)})._`,
  ];
  return `${blocks.filter((block) => block !== null).join("\n\n")}\n`;
}
