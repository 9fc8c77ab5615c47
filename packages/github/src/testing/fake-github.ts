import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { executeGraphql } from "./fake-graphql.js";
import { answerRest } from "./fake-rest.js";
import { basicError, rateLimitOverview } from "./rest-shapes.js";
import type { SyntheticOrg } from "./synthetic-org.js";

export interface FakeTokenOptions {
  /** "none": the token is valid but may not read the organisation (403 on everything). */
  access?: "full" | "none";
  /** Quota per resource per hour (GitHub: 5000). */
  limit?: number;
}

export interface FakeGithubOptions {
  org: SyntheticOrg;
  tokens: Record<string, FakeTokenOptions>;
  /** Answer like GitHub Enterprise Server: REST under /api/v3, GraphQL at /api/graphql. */
  enterprise?: boolean;
  /** Web root of html links. */
  web?: string;
}

type Target = "rest" | "graphql" | "any";
export type FakeFault =
  /** The next `times` requests to `on` get this status (502, 503...), with Retry-After when given. */
  | { kind: "status"; status: number; times?: number; on?: Target; retryAfter?: number }
  /** The next `times` requests hit a secondary rate limit (403 with Retry-After). */
  | { kind: "secondary"; retryAfter: number; times?: number; on?: Target }
  /** The token's quota for `resource` runs out at its next request and refills `resetInMs` later. */
  | { kind: "exhaust"; token: string; resource: "core" | "graphql"; resetInMs: number }
  /** The repository is deleted just before the next GraphQL query runs. */
  | { kind: "vanish"; repo: string };

export interface FakeRequest {
  method: string;
  path: string;
  kind: "rest" | "graphql";
  status: number;
  /** Which token (by position in `tokens`), never the token itself. */
  token: number | null;
  notModified: boolean;
  rateLimited: boolean;
}

export interface FakeGithub {
  /** Base URL to give Octokit (`github_api_url`). */
  readonly url: string;
  readonly requests: FakeRequest[];
  readonly org: SyntheticOrg;
  inject(fault: FakeFault): void;
  /** Bring back a repository a `vanish` fault deleted (it was renamed back, or access was restored). */
  restore(repo: string): void;
  /** Refill a token's quota now, as GitHub does at its reset time (to `limit`, when given, from now on). */
  refill(token: string, resource: "core" | "graphql", limit?: number): void;
  /** Quota left for a token. */
  quota(token: string, resource: "core" | "graphql"): number;
  close(): Promise<void>;
}

interface Quota {
  limit: number;
  remaining: number;
  resetAt: number;
  used: number;
}

const HOUR = 3_600_000;

/**
 * A local HTTP server that speaks the parts of GitHub's REST and GraphQL APIs Sparky uses,
 * for one synthetic organisation: Link-header paging, ETags and 304s, `x-ratelimit-*`
 * headers with real per-token quotas, and injectable faults (5xx, secondary limits, an
 * exhausted quota, a repository deleted mid-run).
 */
