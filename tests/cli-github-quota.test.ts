import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateOrg, startFakeGithub } from "@sparky/github/testing";
import { STAGES, periodFor } from "@sparky/messages";
import type { FakeGithub } from "@sparky/github/testing";
import { sparky } from "./support/processes.js";

const TOKEN = "ghp_e2eQuotaToken0123456789abcdefSPARKYQ";
const DAY = "2026-11-26";

let root: string;
let fake: FakeGithub;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "sparky-cli-quota-"));
  // Some sixty repositories active: several GraphQL batches of 20. The token's GraphQL
  // quota (5 points an hour) runs out after the search and the first batches with their lookups.
  const org = generateOrg({ login: "synthetic", repositories: 70, active: 50, day: DAY, seed: 3 });
  fake = await startFakeGithub({ org, tokens: { [TOKEN]: { limit: 5 } } });
});
afterAll(async () => {
  await fake.close();
  rmSync(root, { recursive: true, force: true });
});

describe("sparky digest --org when GitHub's quota runs out for longer than max_rate_limit_wait_s", () => {
  it("fails naming the reset time, keeps what it collected, and `sparky resume` finishes without fetching it again", async () => {
    const env = { GITHUB_TOKEN: TOKEN, GITHUB_TOKENS: "", SPARKY_COLLECTOR_GITHUB_API_URL: fake.url, SPARKY_COLLECTOR_MAX_RATE_LIMIT_WAIT_S: "600" };
    const first = await sparky(["digest", "--org", "synthetic", "--date", DAY, "--quiet"], { cwd: root, env });
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/GitHub's rate limit is used up until (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) \(\d+ s from now\), longer than \[collector\] max_rate_limit_wait_s = 600/);
    const kept = Number(/Kept the (\d+) repositories collected so far \(of \d+\): `sparky resume daily-2026-11-26` after /.exec(first.stderr)?.[1]);
    expect(kept).toBeGreaterThanOrEqual(20);
    const record = JSON.parse(readFileSync(join(root, "data", "state", "runs", `daily-${DAY}.json`), "utf8"));
    expect(record.state).toBe("failed");
    // Not retried at once: the reset is an hour away.
    expect(record.stages.find((s: { stage: string }) => s.stage === "collect").attempts).toHaveLength(1);
    const status = await sparky(["status"], { cwd: root, env });
    expect(status.stdout).toMatch(/rate limit is used up until \d{4}-/);

    // The quota is back (a bigger one, so the rest fits): resume keeps those and fetches the others.
    fake.refill(TOKEN, "graphql", 5000);
    const resumed = await sparky(["resume", `daily-${DAY}`, "--json", "--quiet"], { cwd: root, env });
    expect(resumed.code, resumed.stderr).toBe(0);
    const summary = JSON.parse(resumed.stdout);
    expect(summary.state).toBe("succeeded");
    expect(summary.collection.reused).toBe(kept);
  });
});

describe("sparky status while a run waits for GitHub's quota", () => {
  it("says which run waits, in which stage, until when", async () => {
    const work = join(root, "waiting");
    const state = join(work, "data", "state");
    mkdirSync(join(state, "runs"), { recursive: true });
    const spec = periodFor("daily", DAY, "UTC");
    const now = new Date().toISOString();
    const until = new Date(Date.now() + 40 * 60_000).toISOString();
    // What the orchestrator writes while the collector reports the wait (see waiting-tracker).
    const record = {
      schema: "sparky.run/1", ...spec, state: "running", trigger: "schedule", repos: [], org: "synthetic", refresh: false, collection: null,
      allowEmpty: true, createdAt: now, updatedAt: now, finishedAt: null, reason: null,
      waiting: { stage: "collect", until, message: `waiting for GitHub quota until ${until}` },
      stages: STAGES.map((stage) => ({ stage, state: stage === "collect" ? "running" : "pending", startedAt: stage === "collect" ? now : null, finishedAt: null, attempts: [], result: null })),
    };
    writeFileSync(join(state, "runs", `daily-${DAY}.json`), JSON.stringify(record));
    writeFileSync(
      join(state, "status.json"),
      JSON.stringify({ schema: "sparky.status/1", updatedAt: now, orchestrator: { pid: process.pid, startedAt: now, mode: "served" }, running: [{ runId: `daily-${DAY}`, stage: "collect", since: now }], pending: [], lastCheck: now, lastRun: null }),
    );
    const status = await sparky(["status"], { cwd: work, env: {} });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`Note:         daily-${DAY}: collect: waiting for GitHub quota until ${until}`);
    const json = JSON.parse((await sparky(["status", "--json"], { cwd: work, env: {} })).stdout);
    expect(json.runs[0]).toMatchObject({ runId: `daily-${DAY}`, note: `collect: waiting for GitHub quota until ${until}` });
  });
});
