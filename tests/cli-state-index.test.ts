import { spawn } from "node:child_process";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sparky, waitFor } from "./support/processes.js";

// `sparky status` and `sparky tasks` read data/state/runs-index.ndjson: these check that what
// they print is what the run files say, whatever happened to the index.
const ORCHESTRATOR = fileURLToPath(new URL("../packages/orchestrator/dist/index.js", import.meta.url));
const MESSAGES = fileURLToPath(new URL("../packages/messages/dist/index.js", import.meta.url));

/** A process that records one run after another through the state store, until killed. */
const WRITER = `
const { createStateStore } = await import(${JSON.stringify(ORCHESTRATOR)});
const { STAGES, periodFor } = await import(${JSON.stringify(MESSAGES)});
const store = createStateStore(process.argv[1]);
for (let i = 0; ; i++) {
  const day = new Date(Date.UTC(2020, 0, 1) + i * 86400000).toISOString().slice(0, 10);
  const spec = periodFor("daily", day);
  const at = day + "T06:00:00.000Z";
  await store.saveRun({
    schema: "sparky.run/1", runId: spec.runId, period: spec.period, key: spec.key, window: spec.window,
    timezone: spec.timezone, state: i % 5 ? "succeeded" : "failed", trigger: "backfill", repos: ["."], org: null,
    refresh: false, collection: null, allowEmpty: true, createdAt: at, updatedAt: at, finishedAt: at,
    reason: i % 5 ? null : "collect failed", stages: STAGES.map((stage) => ({ stage, state: "pending", startedAt: null, finishedAt: null, attempts: [], result: null })),
  });
}
`;

let dir: string;
let dataDir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "sparky-state-index-"));
  dataDir = join(dir, "data");
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const runIdsOnDisk = async () => (await readdir(join(dataDir, "state", "runs"))).filter((n) => /^daily-.*\.json$/.test(n)).map((n) => n.slice(0, -5));
const tasks = async () => {
  const out = await sparky(["tasks", "--json", "--limit", "100000", "--data-dir", dataDir], { cwd: dir });
  expect(out.stderr).toBe("");
  return (JSON.parse(out.stdout) as { runId: string; state: string }[]).map((r) => r.runId);
};

describe("sparky status and tasks over the run index", () => {
  it("a writer killed with kill -9 mid-way leaves state that status and tasks read right", async () => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", WRITER, dataDir], { stdio: "ignore" });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    await waitFor("40 run records", async () => ((await runIdsOnDisk().catch(() => [])).length >= 40 ? true : undefined), 60_000);
    child.kill("SIGKILL");
    await exited;

    // Newest first: run ids are dates here, and each run's updatedAt is its date.
    const onDisk = (await runIdsOnDisk()).sort().reverse();
    expect(await tasks()).toEqual(onDisk);
    // Whether the index was rebuilt or trusted, the second answer is the same.
    expect(await tasks()).toEqual(onDisk);
    const status = await sparky(["status", "--json", "--data-dir", dataDir], { cwd: dir });
    expect(JSON.parse(status.stdout).runs.map((r: { runId: string }) => r.runId)).toEqual(onDisk.slice(0, 10));
  });

  it("prints the same after the index is deleted, and sees a run file written behind its back", async () => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", WRITER, dataDir], { stdio: "ignore" });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    await waitFor("12 run records", async () => ((await runIdsOnDisk().catch(() => [])).length >= 12 ? true : undefined), 60_000);
    child.kill("SIGKILL");
    await exited;
    await writeFile(
      join(dataDir, "state", "status.json"),
      JSON.stringify({ schema: "sparky.status/1", updatedAt: "2026-11-22T00:00:00.000Z", orchestrator: null, running: [], pending: [], lastCheck: null, lastRun: null }),
    );
    const before = await sparky(["status", "--data-dir", dataDir], { cwd: dir });
    expect(before.stdout).toContain("Last run:");
    await rm(join(dataDir, "state", "runs-index.ndjson"));
    expect((await sparky(["status", "--data-dir", dataDir], { cwd: dir })).stdout).toBe(before.stdout);

    const newest = (await runIdsOnDisk()).sort().reverse();
    const copy = JSON.parse(await readFile(join(dataDir, "state", "runs", `${newest[0]}.json`), "utf8"));
    await writeFile(join(dataDir, "state", "runs", "daily-2030-01-01.json"), JSON.stringify({ ...copy, runId: "daily-2030-01-01", key: "2030-01-01", updatedAt: "2030-01-02T06:00:00.000Z" }));
    expect((await tasks())[0]).toBe("daily-2030-01-01");
  });

  it("a bad status file is still named, with what is wrong", async () => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", WRITER, dataDir], { stdio: "ignore" });
    await waitFor("a run record", async () => ((await runIdsOnDisk().catch(() => [])).length >= 1 ? true : undefined), 60_000);
    child.kill("SIGKILL");
    await writeFile(join(dataDir, "state", "status.json"), JSON.stringify({ schema: "sparky.status/1", updatedAt: "yesterday" }));
    const out = await sparky(["status", "--data-dir", dataDir], { cwd: dir });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`status file ${join(dataDir, "state", "status.json")} does not match its schema`);
  });

  it("an empty status file (a power cut after an unflushed rewrite) reads as not written yet, and runs still list", async () => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", WRITER, dataDir], { stdio: "ignore" });
    await waitFor("a run record", async () => ((await runIdsOnDisk().catch(() => [])).length >= 1 ? true : undefined), 60_000);
    child.kill("SIGKILL");
    await writeFile(join(dataDir, "state", "status.json"), "");
    const out = await sparky(["status", "--json", "--data-dir", dataDir], { cwd: dir });
    expect(out.code).toBe(0);
    const parsed = JSON.parse(out.stdout);
    expect(parsed.status).toBeNull();
    expect(parsed.runs.length).toBeGreaterThan(0);
  });

  it("commands loaded on demand still answer: help, a command's help, an unknown command", async () => {
    const help = await sparky(["--help"], { cwd: dir });
    expect(help.stdout).toContain("Usage: sparky <command>");
    for (const command of ["digest", "backfill", "resume", "serve", "status", "tasks", "events"]) {
      const topic = await sparky(["help", command], { cwd: dir });
      expect(topic.code).toBe(0);
      expect(topic.stdout).toContain(`Usage: sparky ${command}`);
    }
    const unknown = await sparky(["nope"], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "nope"');
    const empty = await sparky(["status", "--data-dir", dataDir], { cwd: dir });
    expect(empty.stdout).toContain(`No orchestrator state in ${join(dataDir, "state")} yet`);
  });
});
