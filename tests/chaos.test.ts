// Chaos: SIGKILL each service (and the publisher with its git child) at random moments of
// its stage, over many runs, from a fixed seed; every run must still complete after restart
// and resume with the right figures and one docs commit, leaving no temp file or git lock
// and nothing outside the data and docs folders. CHAOS_TRIALS scales it (default: small, for
// CI); CHAOS_SEED picks another sequence.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunRecord, Stage } from "@sparky/messages";
import { startCluster } from "./support/cluster.js";
import type { Cluster, Service } from "./support/cluster.js";

const TRIALS = Number(process.env.CHAOS_TRIALS ?? 3);
const SEED = Number(process.env.CHAOS_SEED ?? 20261203);
const TOKEN = "chaos-token-value";

/** mulberry32: the same kills at the same moments on every run with one seed. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const LAST_DAY = Date.UTC(2026, 10, 30);
const dayOf = (trial: number) => new Date(LAST_DAY - trial * DAY).toISOString().slice(0, 10);
const commitsOn = (trial: number) => 1 + (trial % 3);

/** One repository with `commitsOn(i)` commits on day i back from 2026-11-30, built by one `git fast-import`. */
function buildRepo(dir: string, days: number): void {
  mkdirSync(dir, { recursive: true });
  const git = (args: string[], input?: string) =>
    execFileSync("git", args, { cwd: dir, input, env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", HOME: dir }, stdio: ["pipe", "pipe", "pipe"] });
  git(["init", "-q", "-b", "main"]);
  const lines: string[] = [];
  let mark = 0;
  const people = ["Ada <ada@example.com>", "Grace <grace@example.com>", "Linus <linus@example.com>"];
  for (let trial = days - 1; trial >= 0; trial--) {
    for (let c = 0; c < commitsOn(trial); c++) {
      mark++;
      const when = Math.floor((LAST_DAY - trial * DAY) / 1000) + 3600 * (c + 1);
      const who = people[(trial + c) % people.length];
      const message = `work ${trial}.${c}\n`;
      const content = `${trial}.${c}\n`;
      lines.push(
        "commit refs/heads/main",
        `mark :${mark}`,
        `author ${who} ${when} +0000`,
        `committer ${who} ${when} +0000`,
        `data ${Buffer.byteLength(message)}`,
        message.trimEnd(),
        ...(mark > 1 ? [`from :${mark - 1}`] : []),
        `M 644 inline f${mark % 50}.txt`,
        `data ${Buffer.byteLength(content)}`,
        content.trimEnd(),
        "",
      );
    }
  }
  git(["fast-import", "--quiet"], `${lines.join("\n")}\n`);
  git(["reset", "--hard", "-q"]);
}

/** Every file under `dir`, relative, skipping `.git` internals except locks. */
function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

const GIT_LOCK = /(^|\/)\.git\/(index|HEAD|packed-refs|refs\/heads\/[^/]+|next-index-\d+)\.lock$|sparky-publish\.lock/;
const TEMP = /\.tmp-[^/]*$/;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Temp files whose writer is dead: what a kill left and nobody cleaned up. */
function orphanTemps(files: string[]): string[] {
  return files.filter((f) => {
    const match = /\.tmp-[0-9a-f]{8}-(\d+)-/.exec(f);
    return TEMP.test(f) && (!match || !pidAlive(Number(match[1])));
  });
}

let root: string;
let repo: string;
let cluster: Cluster;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "sparky-chaos-"));
  repo = join(root, "repos", "chaos");
  buildRepo(repo, TRIALS);
  cluster = await startCluster({
    work: join(root, "work"),
    repos: [repo],
    token: TOKEN,
    env: { SPARKY_PUBLISHER_GIT_REPO: "./docs" },
  });
}, 120_000);

afterAll(async () => {
  await cluster?.killAll();
  rmSync(root, { recursive: true, force: true });
});

const STAGE_OF: Record<Exclude<Service, "orchestrator">, Stage> = {
  collector: "collect",
  analyzer: "analyze",
  generator: "generate",
  publisher: "publish",
};
type Victim = Service | "publisher+git";
const VICTIMS: Victim[] = ["orchestrator", "collector", "analyzer", "generator", "publisher", "publisher+git"];

/** Resume until the run succeeds; a run may fail several times while services restart. */
async function drive(runId: string): Promise<{ record: RunRecord; resumes: number }> {
  let resumes = 0;
  for (;;) {
    const record = await cluster.waitRun(runId, (r) => r.state === "succeeded" || r.state === "failed");
    if (record.state === "succeeded") return { record, resumes };
    if (++resumes > 10) throw new Error(`run ${runId} still fails after 10 resumes: ${record.reason}`);
    const response = await cluster.post(`/runs/${runId}/resume`, {});
    if (response.status !== 202) throw new Error(`resume of ${runId} answered ${response.status}: ${await response.text()}`);
    // Wait for the resumed run to leave "failed" before waiting for its end.
    await cluster.waitRun(runId, (r) => r.state !== "failed" || r.updatedAt !== record.updatedAt, 15_000).catch(() => undefined);
  }
}

