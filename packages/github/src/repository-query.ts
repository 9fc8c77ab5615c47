/**
 * GraphQL text for the collector. Many repositories go into one query as aliased
 * `repository(...)` fields (the request count is what a run costs); what does not fit in
 * the first page is fetched by follow-up queries, again batched with aliases.
 */

const PAGE_INFO = "pageInfo { hasNextPage endCursor }";
const FRAGMENTS = {
  Actor: { text: "fragment Actor on Actor { __typename login ... on User { name } }", needs: [] },
  Commit: {
    text:
      "fragment Commit on Commit { oid url message messageHeadline committedDate authoredDate additions deletions " +
      "changedFilesIfAvailable parents(first: 3) { totalCount nodes { oid } } " +
      "author { name email user { id login name } } committer { name email user { login } } }",
    needs: [],
  },
  History: { text: `fragment History on CommitHistoryConnection { ${PAGE_INFO} nodes { ...Commit } }`, needs: ["Commit"] },
  Review: { text: "fragment Review on PullRequestReview { author { ...Actor } state submittedAt url }", needs: ["Actor"] },
  Reviews: { text: `fragment Reviews on PullRequestReviewConnection { ${PAGE_INFO} nodes { ...Review } }`, needs: ["Review"] },
  Pulls: {
    text:
      `fragment Pulls on PullRequestConnection { ${PAGE_INFO} nodes { number title url isDraft state createdAt updatedAt ` +
      "mergedAt closedAt additions deletions changedFiles author { ...Actor } mergedBy { ...Actor } " +
      "labels(first: 20) { nodes { name } } reviews(first: 30) { ...Reviews } " +
      // One event tells both whether the pull request was opened as a draft and when it was first
      // ready: a ReadyForReview first means opened as a draft, a ConvertToDraft first means not.
      "timelineItems(first: 1, itemTypes: [READY_FOR_REVIEW_EVENT, CONVERT_TO_DRAFT_EVENT]) { nodes { __typename " +
      "... on ReadyForReviewEvent { createdAt } ... on ConvertToDraftEvent { createdAt } } } } }",
    needs: ["Actor", "Reviews"],
  },
  Issues: {
    text:
      `fragment Issues on IssueConnection { ${PAGE_INFO} nodes { number title url state stateReason createdAt updatedAt ` +
      "closedAt author { ...Actor } labels(first: 20) { nodes { name } } } }",
    needs: ["Actor"],
  },
  Releases: {
    text:
      `fragment Releases on ReleaseConnection { ${PAGE_INFO} nodes { name tagName url isDraft isPrerelease createdAt ` +
      "publishedAt author { login name } } }",
    needs: [],
  },
} as const;
type FragmentName = keyof typeof FRAGMENTS;

export interface RepoRef {
  owner: string;
  name: string;
}

/** The time range every connection is cut to: the previous period's start to the window's end. */
export interface QueryRange {
  since: string;
  until: string;
}

export interface BuiltQuery {
  query: string;
  variables: Record<string, unknown>;
}

/** Collects variables and fragments as fields are added, so the query declares exactly what it uses. */
function queryBuilder(operation: string) {
  const declarations: string[] = [];
  const variables: Record<string, unknown> = {};
  const fragments = new Set<FragmentName>();
  const fields: string[] = ["rateLimit { cost remaining limit resetAt }"];
  const use = (name: FragmentName) => {
    if (fragments.has(name)) return;
    fragments.add(name);
    for (const need of FRAGMENTS[name].needs) use(need as FragmentName);
  };
  return {
    variable(name: string, type: string, value: unknown): string {
      if (!(name in variables)) declarations.push(`$${name}: ${type}`);
      variables[name] = value;
      return `$${name}`;
    },
    field(text: string, ...uses: FragmentName[]) {
      fields.push(text);
      uses.forEach(use);
    },
    build(): BuiltQuery {
      const head = declarations.length ? `(${declarations.join(", ")})` : "";
      const body = [`query ${operation}${head} {`, ...fields.map((f) => `  ${f}`), "}"];
      return { query: [...body, ...[...fragments].map((f) => FRAGMENTS[f].text)].join("\n"), variables };
    },
  };
}

const PULL_ORDER = "orderBy: {field: UPDATED_AT, direction: DESC}";
const RELEASE_ORDER = "orderBy: {field: CREATED_AT, direction: DESC}";

