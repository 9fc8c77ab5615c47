import { PERIODS } from "@sparky/messages";
import type { Analysis, Period } from "@sparky/messages";
import { digestTitle } from "./digest-title.js";
import { yamlString } from "./escape.js";

/** What a digest's front matter says: enough to list the digest without reading the rest. */
export interface DigestFigures {
  title: string;
  period: Period;
  key: string;
  runId: string;
  windowStart: string;
  windowEnd: string;
  timezone: string;
  firstDay: string;
  lastDay: string;
  commits: number;
  merges: number;
  contributors: number;
  newContributors: number;
  repositories: number;
  additions: number;
  deletions: number;
  /** GitHub digests only: written after the others, and absent from a local-git digest. */
  github?: GithubFigures;
}

export interface GithubFigures {
  pullsOpened: number;
  pullsMerged: number;
  issuesOpened: number;
  issuesClosed: number;
  releases: number;
}

const GITHUB_FIELDS: ReadonlyArray<readonly [string, keyof GithubFigures]> = [
  ["pulls_opened", "pullsOpened"],
  ["pulls_merged", "pullsMerged"],
  ["issues_opened", "issuesOpened"],
  ["issues_closed", "issuesClosed"],
  ["releases", "releases"],
];

type TextField = "title" | "period" | "key" | "runId" | "windowStart" | "windowEnd" | "timezone" | "firstDay" | "lastDay";
type CountField = Exclude<keyof DigestFigures, TextField | "github">;

// No collection time here: a digest depends on the commits only, so the same period
// renders the same bytes whenever, and wherever (embedded or served), it is collected.
// One table for writing and reading, in the order written, so the two cannot drift apart.
const FIELDS: ReadonlyArray<readonly [string, TextField, "text"] | readonly [string, CountField, "count"]> = [
  ["title", "title", "text"],
  ["period", "period", "text"],
  ["key", "key", "text"],
  ["run_id", "runId", "text"],
  ["window_start", "windowStart", "text"],
  ["window_end", "windowEnd", "text"],
  ["timezone", "timezone", "text"],
  ["first_day", "firstDay", "text"],
  ["last_day", "lastDay", "text"],
  ["commits", "commits", "count"],
  ["merges", "merges", "count"],
  ["contributors", "contributors", "count"],
  ["new_contributors", "newContributors", "count"],
  ["repositories", "repositories", "count"],
  ["additions", "additions", "count"],
  ["deletions", "deletions", "count"],
];

/** The `---` block that opens a digest: strings double-quoted, counts as plain integers. */
export function renderFrontMatter(figures: DigestFigures): string {
  const lines = FIELDS.map(([name, field, kind]) =>
    kind === "text" ? `${name}: ${yamlString(figures[field])}` : `${name}: ${String(figures[field])}`,
  );
  const github = figures.github;
  if (github) lines.push(...GITHUB_FIELDS.map(([name, field]) => `${name}: ${String(github[field])}`));
  return ["---", ...lines, "---"].join("\n");
}

const ESCAPES: Record<string, string> = { "\\": "\\", '"': '"', n: "\n", t: "\t", r: "\r" };

/** Read back a double-quoted scalar as `yamlString` writes it; null for anything else. */
function unquote(value: string): string | null {
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return null;
  let out = "";
  for (let i = 1; i < value.length - 1; i++) {
    const char = value[i]!;
    if (char === '"') return null;
    if (char !== "\\") {
      out += char;
      continue;
    }
    const next = value[++i];
    if (next === undefined || i >= value.length - 1) return null;
    if (next === "u") {
      const hex = value.slice(i + 1, i + 5);
      if (!/^[0-9A-Fa-f]{4}$/.test(hex)) return null;
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else if (next in ESCAPES) {
      out += ESCAPES[next];
    } else {
      return null;
    }
  }
  return out;
}

/** A count as `renderFrontMatter` writes it: digits, no sign, no leading zero. */
function countOf(raw: string): number | null {
  return /^(0|[1-9][0-9]*)$/.test(raw) && Number.isSafeInteger(Number(raw)) ? Number(raw) : null;
}

/**
 * Parse the front matter of a digest Sparky wrote. Deliberately not a YAML parser: it
 * accepts exactly the shape `renderFrontMatter` emits and returns null for anything else
 * (a hand-written page, a half-edited file), so one odd file never breaks the index.
 */
export function parseFrontMatter(text: string): DigestFigures | null {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  if (lines[0] !== "---") return null;
  const end = lines.indexOf("---", 1);
  if (end < 0) return null;
  const values = new Map<string, string>();
  for (const line of lines.slice(1, end)) {
    const match = /^([a-z_]+): (.*)$/.exec(line);
    if (match) values.set(match[1]!, match[2]!);
  }
  const figures: Partial<Record<Exclude<keyof DigestFigures, "github">, string | number>> & { github?: GithubFigures } = {};
  for (const [name, field, kind] of FIELDS) {
    const raw = values.get(name);
    if (raw === undefined) return null;
    if (kind === "text") {
      const value = unquote(raw);
      if (value === null) return null;
      figures[field] = value;
    } else {
      const count = countOf(raw);
      if (count === null) return null;
      figures[field] = count;
    }
  }
  if (!(PERIODS as readonly unknown[]).includes(figures.period)) return null;
  // GitHub figures come all together or not at all: half of them is not a digest Sparky wrote.
  const present = GITHUB_FIELDS.filter(([name]) => values.has(name));
  if (present.length > 0) {
    if (present.length < GITHUB_FIELDS.length) return null;
    const github: Partial<GithubFigures> = {};
    for (const [name, field] of GITHUB_FIELDS) {
      const count = countOf(values.get(name)!);
      if (count === null) return null;
      github[field] = count;
    }
    figures.github = github as GithubFigures;
  }
  return figures as unknown as DigestFigures;
}

/** The front matter's figures of an analysis, as every digest writes them. */
export function figuresOf(analysis: Analysis): DigestFigures {
  return {
    title: digestTitle(analysis),
    period: analysis.period,
    key: analysis.key,
    runId: analysis.runId,
    windowStart: analysis.window.start,
    windowEnd: analysis.window.end,
    timezone: analysis.timezone,
    firstDay: analysis.firstDay,
    lastDay: analysis.lastDay,
    commits: analysis.totals.commits,
    merges: analysis.totals.merges,
    contributors: analysis.totals.contributors,
    newContributors: analysis.totals.newContributors,
    repositories: analysis.totals.activeRepositories,
    additions: analysis.totals.additions,
    deletions: analysis.totals.deletions,
    ...(analysis.github
      ? {
          github: {
            pullsOpened: analysis.github.pulls.opened.current,
            pullsMerged: analysis.github.pulls.merged.current,
            issuesOpened: analysis.github.issues.opened.current,
            issuesClosed: analysis.github.issues.closed.current,
            releases: analysis.github.releases.count.current,
          },
        }
      : {}),
  };
}
