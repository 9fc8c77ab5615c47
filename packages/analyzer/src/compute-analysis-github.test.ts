import { describe, expect, it } from "vitest";
import { periodFor } from "@sparky/messages";
import { computeAnalysis } from "./compute-analysis.js";
import { actor, ghCommit, githubManifest, githubRepository, issue, pull, release, review } from "./test-github-raw.js";
import { commit, manifest, repository } from "./test-raw.js";

const day = periodFor("daily", "2026-11-26", "UTC");
const API = "acme/api";
const t = (text: string) => `2026-11-${text}:00.000Z`; // "26T10:00" -> 2026-11-26T10:00:00.000Z

const alice = actor("alice", "Alice");
const bob = actor("bob", "Bob");
const carol = actor("carol", "Carol");
const dave = actor("dave", "Dave");
const renovate = actor("renovate[bot]");
const dependabot = actor("dependabot[bot]");

const api = githubRepository(day, API, {
  commits: [ghCommit(API, { sha: "a".repeat(40), committedAt: t("26T07:00") })],
  pullRequests: [
    // Opened the day before, merged today: 24 h; first human review 22 h after it was opened.
    pull(API, { number: 1, createdAt: t("25T10:00"), state: "MERGED", mergedAt: t("26T10:00"), closedAt: t("26T10:00"), firstHumanReviewAt: t("26T08:00"), firstHumanReviewer: bob }),
    // Opened and merged today: 2 h; reviewed after 1 h.
    pull(API, { number: 2, createdAt: t("26T09:00"), state: "MERGED", mergedAt: t("26T11:00"), closedAt: t("26T11:00"), firstHumanReviewAt: t("26T10:00"), firstHumanReviewer: bob }),
    // Opened as a draft at 08:00, ready at 12:00, reviewed at 12:30 (0.5 h, not 4.5 h), merged at 14:00 (6 h).
    pull(API, { number: 3, createdAt: t("26T08:00"), readyAt: t("26T12:00"), state: "MERGED", mergedAt: t("26T14:00"), closedAt: t("26T14:00"), firstReviewAt: t("26T09:00"), firstHumanReviewAt: t("26T12:30"), firstHumanReviewer: bob }),
    // Still a draft: reviewed, but not measured.
    pull(API, { number: 4, createdAt: t("26T13:00"), isDraft: true, firstReviewAt: t("26T14:00") }),
    // A bot's pull request, closed without merging.
    pull(API, { number: 5, createdAt: t("26T15:00"), author: dependabot, state: "CLOSED", closedAt: t("26T16:00"), title: "Bump <b>lodash</b>", labels: ["dependencies"] }),
    // Opened a week earlier, first reviewed today: 143 h.
    pull(API, { number: 6, createdAt: t("20T10:00"), firstHumanReviewAt: t("26T09:00"), firstHumanReviewer: dave }),
    // Nothing of it in the window: held out, whatever the collector handed over.
    pull(API, { number: 7, createdAt: t("25T09:00") }),
  ],
  reviews: [
    review(API, 1, 1, bob, t("26T08:00")),
    review(API, 1, 8, alice, t("26T09:00"), true), // the author answering: not a review of someone's work
    review(API, 2, 2, bob, t("26T10:00")),
    review(API, 2, 7, renovate, t("26T09:30")), // a bot
    review(API, 3, 3, carol, t("26T09:00")), // while a draft
    review(API, 3, 4, bob, t("26T12:30")),
    review(API, 4, 5, carol, t("26T14:00")),
    review(API, 6, 6, dave, t("26T09:00")),
  ],
  issues: [
    issue(API, { number: 20, createdAt: t("26T10:00") }),
    issue(API, { number: 21, createdAt: t("24T10:00"), closedAt: t("26T11:00") }),
    issue(API, { number: 22, createdAt: t("26T12:00"), closedAt: t("26T13:00"), labels: ["bug"] }),
    issue(API, { number: 23, createdAt: t("25T10:00") }),
  ],
  releases: [release(API, "v1.2.0", t("26T15:00")), release(API, "v1.1.0", t("25T10:00"))],
  priorAuthors: [alice.key],
  previous: { pullRequestsOpened: 4, pullRequestsMerged: 1, reviews: 5, issuesOpened: 1, issuesClosed: 3, releases: 2 },
});
const web = githubRepository(day, "acme/web", {
  commits: [ghCommit("acme/web", { sha: "b".repeat(40), committedAt: t("26T11:00") }, bob)],
  issues: [issue("acme/web", { number: 5, createdAt: t("26T10:00") })],
});
const quiet = githubRepository(day, "acme/quiet");
const analysis = computeAnalysis(githubManifest(day, [api, web, quiet]), [api, web, quiet], { topContributors: 2, highlights: 2 });
const github = analysis.github!;

