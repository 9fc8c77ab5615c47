import { afterAll, afterEach, describe, expect, it } from "vitest";
import { GithubRepositorySchema, RawManifestSchema, dataLayout } from "@sparky/messages";
import { readJson } from "@sparky/harness";
import { collectGithub } from "./collect-github.js";
import { generateOrg, startFakeGithub } from "./testing/index.js";
import type { FakeGithub, SyntheticOrg } from "./testing/index.js";
import { TOKEN, context, payload, tempDirs, DAY } from "./test-github.js";

const dirs = tempDirs();
afterAll(() => dirs.cleanup());
let fake: FakeGithub | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const at = (hour: number) => `${DAY}T${String(hour).padStart(2, "0")}:00:00.000Z`;

/**
 * The synthetic organisation, plus two repositories last pushed months ago whose only
 * activity in the window is an issue opened (one) and a pull request from a fork, opened
 * and reviewed (the other): neither is a push, so neither moves `pushed_at`.
 */
function quietButBusyOrg(): SyntheticOrg {
  const org = generateOrg({ login: "synthetic", repositories: 30, active: 4, day: DAY, seed: 11 });
  const quiet = org.repositories.filter((r) => !r.archived && !r.fork && r.pushedAt !== null && r.pushedAt < "2026-11-01");
  const [issues, pulls] = [quiet[0]!, quiet[1]!];
  issues.issues.push({
    number: 901, title: "Crash on start", author: "dev-03", labels: ["bug"], state: "OPEN", stateReason: null,
    createdAt: at(10), updatedAt: at(10), closedAt: null,
  });
  pulls.pulls.push({
    number: 902, title: "Fix typo (from a fork)", author: "dev-04", labels: [], isDraft: false, state: "OPEN",
    createdAt: at(9), updatedAt: at(11), mergedAt: null, closedAt: null, mergedBy: null, additions: 1, deletions: 1, changedFiles: 1,
    reviews: [{ id: 90201, author: "dev-05", state: "APPROVED", submittedAt: at(11) }],
  });
  return org;
}

describe("collectGithub finds repositories whose only activity is issues or pull requests", () => {
  it("collects a repository with an old pushed_at and an issue, or a fork's pull request, in the window", async () => {
    const org = quietButBusyOrg();
    const quiet = org.repositories.filter((r) => r.issues.some((i) => i.number === 901) || r.pulls.some((p) => p.number === 902));
    fake = await startFakeGithub({ org, tokens: { [TOKEN]: {} } });
    const dataDir = dirs.make();
    const { ctx, progress } = context(dataDir, fake);
    await collectGithub(payload("synthetic", DAY), ctx);

    const layout = dataLayout(dataDir);
    const manifest = await readJson(layout.rawManifest(DAY), RawManifestSchema);
    for (const repo of quiet) {
      expect(manifest.repositories.map((r) => r.name), `${repo.name} is collected`).toContain(repo.name);
    }
    const files = await Promise.all(manifest.repositories.map((r) => readJson(`${layout.rawDir(DAY)}/${r.file}`, GithubRepositorySchema)));
    expect(files.flatMap((f) => f.issues.map((i) => i.number))).toContain(901);
    expect(files.flatMap((f) => f.pullRequests.map((p) => p.number))).toContain(902);
    expect(files.flatMap((f) => f.reviews.map((r) => r.pullRequest))).toContain(902);
    expect(progress).toContainEqual(expect.stringMatching(/2 more with only issue or pull-request activity/));
    // Not by crawling: one listing page and one search request on top of the batches.
    expect(fake.requests.filter((r) => r.kind === "rest")).toHaveLength(1);
    expect(fake.requests.filter((r) => r.kind === "graphql" && r.status === 200).length).toBeLessThanOrEqual(5);
  });

  it("asks the search once per closed window: collecting it again costs only the conditional listing", async () => {
    fake = await startFakeGithub({ org: quietButBusyOrg(), tokens: { [TOKEN]: {} } });
    const { ctx } = context(dirs.make(), fake);
    await collectGithub(payload("synthetic", DAY), ctx);
    const before = fake.requests.length;
    await collectGithub(payload("synthetic", DAY), ctx);
    expect(fake.requests.slice(before)).toEqual([expect.objectContaining({ kind: "rest", notModified: true })]);
  });

  it("searches again while the window is still open", async () => {
    fake = await startFakeGithub({ org: quietButBusyOrg(), tokens: { [TOKEN]: {} } });
    const { ctx } = context(dirs.make(), fake, { clock: { now: () => new Date(at(20)) } });
    await collectGithub(payload("synthetic", DAY), ctx);
    const before = fake.requests.length;
    await collectGithub(payload("synthetic", DAY), ctx);
    expect(fake.requests.slice(before).filter((r) => r.kind === "graphql").length).toBeGreaterThanOrEqual(1);
  });
});

describe("the issue search past GitHub's 1,000 reachable results", () => {
  it("splits a search that matched more in time, and still finds the repository behind the 1,001st", async () => {
    const org = generateOrg({ login: "synthetic", repositories: 30, active: 4, day: DAY, seed: 11 });
    const quiet = org.repositories.filter((r) => !r.archived && !r.fork && r.pushedAt !== null && r.pushedAt < "2026-11-01");
    // 1,100 issues updated in the day in one quiet repository, newest first after 01:00...
    for (let i = 0; i < 1100; i++) {
      const t = new Date(Date.parse(`${DAY}T01:00:00.000Z`) + i * 60_000).toISOString();
      quiet[0]!.issues.push({ number: 5000 + i, title: `Flood ${i}`, author: "dev-06", labels: [], state: "OPEN", stateReason: null, createdAt: t, updatedAt: t, closedAt: null });
    }
    // ...and the one issue of another, updated before all of them: result 1,101 of its search.
    quiet[1]!.issues.push({ number: 77, title: "Early bird", author: "dev-07", labels: [], state: "OPEN", stateReason: null, createdAt: at(0), updatedAt: at(0), closedAt: null });
    fake = await startFakeGithub({ org, tokens: { [TOKEN]: {} } });
    const dataDir = dirs.make();
    const { ctx, progress } = context(dataDir, fake);
    await collectGithub(payload("synthetic", DAY), ctx);
    const manifest = await readJson(dataLayout(dataDir).rawManifest(DAY), RawManifestSchema);
    expect(manifest.repositories.map((r) => r.name)).toEqual(expect.arrayContaining([quiet[0]!.name, quiet[1]!.name]));
    expect(progress.filter((p) => /caps .* at 1,000 results/.test(p))).toEqual([]);
  });
});
