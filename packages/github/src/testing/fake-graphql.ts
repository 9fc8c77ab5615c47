import { schema as publishedSchema } from "@octokit/graphql-schema";
import { buildClientSchema, graphql } from "graphql";
import type { GraphQLSchema } from "graphql";
import { nodeId } from "./rest-shapes.js";
import type { SyntheticCommit, SyntheticOrg, SyntheticPull, SyntheticRepository, SyntheticSignature } from "./synthetic-org.js";

/**
 * GraphQL answered by executing the query against GitHub's published schema (from
 * `@octokit/graphql-schema`) with resolvers over the synthetic organisation. A query
 * GitHub would reject (unknown field, wrong argument type, unused variable) is rejected
 * here by the same validation, and the rules GitHub adds on top (a `first` or `last` on
 * every connection, at most 100) are enforced by the resolvers.
 */
let built: GraphQLSchema | null = null;
function githubSchema(): GraphQLSchema {
  built ??= buildClientSchema(publishedSchema.json as never);
  return built;
}

/** An error with GitHub's own `type` (NOT_FOUND, EXCESSIVE_PAGINATION, ...), which it sends beside the message. */
class GithubQueryError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export interface GraphqlContext {
  org: SyntheticOrg;
  web: string;
  /** Repositories that no longer exist (by name). */
  deleted: ReadonlySet<string>;
  rate: { limit: number; remaining: number; resetAt: string; used: number };
}

interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

const cursor = (i: number) => Buffer.from(`cursor:v2:${i}`).toString("base64");
function offset(text: string, name: string): number {
  const match = /^cursor:v2:(\d+)$/.exec(Buffer.from(text, "base64").toString("utf8"));
  if (!match) throw new GithubQueryError("INVALID_CURSOR_ARGUMENTS", `\`${text}\` does not appear to be a valid cursor for the \`${name}\` connection.`);
  return Number(match[1]);
}

function connection<T>(items: readonly T[], args: PageArgs, name: string) {
  if (args.first == null && args.last == null) {
    throw new GithubQueryError("MISSING_PAGINATION_BOUNDARIES", `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`);
  }
  for (const bound of ["first", "last"] as const) {
    const n = args[bound];
    if (n != null && (n < 0 || n > 100)) {
      throw new GithubQueryError("EXCESSIVE_PAGINATION", `Requesting ${n} records on the \`${name}\` connection exceeds the \`${bound}\` limit of 100 records.`);
    }
  }
  let start = args.after ? offset(args.after, name) + 1 : 0;
  let end = args.before ? offset(args.before, name) : items.length;
  if (args.first != null) end = Math.min(end, start + args.first);
  if (args.last != null) start = Math.max(start, end - args.last);
  const nodes = items.slice(start, end);
  return {
    totalCount: items.length,
    nodes,
    edges: nodes.map((node, i) => ({ cursor: cursor(start + i), node })),
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: nodes.length ? cursor(start) : null,
      endCursor: nodes.length ? cursor(end - 1) : null,
    },
  };
}

type Order = { field: string; direction: "ASC" | "DESC" } | null | undefined;
function ordered<T>(items: readonly T[], order: Order, key: (item: T, field: string) => string | number): T[] {
  const field = order?.field ?? "CREATED_AT";
  const sign = order?.direction === "DESC" ? -1 : 1;
  return [...items].sort((a, b) => {
    const x = key(a, field);
    const y = key(b, field);
    return (x < y ? -1 : x > y ? 1 : 0) * sign;
  });
}

