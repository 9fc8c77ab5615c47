import { describe, expect, it } from "vitest";
import { createTokenPool } from "./token-pool.js";
import { readGithubTokens } from "./read-github-tokens.js";

const headers = (remaining: number, resetS: number, resource = "core") => ({
  "x-ratelimit-remaining": String(remaining),
  "x-ratelimit-limit": "5000",
  "x-ratelimit-reset": String(resetS),
  "x-ratelimit-resource": resource,
});

describe("token pool", () => {
  it("sends the token with the most quota left, and a refilled token counts as full", () => {
    const pool = createTokenPool(["a", "b", "c"]);
    const now = 1_000_000_000_000;
    expect(pool.pick("core", now)).toBe("a");
    pool.observe("a", "core", headers(10, now / 1000 + 60), now);
    expect(pool.pick("core", now)).toBe("b"); // unknown = full
    pool.observe("b", "core", headers(4000, now / 1000 + 60), now);
    pool.observe("c", "core", headers(4500, now / 1000 + 60), now);
    expect(pool.pick("core", now)).toBe("c");
    expect(pool.pick("core", now + 61_000)).toBe("a"); // every quota refilled: first again
  });

  it("keeps REST and GraphQL quotas apart, as GitHub does", () => {
    const pool = createTokenPool(["a", "b"]);
    pool.observe("a", "graphql", headers(0, 2_000_000_000, "graphql"), 1_000_000_000_000);
    expect(pool.pick("core", 1_000_000_000_000)).toBe("a");
    expect(pool.pick("graphql", 1_000_000_000_000)).toBe("b");
    expect(pool.hasAlternative("a", "graphql", 1_000_000_000_000)).toBe(true);
    expect(pool.hasAlternative("b", "graphql", 1_000_000_000_000)).toBe(false);
  });

  it("sums what is left over the tokens for the run record", () => {
    const pool = createTokenPool(["a", "b"]);
    expect(pool.summary()).toBeNull();
    pool.observe("a", "core", headers(100, 2_000_000_000), 1_000_000_000_000);
    expect(pool.summary(1_000_000_000_000)).toEqual({ remaining: 5100, limit: 10000, resetAt: new Date(2_000_000_000_000).toISOString() });
  });
});

describe("readGithubTokens", () => {
  it("reads GITHUB_TOKENS (commas, spaces, newlines) then GITHUB_TOKEN, each once", () => {
    expect(readGithubTokens({ GITHUB_TOKENS: "a, b\nc  a", GITHUB_TOKEN: "b" })).toEqual(["a", "b", "c"]);
    expect(readGithubTokens({ GITHUB_TOKEN: "  t  " })).toEqual(["t"]);
    expect(readGithubTokens({})).toEqual([]);
  });
});
