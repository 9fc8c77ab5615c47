import { commitItem, issueItem, minimalRepository, pullRequestSimple, reviewItem } from "./rest-shapes.js";
import type { RestContext } from "./rest-shapes.js";
import type { SyntheticRepository } from "./synthetic-org.js";

export interface RestAnswer {
  status: number;
  body: unknown;
  /** The full list before paging, so the server can write the Link header. */
  paged?: { items: unknown[]; perPage: number; page: number };
}

const notFound: RestAnswer = { status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } };

function page(query: URLSearchParams, items: unknown[], fallback = 30): RestAnswer {
  const perPage = Math.min(100, Math.max(1, Number(query.get("per_page") ?? fallback) || fallback));
  const pageNo = Math.max(1, Number(query.get("page") ?? 1) || 1);
  return { status: 200, body: items.slice((pageNo - 1) * perPage, pageNo * perPage), paged: { items, perPage, page: pageNo } };
}

const time = (t: string | null) => (t ? Date.parse(t) : Number.NEGATIVE_INFINITY);
const desc = (query: URLSearchParams) => (query.get("direction") ?? "desc") !== "asc";

/**
 * The REST endpoints the collector (discovery) and the benchmark's per-repository
 * crawl use, with GitHub's paging (`per_page` at most 100, `page`) and sort options.
 */
export function answerRest(ctx: RestContext, deleted: ReadonlySet<string>, path: string, query: URLSearchParams): RestAnswer {
  const org = ctx.org;
  let m = /^\/orgs\/([^/]+)\/repos$/.exec(path);
  if (m) {
    if (decodeURIComponent(m[1]!).toLowerCase() !== org.login.toLowerCase()) return notFound;
    const live = org.repositories.filter((r) => !deleted.has(r.name));
    const sort = query.get("sort") ?? "created";
    const key = (r: SyntheticRepository) => (sort === "pushed" ? time(r.pushedAt) : sort === "full_name" ? 0 : time(r.createdAt));
    const sorted = [...live].sort((a, b) => (key(b) - key(a)) * (desc(query) ? 1 : -1) || (a.name < b.name ? -1 : 1));
    return page(query, sorted.map((r) => minimalRepository(ctx, r)));
  }
  m = /^\/repos\/([^/]+)\/([^/]+)\/(.+)$/.exec(path);
  if (!m || decodeURIComponent(m[1]!).toLowerCase() !== org.login.toLowerCase()) return notFound;
  const repo = org.repositories.find((r) => r.name === decodeURIComponent(m![2]!));
  if (!repo || deleted.has(repo.name)) return notFound;
  const rest = m[3]!;
  if (rest === "commits") {
    const since = query.get("since") ? Date.parse(query.get("since")!) : Number.NEGATIVE_INFINITY;
    const until = query.get("until") ? Date.parse(query.get("until")!) : Number.POSITIVE_INFINITY;
    const items = repo.commits.filter((c) => Date.parse(c.committedAt) >= since && Date.parse(c.committedAt) <= until);
    return page(query, items.map((c) => commitItem(ctx, repo, c)));
  }
  if (rest === "pulls") {
    const state = query.get("state") ?? "open";
    const items = repo.pulls.filter((p) => state === "all" || (state === "open") === (p.state === "OPEN"));
    const key = (p: (typeof items)[number]) => time(query.get("sort") === "updated" ? p.updatedAt : p.createdAt);
    const sorted = [...items].sort((a, b) => (key(b) - key(a)) * (desc(query) ? 1 : -1));
    return page(query, sorted.map((p) => pullRequestSimple(ctx, repo, p)));
  }
  if (rest === "issues") {
    const state = query.get("state") ?? "open";
    const since = query.get("since") ? Date.parse(query.get("since")!) : Number.NEGATIVE_INFINITY;
    // The issues list holds pull requests too: GitHub's REST API counts them as issues.
    const items = [...repo.issues, ...repo.pulls]
      .filter((i) => state === "all" || (state === "open") === (i.state === "OPEN"))
      .filter((i) => Date.parse(i.updatedAt) >= since);
    const key = (i: (typeof items)[number]) => time(query.get("sort") === "updated" ? i.updatedAt : i.createdAt);
    const sorted = [...items].sort((a, b) => (key(b) - key(a)) * (desc(query) ? 1 : -1));
    return page(query, sorted.map((i) => issueItem(ctx, repo, i)));
  }
  m = /^pulls\/(\d+)\/reviews$/.exec(rest);
  if (m) {
    const pr = repo.pulls.find((p) => p.number === Number(m![1]));
    if (!pr) return notFound;
    return page(query, pr.reviews.map((r) => reviewItem(ctx, repo, pr, r)));
  }
  return notFound;
}
