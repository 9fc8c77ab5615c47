import { describe, expect, it } from "vitest";
import { SparkyError, periodFor } from "@sparky/messages";
import { NOT_ASKED, computeAnalysis } from "./compute-analysis.js";
import { commit, key, manifest, repository } from "./test-raw.js";

const options = { topContributors: 2, highlights: 2 };

// Week 2026-W48 (Mon 23 .. Sun 29 November) in New York, UTC-5 at the time.
const week = periodFor("weekly", "2026-11-26", "America/New_York");

const alice = { authorEmail: "alice@example.com" };
const api = repository(
  week,
  "acme/api",
  [
    // 03:00 UTC on the 25th is 22:00 on the 24th in New York.
    commit({ sha: "a1", committedAt: "2026-11-25T03:00:00Z", authorName: "alice", ...alice, additions: 10, deletions: 2 }),
    commit({ sha: "a2", committedAt: "2026-11-26T15:00:00Z", authorName: "Alice S.", authorEmail: "ALICE@example.com ", additions: 100, deletions: 50 }),
    commit({ sha: "m1", committedAt: "2026-11-26T16:00:00Z", authorName: "Bob", authorEmail: "bob@example.com", isMerge: true, additions: 110, deletions: 52 }),
    commit({ sha: "d1", committedAt: "2026-11-24T12:00:00Z", authorName: "dependabot[bot]", authorEmail: "bot@github.com", isBot: true, additions: 5, deletions: 5 }),
  ],
  { previous: { commits: 3, merges: 0, authors: [key("alice@example.com"), key("carol@example.com")] } },
);
const web = repository(
  week,
  "acme/web",
  [
    commit({ sha: "w2", committedAt: "2026-11-29T12:00:00-05:00", authorName: "Alice Smith", authorEmail: "Alice@Example.com", additions: 3, deletions: 3 }),
    // 10:00 UTC Monday is 05:00 Monday in New York: the first day.
    commit({ sha: "w1", committedAt: "2026-11-23T10:00:00Z", authorName: "Carol", authorEmail: "carol@example.com", additions: 1 }),
    // 01:00 on Monday the 30th in New York: next week, whatever the collector handed over.
    commit({ sha: "out", committedAt: "2026-11-30T06:00:00Z", authorName: "Eve", authorEmail: "eve@example.com", additions: 999 }),
  ],
  { webUrl: null, priorAuthors: [key("carol@example.com")], previous: { commits: 2, merges: 1, authors: [key("carol@example.com")] } },
);
const docs = repository(week, "acme/docs", [], {
  priorAuthors: [key("alice@example.com")],
  previous: { commits: 4, merges: 1, authors: [key("alice@example.com"), key("dave@example.com")] },
});
const raw = manifest(week, [api, web, docs]);