function views(ctx: GraphqlContext, repo: SyntheticRepository) {
  const { org, web } = ctx;
  const repoUrl = `${web}/${org.login}/${repo.name}`;
  const user = (login: string) => {
    const u = org.users.find((x) => x.login === login);
    const id = u?.id ?? 1;
    const typename = u?.type === "Bot" ? "Bot" : "User";
    return { __typename: typename, id: nodeId(typename === "Bot" ? "BOT" : "U", id), databaseId: id, login, name: u?.name ?? null, url: `${web}/${login}`, resourcePath: `/${login}`, avatarUrl: `${web}/avatars/u/${id}` };
  };
  // GitActor.user is a User: GitHub links an email to a user account, never to a bot.
  const gitActor = (sig: SyntheticSignature, date: string) => {
    const linked = sig.login ? org.users.find((u) => u.login === sig.login && u.type === "User") : undefined;
    return { name: sig.name, email: sig.email, date, user: linked ? user(linked.login) : null, avatarUrl: `${web}/avatars/e/${encodeURIComponent(sig.email)}` };
  };
  const commit = (c: SyntheticCommit, index: number): Record<string, unknown> => ({
    __typename: "Commit",
    id: nodeId("C", parseInt(c.oid.slice(0, 8), 16)),
    oid: c.oid,
    url: `${repoUrl}/commit/${c.oid}`,
    message: c.message,
    messageHeadline: c.message.split("\n")[0],
    messageBody: c.message.split("\n").slice(1).join("\n").trim(),
    committedDate: c.committedAt,
    authoredDate: c.authoredAt,
    additions: c.additions,
    deletions: c.deletions,
    changedFiles: c.changedFiles,
    changedFilesIfAvailable: c.changedFiles,
    author: gitActor(c.author, c.authoredAt),
    committer: gitActor(c.committer, c.committedAt),
    parents: (args: PageArgs) => connection(c.parents.map((oid) => ({ __typename: "Commit", oid })), args, "parents"),
    history: (args: PageArgs & { since?: string; until?: string; author?: { id?: string; emails?: string[] } }) => {
      const since = args.since ? Date.parse(args.since) : -Infinity;
      const until = args.until ? Date.parse(args.until) : Infinity;
      const emails = args.author?.emails?.map((e) => e.toLowerCase());
      const items = repo.commits
        .map((x, i) => ({ x, i }))
        .slice(index)
        .filter(({ x }) => Date.parse(x.committedAt) >= since && Date.parse(x.committedAt) <= until)
        .filter(({ x }) => !args.author?.id || (x.author.login !== null && user(x.author.login).id === args.author.id))
        .filter(({ x }) => !emails || emails.includes(x.author.email.toLowerCase()))
        .map(({ x, i }) => commit(x, i));
      return connection(items, args, "history");
    },
  });
  const review = (pr: SyntheticPull, r: SyntheticPull["reviews"][number]) => ({
    __typename: "PullRequestReview",
    id: nodeId("PRR", r.id),
    author: user(r.author),
    state: r.state,
    submittedAt: r.submittedAt,
    createdAt: r.submittedAt ?? pr.createdAt,
    url: `${repoUrl}/pull/${pr.number}#pullrequestreview-${r.id}`,
  });
  const labels = (names: string[]) => (args: PageArgs) => connection(names.map((name) => ({ __typename: "Label", name })), args, "labels");
  const pull = (pr: SyntheticPull) => ({
    __typename: "PullRequest",
    id: nodeId("PR", repo.id * 10_000 + pr.number),
    ...pr,
    url: `${repoUrl}/pull/${pr.number}`,
    author: user(pr.author),
    mergedBy: pr.mergedBy ? user(pr.mergedBy) : null,
    labels: labels(pr.labels),
    reviews: (args: PageArgs & { states?: string[] }) =>
      connection(pr.reviews.filter((r) => !args.states || args.states.includes(r.state)).map((r) => review(pr, r)), args, "reviews"),
    // Only the draft events are modelled: any other item type asked for is simply absent.
    timelineItems: (args: PageArgs & { itemTypes?: string[] | null; since?: string | null }) => {
      const events = (pr.timeline ?? [])
        .map((e, i) => ({
          __typename: e.type === "ready" ? "ReadyForReviewEvent" : "ConvertToDraftEvent",
          itemType: e.type === "ready" ? "READY_FOR_REVIEW_EVENT" : "CONVERT_TO_DRAFT_EVENT",
          id: nodeId(e.type === "ready" ? "RFRE" : "CTDE", repo.id * 10_000 + pr.number * 10 + i),
          createdAt: e.at,
          actor: user(pr.author),
          url: `${repoUrl}/pull/${pr.number}#event-${i}`,
          resourcePath: `/${org.login}/${repo.name}/pull/${pr.number}#event-${i}`,
        }))
        .filter((e) => !args.itemTypes || args.itemTypes.includes(e.itemType))
        .filter((e) => !args.since || Date.parse(e.createdAt) >= Date.parse(args.since));
      return connection(events, args, "timelineItems");
    },
  });
  return {
    __typename: "Repository",
    id: nodeId("R", repo.id),
    name: repo.name,
    nameWithOwner: `${org.login}/${repo.name}`,
    owner: { __typename: "Organization", login: org.login },
    url: repoUrl,
    isArchived: repo.archived,
    isFork: repo.fork,
    isPrivate: repo.private,
    pushedAt: repo.pushedAt,
    createdAt: repo.createdAt,
    defaultBranchRef: repo.commits.length ? { __typename: "Ref", name: repo.defaultBranch, target: commit(repo.commits[0]!, 0) } : null,
    object: (args: { oid?: string }) => {
      const i = repo.commits.findIndex((c) => c.oid === args.oid);
      return i === -1 ? null : commit(repo.commits[i]!, i);
    },
    pullRequest: (args: { number: number }) => {
      const pr = repo.pulls.find((p) => p.number === args.number);
      return pr ? pull(pr) : null;
    },
    pullRequests: (args: PageArgs & { orderBy?: Order; states?: string[] }) => {
      const items = repo.pulls.filter((p) => !args.states || args.states.includes(p.state));
      return connection(ordered(items, args.orderBy, (p, f) => (f === "UPDATED_AT" ? p.updatedAt : p.createdAt)).map(pull), args, "pullRequests");
    },
    issues: (args: PageArgs & { orderBy?: Order; states?: string[]; filterBy?: { since?: string; states?: string[] } }) => {
      const states = args.states ?? args.filterBy?.states;
      const since = args.filterBy?.since ? Date.parse(args.filterBy.since) : -Infinity;
      const items = repo.issues.filter((i) => (!states || states.includes(i.state)) && Date.parse(i.updatedAt) >= since);
      const nodes = ordered(items, args.orderBy, (i, f) => (f === "UPDATED_AT" ? i.updatedAt : i.createdAt)).map((i) => ({
        __typename: "Issue",
        ...i,
        url: `${repoUrl}/issues/${i.number}`,
        author: user(i.author),
        labels: labels(i.labels),
      }));
      return connection(nodes, args, "issues");
    },
    releases: (args: PageArgs & { orderBy?: Order }) => {
      const nodes = ordered(repo.releases, args.orderBy, (r, f) => (f === "NAME" ? (r.name ?? "") : r.createdAt)).map((r) => ({
        __typename: "Release",
        ...r,
        url: `${repoUrl}/releases/tag/${encodeURIComponent(r.tagName)}`,
        author: user(r.author),
      }));
      return connection(nodes, args, "releases");
    },
  };
}

