import { setTimeout as sleep } from "node:timers/promises";
import { createHash, randomUUID } from "node:crypto";
import Bottleneck from "bottleneck";
import { Octokit } from "@octokit/rest";
import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import type { Logger } from "@sparky/harness";
import { quotaWaitTooLong } from "./github-error.js";
import { createTokenPool } from "./token-pool.js";
import type { RateLimitSummary, RateResource } from "./token-pool.js";

/** How long the client waits, in one place so tests can make every wait tiny. */
export interface GithubTiming {
  /** Milliseconds per second of a rate-limit wait (GitHub's reset time, Retry-After). 1000 in production. */
  rateLimitUnitMs: number;
  /** Milliseconds per unit of the 5xx back-off (1, 4, 9 units). 1000 in production. */
  retryUnitMs: number;
  /** Least time between two GraphQL queries: GitHub asks clients not to fire them at once. */
  graphqlIntervalMs: number;
  /** Secondary-limit wait when GitHub sends no Retry-After, in seconds. */
  secondaryFallbackS: number;
  /** One request may take this long before it is abandoned (and retried). */
  requestTimeoutMs: number;
}

export const PRODUCTION_TIMING: GithubTiming = {
  rateLimitUnitMs: 1000,
  retryUnitMs: 1000,
  graphqlIntervalMs: 1000,
  secondaryFallbackS: 60,
  requestTimeoutMs: 60_000,
};

export interface GithubClientOptions {
  /** REST root: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server. */
  baseUrl: string;
  tokens: readonly string[];
  log: Logger;
  /** Told when the client starts waiting for a rate limit, so a person sees why nothing moves. */
  onWait?: (message: string) => void;
  /**
   * Told when every token's quota is used up and the client waits for the reset (`until`,
   * GitHub's reset time), and again with null once an answer comes: what the run record shows.
   */
  onQuotaWait?: (until: Date | null) => void;
  /**
   * Longest wait for the quota to reset, in GitHub's seconds. A longer one is not waited: the
   * request fails with SPARKY_GITHUB_QUOTA_WAIT naming the reset time. Unlimited when absent.
   */
  maxRateLimitWaitS?: number;
  timing?: Partial<GithubTiming>;
  /** Told of every request, quota reading and wait: the collector's metrics. */
  observer?: GithubObserver;
  /** Aborts every request under way and to come (the job was cancelled). */
  signal?: AbortSignal;
}

/** What the client reports as it goes, for metrics. Tokens are named by a short hash only. */
export interface GithubObserver {
  /** `kind`: rest, graphql or search; `status`: the HTTP status, or "error" when no answer came. */
  request(kind: "rest" | "graphql" | "search", status: string): void;
  quota(tokenId: string, remaining: number, limit: number): void;
  waited(ms: number): void;
}

/** A token's public name in metrics and logs: 8 hex digits of its SHA-256, never the token. */
export function tokenId(token: string): string {
  return createHash("sha256").update(token).digest("hex").slice(0, 8);
}

export interface GithubStats {
  requests: number;
  notModified: number;
  graphqlCost: number;
  waitedMs: number;
  rateLimit: RateLimitSummary | null;
}

export interface GithubResponse<T> {
  status: number;
  headers: Record<string, string | number | undefined>;
  data: T;
}

export interface GithubClient {
  readonly baseUrl: string;
  request<T = unknown>(route: string, params?: Record<string, unknown>): Promise<GithubResponse<T>>;
  /** A GraphQL query; a top-level `rateLimit { cost }` in the answer is added to the stats. */
  graphql<T = unknown>(query: string, variables?: Record<string, unknown>): Promise<T>;
  stats(): GithubStats;
}

interface HookOptions {
  method: string;
  url: string;
  headers: Record<string, string>;
}
interface HookError {
  status?: number;
  message?: string;
  response?: { headers: Record<string, unknown>; data?: unknown };
}

const MAX_RETRY_AFTER_ATTEMPTS = 3;
const MAX_RATE_LIMIT_WAITS = 3;
const MAX_SECONDARY_WAITS = 5;