describe("computeAnalysis", () => {
  const analysis = computeAnalysis(raw, [api, web, docs], options);

  it("copies the run from the manifest and derives its days", () => {
    expect(analysis).toMatchObject({
      schema: "sparky.analysis/1",
      runId: "weekly-2026-W48",
      period: "weekly",
      key: "2026-W48",
      timezone: "America/New_York",
      window: { start: "2026-11-23T05:00:00.000Z", end: "2026-11-30T05:00:00.000Z" },
      collectedAt: "2026-12-01T08:00:00.000Z",
      firstDay: "2026-11-23",
      lastDay: "2026-11-29",
      previousWindow: { start: "2026-11-16T05:00:00.000Z", end: "2026-11-23T05:00:00.000Z" },
    });
  });

  it("counts merges apart, bots in commits but not in contributors", () => {
    expect(analysis.totals).toEqual({
      commits: 5,
      merges: 1,
      botCommits: 1,
      additions: 119,
      deletions: 60,
      // Bob only merged: not a contributor (`git shortlog --no-merges`), so not a new one either.
      contributors: 2,
      newContributors: 0,
      activeRepositories: 2,
      repositoriesWithCommits: 2,
      repositories: 3,
    });
  });

  it("compares with the previous period", () => {
    expect(analysis.change).toEqual({
      commits: { previous: 9, current: 5, delta: -4 },
      merges: { previous: 2, current: 1, delta: -1 },
      contributors: { previous: 3, current: 2, delta: -1 },
    });
  });

  it("groups a person's identities by key and names them as on their newest commit", () => {
    expect(analysis.contributors).toEqual([
      {
        name: "Alice Smith",
        key: "alice@example.com",
        commits: 3,
        additions: 113,
        deletions: 55,
        repositories: ["acme/api", "acme/web"],
        isNew: false,
      },
      { name: "Carol", key: "carol@example.com", commits: 1, additions: 1, deletions: 0, repositories: ["acme/web"], isNew: false },
    ]);
    expect(analysis.topContributors.map((c) => c.name)).toEqual(["Alice Smith", "Carol"]);
  });

  it("shows someone whose only commit is a merge as a merger, not a contributor", () => {
    expect(analysis.contributors.map((c) => c.name)).not.toContain("Bob");
    expect(analysis.mergers).toEqual([
      { name: "Bob", key: "bob@example.com", mergeCommits: 1, pullRequestsMerged: 0, repositories: ["acme/api"], isContributor: false },
    ]);
  });

  it("reports every collected repository, busiest first", () => {
    expect(analysis.repositories).toEqual([
      { fullName: "acme/api", webUrl: "https://github.com/acme/api", commits: 3, merges: 1, additions: 115, deletions: 57, contributors: 1 },
      { fullName: "acme/web", webUrl: null, commits: 2, merges: 0, additions: 4, deletions: 3, contributors: 2 },
      { fullName: "acme/docs", webUrl: "https://github.com/acme/docs", commits: 0, merges: 0, additions: 0, deletions: 0, contributors: 0 },
    ]);
  });

  it("buckets commits by local day, one entry per day of the week", () => {
    expect(analysis.perDay).toEqual([
      { day: "2026-11-23", commits: 1 },
      { day: "2026-11-24", commits: 2 },
      { day: "2026-11-25", commits: 0 },
      { day: "2026-11-26", commits: 1 },
      { day: "2026-11-27", commits: 0 },
      { day: "2026-11-28", commits: 0 },
      { day: "2026-11-29", commits: 1 },
    ]);
  });

  it("lists every commit and merge of the window newest first, linked when the forge is known", () => {
    expect(analysis.items.map((i) => (i.kind === "commit" ? i.sha : i.id))).toEqual(["w2", "m1", "a2", "a1", "d1", "w1"]);
    expect(analysis.items[1]).toEqual({
      id: "acme/api@m1",
      kind: "commit",
      repository: "acme/api",
      sha: "m1",
      subject: "change m1",
      author: "Bob",
      committedAt: "2026-11-26T16:00:00Z",
      additions: 110,
      deletions: 52,
      isMerge: true,
      isBot: false,
      filesChanged: 1,
      url: "https://github.com/acme/api/commit/m1",
    });
    expect(analysis.items[0]?.url).toBeNull();
  });

  it("highlights the largest human changes", () => {
    expect(analysis.highlights.map((i) => i.sha)).toEqual(["a2", "a1"]);
    expect(analysis.highlights.map((i) => i.id)).toEqual(["acme/api@a2", "acme/api@a1"]);
  });

  it("groups the items into deterministic themes covering each once", () => {
    expect(analysis.themes.source).toBe("deterministic");
    expect(analysis.themes.reason).toBe(NOT_ASKED);
    expect(analysis.themes.themes.flatMap((t) => t.itemIds).sort()).toEqual(analysis.items.map((i) => i.id).sort());
  });

  it("gives the same bytes for the same input, whatever order it arrives in", () => {
    const again = computeAnalysis(raw, [api, web, docs], options);
    const shuffled = computeAnalysis(
      raw,
      [docs, { ...web, commits: [...web.commits].reverse() }, { ...api, commits: [...api.commits].reverse() }],
      options,
    );
    expect(JSON.stringify(again)).toBe(JSON.stringify(analysis));
    expect(JSON.stringify(shuffled)).toBe(JSON.stringify(analysis));
  });
});

