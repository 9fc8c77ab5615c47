import { AnalysisSchema, periodFor, previousPeriod } from "@sparky/messages";
import type { Analysis, CommitItem, Period, Themes } from "@sparky/messages";

export const EVIL_SUBJECT =
  "<script>alert(1)</script> [click](https://evil.example) ![x](https://evil.example/x.png) **bold** # heading | pipe";
export const EVIL_AUTHOR = "Mallory *the* <b>Bold</b> [me](https://evil.example/me) _x_";

const API = "https://github.com/acme/api";

export function commit(overrides: Partial<CommitItem> & Pick<CommitItem, "sha">): CommitItem {
  return {
    id: `${overrides.repository ?? "acme/api"}@${overrides.sha.slice(0, 7)}`,
    kind: "commit",
    repository: "acme/api",
    subject: "Change something",
    author: "Alice Example",
    committedAt: "2026-11-25T12:00:00.000Z",
    additions: 1,
    deletions: 1,
    isMerge: false,
    isBot: false,
    url: `${API}/commit/${overrides.sha}`,
    ...overrides,
  };
}

/** Five entries in week 2026-W48: a merge, a bot commit, a repository with no remote, and a hostile subject. */
export const ITEMS: CommitItem[] = [
  commit({
    sha: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
    subject: "Merge pull request #42 from acme/rate-limit",
    committedAt: "2026-11-27T16:00:00.000Z",
    additions: 0,
    deletions: 0,
    isMerge: true,
  }),
  commit({
    sha: "b2c3d4e5f60718293a4b5c6d7e8f9012345678a1",
    subject: "Add rate limiting to the API",
    committedAt: "2026-11-27T10:00:00.000Z",
    additions: 220,
    deletions: 40,
  }),
  commit({
    sha: "c3d4e5f60718293a4b5c6d7e8f9012345678a1b2",
    repository: "local/tools",
    subject: EVIL_SUBJECT,
    author: EVIL_AUTHOR,
    committedAt: "2026-11-26T09:00:00.000Z",
    additions: 15,
    deletions: 5,
    url: null,
  }),
  commit({
    sha: "d4e5f60718293a4b5c6d7e8f9012345678a1b2c3",
    subject: "Bump lodash from 4.17.20 to 4.17.21",
    author: "dependabot[bot]",
    committedAt: "2026-11-25T08:00:00.000Z",
    additions: 3,
    deletions: 3,
    isBot: true,
  }),
  commit({
    sha: "e5f60718293a4b5c6d7e8f9012345678a1b2c3d4",
    repository: "local/tools",
    subject: "Fix typo in README",
    author: "Bob Newcomer",
    committedAt: "2026-11-24T12:00:00.000Z",
    additions: 1,
    deletions: 1,
    url: null,
  }),
];

/** Deterministic themes over ITEMS: what the analyzer groups them into with no LLM. */
export const THEMES: Themes = {
  source: "deterministic",
  reason: "no LLM was asked",
  themes: [
    { title: "Other work in acme/api", summary: "2 commits in acme/api by 1 author.", itemIds: [ITEMS[0]!.id, ITEMS[1]!.id] },
    { title: "Other work in local/tools", summary: "2 commits in local/tools by 2 authors.", itemIds: [ITEMS[2]!.id, ITEMS[4]!.id] },
    { title: "Maintenance", summary: "1 commit in acme/api by 1 author.", itemIds: [ITEMS[3]!.id] },
  ],
};

/** THEMES with only the ids of `items`, so a fixture with other items still validates. */
function themesOver(items: CommitItem[]): Themes {
  const ids = new Set(items.map((i) => i.id));
  const themes = THEMES.themes
    .map((t) => ({ ...t, itemIds: t.itemIds.filter((id) => ids.has(id)) }))
    .filter((t) => t.itemIds.length > 0);
  return { ...THEMES, themes };
}

