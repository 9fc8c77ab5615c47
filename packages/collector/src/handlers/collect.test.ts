import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CollectPayload, createMessage, periodFor } from "@sparky/messages";
import type { Command, CommandOf } from "@sparky/messages";
import { ConfigSchema, createLogger, createMetrics } from "@sparky/harness";
import type { StageJobContext, StageServiceDeps } from "@sparky/harness";
import { generateOrg, startFakeGithub } from "@sparky/github/testing";
import type { FakeGithub } from "@sparky/github/testing";
import { handleCollect } from "./collect.js";

const TOKEN = "ghp_collectorDispatchToken000000000000";
let fake: FakeGithub;
let dataDir: string;
const saved = { GITHUB_TOKEN: process.env.GITHUB_TOKEN, GITHUB_TOKENS: process.env.GITHUB_TOKENS };
beforeAll(async () => {
  fake = await startFakeGithub({ org: generateOrg({ login: "acme", repositories: 8, active: 2, day: "2026-11-26" }), tokens: { [TOKEN]: {} } });
  dataDir = mkdtempSync(join(tmpdir(), "sparky-collector-gh-"));
  process.env.GITHUB_TOKEN = TOKEN;
  delete process.env.GITHUB_TOKENS;
});
afterAll(async () => {
  Object.assign(process.env, saved);
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("collect handler", () => {
  it("sends a command naming an organisation to the GitHub source, with the collector's settings", async () => {
    const config = ConfigSchema.parse({ data_dir: dataDir, collector: { github_api_url: fake.url, exclude: ["service-002"] } });
    const metrics = createMetrics("collector");
    const deps = { config, metrics, clock: { now: () => new Date("2026-11-27T06:00:00Z") } } as unknown as StageServiceDeps;
    const log = createLogger({ service: "test", level: "silent" });
    const ctx: StageJobContext = { jobId: "j", log, progress: () => {}, waiting: () => {} };
    const payload = CollectPayload.parse({ ...periodFor("daily", "2026-11-26", "UTC"), org: "acme" });
    const command = createMessage<Command>("collect", payload, { runId: payload.runId }) as CommandOf<"collect">;
    const result = await handleCollect(command, ctx, deps);
    expect(result.repositories).toBeGreaterThan(0);
    expect(fake.requests[0]).toMatchObject({ kind: "rest", path: expect.stringMatching(/^\/orgs\/acme\/repos\?/) });
    expect(fake.requests.some((r) => r.kind === "graphql")).toBe(true);
    // Counted in the collector's metrics, by kind and status.
    const counted = (await metrics.ops.githubRequests.get()).values;
    expect(counted.find((v) => v.labels.kind === "rest" && v.labels.status === "200")?.value).toBeGreaterThan(0);
    expect(counted.find((v) => v.labels.kind === "graphql" && v.labels.status === "200")?.value).toBeGreaterThan(0);
  });
});
