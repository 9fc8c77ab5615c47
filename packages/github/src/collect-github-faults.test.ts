import { existsSync, readdirSync } from "node:fs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { RawManifestSchema, dataLayout } from "@sparky/messages";
import { readJson } from "@sparky/harness";
import { collectGithub } from "./collect-github.js";
import { expectedFigures, generateOrg, startFakeGithub } from "./testing/index.js";
import type { FakeGithub, FakeTokenOptions } from "./testing/index.js";
import { OTHER_TOKEN, TOKEN, context, payload, tempDirs, DAY, WINDOW, bot } from "./test-github.js";

const dirs = tempDirs();
afterAll(() => dirs.cleanup());
let fake: FakeGithub | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const org = () => generateOrg({ login: "synthetic", repositories: 30, active: 4, day: DAY, seed: 11 });

async function start(tokens: Record<string, FakeTokenOptions> = { [TOKEN]: {} }) {
  fake = await startFakeGithub({ org: org(), tokens });
  return fake;
}

/** A clean run of the same organisation: what every faulty run must still end with. */
async function baseline() {
  const clean = await startFakeGithub({ org: org(), tokens: { [TOKEN]: {} } });
  try {
    await collectGithub(payload("synthetic", DAY), context(dirs.make(), clean).ctx);
    return clean.requests.length;
  } finally {
    await clean.close();
  }
}

describe("collectGithub under GitHub's failure modes", () => {
  it("retries 502s with back-off and still collects everything", async () => {
    const normal = await baseline();
    const f = await start();
    f.inject({ kind: "status", status: 502, times: 2, on: "graphql" });
    const { ctx } = context(dirs.make(), f);
    const result = await collectGithub(payload("synthetic", DAY), ctx);
    expect(result.commits).toBe(expectedFigures(f.org, WINDOW, bot).commits);
    expect(f.requests.filter((r) => r.status === 502)).toHaveLength(2);
    expect(f.requests).toHaveLength(normal + 2);
  });

  it("fails with a transient error when 5xx outlast the retries", async () => {
    const f = await start();
    f.inject({ kind: "status", status: 502, times: 50, on: "graphql" });
    const { ctx } = context(dirs.make(), f);
    await expect(collectGithub(payload("synthetic", DAY), ctx)).rejects.toMatchObject({ code: "SPARKY_GITHUB_UNAVAILABLE", transient: true });
    expect(f.requests.filter((r) => r.status === 502)).toHaveLength(4); // the request and 3 retries, no more
  });

  it("backs off on a secondary rate limit for its Retry-After, visibly", async () => {
    const f = await start();
    f.inject({ kind: "secondary", retryAfter: 2, on: "graphql" });
    const dataDir = dirs.make();
    const { ctx, progress } = context(dataDir, f);
    await collectGithub(payload("synthetic", DAY), ctx);
    expect(progress).toContainEqual(expect.stringMatching(/secondary rate limit .*backing off 2 s/));
    const manifest = await readJson(dataLayout(dataDir).rawManifest(DAY), RawManifestSchema);
    expect(manifest.stats!.waitedMs).toBeGreaterThanOrEqual(10); // 2 "seconds" of 5 ms in tests
  });

  it("honours Retry-After on other answers too (503)", async () => {
    const f = await start();
    f.inject({ kind: "status", status: 503, retryAfter: 3, on: "rest" });
    const { ctx, progress } = context(dirs.make(), f);
    await collectGithub(payload("synthetic", DAY), ctx);
    expect(progress).toContainEqual(expect.stringMatching(/retry .* after 3 s \(503\)/));
  });

  it("waits until the primary limit resets when every token is used up, with a message", async () => {
    const f = await start();
    f.inject({ kind: "exhaust", token: TOKEN, resource: "graphql", resetInMs: 3 });
    const dataDir = dirs.make();
    const { ctx, progress } = context(dataDir, f);
    const result = await collectGithub(payload("synthetic", DAY), ctx);
    expect(result.commits).toBe(expectedFigures(f.org, WINDOW, bot).commits);
    expect(f.requests.filter((r) => r.rateLimited)).not.toHaveLength(0);
    expect(progress).toContainEqual(expect.stringMatching(/^GitHub rate limit used up for the token: waiting \d+ s, until .* UTC/));
    const manifest = await readJson(dataLayout(dataDir).rawManifest(DAY), RawManifestSchema);
    expect(manifest.stats!.waitedMs).toBeGreaterThan(0);
  });

  it("switches to the token with quota left instead of waiting", async () => {
    const f = await start({ [TOKEN]: {}, [OTHER_TOKEN]: {} });
    f.inject({ kind: "exhaust", token: TOKEN, resource: "core", resetInMs: 3_600_000 });
    const dataDir = dirs.make();
    const { ctx, progress } = context(dataDir, f, { tokens: [TOKEN, OTHER_TOKEN] });
    await collectGithub(payload("synthetic", DAY), ctx);
    expect(f.requests[0]).toMatchObject({ kind: "rest", token: 0, rateLimited: true });
    expect(f.requests[1]).toMatchObject({ kind: "rest", token: 1, status: 200 });
    expect(progress.filter((p) => /waiting/.test(p))).toEqual([]);
  });

  it("skips a repository deleted mid-run (NOT_FOUND inside a batch) and keeps the others", async () => {
    const f = await start();
    f.inject({ kind: "vanish", repo: "service-002" });
    const dataDir = dirs.make();
    const { ctx, progress } = context(dataDir, f);
    const result = await collectGithub(payload("synthetic", DAY), ctx);
    const manifest = await readJson(dataLayout(dataDir).rawManifest(DAY), RawManifestSchema);
    expect(manifest.complete).toBe(true);
    expect(manifest.repositories.map((r) => r.name)).not.toContain("service-002");
    expect(manifest.stats!.skipped).toEqual([{ repository: "synthetic/service-002", reason: expect.stringMatching(/not found/) }]);
    expect(progress).toContainEqual(expect.stringMatching(/^skipped synthetic\/service-002/));
    const others = { ...f.org, repositories: f.org.repositories.filter((r) => r.name !== "service-002") };
    expect(result.commits).toBe(expectedFigures(others, WINDOW, bot).commits);
  });

  it("marks the collection partial, and a later collection of the window fetches only what is missing", async () => {
    const f = await start();
    f.inject({ kind: "vanish", repo: "service-002" });
    const dataDir = dirs.make();
    const { ctx } = context(dataDir, f);
    await collectGithub(payload("synthetic", DAY), ctx);
    const layout = dataLayout(dataDir);
    const first = await readJson(layout.rawManifest(DAY), RawManifestSchema);
    expect(first.stats).toMatchObject({ partial: true, skipped: [{ repository: "synthetic/service-002" }] });

    f.restore("service-002");
    const before = f.requests.length;
    const result = await collectGithub(payload("synthetic", DAY), ctx);
    const second = await readJson(layout.rawManifest(DAY), RawManifestSchema);
    expect(second.stats).toMatchObject({ partial: false, skipped: [], reused: first.repositories.length });
    expect(second.repositories.map((r) => r.name)).toContain("service-002");
    expect(result.commits).toBe(expectedFigures(f.org, WINDOW, bot).commits);
    // The listing (changed: the repository is back), one batch for it and its contributors' lookup; no search, nothing else again.
    const again = f.requests.slice(before);
    expect(again.filter((r) => r.kind === "rest")).toHaveLength(1);
    expect(again.filter((r) => r.kind === "graphql").length).toBeLessThanOrEqual(2);
  });

  const refusals: [string, Record<string, FakeTokenOptions>, string, string, RegExp][] = [
    ["an invalid token", { [OTHER_TOKEN]: {} }, "synthetic", "SPARKY_GITHUB_UNAUTHORIZED", /401 Bad credentials.*invalid, expired or revoked.*GITHUB_TOKEN/],
    ["a token without access", { [TOKEN]: { access: "none" } }, "synthetic", "SPARKY_GITHUB_FORBIDDEN", /403 Resource not accessible.*repo and read:org scopes/],
    ["an unknown organisation", { [TOKEN]: {} }, "nope", "SPARKY_GITHUB_NOT_FOUND", /404.*check the organisation name/],
  ];
  it.each(refusals)("stops with a clear error for %s", async (_what, tokens, orgName, code, message) => {
    const f = await start(tokens);
    const { ctx } = context(dirs.make(), f);
    const error = await collectGithub(payload(orgName, DAY), ctx).catch((e: unknown) => e);
    expect(error).toMatchObject({ code, transient: false });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(TOKEN);
    expect(f.requests).toHaveLength(1); // a refusal is not retried
  });

  it("asks for a token when there is none", async () => {
    const f = await start();
    const { ctx } = context(dirs.make(), f, { tokens: [] });
    await expect(collectGithub(payload("synthetic", DAY), ctx)).rejects.toMatchObject({ code: "SPARKY_GITHUB_TOKEN_MISSING", message: expect.stringMatching(/set GITHUB_TOKEN/) });
    expect(f.requests).toHaveLength(0);
  });

  it("says which address it cannot reach", async () => {
    const f = await start();
    const url = f.url;
    await f.close();
    fake = null;
    const { ctx } = context(dirs.make(), f, { settings: { ...context(dirs.make(), f).ctx.settings, apiUrl: url } });
    await expect(collectGithub(payload("synthetic", DAY), ctx)).rejects.toMatchObject({
      code: "SPARKY_GITHUB_UNREACHABLE",
      transient: true,
      message: expect.stringContaining(url),
    });
  });
});

