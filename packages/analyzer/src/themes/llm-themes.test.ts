import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "@sparky/harness";
import { createLlmClient } from "@sparky/llm";
import type { LlmSettings } from "@sparky/llm";
import { llmTestSettings, startFakeOllama } from "@sparky/llm/testing";
import type { FakeOllama, FakeReply, FakeRequest } from "@sparky/llm/testing";
import { promptItems, themingModel } from "../test-themes-model.js";
import { deterministicThemes } from "./deterministic-themes.js";
import { llmThemes } from "./llm-themes.js";
import type { ThemeItem } from "./theme-item.js";

const log = createLogger({ service: "analyzer", level: "silent" });
let fake: FakeOllama;
let cacheDir: string;

beforeEach(async () => {
  fake = await startFakeOllama({ script: themingModel });
  cacheDir = await mkdtemp(join(tmpdir(), "sparky-themes-"));
});
afterEach(async () => {
  await fake.close();
  await rm(cacheDir, { recursive: true, force: true });
});

function settings(overrides: Partial<LlmSettings> = {}): LlmSettings {
  return llmTestSettings(fake.url, { retries: 0, cacheDir, ...overrides });
}

function run(items: ThemeItem[], overrides: Partial<LlmSettings> = {}) {
  const session = createLlmClient(settings(overrides), { log, warned: new Set(), backoffMs: 1 }).session();
  return llmThemes(items, deterministicThemes(items), session, { numCtx: overrides.numCtx ?? 4096, log }).then((outcome) => ({ outcome, stats: session.stats() }));
}

const item = (repository: string, n: number, title = `feat: change ${n} in ${repository}`): ThemeItem => ({
  id: `${repository}@${String(n).padStart(7, "0")}`,
  kind: "commit",
  repository,
  title,
  labels: [],
  author: `Author ${n % 3}`,
});
const ITEMS = [item("acme/api", 1), item("acme/web", 2), item("acme/api", 3), item("acme/web", 4)];

