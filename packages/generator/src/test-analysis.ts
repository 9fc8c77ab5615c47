import { AnalysisSchema, periodFor, previousPeriod } from "@sparky/messages";
import type { Analysis, CommitItem, GithubAnalysis, IssueItem, Period, PullRequestItem, Themes } from "@sparky/messages";

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
function themesOver(items: Analysis["items"]): Themes {
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

/** A pull or issue title meant to break out: HTML, a link, an image, a table pipe, code, a mention, a heading. */
export const EVIL_TITLE = "<script>alert(1)</script> [win](https://evil.example/pr) ![x](https://evil.example/x.png) | pipe `code` @everyone # heading";

const WEB = "https://github.com/acme/web";

export function pullItem(overrides: Partial<PullRequestItem> & Pick<PullRequestItem, "number" | "createdAt">): PullRequestItem {
  const repository = overrides.repository ?? "acme/api";
  return {
    id: `${repository}#${overrides.number}`,
    kind: "pull_request",
    repository,
    labels: [],
    title: `Pull request ${overrides.number}`,
    author: "Alice Example",
    authorKey: "alice@users.noreply.github.com",
    isBot: false,
    isDraft: false,
    state: "OPEN",
    mergedAt: null,
    closedAt: null,
    additions: 10,
    deletions: 2,
    url: `https://github.com/${repository}/pull/${overrides.number}`,
    ...overrides,
  };
}

export function issueItem(overrides: Partial<IssueItem> & Pick<IssueItem, "number" | "createdAt">): IssueItem {
  const repository = overrides.repository ?? "acme/api";
  return {
    id: `${repository}#${overrides.number}`,
    kind: "issue",
    repository,
    labels: [],
    title: `Issue ${overrides.number}`,
    author: "Carol Reporter",
    authorKey: "carol@users.noreply.github.com",
    isBot: false,
    state: overrides.closedAt ? "CLOSED" : "OPEN",
    closedAt: null,
    url: `https://github.com/${repository}/issues/${overrides.number}`,
    ...overrides,
  };
}

/** Pull requests and issues of week 2026-W48 beside ITEMS' commits. */
export const GITHUB_ITEMS: Array<PullRequestItem | IssueItem> = [
  pullItem({ number: 42, title: "Add rate limiting", labels: ["enhancement"], createdAt: "2026-11-27T10:00:00.000Z", state: "MERGED", mergedAt: "2026-11-27T16:00:00.000Z", closedAt: "2026-11-27T16:00:00.000Z" }),
  pullItem({ number: 43, title: "Bump lodash", author: "dependabot[bot]", authorKey: "dependabot[bot]@users.noreply.github.com", isBot: true, createdAt: "2026-11-25T16:00:00.000Z", state: "MERGED", mergedAt: "2026-11-26T16:00:00.000Z", closedAt: "2026-11-26T16:00:00.000Z" }),
  pullItem({ number: 44, title: EVIL_TITLE, author: EVIL_AUTHOR, isDraft: true, createdAt: "2026-11-28T09:00:00.000Z" }),
  pullItem({ number: 7, repository: "acme/web", title: "Try a new layout", createdAt: "2026-11-24T09:00:00.000Z", state: "CLOSED", closedAt: "2026-11-24T12:00:00.000Z" }),
  pullItem({ number: 3, repository: "acme/web", title: "Old branch", createdAt: "2026-11-10T09:00:00.000Z" }),
  issueItem({ number: 50, title: "Crash when the title is <b>bold</b>", createdAt: "2026-11-24T08:00:00.000Z" }),
  issueItem({ number: 8, repository: "acme/web", title: "Layout broken on mobile", createdAt: "2026-11-23T10:00:00.000Z", closedAt: "2026-11-25T10:00:00.000Z" }),
];

export const GITHUB: GithubAnalysis = {
  org: "acme",
  pulls: {
    opened: { previous: 3, current: 4, delta: 1 },
    merged: { previous: 2, current: 2, delta: 0 },
    closed: 1,
    cycleTimeHours: { median: 6, p90: 24, count: 2 },
    firstReviewHours: { median: 0.5, p90: 50, count: 3 },
  },
  reviews: { previous: 5, current: 7, delta: 2 },
  topReviewers: [
    { name: "Bob Reviewer", key: "bob@users.noreply.github.com", reviews: 4, pullRequests: 3, repositories: ["acme/api", "acme/web"] },
    { name: "Eve <img src=x> [me](https://evil.example/eve)", key: "eve@users.noreply.github.com", reviews: 3, pullRequests: 2, repositories: ["acme/api"] },
  ],
  issues: { opened: { previous: 1, current: 2, delta: 1 }, closed: { previous: 0, current: 1, delta: 1 } },
  releases: {
    count: { previous: 0, current: 1, delta: 1 },
    list: [
      {
        repository: "acme/api",
        tagName: "v1.2.0",
        name: "Spring [release](https://evil.example/rel) <b>",
        url: "https://github.com/acme/api/releases/tag/v1.2.0",
        isPrerelease: true,
        publishedAt: "2026-11-27T15:00:00.000Z",
        author: "Alice Example",
      },
    ],
  },
  repositories: [
    { fullName: "acme/api", webUrl: API, activity: 15, commits: 2, merges: 1, pullsOpened: 3, pullsMerged: 2, pullsClosed: 0, reviews: 5, issuesOpened: 1, issuesClosed: 0, releases: 1 },
    { fullName: "acme/web", webUrl: WEB, activity: 6, commits: 0, merges: 0, pullsOpened: 1, pullsMerged: 0, pullsClosed: 1, reviews: 2, issuesOpened: 1, issuesClosed: 1, releases: 0 },
  ],
};

/** weeklyAnalysis as a GitHub organisation's week: ITEMS' commits, GITHUB_ITEMS and the GITHUB block. */
export function githubAnalysis(overrides: Partial<Analysis> = {}): Analysis {
  const items = [...ITEMS, ...GITHUB_ITEMS];
  return weeklyAnalysis({
    items,
    themes: {
      ...THEMES,
      themes: [...THEMES.themes, { title: "Label: enhancement", summary: "1 pull request in acme/api by 1 author.", itemIds: ["acme/api#42"] }],
    },
    github: GITHUB,
    ...overrides,
  });
}