describe("collectGithub of a job the orchestrator gave up on", () => {
  it("stops its requests when the job's signal fires, and writes no manifest", async () => {
    const f = await start();
    const dataDir = dirs.make();
    const controller = new AbortController();
    const { ctx } = context(dataDir, f, {
      signal: controller.signal,
      progress: (message) => {
        if (message.startsWith("collected ")) controller.abort(new Error("cancelled by the orchestrator"));
      },
      batchSize: 1,
    });
    await expect(collectGithub(payload("synthetic", DAY), ctx)).rejects.toThrow();
    const requestsAtAbort = f.requests.length;
    expect(existsSync(dataLayout(dataDir).rawManifest(DAY))).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    expect(f.requests.length).toBe(requestsAtAbort);
  });

  it("writes nothing once its attempt is fenced off", async () => {
    const f = await start();
    const dataDir = dirs.make();
    const fenced = Object.assign(new Error("a newer attempt of this stage runs"), { code: "SPARKY_FENCED" });
    const { ctx } = context(dataDir, f, { guard: async () => Promise.reject(fenced) });
    await expect(collectGithub(payload("synthetic", DAY), ctx)).rejects.toMatchObject({ code: "SPARKY_FENCED" });
    expect(existsSync(dataLayout(dataDir).rawManifest(DAY))).toBe(false);
    expect(existsSync(dataLayout(dataDir).rawDir(DAY)) ? readdirSync(dataLayout(dataDir).rawDir(DAY), { recursive: true }).filter((f) => String(f).endsWith(".json")) : []).toEqual([]);
  });
});