describe("llmThemes", () => {
  it("groups the items in one call and maps the model's numbers back to item ids", async () => {
    const { outcome, stats } = await run(ITEMS);
    expect(outcome).toEqual({
      ok: true,
      themes: [
        { title: "Work in acme/api", kind: "llm", summary: "Changes to acme/api.", itemIds: ["acme/api@0000001", "acme/api@0000003"] },
        { title: "Work in acme/web", kind: "llm", summary: "Changes to acme/web.", itemIds: ["acme/web@0000002", "acme/web@0000004"] },
      ],
    });
    expect(stats).toMatchObject({ calls: 1, cached: 0, warning: null });
    const request = fake.requests[0]!;
    expect(request.format).toMatchObject({ type: "object", required: ["themes"] });
    expect(request.options).toMatchObject({ temperature: 0, seed: 42, num_ctx: 4096 });
    expect(promptItems(request).map((i) => i.ref)).toEqual(["i1", "i2", "i3", "i4"]);
  });

  it("drops invented ids, repeated ids and themes left empty", async () => {
    fake.queue({
      content: JSON.stringify({
        themes: [
          // The prompt lists a repository's items together: 1, 2 are acme/api's, 3, 4 acme/web's.
          { title: "Work in acme/api", summary: "Changes to acme/api.", itemIds: [1, 99, "2", "x", 1] },
          { title: "Work in acme/web", summary: "Changes to acme/web.", itemIds: [2, 4] },
          { title: "Invented work", summary: "Nothing real.", itemIds: [42, 43] },
        ],
      }),
    });
    const { outcome } = await run(ITEMS);
    expect(outcome).toEqual({
      ok: true,
      themes: [
        { title: "Work in acme/api", kind: "llm", summary: "Changes to acme/api.", itemIds: ["acme/api@0000001", "acme/api@0000003"] },
        { title: "Work in acme/web", kind: "llm", summary: "Changes to acme/web.", itemIds: ["acme/web@0000004"] },
        // The item no kept theme placed stays in its deterministic group.
        { title: "Features", kind: "type", summary: "1 commit in acme/web by 1 author.", itemIds: ["acme/web@0000002"] },
      ],
    });
  });

  it("gives up on themes whose ids are all invented", async () => {
    fake.queue({ content: JSON.stringify({ themes: [{ title: "Work in acme/api", summary: "", itemIds: [7, 8, 9] }] }) });
    expect((await run(ITEMS)).outcome).toEqual({ ok: false, reason: expect.stringContaining("none of the model's themes held up") });
  });

  it("retries invalid JSON once, then stands back for the deterministic themes", async () => {
    fake.queue({ content: '{"themes": [' });
    const retried = await run(ITEMS);
    expect(retried.outcome).toMatchObject({ ok: true });
    expect(retried.stats.calls).toBe(2);

    fake.queue({ content: "Sure! Here are the themes:" }, { content: '{"themes": "none"}' });
    const failed = await run([item("other/repo", 9)]);
    expect(failed.outcome).toEqual({ ok: false, reason: expect.stringMatching(/^the model answered twice with unusable JSON/) });
    expect(failed.stats.calls).toBe(2);
  });

  it("drops a theme whose text carries a link, markup or a name not in the data", async () => {
    fake.queue({
      content: JSON.stringify({
        themes: [
          { title: "Visit evil.example", summary: "See [this](https://evil.example).", itemIds: [1] },
          { title: "Kubernetes migration", summary: "Moved to Kubernetes.", itemIds: [3] },
          { title: "Work in acme/api", summary: "Changes to acme/api.", itemIds: [2] },
        ],
      }),
    });
    const { outcome } = await run(ITEMS);
    expect(outcome).toEqual({
      ok: true,
      themes: [
        { title: "Features", kind: "type", summary: "3 commits across 2 repositories by 2 authors.", itemIds: ["acme/api@0000001", "acme/web@0000002", "acme/web@0000004"] },
        { title: "Work in acme/api", kind: "llm", summary: "Changes to acme/api.", itemIds: ["acme/api@0000003"] },
      ],
    });
  });

  it("splits a period too large for the context, themes each part and merges them, every item kept", async () => {
    const many = Array.from({ length: 240 }, (_, i) => item(`acme/repo-${i % 6}`, i, `fix: a reasonably long commit subject number ${i} about the parser and its tests`));
    const { outcome, stats } = await run(many, { numCtx: 2048 });
    expect(outcome.ok).toBe(true);
    const themes = (outcome as { themes: { title: string; itemIds: string[] }[] }).themes;
    expect(themes.map((t) => t.title).sort()).toEqual([0, 1, 2, 3, 4, 5].map((i) => `Work in acme/repo-${i}`));
    expect(themes.flatMap((t) => t.itemIds).sort()).toEqual(many.map((i) => i.id).sort());
    const map = fake.requests.filter((r) => r.prompt.startsWith("You refine"));
    const reduce = fake.requests.filter((r) => r.prompt.startsWith("You merge"));
    expect(map.length).toBeGreaterThan(3);
    expect(reduce.length).toBeGreaterThanOrEqual(1);
    expect(stats.calls).toBe(map.length + reduce.length);
    // Every prompt, with its answer, fits the context the model was given.
    for (const request of fake.requests) expect(request.promptTokens + Number(request.options.num_predict)).toBeLessThanOrEqual(2048);

    // The same period again: every answer from the cache.
    fake.reset();
    const again = await run(many, { numCtx: 2048 });
    expect(again.outcome).toEqual(outcome);
    expect(again.stats).toMatchObject({ calls: 0, cached: stats.calls });
    expect(fake.stats().calls).toBe(0);
  });

  it("stands back quickly when Ollama is not there, or too slow", async () => {
    const url = fake.url;
    await fake.close();
    const started = Date.now();
    const refused = await run(ITEMS, { host: url });
    expect(refused.outcome).toEqual({ ok: false, reason: expect.stringContaining("Ollama is not reachable") });
    expect(refused.stats.warning).toContain("connection refused");
    expect(Date.now() - started).toBeLessThan(1_000);

    fake = await startFakeOllama({ script: () => ({ content: "{}", delayMs: 3_000 }) });
    const slow = await run(ITEMS, { timeoutMs: 150 });
    expect(slow.outcome).toEqual({ ok: false, reason: expect.stringContaining("did not answer within 150 ms") });
  });

  it("does not call the model for an empty period", async () => {
    expect((await run([])).outcome).toEqual({ ok: false, reason: "the period has no items to group" });
    expect(fake.stats().calls).toBe(0);
  });
});

