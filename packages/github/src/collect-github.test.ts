import { readFileSync } from "node:fs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { GithubRepositorySchema, RawManifestSchema, RawRepositorySchema, dataLayout } from "@sparky/messages";
import { readJson } from "@sparky/harness";
import { collectGithub } from "./collect-github.js";
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


describe("collectGithub", () => {
  it("collects the window's figures in a handful of requests, and nothing again for a complete window", async () => {
    const org = generateOrg({ login: "synthetic", repositories: 60, active: 8, day: DAY });
    fake = await startFakeGithub({ org, tokens: { [TOKEN]: {} } });
    const dataDir = dirs.make();
    const { ctx, progress } = context(dataDir, fake);
    const result = await collectGithub(payload("synthetic", DAY), ctx);
    const expected = expectedFigures(org, WINDOW, bot);
    expect(result).toMatchObject({ commits: expected.commits, merges: expected.merges });

    const layout = dataLayout(dataDir);
    const manifest = await readJson(layout.rawManifest(DAY), RawManifestSchema);
    expect(manifest).toMatchObject({ complete: true, source: "github", org: "synthetic" });
    const files = await Promise.all(manifest.repositories.map((r) => readJson(`${layout.rawDir(DAY)}/${r.file}`, GithubRepositorySchema)));
    const sum = (pick: (f: (typeof files)[number]) => number) => files.reduce((n, f) => n + pick(f), 0);
    expect(sum((f) => f.pullRequests.length)).toBe(expected.pullRequests);
    expect(sum((f) => f.reviews.length)).toBe(expected.reviews);
    expect(sum((f) => f.issues.length)).toBe(expected.issues);
    expect(sum((f) => f.releases.length)).toBe(expected.releases);
    // The analyzer's schema reads the same files.
    for (const r of manifest.repositories) RawRepositorySchema.parse(JSON.parse(readFileSync(`${layout.rawDir(DAY)}/${r.file}`, "utf8")));

    const rest = fake.requests.filter((r) => r.kind === "rest").length;
    const graphql = fake.requests.filter((r) => r.kind === "graphql").length;
    expect(rest).toBe(1);
    expect(manifest.stats!.requests).toBe(fake.requests.length);
    expect(graphql).toBeLessThanOrEqual(4);
    expect(progress.some((line) => /^collected synthetic\/service-\d+: \d+ commits?/.test(line))).toBe(true);

    const before = fake.requests.length;
    const again = await collectGithub(payload("synthetic", DAY), ctx);
    expect(again).toEqual(result);
    expect(fake.requests.slice(before)).toEqual([expect.objectContaining({ kind: "rest", status: 304, notModified: true })]);
    const second = await readJson(layout.rawManifest(DAY), RawManifestSchema);
    expect(second.stats).toMatchObject({ requests: 1, notModified: 1, reused: manifest.repositories.length });
  });
});