/**
 * GitHub's issue search (`search(type: ISSUE)`), for the qualifiers the collector uses:
 * `org:`, `is:issue` / `is:pr`, `updated:>=T` and `updated:A..B` (dates or date-times,
 * both ends inclusive). Anything else is refused rather than silently matched, so a query
 * the fake does not understand fails the test instead of passing it. Newest update first;
 * at most 1,000 results are reachable, as on GitHub.
 */
function searchIssues(ctx: GraphqlContext, args: PageArgs & { query: string; type: string }) {
  if (args.type !== "ISSUE") throw new GithubQueryError("UNSUPPORTED", `the fake GitHub searches issues only, not ${args.type}`);
  let org: string | null = null;
  let kind: "issue" | "pr" | null = null;
  let from = -Infinity;
  let to = Infinity;
  const instant = (text: string, end: boolean) => {
    // A bare date covers its whole day: as an upper bound it means the day's last second.
    const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
    if (Number.isNaN(t)) throw new GithubQueryError("INVALID_SEARCH", `cannot read the date ${text}`);
    return end && /^\d{4}-\d{2}-\d{2}$/.test(text) ? t + 86_399_999 : t;
  };
  for (const term of args.query.trim().split(/\s+/)) {
    let m: RegExpExecArray | null;
    if ((m = /^org:(\S+)$/.exec(term))) org = m[1]!;
    else if ((m = /^is:(issue|pr)$/.exec(term))) kind = m[1] as "issue" | "pr";
    else if ((m = /^updated:>=(\S+)$/.exec(term))) from = instant(m[1]!, false);
    else if ((m = /^updated:(\S+)\.\.(\S+)$/.exec(term))) {
      from = instant(m[1]!, false);
      to = instant(m[2]!, true);
    } else throw new GithubQueryError("UNSUPPORTED", `the fake GitHub does not understand the search term ${term}`);
  }
  const items: { repo: SyntheticRepository; typename: string; updatedAt: string; number: number }[] = [];
  if (org?.toLowerCase() === ctx.org.login.toLowerCase()) {
    for (const repo of ctx.org.repositories) {
      if (ctx.deleted.has(repo.name)) continue;
      if (kind !== "pr") for (const i of repo.issues) items.push({ repo, typename: "Issue", updatedAt: i.updatedAt, number: i.number });
      if (kind !== "issue") for (const p of repo.pulls) items.push({ repo, typename: "PullRequest", updatedAt: p.updatedAt, number: p.number });
    }
  }
  const matched = items
    .filter((i) => Date.parse(i.updatedAt) >= from && Date.parse(i.updatedAt) <= to)
    .sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || (a.repo.name < b.repo.name ? -1 : a.repo.name > b.repo.name ? 1 : a.number - b.number));
  const page = connection(
    matched.slice(0, 1000).map((i) => ({ __typename: i.typename, number: i.number, updatedAt: i.updatedAt, repository: views(ctx, i.repo) })),
    args,
    "search",
  );
  return { ...page, issueCount: matched.length, codeCount: 0, discussionCount: 0, repositoryCount: 0, userCount: 0, wikiCount: 0 };
}

