// A full disk and a read-only docs folder, with the five services as separate processes:
// clear errors, nothing lost, and the run completes once the disk is writable again. Needs
// root (mount); skipped elsewhere.
import { execFileSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWeekFixture } from "./support/git-fixture.js";
import { startCluster } from "./support/cluster.js";
import type { Cluster } from "./support/cluster.js";
import { waitFor } from "./support/processes.js";

function canMount(): boolean {
  if (process.getuid?.() !== 0) return false;
  const probe = mkdtempSync(join(tmpdir(), "sparky-mount-probe-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe], { stdio: "ignore" });
    execFileSync("umount", [probe], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

const mounted: string[] = [];
const mount = (...args: string[]) => {
  execFileSync("mount", args, { stdio: "pipe" });
  mounted.push(args[args.length - 1]!);
};
const umount = (dir: string) => {
  execFileSync("umount", ["-l", dir], { stdio: "ignore" });
  mounted.splice(mounted.indexOf(dir), 1);
};

/** Fill the file system of `dir` up to the last byte. */
function fill(dir: string): string {
  const path = join(dir, "filler.bin");
  const fd = openSync(path, "w");
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (let size = chunk.length; size >= 1; ) {
      try {
        writeSync(fd, chunk, 0, size);
      } catch {
        size = Math.floor(size / 2);
      }
    }
  } finally {
    closeSync(fd);
  }
  return path;
}

const temps = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && /\.tmp-/.test(e.name)).map((e) => e.name);

let root: string;
let cluster: Cluster;
let fixture: ReturnType<typeof buildWeekFixture>;
const enabled = canMount();

beforeAll(async () => {
  if (!enabled) return;
  root = mkdtempSync(join(tmpdir(), "sparky-disk-"));
  fixture = buildWeekFixture(join(root, "repos"));
  const work = join(root, "work");
  mkdirSync(join(work, "data"), { recursive: true });
  // The data folder on a small file system of its own, so it can be filled.
  mount("-t", "tmpfs", "-o", "size=4m", "tmpfs", join(work, "data"));
  cluster = await startCluster({ work, repos: fixture.repos, token: "disk-token", env: { SPARKY_PUBLISHER_GIT_REPO: "./docs" } });
}, 120_000);

afterAll(async () => {
  if (!enabled) return;
  await cluster?.killAll();
  for (const dir of [...mounted].reverse()) umount(dir);
  rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!enabled)("full disk and read-only docs folder", () => {
  it("a full data disk refuses the run with 503 and a reason, keeps nothing half-written, and runs once there is space", async () => {
    const filler = fill(cluster.dataDir);
    const refused = await cluster.post("/runs", { period: "weekly", date: fixture.date });
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ code: "SPARKY_STATE_UNWRITABLE", error: expect.stringMatching(/no space left on device.*free space/i) });
    // A write in flight when the disk filled (status.json) removes its own temp file as it fails.
    await waitFor("failed writes to clean up after themselves", async () => (temps(cluster.dataDir).length === 0 ? true : undefined), 10_000);
    rmSync(filler);
    expect((await cluster.post("/runs", { period: "weekly", date: fixture.date })).status).toBe(202);
    const record = await cluster.waitRun(fixture.runId, (r) => r.state === "succeeded" || r.state === "failed");
    expect(record.reason).toBeNull();
  });

  it("a read-only docs folder fails publish with a reason naming it; after it is writable, resume publishes once", async () => {
    const docs = join(cluster.work, "docs");
    mkdirSync(docs, { recursive: true });
    mount("--bind", docs, docs);
    execFileSync("mount", ["-o", "remount,bind,ro", docs]);
    expect((await cluster.post("/runs", { period: "daily", date: "2026-11-17" })).status).toBe(202);
    const failed = await cluster.waitRun("daily-2026-11-17", (r) => r.state === "failed" || r.state === "succeeded");
    expect(failed.state).toBe("failed");
    expect(failed.reason).toMatch(/^publish failed[\s\S]*read-only file system/i);
    umount(docs);
    expect((await cluster.post("/runs/daily-2026-11-17/resume", {})).status).toBe(202);
    const done = await cluster.waitRun("daily-2026-11-17", (r) => r.state === "succeeded" || (r.state === "failed" && r.updatedAt !== failed.updatedAt));
    expect(done.state, done.reason ?? "").toBe("succeeded");
    const log = execFileSync("git", ["-C", docs, "log", "--format=%s"], { encoding: "utf8" }).trim().split("\n");
    expect(log.filter((subject) => subject === "sparky: daily digest 2026-11-17")).toHaveLength(1);
    expect(existsSync(join(docs, "daily", "2026-11-17.md"))).toBe(true);
    expect(temps(docs)).toEqual([]);
  });
});