const isPrimaryLimit = (e: HookError) =>
  (e.status === 403 || e.status === 429) && e.response?.headers["x-ratelimit-remaining"] === "0";
const isSecondaryLimit = (e: HookError) => /\bsecondary rate\b/i.test(e.message ?? "");
const rateLimited = (data: unknown) =>
  ((data as { errors?: { type?: string }[] } | null)?.errors ?? []).some((e) => e.type === "RATE_LIMITED");


/**
 * Octokit with GitHub's recommended throttling and retries, a pool of tokens used by
 * remaining quota, and accounting of every request (what a run cost is in its record).
 * Octokit is given a logger that only writes at debug level, so it prints nothing itself.
 */
export function createGithubClient(options: GithubClientOptions): GithubClient {
  const timing = { ...PRODUCTION_TIMING, ...options.timing };
  const { log } = options;
  const pool = createTokenPool(options.tokens);
  const counters = { requests: 0, notModified: 0, graphqlCost: 0, waitedMs: 0 };
  const waited = (ms: number) => {
    counters.waitedMs += ms;
    options.observer?.waited(ms);
  };
  // When each logical request last failed: the gap until its next attempt is time spent waiting.
  const failedAt = new WeakMap<object, number>();
  const onWait = (message: string) => {
    log.warn(message);
    options.onWait?.(message);
  };
  const maxWaitS = options.maxRateLimitWaitS ?? Number.POSITIVE_INFINITY;
  // Set when the throttling was told not to wait (the reset is too far): the failure it then
  // throws is replaced by one that names the reset time.
  let refused: { resetAt: Date; waitS: number } | null = null;
  let waitingUntil: Date | null = null;
  const answered = () => {
    if (waitingUntil === null) return;
    waitingUntil = null;
    options.onQuotaWait?.(null);
  };
  const quotaFailure = (error: unknown) => {
    if (!refused) return error;
    const { resetAt, waitS } = refused;
    refused = null;
    return quotaWaitTooLong(resetAt, waitS, maxWaitS, error);
  };

  /** Innermost layer, once per attempt: choose the token, account for the answer, switch tokens on exhaustion. */
  const tokenPlugin = (octokit: Pick<Octokit, "hook">) => {
    octokit.hook.wrap("request", async (request, hookOptions) => {
      const opts = hookOptions as unknown as HookOptions;
      const resource: RateResource = /\/graphql$/.test(opts.url) ? "graphql" : "core";
      const since = failedAt.get(opts);
      if (since !== undefined) waited(Date.now() - since);
      for (let attempt = 1; ; attempt++) {
        const token = pool.pick(resource);
        opts.headers.authorization = `token ${token}`;
        try {
          const response = await request(hookOptions);
          pool.observe(token, resource, response.headers as Record<string, unknown>);
          if (rateLimited(response.data)) {
            if (pool.hasAlternative(token, resource)) continue;
            // Throttling turns this answer into a wait and a retry: time it like a failure.
            failedAt.set(opts, Date.now());
            return response;
          }
          failedAt.delete(opts);
          answered();
          return response;
        } catch (caught) {
          const error = caught as HookError;
          if (error.response?.headers) pool.observe(token, resource, error.response.headers);
          if (isPrimaryLimit(error) && pool.hasAlternative(token, resource)) {
            log.info({ resource }, "token's rate limit used up; continuing with another token");
            continue;
          }
          const retryAfter = Number(error.response?.headers["retry-after"]);
          // Throttling handles "secondary rate limit" answers; any other Retry-After is honoured here.
          if (retryAfter > 0 && !isSecondaryLimit(error) && !isPrimaryLimit(error) && attempt < MAX_RETRY_AFTER_ATTEMPTS) {
            const ms = retryAfter * timing.rateLimitUnitMs;
            onWait(`GitHub asked to retry ${opts.method} ${opts.url} after ${retryAfter} s (${error.status}); waiting`);
            waited(ms);
            await sleep(ms);
            continue;
          }
          failedAt.set(opts, Date.now());
          throw caught;
        }
      }
    });
    return {};
  };

  const ClientClass = Octokit.plugin(tokenPlugin, throttling, retry);
  const octokit = new ClientClass({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    userAgent: "sparky-digest",
    log: {
      debug: (message: string) => log.trace({ octokit: message }, "octokit"),
      info: (message: string) => log.trace({ octokit: message }, "octokit"),
      warn: (message: string) => log.debug({ octokit: message }, "octokit"),
      error: (message: string) => log.debug({ octokit: message }, "octokit"),
    },
    request: {
      fetch: async (url: string | URL | Request, init?: RequestInit) => {
        counters.requests += 1;
        const href = String(url instanceof Request ? url.url : url);
        const kind = /\/graphql$/.test(href) ? "graphql" : /\/search\//.test(href) ? "search" : "rest";
        let response: Response;
        try {
          const timeout = init?.signal ?? AbortSignal.timeout(timing.requestTimeoutMs);
          response = await fetch(url, { ...init, signal: options.signal ? AbortSignal.any([timeout, options.signal]) : timeout });
        } catch (error) {
          options.observer?.request(kind, "error");
          throw error;
        }
        if (response.status === 304) counters.notModified += 1;
        options.observer?.request(kind, String(response.status));
        const remaining = Number(response.headers.get("x-ratelimit-remaining") ?? NaN);
        const limit = Number(response.headers.get("x-ratelimit-limit") ?? NaN);
        const auth = new Headers(init?.headers).get("authorization")?.replace(/^(token|bearer)\s+/i, "");
        if (auth && Number.isFinite(remaining) && Number.isFinite(limit)) options.observer?.quota(tokenId(auth), remaining, limit);
        return response;
      },
    },
    throttle: {
      id: `sparky-${randomUUID()}`,
      retryAfterBaseValue: timing.rateLimitUnitMs,
      fallbackSecondaryRateRetryAfter: timing.secondaryFallbackS,
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: timing.graphqlIntervalMs }),
      onRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
        // retryAfter is GitHub's: seconds until the reset its headers named.
        const resetAt = new Date(Date.now() + retryAfter * 1000);
        if (retryAfter > maxWaitS) {
          refused = { resetAt, waitS: retryAfter };
          return false;
        }
        if (retryCount >= MAX_RATE_LIMIT_WAITS) return false;
        onWait(
          `GitHub rate limit used up for ${pool.size === 1 ? "the token" : `all ${pool.size} tokens`}: ` +
            `waiting ${retryAfter} s, until ${resetAt.toISOString().slice(11, 19)} UTC, before ${request.method} ${request.url}`,
        );
        waitingUntil = resetAt;
        options.onQuotaWait?.(resetAt);
        return true;
      },
      onSecondaryRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
        if (retryCount >= MAX_SECONDARY_WAITS) return false;
        onWait(`GitHub secondary rate limit on ${request.method} ${request.url}: backing off ${retryAfter} s`);
        return true;
      },
    },
    retry: { retryAfterBaseValue: timing.retryUnitMs, retries: 3 },
  });

  return {
    baseUrl: options.baseUrl,
    async request<T>(route: string, params: Record<string, unknown> = {}) {
      try {
        const response = await octokit.request(route, params);
        return response as unknown as GithubResponse<T>;
      } catch (error) {
        throw quotaFailure(error);
      }
    },
    async graphql<T>(query: string, variables: Record<string, unknown> = {}) {
      const addCost = (data: unknown) => {
        const cost = (data as { rateLimit?: { cost?: unknown } } | null | undefined)?.rateLimit?.cost;
        if (typeof cost === "number") counters.graphqlCost += cost;
      };
      try {
        const data = await octokit.graphql<T>(query, variables);
        addCost(data);
        return data;
      } catch (error) {
        // A partial answer (one repository NOT_FOUND) still cost its points.
        addCost((error as { data?: unknown }).data);
        throw quotaFailure(error);
      }
    },
    stats: () => ({ ...counters, rateLimit: pool.summary() }),
  };
}