export interface GraphqlAnswer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; type?: string; path?: readonly (string | number)[]; locations?: unknown }[];
}

export async function executeGraphql(ctx: GraphqlContext, body: { query?: unknown; variables?: unknown }): Promise<GraphqlAnswer> {
  if (typeof body.query !== "string") return { errors: [{ message: "A query attribute must be specified and must be a string." }] };
  const root = {
    search: (args: PageArgs & { query: string; type: string }) => searchIssues(ctx, args),
    rateLimit: () => ({ cost: 1, limit: ctx.rate.limit, remaining: ctx.rate.remaining, resetAt: ctx.rate.resetAt, used: ctx.rate.used, nodeCount: 0 }),
    repository: (args: { owner: string; name: string }) => {
      const repo = ctx.org.repositories.find((r) => r.name.toLowerCase() === args.name.toLowerCase());
      if (args.owner.toLowerCase() !== ctx.org.login.toLowerCase() || !repo || ctx.deleted.has(repo.name)) {
        throw new GithubQueryError("NOT_FOUND", `Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`);
      }
      return views(ctx, repo);
    },
  };
  const result = await graphql({
    schema: githubSchema(),
    source: body.query,
    rootValue: root,
    variableValues: (body.variables ?? {}) as Record<string, unknown>,
  });
  const answer: GraphqlAnswer = {};
  if ("data" in result) answer.data = (result.data ?? null) as Record<string, unknown> | null;
  if (result.errors?.length) {
    answer.errors = result.errors.map((e) => ({
      ...(e.originalError instanceof GithubQueryError ? { type: e.originalError.type } : {}),
      message: e.message,
      ...(e.path ? { path: e.path } : {}),
      ...(e.locations ? { locations: e.locations } : {}),
    }));
  }
  return answer;
}