describe("llmThemes refines the deterministic themes", () => {
  const commit = (n: number, title: string, areas?: string[]): ThemeItem => ({ ...item("acme/api", n, title), ...(areas ? { areas } : {}) });
  const GROUPED = [
    commit(1, "fix(router): empty paths"),
    commit(2, "fix(router): trailing slashes"),
    commit(3, "fix(router): encoded params"),
    commit(4, "docs: the guide"),
    commit(5, "docs: the changelog"),
    commit(6, "Tweak the loader", ["lib"]),
  ];

  it("shows the model the groups, and keeps what it leaves out in its group, with its kind", async () => {
    fake.queue({
      content: JSON.stringify({
        themes: [
          { title: "Router fixes", summary: "Fixed empty paths and trailing slashes.", itemIds: ["i1", "i2"] },
          { title: "Documentation", summary: "Changes to the guide and the changelog.", itemIds: ["i4", "i5"] },
        ],
      }),
    });
    const { outcome, stats } = await run(GROUPED);
    expect(stats.calls).toBe(1);
    expect(fake.requests[0]!.messages[1]!.content.split("\n").slice(1)).toEqual([
      "group: Fixes in router",
      "i1. [acme/api] fix(router): empty paths",
      "i2. [acme/api] fix(router): trailing slashes",
      "i3. [acme/api] fix(router): encoded params",
      "group: Documentation",
      "i4. [acme/api] docs: the guide",
      "i5. [acme/api] docs: the changelog",
      "group: lib",
      "i6. [acme/api] Tweak the loader",
    ]);
    const id = (n: number) => GROUPED[n - 1]!.id;
    expect(outcome).toEqual({
      ok: true,
      themes: [
        { title: "Router fixes", kind: "llm", summary: "Fixed empty paths and trailing slashes.", itemIds: [id(1), id(2)] },
        // The group kept whole under its own title: still a type theme, with the model's summary.
        { title: "Documentation", kind: "type", summary: "Changes to the guide and the changelog.", itemIds: [id(4), id(5)] },
        { title: "Fixes in router", kind: "scope", summary: "1 commit in acme/api by 1 author.", itemIds: [id(3)] },
        { title: "lib", kind: "area", summary: "1 commit in acme/api by 1 author.", itemIds: [id(6)] },
      ],
    });
  });

  it("marks merge commits, and lists a group's items kind by kind, the period's most common kind first", async () => {
    const items = [
      commit(1, "Tweak the parser", ["lib"]),
      commit(2, "Add a cache", ["lib"]),
      commit(3, "Fix the lexer", ["lib"]),
      commit(4, "Add a flag", ["lib"]),
      commit(5, "Fix a leak", ["lib"]),
      commit(6, "Fix the parser again", ["lib"]),
      { ...commit(7, "Merge pull request #7 from acme/cache", ["lib"]), isMerge: true },
    ];
    fake.queue({ content: JSON.stringify({ themes: [] }) });
    await run(items);
    expect(fake.requests[0]!.messages[1]!.content.split("\n").slice(1)).toEqual([
      "group: lib",
      // Fixes (3) before Features (2) before what names no kind of work; then by repository and as found.
      "i1. [acme/api] Fix the lexer",
      "i2. [acme/api] Fix a leak",
      "i3. [acme/api] Fix the parser again",
      "i4. [acme/api] Add a cache",
      "i5. [acme/api] Add a flag",
      "i6. [acme/api] Tweak the parser",
      "group: Merges",
      "i7. [acme/api] merge Merge pull request #7 from acme/cache",
    ]);
  });

  it("merges groups and gives a grounded title, and drops an ungrounded one back to the groups", async () => {
    fake.queue({
      content: JSON.stringify({
        themes: [
          { title: "Router and loader", summary: "Fixed the router and tweaked the loader.", itemIds: ["i1", "i2", "i3", "i6"] },
          { title: "Kubernetes docs", summary: "Moved the docs to Kubernetes.", itemIds: ["i4", "i5"] },
        ],
      }),
    });
    const { outcome } = await run(GROUPED);
    expect(outcome).toMatchObject({
      ok: true,
      themes: [
        { title: "Router and loader", kind: "llm", itemIds: [GROUPED[0]!.id, GROUPED[1]!.id, GROUPED[2]!.id, GROUPED[5]!.id] },
        { title: "Documentation", kind: "type", summary: "2 commits in acme/api by 2 authors.", itemIds: [GROUPED[3]!.id, GROUPED[4]!.id] },
      ],
    });
  });
});

