// What collecting a GitHub organisation costs in requests (run after a build: `node bench/github-requests.mjs`).
//
// A synthetic organisation of 300 repositories, 30 of them active in the day (and 30 the
// day before, half of them the same), served by the project's fake GitHub (REST and
// GraphQL, executed against GitHub's published schema) on loopback. Prints, from one run:
//   - requests of the first daily collection,
//   - requests of the same collection again (a complete window),
//   - requests of a per-repository REST crawl of the same range (list each repository's
//     commits, pull requests and issues, then each pull request's reviews), run for real
//     against the same server.
// Two quiet repositories (last pushed months ago) get an issue opened, and a pull request
// from a fork opened and reviewed, in the day: no push, so only the issue and pull-request
// search finds them.
// Targets: at least 10x fewer requests than the crawl; at most 2 requests more than the 7 a
// day cost before that search (issue 9), with both quiet repositories collected; the repeat
// costs nothing beyond a conditional discovery. The exit status is 1 when a target is missed.

import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { collectGithub, createGithubClient } from "../packages/github/dist/index.js";
import { crawlRest, expectedFigures, generateOrg, startFakeGithub } from "../packages/github/dist/testing/index.js";
import { CollectPayload, periodFor, previousPeriod } from "../packages/messages/dist/index.js";
import { createLogger } from "../packages/harness/dist/index.js";

const DAY = "2026-11-26";
const TOKEN = "bench-token";
const spec = periodFor("daily", DAY, "UTC");
const range = { since: previousPeriod(spec).window.start, until: spec.window.end };
const log = createLogger({ service: "bench", level: "silent" });

const org = generateOrg({ login: "bench-org", repositories: 300, active: 30, day: DAY, seed: 42 });
const BEFORE_SEARCH = 7;
const quiet = org.repositories.filter((r) => !r.archived && !r.fork && r.pushedAt !== null && r.pushedAt < "2026-10-01");
const at = (hour) => `${DAY}T${String(hour).padStart(2, "0")}:00:00.000Z`;
quiet[0].issues.push({ number: 901, title: "Crash on start", author: "dev-03", labels: ["bug"], state: "OPEN", stateReason: null, createdAt: at(10), updatedAt: at(10), closedAt: null });
quiet[1].pulls.push({
  number: 902, title: "Fix typo (from a fork)", author: "dev-04", labels: [], isDraft: false, state: "OPEN", createdAt: at(9), updatedAt: at(11),
  mergedAt: null, closedAt: null, mergedBy: null, additions: 1, deletions: 1, changedFiles: 1, reviews: [{ id: 90201, author: "dev-05", state: "APPROVED", submittedAt: at(11) }],
});
const fake = await startFakeGithub({ org, tokens: { [TOKEN]: { limit: 20_000 } } });
const dataDir = mkdtempSync(join(tmpdir(), "sparky-bench-github-"));

const count = (from) => {
  const slice = fake.requests.slice(from);
  return {
    total: slice.length,
    rest: slice.filter((r) => r.kind === "rest").length,
    graphql: slice.filter((r) => r.kind === "graphql").length,
    notModified: slice.filter((r) => r.notModified).length,
  };
};

try {
  const ctx = {
    dataDir,
    botPatterns: ["[bot]", "dependabot", "renovate", "github-actions"],
    log,
    // The morning after: the window has closed, as for the scheduled daily run.
    clock: { now: () => new Date(Date.parse(spec.window.end) + 6 * 3_600_000) },
    progress: () => {},
    settings: { apiUrl: fake.url, include: [], exclude: [], includeArchived: false, includeForks: false, identitiesFile: "" },
    tokens: [TOKEN],
  };
  const input = CollectPayload.parse({ ...spec, org: "bench-org" });

  let started = performance.now();
  const result = await collectGithub(input, ctx);
  const firstMs = performance.now() - started;
  const first = count(0);

  const mark = fake.requests.length;
  started = performance.now();
  await collectGithub(input, ctx);
  const againMs = performance.now() - started;
  const again = count(mark);

  const crawler = createGithubClient({ baseUrl: fake.url, tokens: [TOKEN], log });
  const crawlMark = fake.requests.length;
  started = performance.now();
  const crawled = await crawlRest(crawler, "bench-org", range);
  const crawlMs = performance.now() - started;
  const crawl = count(crawlMark);

  const figures = expectedFigures(org, spec.window, (login, name) => /\[bot\]|dependabot|github-actions/i.test(`${login ?? ""} ${name}`));
  const commitsInRange = org.repositories
    .filter((r) => !r.archived && !r.fork)
    .flatMap((r) => r.commits)
    .filter((c) => c.committedAt >= range.since && c.committedAt < range.until).length;
  const ratio = crawl.total / first.total;
  const quietFound = quiet.slice(0, 2).every((r) => existsSync(join(dataDir, "raw", DAY, "bench-org", `${r.name}.json`)));
  const searchOk = first.total <= BEFORE_SEARCH + 2 && quietFound;
  const repeatOk = again.total === again.notModified && again.rest === again.total && again.total <= 1;

  const line = (label, value) => console.log(`${label.padEnd(54)} ${value}`);
  console.log(`GitHub collection cost: ${org.repositories.length} repositories, ${new Set(org.repositories.filter((r) => r.pushedAt >= spec.window.start).map((r) => r.name)).size} active on ${DAY}`);
  console.log(`(window: ${figures.commits} commits, ${figures.merges} merges, ${figures.pullRequests} pull requests, ${figures.reviews} reviews, ${figures.issues} issues, ${figures.releases} releases; ${result.repositories} repositories collected: pushed since the previous day began, or with issue or pull-request activity)`);
  console.log("");
  line("first daily run: requests", `${first.total}  (REST ${first.rest}, GraphQL ${first.graphql}; ${(firstMs / 1000).toFixed(1)} s with GitHub's 1 s spacing of GraphQL queries)`);
  line("  against the 7 before the issue search (target <= +2)", `${first.total - BEFORE_SEARCH >= 0 ? "+" : ""}${first.total - BEFORE_SEARCH}  (${searchOk ? "met" : "MISSED"}); issue-only and fork-PR-only repositories collected: ${quietFound ? "yes" : "NO"}`);
  line("same run again (complete window): requests", `${again.total}  (${again.notModified} answered 304 Not Modified, free of rate limit; ${againMs.toFixed(0)} ms)`);
  line("per-repository REST crawl of the same range: requests", `${crawl.total}  (${crawled.repositories} repositories x commits, pulls, issues + reviews of ${crawled.pullRequests} pull requests; ${(crawlMs / 1000).toFixed(1)} s)`);
  line("  + line counts per commit (the crawl lacks them)", `+${commitsInRange} requests (one GET /commits/{sha} each)`);
  line("crawl / first run", `${ratio.toFixed(1)}x fewer requests  (target >= 10x: ${ratio >= 10 ? "met" : "MISSED"})`);
  line("repeat costs only a conditional discovery", repeatOk ? "yes (target met)" : "NO (target MISSED)");
  process.exitCode = ratio >= 10 && repeatOk && searchOk ? 0 : 1;
} finally {
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
}