describe(`chaos: ${TRIALS} runs, each with a service killed mid-stage (seed ${SEED})`, () => {
  it("every run completes after restart and resume, with right figures, one docs commit, nothing left behind", async () => {
    const random = prng(SEED);
    const counts = { kills: {} as Record<string, number>, resumes: 0, failedBeforeResume: 0, missedStage: 0 };
    const before = listFiles(root).filter((f) => !f.startsWith("work/")).sort();
    const docs = join(cluster.work, "docs");

    for (let trial = 0; trial < TRIALS; trial++) {
      const victim = VICTIMS[Math.floor(random() * VICTIMS.length)]!;
      const service: Service = victim === "publisher+git" ? "publisher" : victim;
      const stage: Stage = service === "orchestrator" ? (["collect", "analyze", "generate", "publish"] as const)[Math.floor(random() * 4)]! : STAGE_OF[service];
      const delayMs = Math.floor(random() * 250);
      const date = dayOf(trial);
      const runId = `daily-${date}`;
      counts.kills[victim] = (counts.kills[victim] ?? 0) + 1;

      const response = await cluster.post("/runs", { period: "daily", date });
      expect(response.status, await response.clone().text()).toBe(202);
      // The moment: once the chosen stage is running, plus a random few milliseconds.
      const reached = await cluster
        .waitRun(runId, (r) => r.stages.some((s) => s.stage === stage && s.state !== "pending") || r.state !== "running" && r.state !== "pending", 30_000)
        .catch(() => null);
      if (!reached || reached.stages.find((s) => s.stage === stage)?.state !== "running") counts.missedStage++;
      await new Promise((r) => setTimeout(r, delayMs));
      await cluster.kill(service, victim !== "publisher");
      await cluster.start(service);

      const { record, resumes } = await drive(runId);
      counts.resumes += resumes;
      if (resumes > 0) counts.failedBeforeResume++;
      expect(record.state).toBe("succeeded");

      // The figures are right.
      const digest = readFileSync(join(cluster.work, "output", "daily", `${date}.md`), "utf8");
      expect(digest, `${runId} after killing ${victim}`).toMatch(new RegExp(`^commits: ${commitsOn(trial)}$`, "m"));
      // Exactly one docs commit for this digest, and the committed bytes are the digest's.
      const commits = execFileSync("git", ["-C", docs, "log", "--format=%H", "--", `daily/${date}.md`], { encoding: "utf8" }).trim().split("\n");
      expect(commits, `${runId} after killing ${victim}`).toHaveLength(1);
      expect(execFileSync("git", ["-C", docs, "show", `HEAD:daily/${date}.md`], { encoding: "utf8" })).toBe(digest);
      // No temp file of a dead writer and no git lock anywhere.
      const files = listFiles(root);
      expect(orphanTemps(files), `${runId} after killing ${victim}`).toEqual([]);
      expect(files.filter((f) => GIT_LOCK.test(f) && !f.endsWith("sparky-publish.lock")), `${runId} after killing ${victim}`).toEqual([]);
      // Nothing written outside the data, output and docs folders.
      expect(readdirSync(cluster.work).sort().filter((n) => !["data", "docs", "output"].includes(n))).toEqual([]);
      expect(listFiles(root).filter((f) => !f.startsWith("work/")).sort()).toEqual(before);
    }

    // Stopped cleanly, nothing of anyone's is left half-written or locked.
    await cluster.stopAll();
    const files = listFiles(root);
    expect(files.filter((f) => TEMP.test(f))).toEqual([]);
    expect(files.filter((f) => GIT_LOCK.test(f))).toEqual([]);
    expect(execFileSync("git", ["-C", docs, "status", "--porcelain"], { encoding: "utf8" })).toBe("");
    expect(execFileSync("git", ["-C", repo, "status", "--porcelain"], { encoding: "utf8" })).toBe("");
    const docsCommits = Number(execFileSync("git", ["-C", docs, "rev-list", "--count", "HEAD"], { encoding: "utf8" }).trim());
    expect(docsCommits).toBe(TRIALS);

    const logs = cluster.history.map((p) => p.output()).join("");
    const tempRemoved = logs.split("removed a temporary file left by an interrupted write").length - 1;
    const locksRemoved = logs.split("removed a stale git lock").length - 1;
    const fenced = logs.split("SPARKY_FENCED").length - 1;
    console.log(
      `chaos: seed ${SEED}, ${TRIALS} runs, kills ${JSON.stringify(counts.kills)}; ` +
        `${TRIALS} succeeded, ${counts.failedBeforeResume} needed resume (${counts.resumes} resumes), ` +
        `stage not reached before kill ${counts.missedStage}; docs commits ${docsCommits}; ` +
        `orphaned temp files removed ${tempRemoved}, stale git locks removed ${locksRemoved}, fenced writes ${fenced}`,
    );
    // A ceiling that grows with the trials on a loaded machine, not a timing assertion.
  }, 60_000 + TRIALS * 30_000);
});