describe("computeAnalysis of a GitHub collection", () => {
  it("counts pull requests opened, merged and closed without merging, against the previous day", () => {
    expect(github.org).toBe("acme");
    expect(github.pulls.opened).toEqual({ previous: 4, current: 4, delta: 0 });
    expect(github.pulls.merged).toEqual({ previous: 1, current: 3, delta: 2 });
    expect(github.pulls.closed).toBe(1);
  });

  it("measures cycle time over the pull requests merged in the window, median and p90 by nearest rank", () => {
    // 24 h, 2 h, 6 h: sorted 2, 6, 24; median rank ceil(1.5) = 2, p90 rank ceil(2.7) = 3.
    expect(github.pulls.cycleTimeHours).toEqual({ median: 6, p90: 24, count: 3 });
  });

  it("measures time to first human review from ready for review, leaving drafts out until then", () => {
    // 22 h, 1 h, 0.5 h (from ready, not from opened), 143 h; #4 is still a draft.
    // Sorted 0.5, 1, 22, 143: median rank 2, p90 rank ceil(3.6) = 4.
    expect(github.pulls.firstReviewHours).toEqual({ median: 1, p90: 143, count: 4 });
  });

  it("counts every review, and leaves bots and authors out of the reviewers", () => {
    expect(github.reviews).toEqual({ previous: 5, current: 8, delta: 3 });
    expect(github.topReviewers).toEqual([
      { name: "Bob", key: bob.key, reviews: 3, pullRequests: 3, repositories: [API] },
      { name: "Carol", key: carol.key, reviews: 2, pullRequests: 2, repositories: [API] },
    ]);
  });

  it("lists everyone who only reviewed, beyond the top reviewers, apart from the contributors", () => {
    // Bob committed (acme/web): a contributor. Carol and Dave only reviewed; Dave is not among the top 2.
    expect(analysis.reviewersOnly!.map((r) => [r.name, r.reviews])).toEqual([
      ["Carol", 2],
      ["Dave", 1],
    ]);
    expect(analysis.contributors.map((c) => c.name)).not.toContain("Carol");
  });

  it("counts issues opened and closed and lists the releases of the window", () => {
    expect(github.issues).toEqual({ opened: { previous: 1, current: 3, delta: 2 }, closed: { previous: 3, current: 2, delta: -1 } });
    expect(github.releases).toEqual({
      count: { previous: 2, current: 1, delta: -1 },
      list: [{ repository: API, tagName: "v1.2.0", name: "v1.2.0", url: "https://github.com/acme/api/releases/tag/v1.2.0", isPrerelease: false, publishedAt: t("26T15:00"), author: "Alice" }],
    });
  });

  it("gives per-repository figures, busiest first, quiet ones left out", () => {
    expect(github.repositories).toEqual([
      { fullName: API, webUrl: "https://github.com/acme/api", activity: 22, commits: 1, merges: 0, pullsOpened: 4, pullsMerged: 3, pullsClosed: 1, reviews: 8, issuesOpened: 2, issuesClosed: 2, releases: 1 },
      { fullName: "acme/web", webUrl: "https://github.com/acme/web", activity: 2, commits: 1, merges: 0, pullsOpened: 0, pullsMerged: 0, pullsClosed: 0, reviews: 0, issuesOpened: 1, issuesClosed: 0, releases: 0 },
    ]);
  });

  it("makes items of the pull requests and issues of the window, linked to their pages, after the commits", () => {
    expect(analysis.items.map((i) => i.id)).toEqual([
      "acme/web@bbbbbbb",
      "acme/api@aaaaaaa",
      "acme/api#1",
      "acme/api#2",
      "acme/api#3",
      "acme/api#4",
      "acme/api#5",
      "acme/api#6",
      "acme/api#20",
      "acme/api#21",
      "acme/api#22",
      "acme/web#5",
    ]);
    expect(analysis.items.find((i) => i.id === "acme/api#5")).toEqual({
      id: "acme/api#5",
      kind: "pull_request",
      repository: API,
      labels: ["dependencies"],
      number: 5,
      title: "Bump <b>lodash</b>",
      author: "dependabot[bot]",
      authorKey: dependabot.key,
      isBot: true,
      isDraft: false,
      state: "CLOSED",
      createdAt: t("26T15:00"),
      mergedAt: null,
      closedAt: t("26T16:00"),
      additions: 10,
      deletions: 2,
      url: "https://github.com/acme/api/pull/5",
    });
    expect(analysis.items.find((i) => i.id === "acme/api#22")).toMatchObject({ kind: "issue", labels: ["bug"], state: "CLOSED", url: "https://github.com/acme/api/issues/22" });
    // Themes cover the new items too: the bot's bump by its label, the labelled issue by its label.
    const themed = analysis.themes.themes.flatMap((theme) => theme.itemIds).sort();
    expect(themed).toEqual(analysis.items.map((i) => i.id).sort());
    expect(analysis.themes.themes.find((theme) => theme.title === "dependencies")).toEqual({
      title: "dependencies",
      kind: "label",
      summary: "1 pull request in acme/api by 1 author.",
      itemIds: ["acme/api#5"],
    });
  });

  it("keeps commit figures as for git, new contributors from the earlier authors GitHub found", () => {
    expect(analysis.totals).toMatchObject({ commits: 2, merges: 0, contributors: 2, newContributors: 1, activeRepositories: 2, repositories: 3 });
    expect(analysis.contributors.map((c) => [c.name, c.isNew])).toEqual([
      ["Alice", false],
      ["Bob", true],
    ]);
  });

  it("adds nothing to the analysis of local repositories", () => {
    const repo = repository(day, "local/tools", [commit({ sha: "c1", committedAt: t("26T10:00") })]);
    const local = computeAnalysis(manifest(day, [repo]), [repo], { topContributors: 2, highlights: 2 });
    expect("github" in local).toBe(false);
    expect(local.items.map((i) => i.kind)).toEqual(["commit"]);
  });
});
