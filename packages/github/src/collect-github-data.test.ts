import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { GithubRepositorySchema, RawManifestSchema, dataLayout } from "@sparky/messages";
import type { GithubRepository } from "@sparky/messages";
import { readJson } from "@sparky/harness";
import { collectGithub } from "./collect-github.js";
import { expectedFigures, fakeOid, generateOrg, startFakeGithub } from "./testing/index.js";
import type { FakeGithub, SyntheticOrg, SyntheticRepository } from "./testing/index.js";
import { TOKEN, context, payload, tempDirs, DAY, WINDOW, bot } from "./test-github.js";

const dirs = tempDirs();
afterAll(() => dirs.cleanup());
let fake: FakeGithub | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const at = (minute: number) => new Date(Date.parse(WINDOW.start) + minute * 60_000).toISOString();

async function collect(org: SyntheticOrg, overrides: Parameters<typeof context>[2] = {}, options: { enterprise?: boolean; refresh?: boolean } = {}) {
  fake = await startFakeGithub({ org, tokens: { [TOKEN]: {} }, ...(options.enterprise ? { enterprise: true } : {}) });
  const dataDir = dirs.make();
  const withUrl = overrides.settings ? { ...overrides, settings: { ...overrides.settings, apiUrl: fake.url } } : overrides;
  const { ctx, progress } = context(dataDir, fake, withUrl);
  const result = await collectGithub(payload(org.login, DAY, options.refresh), ctx);
  const layout = dataLayout(dataDir);
  const manifest = await readJson(layout.rawManifest(DAY), RawManifestSchema);
  const files = new Map<string, GithubRepository>();
  for (const r of manifest.repositories) files.set(r.name, await readJson(join(layout.rawDir(DAY), r.file), GithubRepositorySchema));
  return { result, manifest, files, progress, dataDir, ctx };
}

/** One repository busier than a page of everything: 150 commits, 60 pull requests (one with 45 reviews), 120 issues, 25 releases. */
function busy(repo: SyntheticRepository) {
  const who = { name: "Zoë Ångström", email: "dev-01@corp.example", login: "dev-01" };
  for (let i = 0; i < 150; i++) {
    repo.commits.push({ oid: fakeOid(`busy:${i}`), message: `Commit ${i}`, author: who, committer: who, authoredAt: at(i), committedAt: at(i), additions: 1, deletions: 1, changedFiles: 1, parents: [fakeOid(`busy-p:${i}`)] });
  }
  repo.commits.sort((a, b) => (a.committedAt < b.committedAt ? 1 : -1));
  for (let n = 1; n <= 60; n++) {
    const reviews = Array.from({ length: n === 1 ? 45 : 1 }, (_, r) => ({ id: 100 * n + r, author: "dev-02", state: "COMMENTED" as const, submittedAt: at(300 + r) }));
    repo.pulls.push({ number: 1000 + n, title: `PR ${n}`, author: "dev-01", labels: [], isDraft: false, state: "OPEN", createdAt: at(n), updatedAt: at(400 + n), mergedAt: null, closedAt: null, mergedBy: null, additions: 1, deletions: 1, changedFiles: 1, reviews });
  }
  for (let n = 1; n <= 120; n++) {
    repo.issues.push({ number: 2000 + n, title: `Issue ${n}`, author: "dev-03", labels: ["bug"], state: "OPEN", stateReason: null, createdAt: at(n), updatedAt: at(n), closedAt: null });
  }
  for (let n = 1; n <= 25; n++) {
    repo.releases.push({ id: 50 + n, name: `v${n}`, tagName: `v${n}.0.0`, author: "dev-01", isDraft: false, isPrerelease: false, createdAt: at(n), publishedAt: at(n) });
  }
  repo.pushedAt = at(1000);
}

