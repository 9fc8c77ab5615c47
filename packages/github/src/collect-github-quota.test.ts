import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { RawManifestSchema, dataLayout } from "@sparky/messages";
import { readJson } from "@sparky/harness";
import { collectGithub } from "./collect-github.js";
import { tokenId } from "./create-github-client.js";
import { expectedFigures, generateOrg, startFakeGithub } from "./testing/index.js";
import type { FakeGithub } from "./testing/index.js";
import { TOKEN, context, payload, tempDirs, DAY, WINDOW, bot } from "./test-github.js";

const dirs = tempDirs();
afterAll(() => dirs.cleanup());
let fake: FakeGithub | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const org = () => generateOrg({ login: "synthetic", repositories: 30, active: 4, day: DAY, seed: 11 });
const settings = (f: FakeGithub, maxRateLimitWaitS: number) => ({
  apiUrl: f.url, include: [], exclude: [], includeArchived: false, includeForks: false, identitiesFile: "", maxRateLimitWaitS,
});

describe("collectGithub and a used-up quota", () => {
  it("says it is waiting for GitHub's quota until the reset, then that the wait is over", async () => {
    const f = (fake = await startFakeGithub({ org: org(), tokens: { [TOKEN]: {} } }));
    f.inject({ kind: "exhaust", token: TOKEN, resource: "graphql", resetInMs: 120_000 });
    const waits: [string | null, string | undefined][] = [];
    const { ctx } = context(dirs.make(), f, {
      settings: settings(f, 1800),
      waiting: (until, message) => {
        waits.push([until, message]);
        // The reset comes (in tests, at once): GitHub refills the quota.
        if (until) f.refill(TOKEN, "graphql");
      },
    });
    const started = Date.now();
    const result = await collectGithub(payload("synthetic", DAY), ctx);
    expect(result.commits).toBe(expectedFigures(f.org, WINDOW, bot).commits);
    expect(waits.length).toBeGreaterThanOrEqual(2);
    const [until, message] = waits[0]!;
    // GitHub's reset time, about two minutes on: not the test's shortened wait.
    expect(Date.parse(until!)).toBeGreaterThan(started + 100_000);
    expect(message).toBe(`waiting for GitHub quota until ${until}`);
    expect(waits[waits.length - 1]).toEqual([null, undefined]);
  });

  it("fails past max_rate_limit_wait_s naming the reset time, keeps what it collected, and the next attempt does not fetch it again", async () => {
    const f = (fake = await startFakeGithub({ org: org(), tokens: { [TOKEN]: {} } }));
    const dataDir = dirs.make();
    const layout = dataLayout(dataDir);
    let injected = false;
    // Mid-day: the window is still open, so only the interrupted attempt's files may be kept.
    const clock = { now: () => new Date("2026-11-26T20:00:00.000Z") };
    const { ctx } = context(dataDir, f, {
      clock,
      batchSize: 2,
      settings: settings(f, 1800),
      progress: (message) => {
        // The quota runs out after the first batch, with its reset 50 minutes away.
        if (!injected && message.startsWith("collected ")) {
          injected = true;
          f.inject({ kind: "exhaust", token: TOKEN, resource: "graphql", resetInMs: 3_000_000 });
        }
      },
    });
    const error = (await collectGithub(payload("synthetic", DAY), ctx).catch((e: unknown) => e)) as { code: string; transient: boolean; message: string };
    expect(error).toMatchObject({ code: "SPARKY_GITHUB_QUOTA_WAIT", transient: false });
    expect(error.message).toMatch(/^GitHub's rate limit is used up until (20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) \(\d+ s from now\), longer than \[collector\] max_rate_limit_wait_s = 1800 allows waiting/);
    expect(error.message).toMatch(/Kept the 2 repositories collected so far \(of \d+\): `sparky resume daily-2026-11-26` after 20\d\d-.*Z continues without fetching them again/);
    expect(existsSync(layout.rawManifest(DAY))).toBe(false);
    expect(existsSync(join(layout.rawDir(DAY), "interrupted.json"))).toBe(true);
    const kept = (JSON.parse(readFileSync(join(layout.rawDir(DAY), "interrupted.json"), "utf8")) as { since: string }).since;
    expect(kept).toBe("2026-11-26T20:00:00.000Z");
    const keptFiles = ["service-001", "service-002"].map((name) => layout.rawRepository(DAY, "synthetic", name));
    const before = keptFiles.map((file) => readFileSync(file, "utf8"));

    // After the reset: the next attempt (a resume, an hour later) keeps the two, fetches the rest.
    f.refill(TOKEN, "graphql");
    const later = context(dataDir, f, { clock: { now: () => new Date("2026-11-26T21:00:00.000Z") }, batchSize: 2, settings: settings(f, 1800) });
    const result = await collectGithub(payload("synthetic", DAY), later.ctx);
    expect(result.commits).toBe(expectedFigures(f.org, WINDOW, bot).commits);
    expect(later.progress).toContainEqual(expect.stringMatching(/^kept 2 repositories from an earlier collection of this window/));
    const manifest = await readJson(layout.rawManifest(DAY), RawManifestSchema);
    expect(manifest.stats).toMatchObject({ reused: 2, partial: false });
    expect(keptFiles.map((file) => readFileSync(file, "utf8"))).toEqual(before);
    expect(existsSync(join(layout.rawDir(DAY), "interrupted.json"))).toBe(false);
  });

  it("reports each request by kind and status, the quota per hashed token, and the time waited, to its observer", async () => {
    const f = (fake = await startFakeGithub({ org: org(), tokens: { [TOKEN]: {} } }));
    f.inject({ kind: "exhaust", token: TOKEN, resource: "graphql", resetInMs: 120_000 });
    const requests: string[] = [];
    const quotas = new Map<string, [number, number]>();
    let waitedMs = 0;
    const { ctx } = context(dirs.make(), f, {
      settings: settings(f, 1800),
      waiting: (until) => {
        if (until) f.refill(TOKEN, "graphql");
      },
      observer: {
        request: (kind, status) => requests.push(`${kind} ${status}`),
        quota: (token, remaining, limit) => quotas.set(token, [remaining, limit]),
        waited: (ms) => (waitedMs += ms),
      },
    });
    await collectGithub(payload("synthetic", DAY), ctx);
    expect(requests).toContain("rest 200");
    expect(requests).toContain("graphql 200"); // a used-up GraphQL quota is a 200 with a RATE_LIMITED error
    expect([...quotas.keys()]).toEqual([tokenId(TOKEN)]);
    expect(tokenId(TOKEN)).toMatch(/^[0-9a-f]{8}$/);
    expect(JSON.stringify([...quotas])).not.toContain(TOKEN);
    expect(quotas.get(tokenId(TOKEN))![1]).toBeGreaterThan(0);
    expect(waitedMs).toBeGreaterThan(0);
  });
});