/** The first page of everything in the range, for a batch of repositories (aliases r0, r1, ...). */
export function repositoriesQuery(repos: readonly RepoRef[], range: QueryRange): BuiltQuery {
  const q = queryBuilder("SparkyRepositories");
  const since = q.variable("since", "GitTimestamp!", range.since);
  const until = q.variable("until", "GitTimestamp!", range.until);
  const updated = q.variable("updatedSince", "DateTime!", range.since);
  repos.forEach((repo, i) => {
    const owner = q.variable(`o${i}`, "String!", repo.owner);
    const name = q.variable(`n${i}`, "String!", repo.name);
    q.field(
      `r${i}: repository(owner: ${owner}, name: ${name}) { name owner { login } url isArchived isFork pushedAt ` +
        `defaultBranchRef { name target { __typename ... on Commit { oid history(first: 100, since: ${since}, until: ${until}) { ...History } } } } ` +
        `pullRequests(first: 50, ${PULL_ORDER}) { ...Pulls } ` +
        `issues(first: 50, ${PULL_ORDER}, filterBy: {since: ${updated}}) { ...Issues } ` +
        `releases(first: 20, ${RELEASE_ORDER}) { ...Releases } }`,
      "History",
      "Pulls",
      "Issues",
      "Releases",
    );
  });
  return q.build();
}

export type FollowUp =
  | { kind: "history"; repo: number; head: string; after: string }
  | { kind: "pulls" | "issues" | "releases"; repo: number; after: string }
  | { kind: "reviews"; repo: number; pullRequest: number; after: string };

/** The next pages of connections that did not fit (aliases f0, f1, ... in the order given). */
export function followUpQuery(repos: readonly RepoRef[], followUps: readonly FollowUp[], range: QueryRange): BuiltQuery {
  const q = queryBuilder("SparkyNextPages");
  followUps.forEach((f, i) => {
    const repo = repos[f.repo]!;
    const owner = q.variable(`o${f.repo}`, "String!", repo.owner);
    const name = q.variable(`n${f.repo}`, "String!", repo.name);
    const after = q.variable(`c${i}`, "String!", f.after);
    const open = `f${i}: repository(owner: ${owner}, name: ${name}) {`;
    switch (f.kind) {
      case "history": {
        const head = q.variable(`h${i}`, "GitObjectID!", f.head);
        const since = q.variable("since", "GitTimestamp!", range.since);
        const until = q.variable("until", "GitTimestamp!", range.until);
        q.field(`${open} object(oid: ${head}) { __typename ... on Commit { history(first: 100, after: ${after}, since: ${since}, until: ${until}) { ...History } } } }`, "History");
        break;
      }
      case "pulls":
        q.field(`${open} pullRequests(first: 50, after: ${after}, ${PULL_ORDER}) { ...Pulls } }`, "Pulls");
        break;
      case "issues": {
        const updated = q.variable("updatedSince", "DateTime!", range.since);
        q.field(`${open} issues(first: 100, after: ${after}, ${PULL_ORDER}, filterBy: {since: ${updated}}) { ...Issues } }`, "Issues");
        break;
      }
      case "releases":
        q.field(`${open} releases(first: 100, after: ${after}, ${RELEASE_ORDER}) { ...Releases } }`, "Releases");
        break;
      case "reviews": {
        const number = q.variable(`p${i}`, "Int!", f.pullRequest);
        q.field(`${open} pullRequest(number: ${number}) { reviews(first: 100, after: ${after}) { ...Reviews } } }`, "Reviews");
        break;
      }
    }
  });
  return q.build();
}

/** Whether someone committed before `until`: one commit of their history, per repository (aliases a0, a1, ...). */
export interface PriorLookup {
  repo: RepoRef;
  head: string;
  author: { id: string } | { emails: string[] };
}

export function priorAuthorsQuery(lookups: readonly PriorLookup[], until: string): BuiltQuery {
  const q = queryBuilder("SparkyPriorAuthors");
  const before = q.variable("until", "GitTimestamp!", until);
  lookups.forEach((lookup, i) => {
    const owner = q.variable(`o${i}`, "String!", lookup.repo.owner);
    const name = q.variable(`n${i}`, "String!", lookup.repo.name);
    const head = q.variable(`h${i}`, "GitObjectID!", lookup.head);
    const author = q.variable(`a${i}`, "CommitAuthor!", lookup.author);
    q.field(
      `a${i}: repository(owner: ${owner}, name: ${name}) { object(oid: ${head}) { __typename ... on Commit { history(first: 1, until: ${before}, author: ${author}) { nodes { oid } } } } }`,
    );
  });
  return q.build();
}
