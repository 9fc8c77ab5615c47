import { describe, expect, it } from "vitest";
import { SparkyError } from "@sparky/messages";
import { githubError } from "./github-error.js";

const API = "https://api.github.com";
const failure = (status: number, message: string, headers: Record<string, string> = {}) => ({
  status,
  message: `${message} - https://docs.github.com/rest`,
  response: { headers, data: { message } },
});

describe("githubError", () => {
  it.each([
    [failure(401, "Bad credentials"), "SPARKY_GITHUB_UNAUTHORIZED", false, /invalid, expired or revoked\. Set GITHUB_TOKEN/],
    [failure(403, "Resource not accessible by personal access token", { "x-ratelimit-remaining": "4999" }), "SPARKY_GITHUB_FORBIDDEN", false, /repo and read:org scopes.*SAML/],
    [failure(403, "API rate limit exceeded for user ID 1.", { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1800000000" }), "SPARKY_GITHUB_RATE_LIMITED", true, /until 2027-01-15T08:00:00.000Z.*GITHUB_TOKENS/],
    [failure(403, "You have exceeded a secondary rate limit."), "SPARKY_GITHUB_RATE_LIMITED", true, /secondary rate limit/],
    [failure(404, "Not Found"), "SPARKY_GITHUB_NOT_FOUND", false, /check the organisation name and \[collector\] github_api_url/],
    [failure(502, "Server Error"), "SPARKY_GITHUB_UNAVAILABLE", true, /502 .* also after retries/],
    [{ status: 500, message: "fetch failed", cause: { code: "ECONNREFUSED" } }, "SPARKY_GITHUB_UNREACHABLE", true, /cannot reach the GitHub API at https:\/\/api.github.com .*ECONNREFUSED/],
    [failure(422, "Validation Failed"), "SPARKY_GITHUB_FAILED", false, /422 Validation Failed/],
  ])("%#: %j becomes %s", (error, code, transient, message) => {
    const e = githubError(error, "listing the repositories of acme", API);
    expect(e).toBeInstanceOf(SparkyError);
    expect(e).toMatchObject({ code, transient });
    expect(e.message).toMatch(message);
    expect(e.message).toContain("listing the repositories of acme");
  });

  it("passes a SparkyError through", () => {
    const original = new SparkyError("SPARKY_X", "x");
    expect(githubError(original, "y", API)).toBe(original);
  });
});
