// The five services as containers from the image, wired by docker-compose.yml itself, pushing
// through docker-compose.push.yml, with tests/containers/compose.override.yml leaving out
// Ollama and Grafana (their images cannot be pulled here), running Debian's Prometheus and
// an ssh git remote; over tcp on the compose network.
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunRecord } from "@sparky/messages";
import { buildWeekFixture } from "../support/git-fixture.js";
import { freePort, waitFor } from "../support/processes.js";
import { BUILD_TIMEOUT_MS, IMAGE, buildImages, containersUnavailable, docker } from "./docker.js";
import { checkPrometheus } from "./prometheus-checks.js";

const unavailable = containersUnavailable();
if (unavailable) console.log(`container tests skipped: ${unavailable}`);

const SERVICES = ["orchestrator", "collector", "analyzer", "generator", "publisher"] as const;
const TOKEN = `ct-${randomBytes(12).toString("hex")}`;
const project = `sparky-ct-${randomBytes(3).toString("hex")}`;
let root: string;
let fixture: ReturnType<typeof buildWeekFixture>;
let env: NodeJS.ProcessEnv;
let api: string;

const compose = (args: string[], options: { check?: boolean; timeoutMs?: number } = {}) =>
  docker(["compose", "--project-name", project, "--file", "docker-compose.yml", "--file", "docker-compose.push.yml", "--file", "tests/containers/compose.override.yml", ...args], {
    env,
    timeoutMs: options.timeoutMs ?? 300_000,
    check: options.check,
  });
const exec = async (service: string, command: string[]) => (await compose(["exec", "-T", service, ...command])).stdout;
const container = async (service: string) => (await compose(["ps", "--all", "--quiet", service])).stdout.trim();

