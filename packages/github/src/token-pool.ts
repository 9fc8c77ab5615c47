/** The two quotas GitHub keeps per token that Sparky uses. */
export type RateResource = "core" | "graphql";

interface Quota {
  remaining: number;
  limit: number;
  /** Epoch ms when the quota refills. */
  resetAt: number;
}

export interface RateLimitSummary {
  remaining: number;
  limit: number;
  resetAt: string;
}

export interface TokenPool {
  readonly size: number;
  /** The token to send next: the one with the most quota left; an unknown or refilled quota counts as full. */
  pick(resource: RateResource, now?: number): string;
  /** Note an answer's `x-ratelimit-*` headers against the token that was sent. */
  observe(token: string, resource: RateResource, headers: Record<string, unknown>, now?: number): void;
  /** Whether a token other than `token` still has quota now. */
  hasAlternative(token: string, resource: RateResource, now?: number): boolean;
  /** Quota left over all tokens, for the resource that has least: what the run record shows. */
  summary(now?: number): RateLimitSummary | null;
}

const header = (headers: Record<string, unknown>, name: string): number | null => {
  const value = headers[name];
  const n = typeof value === "string" || typeof value === "number" ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : null;
};

/**
 * Several tokens share the work: each request goes out with the token that has most
 * quota left, so one exhausted token never stops a run while another has quota. Quotas
 * are learnt from the headers every answer carries, per resource (REST and GraphQL
 * are counted apart by GitHub).
 */
export function createTokenPool(tokens: readonly string[]): TokenPool {
  if (tokens.length === 0) throw new Error("createTokenPool: no tokens");
  const quotas = new Map<string, Quota>();
  const keyOf = (token: string, resource: RateResource) => `${resource}\u0000${token}`;
  const left = (token: string, resource: RateResource, now: number): number => {
    const quota = quotas.get(keyOf(token, resource));
    if (!quota || quota.resetAt <= now) return Number.POSITIVE_INFINITY;
    return quota.remaining;
  };

  return {
    size: tokens.length,
    pick(resource, now = Date.now()) {
      let best = tokens[0]!;
      for (const token of tokens) if (left(token, resource, now) > left(best, resource, now)) best = token;
      return best;
    },
    observe(token, resource, headers, now = Date.now()) {
      const remaining = header(headers, "x-ratelimit-remaining");
      const limit = header(headers, "x-ratelimit-limit");
      const reset = header(headers, "x-ratelimit-reset");
      if (remaining === null || limit === null) return;
      // GitHub names the bucket it counted; trust it over our guess from the URL.
      const named = headers["x-ratelimit-resource"];
      const bucket: RateResource = named === "graphql" ? "graphql" : named === "core" ? "core" : resource;
      quotas.set(keyOf(token, bucket), { remaining, limit, resetAt: reset === null ? now + 3_600_000 : reset * 1000 });
    },
    hasAlternative(token, resource, now = Date.now()) {
      return tokens.some((other) => other !== token && left(other, resource, now) > 0);
    },
    summary(now = Date.now()) {
      let worst: RateLimitSummary | null = null;
      for (const resource of ["core", "graphql"] as const) {
        const known = tokens.map((t) => quotas.get(keyOf(t, resource))).filter((q): q is Quota => q !== undefined);
        if (known.length === 0) continue;
        // A token not heard from yet, or refilled, has its whole limit.
        const remaining = tokens.reduce((sum, t) => {
          const q = quotas.get(keyOf(t, resource));
          return sum + (q ? (q.resetAt <= now ? q.limit : q.remaining) : known[0]!.limit);
        }, 0);
        const limit = known[0]!.limit * tokens.length;
        const resetAt = new Date(Math.min(...known.map((q) => q.resetAt))).toISOString();
        if (!worst || remaining / limit < worst.remaining / worst.limit) worst = { remaining, limit, resetAt };
      }
      return worst;
    },
  };
}
