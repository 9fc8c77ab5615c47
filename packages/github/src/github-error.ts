import { SparkyError } from "@sparky/messages";

interface HttpFailure {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, unknown>; data?: unknown };
  cause?: unknown;
}

const SCOPES =
  "A classic token needs the repo and read:org scopes; a fine-grained token needs read access to the " +
  "organisation's repositories (metadata, contents, pull requests, issues). If the organisation enforces " +
  "SAML single sign-on, authorize the token for it.";

function githubMessage(error: HttpFailure): string {
  const data = error.response?.data as { message?: unknown } | undefined;
  const text = typeof data?.message === "string" ? data.message : (error.message ?? "");
  // Octokit appends the documentation URL; the first sentence is what GitHub said.
  return text.split(" - https://")[0]!.trim();
}

function causeCode(error: unknown): string | null {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string" && /^E[A-Z]+/.test(e.code)) return e.code;
  }
  return null;
}

/**
 * Turn what Octokit threw into a coded error that says how to fix it. `what` names the
 * operation ("listing the repositories of acme"). The token is never part of a message:
 * Octokit's errors carry it only in request headers, which are not read here.
 */
export function githubError(error: unknown, what: string, apiUrl: string): SparkyError {
  if (error instanceof SparkyError) return error;
  const failure = error as HttpFailure;
  const status = typeof failure.status === "number" ? failure.status : 0;
  const headers = failure.response?.headers ?? {};
  const said = githubMessage(failure);
  const network = causeCode(error);
  if (network || (status === 500 && /fetch failed|network|ECONN|timeout|aborted/i.test(said))) {
    return new SparkyError(
      "SPARKY_GITHUB_UNREACHABLE",
      `cannot reach the GitHub API at ${apiUrl} while ${what} (${network ?? said}): check [collector] github_api_url and the network, then run again`,
      { transient: true, cause: error },
    );
  }
  if (status === 401) {
    return new SparkyError(
      "SPARKY_GITHUB_UNAUTHORIZED",
      `GitHub refused the token while ${what} (401 ${said || "Bad credentials"}): it is invalid, expired or revoked. ` +
        "Set GITHUB_TOKEN (or GITHUB_TOKENS) to a valid token.",
      { cause: error },
    );
  }
  if ((status === 403 || status === 429) && (headers["x-ratelimit-remaining"] === "0" || /rate limit/i.test(said))) {
    const reset = Number(headers["x-ratelimit-reset"]);
    const when = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : "";
    return new SparkyError(
      "SPARKY_GITHUB_RATE_LIMITED",
      `GitHub's rate limit is used up${when} while ${what} (${said}): run again later, or add tokens to GITHUB_TOKENS`,
      { transient: true, cause: error },
    );
  }
  if (status === 403) {
    return new SparkyError("SPARKY_GITHUB_FORBIDDEN", `GitHub denied access while ${what} (403 ${said}): the token lacks access. ${SCOPES}`, {
      cause: error,
    });
  }
  if (status === 404) {
    return new SparkyError(
      "SPARKY_GITHUB_NOT_FOUND",
      `GitHub found nothing while ${what} (404): check the organisation name and [collector] github_api_url; ` +
        `a token that cannot see a private organisation gets 404 too. ${SCOPES}`,
      { cause: error },
    );
  }
  if (status >= 500) {
    return new SparkyError("SPARKY_GITHUB_UNAVAILABLE", `GitHub answered ${status} while ${what}, also after retries: run again later`, {
      transient: true,
      cause: error,
    });
  }
  return new SparkyError("SPARKY_GITHUB_FAILED", `GitHub request failed while ${what}: ${status ? `${status} ` : ""}${said || String(error)}`, {
    cause: error,
  });
}

/**
 * Every token's quota is used up and the reset is further away than the collector may wait
 * (`max_rate_limit_wait_s`). Not transient: retrying at once meets the same limit. The
 * collector adds what it kept and how to continue.
 */
export class GithubQuotaWaitError extends SparkyError {
  constructor(
    readonly resetAt: Date,
    message: string,
    cause: unknown,
  ) {
    super("SPARKY_GITHUB_QUOTA_WAIT", message, { cause });
  }
}

export function quotaWaitTooLong(resetAt: Date, waitS: number, maxWaitS: number, cause: unknown): GithubQuotaWaitError {
  return new GithubQuotaWaitError(
    resetAt,
    `GitHub's rate limit is used up until ${resetAt.toISOString()} (${waitS} s from now), ` +
      `longer than [collector] max_rate_limit_wait_s = ${maxWaitS} allows waiting`,
    cause,
  );
}
