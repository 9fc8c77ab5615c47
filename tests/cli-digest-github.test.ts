import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatHours } from "@sparky/generator";
import { expectedFigures, generateOrg, startFakeGithub } from "@sparky/github/testing";
import type { FakeGithub, SyntheticOrg } from "@sparky/github/testing";
import { buildWeekFixture } from "./support/git-fixture.js";
import { sparky } from "./support/processes.js";

const TOKEN = "ghp_e2eSecretToken0123456789abcdefSPARKY";
const DAY = "2026-11-26";
const WINDOW = { start: "2026-11-26T00:00:00.000Z", end: "2026-11-27T00:00:00.000Z" };
const BOTS = /\[bot\]|dependabot|renovate|github-actions/i;

let root: string;
let org: SyntheticOrg;
let fake: FakeGithub;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "sparky-cli-github-"));
  org = generateOrg({ login: "synthetic", repositories: 40, active: 6, day: DAY, seed: 21 });
  fake = await startFakeGithub({ org, tokens: { [TOKEN]: {} } });
});
afterAll(async () => {
  await fake.close();
  rmSync(root, { recursive: true, force: true });
});

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** Nearest rank, written out here as the README defines it: the value at rank ceil(p/100 x n) of the sorted values. */
const rank = (sorted: number[], p: number) => (sorted.length === 0 ? null : sorted[Math.ceil((p * sorted.length) / 100) - 1]!);

const env = (extra: NodeJS.ProcessEnv = {}) => ({ GITHUB_TOKEN: TOKEN, GITHUB_TOKENS: "", SPARKY_COLLECTOR_GITHUB_API_URL: fake.url, ...extra });

