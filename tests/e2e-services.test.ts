import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as zmq from "zeromq";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildWeekFixture } from "./support/git-fixture.js";
import { freePort, killAll, runSparky, sparky, waitFor, waitReady } from "./support/processes.js";
import type { Proc } from "./support/processes.js";
import type { RunRecord } from "@sparky/messages";

const SERVICES = ["orchestrator", "collector", "analyzer", "generator", "publisher"] as const;
type Service = (typeof SERVICES)[number];
const TOKEN = "e2e-secret-token-value";

let root: string;
let fixture: ReturnType<typeof buildWeekFixture>;
const running: Proc[] = [];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "sparky-e2e-"));
  fixture = buildWeekFixture(join(root, "repos"));
});
afterEach(() => killAll(running));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Five `sparky serve` processes on free loopback ports, sharing one data folder. */
async function startCluster(name: string) {
  const work = join(root, name);
  mkdirSync(work, { recursive: true });
  const ports = {
    events: await freePort(),
    eventsOut: await freePort(),
    http: Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await freePort()]))) as Record<Service, number>,
    zmq: Object.fromEntries(await Promise.all(SERVICES.map(async (s) => [s, await freePort()]))) as Record<Service, number>,
  };
  const env: NodeJS.ProcessEnv = {
    SPARKY_LOG_LEVEL: "warn",
    SPARKY_API_TOKEN: TOKEN,
    SPARKY_ORCHESTRATOR_EVENT_PORT: String(ports.events),
    SPARKY_ORCHESTRATOR_EVENT_SUB_PORT: String(ports.eventsOut),
    SPARKY_ORCHESTRATOR_HTTP_PORT: String(ports.http.orchestrator),
    SPARKY_ORCHESTRATOR_SCHEDULES_ENABLED: "false",
    SPARKY_ORCHESTRATOR_REQUEST_TIMEOUT_MS: "400",
    SPARKY_ORCHESTRATOR_REQUEST_RETRIES: "1",
    SPARKY_ORCHESTRATOR_MAX_ATTEMPTS: "2",
    SPARKY_ORCHESTRATOR_RETRY_BACKOFF_MS: "100",
    SPARKY_ORCHESTRATOR_POLL_INTERVAL_MS: "200",
    SPARKY_ORCHESTRATOR_STAGE_TIMEOUT_S: "20",
    SPARKY_COLLECTOR_REPOS: JSON.stringify(fixture.repos),
  };
  for (const s of SERVICES) {
    if (s === "orchestrator") continue;
    const upper = s.toUpperCase();
    env[`SPARKY_${upper}_ENDPOINT`] = `tcp://127.0.0.1:${ports.zmq[s]}`;
    env[`SPARKY_${upper}_HTTP_PORT`] = String(ports.http[s]);
  }
  const procs = {} as Record<Service, Proc>;
  const start = async (s: Service) => {
    const proc = runSparky(["serve", s], { cwd: work, env });
    running.push(proc);
    procs[s] = proc;
    await waitReady(ports.http[s]).catch((error) => {
      throw new Error(`${s} did not become ready: ${error.message}\n${proc.output()}`);
    });
  };
  for (const s of SERVICES) await start(s);
  const api = `http://127.0.0.1:${ports.http.orchestrator}`;
  const post = (path: string, body: unknown, token: string | null = TOKEN) =>
    fetch(`${api}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  const waitRun = (runId: string, done: (state: string) => boolean) =>
    waitFor(
      `run ${runId}`,
      async () => {
        const response = await fetch(`${api}/runs/${runId}`);
        if (!response.ok) return undefined;
        const record = (await response.json()) as RunRecord;
        return done(record.state) ? record : undefined;
      },
      40_000,
    );
  return { work, env, ports, procs, start, post, waitRun, api };
}

function stageOf(record: RunRecord, stage: string) {
  const found = record.stages.find((s) => s.stage === stage);
  if (!found) throw new Error(`run ${record.runId} has no ${stage} stage`);
  return found;
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe("five services as separate processes over tcp", () => {
  it("run a digest whose figures match the repositories, byte-identical to the embedded run", async () => {
    const cluster = await startCluster("cluster");

    // Garbage on a stage's socket gets a typed error and the service keeps serving.
    const probe = new zmq.Request({ linger: 0, receiveTimeout: 2000 });
    probe.connect(`tcp://127.0.0.1:${cluster.ports.zmq.collector}`);
    await probe.send(Buffer.from("definitely not msgpack \xc1"));
    const [garbageReply] = await probe.receive();
    probe.close();
    expect(garbageReply!.toString("latin1")).toContain("SPARKY_MSG_UNDECODABLE");

    // `sparky events --follow` prints the stream while the run goes.
    const follower = runSparky(["events", "--follow", "--json"], { cwd: cluster.work, env: cluster.env });
    running.push(follower);
    await waitFor("events --follow to subscribe", async () => (follower.output().includes("following events") ? true : undefined));
    await new Promise((r) => setTimeout(r, 300)); // let the subscription reach the bus (slow joiner)

    const refused = await cluster.post("/runs", { period: "weekly", date: fixture.date }, "wrong");
    expect(refused.status).toBe(401);
    const response = await cluster.post("/runs", { period: "weekly", date: fixture.date });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ runId: fixture.runId });
    const record = await cluster.waitRun(fixture.runId, (s) => s === "succeeded" || s === "failed");
    expect(record.reason, `run failed: ${record.reason}`).toBeNull();
    expect(record.state).toBe("succeeded");

    const digest = readFileSync(join(cluster.work, "output", "weekly", "2026-W47.md"), "utf8");
    expect(digest).toMatch(/^commits: 6$/m);
    expect(digest).toMatch(/^merges: 1$/m);
    expect(digest).toMatch(/^contributors: 3$/m);
    expect(digest).toMatch(/^new_contributors: 2$/m);
    expect(digest).toMatch(/^repositories: 2$/m);
    expect(digest).toContain("Bob Builder");
    expect(digest).not.toMatch(/dependabot\[bot\].*\|\s*\d+\s*\|/); // bots are not in the contributor table
    const docsLog = execFileSync("git", ["-C", join(cluster.work, "output"), "log", "--format=%s"], { encoding: "utf8" }).trim();
    expect(docsLog).toBe("sparky: weekly digest 2026-W47");

    const followed = await waitFor("run.completed in events --follow", async () =>
      follower.output().includes('"type":"run.completed"') ? follower.output() : undefined,
    );
    for (const type of ["run.started", "collect.progress", "collect.completed", "analyze.completed", "generate.completed", "publish.completed"]) {
      expect(followed).toContain(`"type":"${type}"`);
    }
    follower.child.kill("SIGINT");
    expect(await follower.exited).toBe(0);

    const list = (await (await fetch(`${cluster.api}/runs`)).json()) as { runs: { runId: string; state: string }[] };
    expect(list.runs[0]).toMatchObject({ runId: fixture.runId, state: "succeeded" });
    const metrics = await (await fetch(`http://127.0.0.1:${cluster.ports.http.collector}/metrics`)).text();
    expect(metrics).toMatch(/sparky_messages_invalid_total\{code="SPARKY_MSG_UNDECODABLE",service="collector"\} 1/);
    expect(metrics).toMatch(/sparky_jobs_total\{stage="collect",outcome="succeeded",service="collector"\} 1/);

    // The same run embedded in one process writes the same bytes.
    const embeddedDir = join(root, "embedded");
    mkdirSync(embeddedDir);
    const embedded = await sparky(["digest", ...fixture.repos.flatMap((r) => ["--repo", r]), "--period", "weekly", "--date", fixture.date, "--json", "--quiet"], { cwd: embeddedDir });
    expect(embedded.code).toBe(0);
    expect(readFileSync(JSON.parse(embedded.stdout).digestPath, "utf8")).toBe(digest);

    // SIGTERM stops every service cleanly.
    for (const s of SERVICES) cluster.procs[s].child.kill("SIGTERM");
    const codes = await Promise.all(SERVICES.map((s) => cluster.procs[s].exited));
    expect(codes).toEqual([0, 0, 0, 0, 0]);
    expect(SERVICES.map((s) => cluster.procs[s].output()).join("")).not.toContain(TOKEN);
  });

  it("fail a run whose stage is frozen then killed, and complete it on resume with one docs commit", async () => {
    const cluster = await startCluster("faults");
    cluster.procs.analyzer.child.kill("SIGSTOP");
    const response = await cluster.post("/runs", { period: "weekly", date: fixture.date });
    expect(response.status).toBe(202);
    const failed = await cluster.waitRun(fixture.runId, (s) => s === "failed");
    expect(failed.reason, `unexpected reason: ${failed.reason}`).toMatch(/^analyze failed after 2 attempts: analyzer at tcp:\/\/127\.0\.0\.1:\d+ did not answer analyze/);
    expect(stageOf(failed, "analyze").attempts).toHaveLength(2);
    expect(stageOf(failed, "collect").state).toBe("succeeded");

    const status = await sparky(["status"], { cwd: cluster.work });
    expect(status.stdout).toContain(`${fixture.runId} failed: analyze failed after 2 attempts`);
    const tasks = await sparky(["tasks", "--status", "failed"], { cwd: cluster.work });
    expect(tasks.stdout).toContain(fixture.runId);

    cluster.procs.analyzer.child.kill("SIGKILL");
    await cluster.procs.analyzer.exited;
    await cluster.start("analyzer");
    const resumed = await cluster.post(`/runs/${fixture.runId}/resume`, {});
    expect(resumed.status).toBe(202);
    const done = await cluster.waitRun(fixture.runId, (s) => s === "succeeded");
    expect(stageOf(done, "collect").attempts).toHaveLength(1); // kept, not redone

    // Running the same run id again makes no second commit for the same content.
    await cluster.post("/runs", { period: "weekly", date: fixture.date });
    let last: RunRecord | undefined;
    await waitFor("second run to finish", async () => {
      last = (await (await fetch(`${cluster.api}/runs/${fixture.runId}`)).json()) as RunRecord;
      return last.state === "succeeded" && stageOf(last, "publish").result?.created === false ? last : undefined;
    }, 40_000).catch((error: Error) => {
      throw new Error(`${error.message}; last record: ${JSON.stringify(last)}`);
    });
    const count = execFileSync("git", ["-C", join(cluster.work, "output"), "rev-list", "--count", "HEAD"], { encoding: "utf8" }).trim();
    expect(count).toBe("1");
    expect(allFiles(cluster.work).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });
});