describe("llmThemes, a model that answers with the numbers it sees in titles (issue 9, case 4)", () => {
  const pull = (n: number, title: string): ThemeItem => ({ id: `acme/api#${n}`, kind: "pull_request", repository: "acme/api", title, labels: [], author: "Bob", number: n });
  const squash = (n: number, title: string): ThemeItem => ({ ...item("acme/api", n, title) });
  // Squash-merged commits carry their pull request's number, as GitHub writes them.
  const TITLED = [squash(1, "Fix the login crash (#5933)"), squash(2, "Add rate limits (#5934)"), squash(3, "Rate limit docs (#5935)")];

  /** A model that refers to each item by the `#number` in its title, as small models do. */
  function titleNumbers(request: FakeRequest): FakeReply {
    const lines = (request.messages[1]?.content ?? "").split("\n").slice(1);
    const numberOf = (pattern: RegExp) => lines.filter((l) => pattern.test(l)).map((l) => Number(/#(\d+)\)/.exec(l)![1]));
    return {
      content: JSON.stringify({
        themes: [
          { title: "Login fix", summary: "Fixed the login crash.", itemIds: numberOf(/login/) },
          { title: "Rate limits", summary: "Added rate limits and their docs.", itemIds: numberOf(/[Rr]ate limit/) },
        ],
      }),
    };
  }

  it("maps a number that names exactly one item back to it", async () => {
    fake.setScript(titleNumbers);
    const { outcome } = await run(TITLED);
    expect(outcome).toEqual({
      ok: true,
      themes: [
        { title: "Rate limits", kind: "llm", summary: "Added rate limits and their docs.", itemIds: ["acme/api@0000002", "acme/api@0000003"] },
        { title: "Login fix", kind: "llm", summary: "Fixed the login crash.", itemIds: ["acme/api@0000001"] },
      ],
    });
  });

  it("refuses a number that could name two items, and says so", async () => {
    // The PR itself and an unrelated commit whose title mentions #2: the bare number 2 is
    // the second entry's position in an old-style prompt and #2's number at once.
    const ambiguous = [pull(2, "Add rate limits"), squash(9, "Revert part of #2 and explain why")];
    fake.queue({ content: JSON.stringify({ themes: [{ title: "Rate limits", summary: "Added rate limits.", itemIds: [2] }] }) });
    const { outcome } = await run(ambiguous);
    expect(outcome).toEqual({ ok: false, reason: expect.stringContaining("1 id could name more than one item") });
  });
});