describe("sparky digest --org (embedded, against a fake GitHub)", () => {
  it("collects the organisation, writes the digest, and a repeated run costs one conditional request", async () => {
    const work = join(root, "org");
    mkdirSync(work);
    const args = ["digest", "--org", "synthetic", "--period", "daily", "--date", DAY, "--json", "--log-level", "debug"];
    const first = await sparky(args, { cwd: work, env: env() });
    expect(first.code, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout);
    const expected = expectedFigures(org, WINDOW, (login, name) => BOTS.test(`${login ?? ""} ${name}`));
    expect(summary).toMatchObject({
      runId: `daily-${DAY}`,
      org: "synthetic",
      commits: expected.commits,
      merges: expected.merges,
      contributors: expected.contributors,
      repositories: expected.activeRepositories,
    });
    expect(summary.collection.requests).toBe(fake.requests.length);
    expect(fake.requests.filter((r) => r.kind === "rest")).toHaveLength(1);
    // The listing, the issue and pull-request search, the batches.
    expect(fake.requests.length).toBeLessThanOrEqual(5);
    expect(first.stderr).toMatch(/collect: collected synthetic\/service-\d+: \d+ commits?, .* \(\d+\/\d+\)/);

    expect(summary).toMatchObject({
      pulls: expected.pulls,
      issues: { opened: expected.issuesOpened, closed: expected.issuesClosed },
      releases: expected.releases,
    });

    const digest = readFileSync(summary.digestPath, "utf8");
    expect(digest).toMatch(new RegExp(`^commits: ${expected.commits}$`, "m"));
    // One figure of active repositories: --json, the front matter and the Figures table agree.
    expect(digest).toMatch(new RegExp(`^repositories: ${expected.activeRepositories}$`, "m"));
    expect(digest).toMatch(new RegExp(`^\\| Active repositories \\| ${expected.activeRepositories} of \\d+ \\|`, "m"));
    expect(digest).toContain("https://github.example/synthetic/service-");
    const front = digest.slice(0, digest.indexOf("\n---\n", 4));
    expect(front).toContain(
      `pulls_opened: ${expected.pulls.opened}\npulls_merged: ${expected.pulls.merged}\n` +
        `issues_opened: ${expected.issuesOpened}\nissues_closed: ${expected.issuesClosed}\nreleases: ${expected.releases}`,
    );
    // The synthetic organisation has merged pull requests, first reviews (some after a draft was marked ready) and issues in the day.
    expect(expected.cycleTimeHours.length).toBeGreaterThan(2);
    expect(expected.firstReviewHours.length).toBeGreaterThan(2);
    // Against the day before, which the collection counted from the same data.
    const dayBefore = expectedFigures(org, { start: "2026-11-25T00:00:00.000Z", end: WINDOW.start }, (login, name) => BOTS.test(`${login ?? ""} ${name}`));
    const row = (label: string, now: number, then: number) => `| ${label} | ${now} | ${then} | ${now > then ? "+" : now < then ? "\u2212" : "\u00b1"}${Math.abs(now - then)} |`;
    expect(digest).toContain(
      [
        row("Opened", expected.pulls.opened, dayBefore.pulls.opened),
        row("Merged", expected.pulls.merged, dayBefore.pulls.merged),
        `| Closed without merging | ${expected.pulls.closed} | \u2014 | \u2014 |`,
        row("Reviews", expected.reviews, dayBefore.reviews),
      ].join("\n"),
    );
    expect(digest).toContain([row("Opened", expected.issuesOpened, dayBefore.issuesOpened), row("Closed", expected.issuesClosed, dayBefore.issuesClosed)].join("\n"));
    expect(digest).toContain(
      `| Cycle time (opened to merged) | ${formatHours(rank(expected.cycleTimeHours, 50))} | ${formatHours(rank(expected.cycleTimeHours, 90))} | ${expected.cycleTimeHours.length} |\n` +
        `| Time to first review (ready to first human review) | ${formatHours(rank(expected.firstReviewHours, 50))} | ${formatHours(rank(expected.firstReviewHours, 90))} | ${expected.firstReviewHours.length} |`,
    );
    // Every pull request merged and every issue opened in the day is listed, linked to its page.
    const start = Date.parse(WINDOW.start);
    const end = Date.parse(WINDOW.end);
    const inDay = (t: string | null) => t !== null && Date.parse(t) >= start && Date.parse(t) < end;
    const live = org.repositories.filter((r) => !r.archived && !r.fork);
    const mergedLinks = live.flatMap((r) => r.pulls.filter((p) => inDay(p.mergedAt)).map((p) => `](https://github.example/synthetic/${r.name}/pull/${p.number})`));
    const issueLinks = live.flatMap((r) => r.issues.filter((i) => inDay(i.createdAt)).map((i) => `](https://github.example/synthetic/${r.name}/issues/${i.number})`));
    expect(mergedLinks).toHaveLength(expected.pulls.merged);
    expect(issueLinks).toHaveLength(expected.issuesOpened);
    const merged = digest.slice(digest.indexOf("### Merged"), digest.indexOf("\n## Issues"));
    for (const link of mergedLinks) expect(merged).toContain(link);
    for (const link of issueLinks) expect(digest).toContain(link);
    // Links go to the fake GitHub's pages only, never to anything a title holds (the synthetic titles carry evil.example links).
    const targets = [...digest.matchAll(/(?<!\\)\]\(([^)]*)\)/g)].map((m) => m[1]!);
    for (const target of targets) expect(target).toMatch(/^https:\/\/github\.example\/synthetic\/service-\d{3}(\/(pull|issues|commit|releases\/tag)\/[^\s]+)?$/);
    expect(digest).toContain("## Busiest repositories");
    const record = JSON.parse(readFileSync(join(work, "data", "state", "runs", `daily-${DAY}.json`), "utf8"));
    expect(record).toMatchObject({ org: "synthetic", repos: [], collection: { requests: fake.requests.length, waitedMs: 0 } });
    expect(record.collection.rateLimit.remaining).toBeGreaterThan(4990);

    const before = fake.requests.length;
    const again = await sparky(args, { cwd: work, env: env() });
    expect(again.code, again.stderr).toBe(0);
    const second = JSON.parse(again.stdout);
    expect(fake.requests.slice(before)).toEqual([expect.objectContaining({ kind: "rest", status: 304 })]);
    expect(second.collection).toMatchObject({ requests: 1, notModified: 1 });
    expect(readFileSync(second.digestPath, "utf8")).toBe(digest);

    // [collector] github_org (here from the environment) is the source when no --org or --repo is given.
    const configured = await sparky(["digest", "--date", DAY, "--json", "--quiet"], { cwd: work, env: env({ SPARKY_COLLECTOR_GITHUB_ORG: "synthetic" }) });
    expect(configured.code, configured.stderr).toBe(0);
    expect(JSON.parse(configured.stdout)).toMatchObject({ org: "synthetic", commits: expected.commits });

    // The token is nowhere: not in output, logs, raw files, state or digests.
    for (const text of [first.stdout, first.stderr, again.stdout, again.stderr, configured.stderr]) expect(text).not.toContain(TOKEN);
    const files = allFiles(work);
    expect(files.some((f) => f.includes(join("data", "raw")))).toBe(true);
    expect(files.some((f) => f.includes(join("data", "cache")))).toBe(true);
    for (const file of files) expect(readFileSync(file, "utf8"), file).not.toContain(TOKEN);
  });

  it("writes the digest of a day with pull requests and issues but no commits", async () => {
    const work = join(root, "no-commits");
    mkdirSync(work);
    const quiet = generateOrg({ login: "synthetic", repositories: 12, active: 3, day: DAY, seed: 8 });
    for (const repo of quiet.repositories) repo.commits = repo.commits.filter((c) => c.committedAt < WINDOW.start || c.committedAt >= WINDOW.end);
    const server = await startFakeGithub({ org: quiet, tokens: { [TOKEN]: {} } });
    try {
      const result = await sparky(["digest", "--org", "synthetic", "--date", DAY, "--json", "--quiet"], { cwd: work, env: env({ SPARKY_COLLECTOR_GITHUB_API_URL: server.url }) });
      expect(result.code, result.stderr).toBe(0);
      const expected = expectedFigures(quiet, WINDOW, (login, name) => BOTS.test(`${login ?? ""} ${name}`));
      expect(expected.pulls.opened + expected.issuesOpened).toBeGreaterThan(0);
      const summary = JSON.parse(result.stdout);
      expect(summary).toMatchObject({ commits: 0, merges: 0, pulls: expected.pulls, issues: { opened: expected.issuesOpened, closed: expected.issuesClosed } });
      const digest = readFileSync(summary.digestPath, "utf8");
      expect(digest).toContain("No commits or merges were recorded on 2026-11-26");
      expect(digest).toContain(`On GitHub, ${expected.pulls.opened} pull requests were opened`);
    } finally {
      await server.close();
    }
  });

  it("says in the digest, the run record and status which repository vanished mid-run, and a resume completes it", async () => {
    const work = join(root, "vanished");
    mkdirSync(work);
    const server = await startFakeGithub({ org: generateOrg({ login: "synthetic", repositories: 40, active: 6, day: DAY, seed: 21 }), tokens: { [TOKEN]: {} } });
    try {
      const gone = server.org.repositories.find((r) => r.pushedAt !== null && r.pushedAt >= WINDOW.start && r.commits.length > 0)!.name;
      // Deleted after the listing, before the first GraphQL query: found, then not found.
      server.inject({ kind: "vanish", repo: gone });
      const runEnv = env({ SPARKY_COLLECTOR_GITHUB_API_URL: server.url });
      const first = await sparky(["digest", "--org", "synthetic", "--date", DAY, "--quiet"], { cwd: work, env: runEnv });
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toContain(`Partial: synthetic/${gone} (synthetic/${gone} was not found`);
      const digestPath = join(work, "output", "daily", `${DAY}.md`);
      const digest = readFileSync(digestPath, "utf8");
      expect(digest).toContain("## Not collected");
      expect(digest).toContain(`- synthetic/${gone}: synthetic/${gone} was not found`);
      const recordPath = join(work, "data", "state", "runs", `daily-${DAY}.json`);
      const record = JSON.parse(readFileSync(recordPath, "utf8"));
      expect(record).toMatchObject({ state: "succeeded", collection: { partial: true, skipped: [{ repository: `synthetic/${gone}` }] } });
      const status = await sparky(["status"], { cwd: work, env: runEnv });
      expect(status.stdout).toContain(`daily-${DAY}: collection partial: 1 repository not collected (synthetic/${gone}); \`sparky resume daily-${DAY}\` completes it`);

      server.restore(gone);
      const before = server.requests.length;
      const resumed = await sparky(["resume", `daily-${DAY}`, "--json", "--quiet"], { cwd: work, env: runEnv });
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(JSON.parse(resumed.stdout).collection).toMatchObject({ partial: false, skipped: [] });
      // Only what was missing is fetched again: the window had closed, the other files are kept.
      expect(server.requests.slice(before).filter((r) => r.kind === "graphql").length).toBeLessThanOrEqual(2);
      const completed = readFileSync(digestPath, "utf8");
      expect(completed).not.toContain("## Not collected");
      expect(completed).toContain(`synthetic/${gone}`);
    } finally {
      await server.close();
    }
  });

  it("fails the run with a message that says how to fix a refused token", async () => {
    const work = join(root, "badtoken");
    mkdirSync(work);
    const result = await sparky(["digest", "--org", "synthetic", "--date", DAY, "--quiet"], { cwd: work, env: env({ GITHUB_TOKEN: "ghp_notValidAtAll000000000000000000000" }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/GitHub refused the token .*401 Bad credentials.*Set GITHUB_TOKEN/);
    expect(result.stderr).not.toContain("ghp_notValidAtAll");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("names the organisation and the newest push for a quiet window", async () => {
    const work = join(root, "quiet");
    mkdirSync(work);
    const result = await sparky(["digest", "--org", "synthetic", "--date", "2026-11-01", "--quiet"], { cwd: work, env: env() });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no commits, pull requests, reviews, issues or releases between .* in GitHub organisation synthetic \(\d+ repositor(y|ies) pushed to since the previous period began\); the newest push is on 2026-11-26: try --date 2026-11-26/);
  });

  it("collects --repo, not [collector] github_org, when both are given", async () => {
    const fixture = buildWeekFixture(join(root, "git"));
    const result = await sparky(["digest", "--repo", fixture.repos[0]!, "--period", "weekly", "--date", fixture.date, "--json", "--quiet", "--allow-empty"], {
      cwd: join(root, "git"),
      env: env({ SPARKY_COLLECTOR_GITHUB_ORG: "synthetic" }),
    });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ org: null, collection: null, repositories: 1 });
  });

  it("refuses --org together with --repo, and --date latest with --org", async () => {
    const both = await sparky(["digest", "--org", "synthetic", "--repo", "."], { cwd: root, env: env() });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/either --org or --repo, not both/);
    const latest = await sparky(["digest", "--org", "synthetic", "--date", "latest"], { cwd: root, env: env() });
    expect(latest.code).toBe(2);
    expect(latest.stderr).toMatch(/--date latest reads local repositories/);
  });
});