describe("computeAnalysis edges", () => {
  const day = periodFor("daily", "2026-11-26", "America/New_York");

  it("takes the window in the run's time zone, start included, end excluded", () => {
    const repo = repository(day, "acme/api", [
      commit({ sha: "before", committedAt: "2026-11-26T04:59:59Z" }),
      commit({ sha: "start", committedAt: "2026-11-26T05:00:00Z" }),
      commit({ sha: "late", committedAt: "2026-11-27T03:00:00Z" }),
      commit({ sha: "end", committedAt: "2026-11-27T05:00:00Z" }),
    ]);
    const analysis = computeAnalysis(manifest(day, [repo]), [repo], options);
    expect(analysis.items.map((i) => (i.kind === "commit" ? i.sha : i.id))).toEqual(["late", "start"]);
    expect(analysis.perDay).toEqual([{ day: "2026-11-26", commits: 2 }]);
  });

  it("counts a sha listed twice once", () => {
    const twice = commit({ sha: "x", committedAt: "2026-11-26T12:00:00Z", additions: 4 });
    const repo = repository(day, "acme/api", [twice, twice]);
    const analysis = computeAnalysis(manifest(day, [repo]), [repo], options);
    expect(analysis.totals.commits).toBe(1);
    expect(analysis.totals.additions).toBe(4);
  });

  it("breaks ties by time, then repository, then sha; highlights skip zero-line commits", () => {
    const at = "2026-11-26T12:00:00Z";
    const b = repository(day, "acme/b", [commit({ sha: "b1", committedAt: at, additions: 5 })]);
    const a = repository(day, "acme/a", [
      commit({ sha: "a2", committedAt: at, additions: 5 }),
      commit({ sha: "a1", committedAt: at, deletions: 5 }),
      commit({ sha: "a0", committedAt: "2026-11-26T13:00:00Z", deletions: 5 }),
      commit({ sha: "empty", committedAt: "2026-11-26T14:00:00Z" }),
    ]);
    const analysis = computeAnalysis(manifest(day, [b, a]), [b, a], { topContributors: 5, highlights: 10 });
    expect(analysis.items.map((i) => `${i.repository}@${i.kind === "commit" ? i.sha : i.id}`)).toEqual([
      "acme/a@empty",
      "acme/a@a0",
      "acme/a@a1",
      "acme/a@a2",
      "acme/b@b1",
    ]);
    expect(analysis.highlights.map((i) => i.sha)).toEqual(["a0", "a1", "a2", "b1"]);
  });

  it("sorts contributors with equal commits by lines, then name", () => {
    const repo = repository(day, "acme/api", [
      commit({ sha: "1", committedAt: "2026-11-26T12:00:00Z", authorName: "Zed", authorEmail: "z@x", additions: 9 }),
      commit({ sha: "2", committedAt: "2026-11-26T12:00:01Z", authorName: "Bea", authorEmail: "b@x", additions: 1 }),
      commit({ sha: "3", committedAt: "2026-11-26T12:00:02Z", authorName: "Abe", authorEmail: "a@x", additions: 1 }),
    ]);
    const analysis = computeAnalysis(manifest(day, [repo]), [repo], { topContributors: 0, highlights: 0 });
    expect(analysis.contributors.map((c) => c.name)).toEqual(["Zed", "Abe", "Bea"]);
    expect(analysis.topContributors).toEqual([]);
    expect(analysis.highlights).toEqual([]);
  });

  it("has one day per day of a month, and handles an empty collection", () => {
    const month = periodFor("monthly", "2026-11-10", "Europe/Berlin");
    const analysis = computeAnalysis(manifest(month, []), [], options);
    expect(analysis.perDay).toHaveLength(30);
    expect(analysis.perDay[0]).toEqual({ day: "2026-11-01", commits: 0 });
    expect(analysis.totals).toMatchObject({ commits: 0, contributors: 0, repositories: 0, activeRepositories: 0 });
    expect(analysis.change.commits).toEqual({ previous: 0, current: 0, delta: 0 });
  });

  it("writes the window in canonical form, whatever offset the collector used", () => {
    const raw = { ...manifest(day, []), window: { start: "2026-11-26T00:00:00-05:00", end: "2026-11-27T05:00:00+00:00" } };
    expect(computeAnalysis(raw, [], options).window).toEqual(day.window);
  });

  it("refuses a manifest whose window is not its run's", () => {
    const raw = { ...manifest(day, []), window: periodFor("daily", "2026-11-26", "UTC").window };
    const error = (() => {
      try {
        computeAnalysis(raw, [], options);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(SparkyError);
    expect(error).toMatchObject({ code: "SPARKY_GATE_RAW_MISMATCH", transient: false });
  });
});