/** A valid weekly analysis (2026-W48, UTC); `overrides` replace whole top-level fields. */
export function weeklyAnalysis(overrides: Partial<Analysis> = {}): Analysis {
  const spec = periodFor("weekly", "2026-11-26");
  return AnalysisSchema.parse({
    schema: "sparky.analysis/1",
    runId: spec.runId,
    period: spec.period,
    key: spec.key,
    window: spec.window,
    timezone: spec.timezone,
    collectedAt: "2026-11-30T01:00:00.000Z",
    firstDay: spec.firstDay,
    lastDay: spec.lastDay,
    previousWindow: previousPeriod(spec).window,
    totals: {
      commits: 4,
      merges: 1,
      botCommits: 1,
      additions: 239,
      deletions: 49,
      contributors: 3,
      newContributors: 1,
      activeRepositories: 2,
      repositories: 3,
    },
    change: {
      commits: { previous: 2, current: 4, delta: 2 },
      merges: { previous: 1, current: 1, delta: 0 },
      contributors: { previous: 4, current: 3, delta: -1 },
    },
    contributors: [
      { name: "Alice Example", key: "alice@example.com", commits: 1, additions: 220, deletions: 40, repositories: ["acme/api"], isNew: false },
      { name: EVIL_AUTHOR, key: "mallory@example.com", commits: 1, additions: 15, deletions: 5, repositories: ["local/tools"], isNew: false },
      { name: "Bob Newcomer", key: "bob@example.com", commits: 1, additions: 1, deletions: 1, repositories: ["local/tools"], isNew: true },
    ],
    topContributors: [
      { name: "Alice Example", key: "alice@example.com", commits: 1, additions: 220, deletions: 40, repositories: ["acme/api"], isNew: false },
      { name: EVIL_AUTHOR, key: "mallory@example.com", commits: 1, additions: 15, deletions: 5, repositories: ["local/tools"], isNew: false },
      { name: "Bob Newcomer", key: "bob@example.com", commits: 1, additions: 1, deletions: 1, repositories: ["local/tools"], isNew: true },
    ],
    repositories: [
      { fullName: "acme/api", webUrl: API, commits: 2, merges: 1, additions: 223, deletions: 43, contributors: 1 },
      { fullName: "local/tools", webUrl: null, commits: 2, merges: 0, additions: 16, deletions: 6, contributors: 2 },
      { fullName: "acme/docs", webUrl: "https://github.com/acme/docs", commits: 0, merges: 0, additions: 0, deletions: 0, contributors: 0 },
    ],
    perDay: [
      { day: "2026-11-23", commits: 0 },
      { day: "2026-11-24", commits: 1 },
      { day: "2026-11-25", commits: 1 },
      { day: "2026-11-26", commits: 1 },
      { day: "2026-11-27", commits: 1 },
      { day: "2026-11-28", commits: 0 },
      { day: "2026-11-29", commits: 0 },
    ],
    items: ITEMS,
    highlights: [ITEMS[1], ITEMS[2]],
    themes: themesOver(overrides.items ?? ITEMS),
    ...overrides,
  });
}

/** The same activity re-labelled as another period, by default the one containing 2026-11-26. */
export function analysisFor(period: Period, overrides: Partial<Analysis> = {}, date = "2026-11-26"): Analysis {
  const spec = periodFor(period, date);
  const base = weeklyAnalysis();
  return weeklyAnalysis({
    runId: spec.runId,
    period: spec.period,
    key: spec.key,
    window: spec.window,
    firstDay: spec.firstDay,
    lastDay: spec.lastDay,
    previousWindow: previousPeriod(spec).window,
    perDay: period === "daily" ? [{ day: date, commits: 1 }] : base.perDay,
    ...overrides,
  });
}

/** A period with nothing in it. */
export function emptyAnalysis(period: Period): Analysis {
  return analysisFor(period, {
    totals: {
      commits: 0,
      merges: 0,
      botCommits: 0,
      additions: 0,
      deletions: 0,
      contributors: 0,
      newContributors: 0,
      activeRepositories: 0,
      repositories: 3,
    },
    change: {
      commits: { previous: 2, current: 0, delta: -2 },
      merges: { previous: 0, current: 0, delta: 0 },
      contributors: { previous: 1, current: 0, delta: -1 },
    },
    contributors: [],
    topContributors: [],
    repositories: weeklyAnalysis().repositories.map((r) => ({ ...r, commits: 0, merges: 0, additions: 0, deletions: 0, contributors: 0 })),
    perDay: [],
    items: [],
    highlights: [],
    themes: { source: "deterministic", reason: "the period has no items to group", themes: [] },
  });
}