async function post(path: string, body: unknown) {
  return fetch(`${api}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
}
async function getRun(runId: string): Promise<RunRecord | undefined> {
  const response = await fetch(`${api}/runs/${runId}`);
  return response.ok ? ((await response.json()) as RunRecord) : undefined;
}
async function waitRun(runId: string, done: (r: RunRecord) => boolean, timeoutMs = 180_000) {
  return waitFor(`run ${runId}`, async () => {
    const record = await getRun(runId);
    return record && done(record) ? record : undefined;
  }, timeoutMs);
}
const finished = (r: RunRecord) => r.state === "succeeded" || r.state === "failed";
const docsLog = async () => (await exec("publisher", ["git", "-C", "/output", "log", "--format=%s"])).trim().split("\n");
const commitsOf = (log: string[], subject: string) => log.filter((s) => s === subject).length;
const W47 = "sparky: weekly digest 2026-W47";
// The days the mounted repository (alpha, see buildWeekFixture) has commits on: catch-up looks
// back from the real date, and only these may get a daily digest; any other day is quiet.
const ACTIVE_DAYS = new Set(["2026-11-01", "2026-11-10", "2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-21", "2026-11-25"]);
const quietDigests = (log: string[]) =>
  log.filter((s) => s.startsWith("sparky: daily digest ") && !ACTIVE_DAYS.has(s.slice("sparky: daily digest ".length)));
const remoteHead = async () => (await exec("docs-remote", ["git", "--git-dir", "/srv/docs.git", "rev-parse", "main"])).trim();
const localHead = async () => (await exec("publisher", ["git", "-C", "/output", "rev-parse", "HEAD"])).trim();

/**
 * Keys as a user makes them for docker-compose.push.yml: the publisher's key (owned by
 * uid 10001, mode 0600, as the file's comments say), known_hosts naming the remote's host
 * key; and for the remote, its host key and the publisher's public key.
 */
function makeKeys(dir: string) {
  const keys = join(dir, "keys");
  const secrets = join(dir, "secrets");
  mkdirSync(keys);
  mkdirSync(secrets);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "sparky-test-host", "-f", join(keys, "host_key")]);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "sparky-test-publisher", "-f", join(secrets, "docs_ssh_key")]);
  writeFileSync(join(keys, "authorized_keys"), readFileSync(join(secrets, "docs_ssh_key.pub")));
  writeFileSync(join(secrets, "known_hosts"), `docs-remote ${readFileSync(join(keys, "host_key.pub"), "utf8")}`);
  chownSync(join(secrets, "docs_ssh_key"), 10001, 10001);
  chmodSync(join(secrets, "docs_ssh_key"), 0o600);
  chmodSync(join(secrets, "known_hosts"), 0o644);
  return { keys, key: join(secrets, "docs_ssh_key"), knownHosts: join(secrets, "known_hosts") };
}

describe.skipIf(unavailable)("docker compose: five containers, one digest, over tcp", () => {
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "sparky-compose-"));
    fixture = buildWeekFixture(join(root, "repos"));
    // The containers run as uid 10001: the repository mounted read-only must be readable.
    chmodSync(root, 0o755);
    const keys = makeKeys(root);
    const apiPort = await freePort();
    env = {
      SPARKY_DOCS_REPO_URL: "ssh://git@docs-remote/srv/docs.git",
      SPARKY_DOCS_SSH_KEY: keys.key,
      SPARKY_DOCS_KNOWN_HOSTS: keys.knownHosts,
      SPARKY_TEST_REMOTE_KEYS: keys.keys,
      SPARKY_IMAGE: IMAGE,
      SPARKY_REPO: fixture.repos[0],
      SPARKY_API_TOKEN: TOKEN,
      SPARKY_API_PORT: String(apiPort),
      PROMETHEUS_PORT: String(await freePort()),
      GRAFANA_ADMIN_PASSWORD: "unused-grafana-is-left-out",
    };
    api = `http://127.0.0.1:${apiPort}`;
    await buildImages();
    await compose(["up", "--detach", "--no-build", "--wait"], { timeoutMs: 600_000 });
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    if (env) await compose(["down", "--volumes", "--timeout", "5"], { check: false });
    if (root) rmSync(root, { recursive: true, force: true });
  }, 120_000);

  it("brings up the five services healthy, each from the one image, with Ollama and Grafana left out", async () => {
    const ps = JSON.parse(`[${(await compose(["ps", "--format", "json"])).stdout.trim().split("\n").join(",")}]`) as { Service: string; Image: string; Health: string }[];
    for (const service of SERVICES) {
      const entry = ps.find((p) => p.Service === service);
      expect(entry, service).toBeDefined();
      expect(entry!.Image).toBe(IMAGE);
      expect(entry!.Health).toBe("healthy");
    }
    expect(ps.map((p) => p.Service)).not.toContain("ollama");
    expect(ps.map((p) => p.Service)).not.toContain("grafana");
  });

  it("collects, analyzes, generates and commits a digest of the mounted repository, and `sparky status` shows it", async () => {
    const response = await post("/runs", { period: "weekly", date: fixture.date });
    expect(response.status).toBe(202);
    const record = await waitRun(fixture.runId, finished);
    expect(record.reason, `run failed: ${record.reason}`).toBeNull();
    expect(record.state).toBe("succeeded");

    // The alpha repository alone (see buildWeekFixture): 5 commits, 1 merge, 3 people.
    const digest = await exec("publisher", ["cat", "/output/weekly/2026-W47.md"]);
    expect(digest).toMatch(/^commits: 5$/m);
    expect(digest).toMatch(/^merges: 1$/m);
    expect(digest).toMatch(/^contributors: 3$/m);
    expect(digest).toMatch(/^repositories: 1$/m);
    expect(digest).toContain("Bob Builder");
    // The orchestrator also caught up on the recent days its schedules had not run (this
    // machine's last catch_up_days, quiet in the fixture): under the default empty_days =
    // "skip" each is a "sparky: quiet day <day>" commit of the index, never a daily digest.
    // This run's digest is committed once.
    const log = await docsLog();
    expect(commitsOf(log, W47)).toBe(1);
    expect(quietDigests(log)).toEqual([]);
    // Pushed with the key mounted as a compose secret.
    expect(await remoteHead()).toBe(await localHead());

    const status = await exec("orchestrator", ["sparky", "status"]);
    expect(status).toContain(fixture.runId);
    expect(status).toMatch(/succeeded/);
  }, 240_000);

  it("is scraped by the real Prometheus with the repository's config: every target up, the dashboard's queries answered, promtool clean", async () => {
    await checkPrometheus({ prometheusUrl: `http://127.0.0.1:${env.PROMETHEUS_PORT}`, compose, container, services: SERVICES });
  }, 240_000);

  it("keeps the run state and the docs repository across `docker compose down` and `up`", async () => {
    const before = await docsLog();
    await compose(["down", "--timeout", "20"]);
    await compose(["up", "--detach", "--no-build", "--wait"], { timeoutMs: 600_000 });
    const status = await exec("orchestrator", ["sparky", "status"]);
    expect(status).toContain(fixture.runId);
    const after = await docsLog();
    // Everything committed before is still there (a new day may have been caught up on top).
    expect(after.slice(after.length - before.length)).toEqual(before);
    expect(commitsOf(after, W47)).toBe(1);
    expect((await getRun(fixture.runId))?.state).toBe("succeeded");
  }, 660_000);

  it("completes a run whose publisher container was killed mid-run, with exactly one docs commit", async () => {
    const runId = "daily-2026-11-17";
    // Frozen first, so the kill lands while the run waits on it, not before or after.
    await docker(["pause", await container("publisher")]);
    expect((await post("/runs", { period: "daily", date: "2026-11-17" })).status).toBe(202);
    await waitRun(runId, (r) => (r.stages.find((s) => s.stage === "publish")?.attempts.length ?? 0) > 0);
    await docker(["kill", await container("publisher")]);
    await compose(["start", "publisher"]);
    await compose(["up", "--detach", "--no-build", "--wait", "publisher"], { timeoutMs: 300_000 });

    let record = await waitRun(runId, finished, 300_000);
    if (record.state === "failed") {
      expect((await post(`/runs/${runId}/resume`, {})).status).toBe(202);
      record = await waitRun(runId, (r) => r.state === "succeeded" || (r.state === "failed" && r.finishedAt !== record.finishedAt), 300_000);
    }
    expect(record.reason, `run failed: ${record.reason}`).toBeNull();
    expect(record.state).toBe("succeeded");
    const log = await docsLog();
    expect(commitsOf(log, "sparky: daily digest 2026-11-17")).toBe(1);
    expect(commitsOf(log, W47)).toBe(1);
    // The caught-up quiet days made no digest; each committed its index change once.
    expect(quietDigests(log)).toEqual([]);
    expect(new Set(log).size).toBe(log.length); // nothing committed twice
    expect(await remoteHead()).toBe(await localHead());
    const leftovers = await exec("publisher", ["sh", "-c", "find /data /output -name '*.tmp-*' -o -name 'index.lock' | grep -v '^/output/.git/objects' || true"]);
    expect(leftovers.trim()).toBe("");
  }, 660_000);

  it("never bakes a key into the image: the publisher reads it from the mounted secret only", async () => {
    const found = (await docker(["run", "--rm", "--entrypoint", "sh", IMAGE, "-c", "find /home/sparky/.ssh /run/secrets -mindepth 1 2>/dev/null; grep -rlE '^-----BEGIN [A-Z ]*PRIVATE KEY-----$' /app /home /etc/ssh 2>/dev/null || true"])).stdout;
    expect(found.trim()).toBe("");
  });

  it("never shows the API token in any container's logs", async () => {
    const logs = await compose(["logs", "--no-color"]);
    expect(logs.stdout.length).toBeGreaterThan(0);
    expect(`${logs.stdout}${logs.stderr}`).not.toContain(TOKEN);
  });
});