export async function startFakeGithub(options: FakeGithubOptions): Promise<FakeGithub> {
  const tokens = Object.keys(options.tokens);
  const quotas = new Map<string, Quota>();
  const faults: (FakeFault & { left: number })[] = [];
  const deleted = new Set<string>();
  const requests: FakeRequest[] = [];
  const web = options.web ?? "https://github.example";
  const restPrefix = options.enterprise ? "/api/v3" : "";
  const graphqlPath = options.enterprise ? "/api/graphql" : "/graphql";
  let api = "";

  const quota = (token: string, resource: "core" | "graphql"): Quota => {
    const key = `${resource}:${token}`;
    let q = quotas.get(key);
    const now = Date.now();
    if (!q || now >= q.resetAt) {
      const limit = options.tokens[token]?.limit ?? 5000;
      q = { limit, remaining: limit, resetAt: now + HOUR, used: 0 };
      quotas.set(key, q);
    }
    return q;
  };
  const rateHeaders = (q: Quota, resource: string) => ({
    "x-ratelimit-limit": String(q.limit),
    "x-ratelimit-remaining": String(q.remaining),
    "x-ratelimit-reset": String(Math.ceil(q.resetAt / 1000)),
    "x-ratelimit-used": String(q.used),
    "x-ratelimit-resource": resource,
  });
  const takeFault = (kind: "rest" | "graphql") => {
    const i = faults.findIndex((f) => (f.kind === "status" || f.kind === "secondary") && f.left > 0 && (!f.on || f.on === "any" || f.on === kind));
    if (i === -1) return null;
    const fault = faults[i]!;
    fault.left -= 1;
    if (fault.left === 0) faults.splice(i, 1);
    return fault;
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://fake");
    const kind: "rest" | "graphql" = url.pathname === graphqlPath ? "graphql" : "rest";
    const log: FakeRequest = { method: req.method ?? "GET", path: url.pathname + url.search, kind, status: 0, token: null, notModified: false, rateLimited: false };
    requests.push(log);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      log.status = status;
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", "x-github-request-id": `FAKE:${requests.length}`, ...headers });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);

    const auth = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? "");
    if (!auth) return send(401, basicError("Requires authentication", 401));
    const token = auth[1]!;
    if (!(token in options.tokens)) return send(401, basicError("Bad credentials", 401));
    log.token = tokens.indexOf(token);
    const resource = kind === "graphql" ? "graphql" : "core";
    const exhaust = faults.find((f) => f.kind === "exhaust" && f.token === token && f.resource === resource);
    if (exhaust?.kind === "exhaust") {
      faults.splice(faults.indexOf(exhaust), 1);
      const used = quota(token, resource);
      used.remaining = 0;
      used.resetAt = Date.now() + exhaust.resetInMs;
    }
    const q = quota(token, resource);
    if (options.tokens[token]!.access === "none") {
      return send(403, basicError("Resource not accessible by personal access token", 403), rateHeaders(q, resource));
    }
    const fault = takeFault(kind);
    if (fault?.kind === "status") {
      return send(fault.status, { message: "Server Error" }, fault.retryAfter ? { "retry-after": String(fault.retryAfter) } : {});
    }
    if (fault?.kind === "secondary") {
      const message = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";
      return send(403, basicError(message, 403), { ...rateHeaders(q, resource), "retry-after": String(fault.retryAfter) });
    }
    if (q.remaining <= 0) {
      log.rateLimited = true;
      const message = `API rate limit exceeded for user ID ${1000 + (log.token ?? 0)}.`;
      // GitHub answers an exhausted GraphQL quota with 200 and a RATE_LIMITED error.
      if (kind === "graphql") return send(200, { errors: [{ type: "RATE_LIMITED", message }] }, rateHeaders(q, resource));
      return send(403, basicError(`${message} If you reach out to GitHub Support for help, please include the request ID.`, 403), rateHeaders(q, resource));
    }

    if (kind === "graphql") {
      if (req.method !== "POST") return send(404, basicError("Not Found", 404));
      for (const f of [...faults]) {
        if (f.kind === "vanish") {
          deleted.add(f.repo);
          faults.splice(faults.indexOf(f), 1);
        }
      }
      q.remaining -= 1;
      q.used += 1;
      let body: { query?: unknown; variables?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        return send(400, basicError("Problems parsing JSON", 400), rateHeaders(q, resource));
      }
      const rate = { limit: q.limit, remaining: q.remaining, resetAt: new Date(q.resetAt).toISOString(), used: q.used };
      const answer = await executeGraphql({ org: options.org, web, deleted, rate }, body);
      return send(200, answer, rateHeaders(q, resource));
    }

    if (!url.pathname.startsWith(restPrefix)) return send(404, basicError("Not Found", 404));
    const path = url.pathname.slice(restPrefix.length);
    if (path === "/rate_limit") {
      const show = (x: Quota) => ({ limit: x.limit, remaining: x.remaining, reset: Math.ceil(x.resetAt / 1000), used: x.used });
      return send(200, rateLimitOverview(show(quota(token, "core")), show(quota(token, "graphql"))));
    }
    const answer = answerRest({ api, web, org: options.org }, deleted, path, url.searchParams);
    if (answer.status !== 200) {
      q.remaining -= 1;
      q.used += 1;
      return send(answer.status, answer.body, rateHeaders(q, resource));
    }
    const text = JSON.stringify(answer.body);
    const etag = `W/"${createHash("sha256").update(text).digest("hex").slice(0, 32)}"`;
    if (req.headers["if-none-match"] === etag) {
      // An authorized 304 costs no quota.
      log.notModified = true;
      return send(304, undefined, { etag, ...rateHeaders(q, resource) });
    }
    q.remaining -= 1;
    q.used += 1;
    const headers: Record<string, string> = { etag, ...rateHeaders(q, resource) };
    if (answer.paged) {
      const { items, perPage, page } = answer.paged;
      const last = Math.max(1, Math.ceil(items.length / perPage));
      const link = (n: number, rel: string) => {
        const params = new URLSearchParams(url.searchParams);
        params.set("page", String(n));
        return `<${api}${path}?${params}>; rel="${rel}"`;
      };
      const links = [...(page < last ? [link(page + 1, "next"), link(last, "last")] : []), ...(page > 1 ? [link(page - 1, "prev"), link(1, "first")] : [])];
      if (links.length) headers.link = links.join(", ");
    }
    log.status = 200;
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "x-github-request-id": `FAKE:${requests.length}`, ...headers });
    res.end(text);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: `fake GitHub failed: ${(error as Error).message}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api = `${origin}${restPrefix}`;

  return {
    url: api,
    requests,
    org: options.org,
    inject(fault) {
      faults.push({ ...fault, left: fault.kind === "status" || fault.kind === "secondary" ? (fault.times ?? 1) : 1 });
    },
    restore: (repo) => void deleted.delete(repo),
    refill: (token, resource, limit) => {
      const q = quota(token, resource);
      if (limit !== undefined) {
        q.limit = limit;
        options.tokens[token] = { ...options.tokens[token], limit };
      }
      q.remaining = q.limit;
      q.resetAt = Date.now() + HOUR;
    },
    quota: (token, resource) => quota(token, resource).remaining,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