describe("collectGithub data", () => {
  it("pages through everything that does not fit, REST and GraphQL, and counts it all", async () => {
    const org = generateOrg({ login: "synthetic", repositories: 130, active: 105, day: DAY, seed: 3 });
    busy(org.repositories[0]!);
    const { result, manifest, files } = await collect(org);
    const expected = expectedFigures(org, WINDOW, bot);
    expect(result.commits + result.merges).toBe(expected.commits + expected.merges);
    const big = files.get("service-001")!;
    expect(big.pullRequests.filter((p) => p.number > 1000)).toHaveLength(60);
    expect(big.reviews.filter((r) => r.pullRequest === 1001)).toHaveLength(45);
    expect(big.issues.filter((i) => i.number > 2000)).toHaveLength(120);
    expect(big.releases.filter((r) => r.tagName.endsWith(".0.0"))).toHaveLength(25);
    const all = [...files.values()];
    expect(all.reduce((n, f) => n + f.pullRequests.length, 0)).toBe(expected.pullRequests);
    expect(all.reduce((n, f) => n + f.reviews.length, 0)).toBe(expected.reviews);
    expect(all.reduce((n, f) => n + f.issues.length, 0)).toBe(expected.issues);
    const rest = fake!.requests.filter((r) => r.kind === "rest");
    expect(rest).toHaveLength(2); // two pages of repositories (Link header), no more
    const graphql = fake!.requests.filter((r) => r.kind === "graphql");
    // 7 batches of 20 repositories; follow-ups for the busy one; prior-author lookups per batch;
    // the issue and pull-request search, a few pages here (the busy one alone has 180 items).
    expect(graphql.length).toBeGreaterThanOrEqual(9);
    expect(graphql.length).toBeLessThanOrEqual(23);
    expect(manifest.stats!.requests).toBe(fake!.requests.length);
  });

  it("keeps titles as written (unicode, Markdown, HTML), resolves people and marks bots", async () => {
    const org = generateOrg({ login: "synthetic", repositories: 12, active: 3, day: DAY, seed: 5 });
    const repo = org.repositories[0]!;
    const dev = org.users.find((u) => u.login === "dev-01")!;
    const sig = (email: string, login: string | null, name = "Zoë Ångström") => ({ name, email, login });
    repo.commits.unshift(
      { oid: fakeOid("u1"), message: "Fix `<script>` [link](https://evil.example) **now**\n\nbody", author: sig("dev-01@corp.example", "dev-01"), committer: sig("dev-01@corp.example", "dev-01"), authoredAt: at(1300), committedAt: at(1300), additions: 3, deletions: 1, changedFiles: 1, parents: [fakeOid("u0")] },
      { oid: fakeOid("u2"), message: "日本語のコミット", author: sig(`${dev.id}+dev-01@users.noreply.github.com`, null, "zoe"), committer: sig("x@y", null), authoredAt: at(1301), committedAt: at(1301), additions: 2, deletions: 0, changedFiles: 1, parents: [fakeOid("u1")] },
      { oid: fakeOid("u3"), message: "Laptop commit", author: sig("zoe@laptop.example", null, "Zoe"), committer: sig("zoe@laptop.example", null), authoredAt: at(1302), committedAt: at(1302), additions: 1, deletions: 0, changedFiles: 1, parents: [fakeOid("u2")] },
      { oid: fakeOid("u4"), message: "Bump x", author: sig("49699333+dependabot[bot]@users.noreply.github.com", "dependabot[bot]", "dependabot[bot]"), committer: sig("noreply@github.com", null), authoredAt: at(1303), committedAt: at(1303), additions: 1, deletions: 1, changedFiles: 1, parents: [fakeOid("u3")] },
    );
    repo.commits.sort((a, b) => (a.committedAt < b.committedAt ? 1 : -1));
    repo.pulls.push({ number: 900, title: "Handle <script> in titles [safely](https://evil.example) | 🚀", author: "dependabot[bot]", labels: ["dependencies"], isDraft: true, state: "OPEN", createdAt: at(10), updatedAt: at(10), mergedAt: null, closedAt: null, mergedBy: null, additions: 1, deletions: 1, changedFiles: 1, reviews: [] });
    const identities = join(dirs.make(), "identities.toml");
    writeFileSync(identities, '[[person]]\nname = "Zoë Å."\nlogins = ["dev-01"]\nemails = ["zoe@laptop.example"]\n');
    const { files } = await collect(org, { settings: { apiUrl: "", include: [], exclude: [], includeArchived: false, includeForks: false, identitiesFile: identities } });
    const raw = files.get(repo.name)!;
    const byOid = (text: string) => raw.commits.find((c) => c.sha === fakeOid(text))!;
    expect(byOid("u1").subject).toBe("Fix `<script>` [link](https://evil.example) **now**");
    expect(byOid("u1").message).toContain("\n\nbody");
    expect(byOid("u2").subject).toBe("日本語のコミット");
    // login-linked email, noreply address and an override email: one person, renamed
    for (const oid of ["u1", "u2", "u3"]) expect(byOid(oid)).toMatchObject({ authorEmail: "dev-01@users.noreply.github.com", authorName: "Zoë Å.", isBot: false });
    expect(byOid("u3").gitAuthor).toEqual({ name: "Zoe", email: "zoe@laptop.example" });
    expect(byOid("u4")).toMatchObject({ isBot: true, author: { login: "dependabot[bot]", isBot: true } });
    const pr = raw.pullRequests.find((p) => p.number === 900)!;
    expect(pr).toMatchObject({ title: "Handle <script> in titles [safely](https://evil.example) | 🚀", isDraft: true, labels: ["dependencies"], author: { isBot: true } });
    expect(pr.url).toBe(`https://github.example/synthetic/${repo.name}/pull/900`);
  });

  it("measures review latency from ready for review: drafts, bots and the author's own replies left out", async () => {
    const org = generateOrg({ login: "synthetic", repositories: 4, active: 1, day: DAY, seed: 11 });
    const repo = org.repositories[0]!;
    const pr = (number: number, fields: Partial<SyntheticRepository["pulls"][number]>) => ({
      number, title: `PR ${number}`, author: "dev-01", labels: [], isDraft: false, state: "OPEN" as const, createdAt: at(10), updatedAt: at(600),
      mergedAt: null, closedAt: null, mergedBy: null, additions: 1, deletions: 1, changedFiles: 1, reviews: [], ...fields,
    });
    const rv = (id: number, author: string, minute: number) => ({ id, author, state: "COMMENTED" as const, submittedAt: at(minute) });
    repo.pulls.push(
      // Opened as a draft, reviewed while a draft, marked ready at 03:00, a bot's review, then a person's.
      pr(901, { createdAt: at(60), timeline: [{ type: "ready", at: at(180) }], reviews: [rv(1, "dev-02", 120), rv(2, "github-actions[bot]", 200), rv(3, "dev-03", 240)] }),
      // Opened ready, made a draft again and still one: not measured.
      pr(902, { isDraft: true, timeline: [{ type: "draft", at: at(70) }], reviews: [rv(4, "dev-02", 100)] }),
      // Opened ready, a draft for a while, ready again: ready since it was opened.
      pr(903, { timeline: [{ type: "draft", at: at(20) }, { type: "ready", at: at(300) }], reviews: [rv(5, "dev-02", 30)] }),
      // Opened three days before, the author answering in a review, first reviewed by someone else today.
      pr(904, { createdAt: new Date(Date.parse(WINDOW.start) - 3 * 86_400_000).toISOString(), reviews: [rv(6, "dev-01", 400), rv(7, "dev-04", 500)] }),
    );
    repo.pushedAt = at(900);
    const { files, result } = await collect(org);
    const raw = files.get(repo.name)!;
    const of = (n: number) => raw.pullRequests.find((p) => p.number === n);
    expect(of(901)).toMatchObject({ readyAt: at(180), firstReviewAt: at(120), firstHumanReviewAt: at(240), firstHumanReviewer: { login: "dev-03", isBot: false } });
    expect(of(902)).toMatchObject({ isDraft: true, readyAt: null, firstReviewAt: at(100), firstHumanReviewAt: null, firstHumanReviewer: null });
    expect(of(903)).toMatchObject({ readyAt: at(10), firstHumanReviewAt: at(30) });
    // Not opened, merged or closed today, but first reviewed today: in the file for review latency.
    expect(of(904)).toMatchObject({ firstReviewAt: at(500), firstHumanReviewAt: at(500), firstHumanReviewer: { login: "dev-04" } });
    expect(raw.reviews.filter((r) => r.pullRequest === 904).map((r) => [r.author.login, r.byAuthor])).toEqual([
      ["dev-01", true],
      ["dev-04", false],
    ]);
    expect(raw.reviews.find((r) => r.author.login === "github-actions[bot]")).toMatchObject({ author: { isBot: true }, byAuthor: false });
    const all = [...files.values()];
    expect(result.activity).toBe(all.reduce((n, f) => n + f.pullRequests.length + f.reviews.length + f.issues.length + f.releases.length, 0));
    // The synthetic organisation's own rules agree with the collector's.
    const expected = expectedFigures(org, WINDOW, bot);
    expect(all.reduce((n, f) => n + f.pullRequests.length, 0)).toBe(expected.pullRequests);
  });

  it("applies include/exclude globs and leaves archived repositories and forks out unless asked", async () => {
    const org = generateOrg({ login: "synthetic", repositories: 60, active: 60, day: DAY, seed: 9 });
    const settings = { apiUrl: "", include: ["service-0[0-4]*"], exclude: ["*-013", "synthetic/service-02?"], includeArchived: false, includeForks: false, identitiesFile: "" };
    const { manifest } = await collect(org, { settings });
    const names = manifest.repositories.map((r) => r.name);
    expect(names).toContain("service-001");
    expect(names).not.toContain("service-013");
    expect(names.some((n) => /^service-02\d$/.test(n))).toBe(false);
    expect(names).not.toContain("service-040"); // archived
    expect(names.some((n) => Number(n.slice(-3)) >= 50)).toBe(false);
    await fake!.close();
    const withAll = await collect(org, { settings: { ...settings, include: [], exclude: [], includeArchived: true, includeForks: true } });
    expect(withAll.manifest.repositories.map((r) => r.name)).toEqual(expect.arrayContaining(["service-040", "service-050"]));
  });

  it("works against GitHub Enterprise Server URLs (/api/v3 and /api/graphql)", async () => {
    const org = generateOrg({ login: "synthetic", repositories: 10, active: 2, day: DAY });
    const { result } = await collect(org, {}, { enterprise: true });
    expect(fake!.url).toMatch(/\/api\/v3$/);
    expect(fake!.requests.map((r) => r.path.split("?")[0])).toEqual(expect.arrayContaining(["/api/v3/orgs/synthetic/repos", "/api/graphql"]));
    expect(result.commits).toBe(expectedFigures(org, WINDOW, bot).commits);
  });

  it("fetches a window again when the earlier collection ran before it closed, or on refresh", async () => {
    const org = generateOrg({ login: "synthetic", repositories: 10, active: 2, day: DAY });
    const early = await collect(org, { clock: { now: () => new Date("2026-11-26T18:00:00.000Z") } });
    const graphqlBefore = fake!.requests.filter((r) => r.kind === "graphql").length;
    // Same data folder, later: the window has closed since, so it is fetched again.
    const later = context(early.dataDir, fake!);
    await collectGithub(payload("synthetic", DAY), later.ctx);
    expect(fake!.requests.filter((r) => r.kind === "graphql").length).toBeGreaterThan(graphqlBefore);
    const count = fake!.requests.length;
    await collectGithub(payload("synthetic", DAY), later.ctx);
    expect(fake!.requests.length).toBe(count + 1); // complete now: discovery only
    await collectGithub(payload("synthetic", DAY, true), later.ctx);
    expect(fake!.requests.filter((r) => r.kind === "graphql").length).toBeGreaterThan(graphqlBefore + 1);
  });
});
