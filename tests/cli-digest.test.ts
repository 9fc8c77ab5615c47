import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWeekFixture } from "./support/git-fixture.js";
import { sparky } from "./support/processes.js";

let root: string;
let fixture: ReturnType<typeof buildWeekFixture>;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "sparky-cli-"));
  fixture = buildWeekFixture(join(root, "repos"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const repoArgs = () => fixture.repos.flatMap((r) => ["--repo", r]);

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe("sparky digest (embedded, one process)", () => {
  it("writes, publishes and reports the weekly digest of known repositories", async () => {
    const work = join(root, "run1");
    mkdirSync(work);
    const result = await sparky(["digest", ...repoArgs(), "--period", "weekly", "--date", fixture.date, "--json"], { cwd: work });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      runId: fixture.runId,
      period: "weekly",
      date: fixture.date,
      window: { start: "2026-11-16T00:00:00.000Z", end: "2026-11-23T00:00:00.000Z" },
      commits: fixture.expected.commits,
      merges: fixture.expected.merges,
      contributors: fixture.expected.contributors,
      repositories: fixture.expected.repositories,
      digestPath: join(work, "output", "weekly", "2026-W47.md"),
    });
    expect(summary.published.commit).toMatch(/^[0-9a-f]{40}$/);
    const digest = readFileSync(summary.digestPath, "utf8");
    expect(digest).toMatch(/^commits: 6$/m);
    expect(digest).not.toContain("<script>");
    expect(digest).not.toContain("](https://evil.example");
    expect(digest).toContain("mermaid");
    // the docs repo (the output folder) holds it in exactly one commit
    const log = execFileSync("git", ["-C", join(work, "output"), "log", "--format=%s"], { encoding: "utf8" }).trim().split("\n");
    expect(log).toEqual(["sparky: weekly digest 2026-W47"]);
    expect(allFiles(work).filter((f) => f.includes(".tmp-"))).toEqual([]);

    // Re-running the same run id never makes a second commit for the same content.
    const again = await sparky(["digest", ...repoArgs(), "--period", "weekly", "--date", fixture.date, "--json"], { cwd: work });
    expect(again.code).toBe(0);
    const second = JSON.parse(again.stdout);
    expect(second.published).toMatchObject({ commit: summary.published.commit, created: false });
    expect(readFileSync(second.digestPath, "utf8")).toBe(digest);
    expect(execFileSync("git", ["-C", join(work, "output"), "rev-list", "--count", "HEAD"], { encoding: "utf8" }).trim()).toBe("1");

    // status and tasks read the state files with nothing running
    const status = await sparky(["status"], { cwd: work });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`${fixture.runId} succeeded`);
    const tasks = await sparky(["tasks", "--status", "succeeded", "--json"], { cwd: work });
    expect(JSON.parse(tasks.stdout)).toEqual([expect.objectContaining({ runId: fixture.runId, state: "succeeded" })]);
  });

  it("resolves --date latest to the newest commit's day", async () => {
    const work = join(root, "latest");
    mkdirSync(work);
    const result = await sparky(["digest", ...repoArgs(), "--date", "latest", "--json", "--quiet"], { cwd: work });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ runId: "daily-2026-11-25", commits: 1 });
  });

  const failures: [string, string[], RegExp, number][] = [
    ["a path that is not a git repository", ["--repo", "NOT_A_REPO", "--date", "2026-11-18"], /is not a git repository/, 1],
    ["a path that does not exist", ["--repo", "/definitely/missing", "--date", "2026-11-18"], /does not exist/, 1],
    ["a bad date", ["--date", "2026-02-30"], /invalid date "2026-02-30".*calendar/, 2],
    ["a bad period", ["--period", "hourly"], /--period must be daily, weekly or monthly/, 2],
    ["an unknown option", ["--colour"], /Unknown option '--colour'/, 2],
    ["an empty window", ["--date", "2026-10-01"], /no commits between .*try --date 2026-11-25/, 1],
  ];
  it.each(failures)("fails with one clear line for %s", async (_name, args, message, code) => {
    const work = join(root, `fail-${Math.random().toString(36).slice(2)}`);
    mkdirSync(join(work, "NOT_A_REPO"), { recursive: true });
    const hasRepo = args.includes("--repo");
    const result = await sparky(["digest", ...(hasRepo ? [] : repoArgs()), ...args, "--quiet"], { cwd: work });
    expect(result.code).toBe(code);
    const errors = result.stderr.split("\n").filter((l) => l.startsWith("sparky:") && !l.startsWith("sparky: warning"));
    expect(errors[0]).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("names the key, the value and the expectation for a config value of the wrong type", async () => {
    const work = join(root, "badconfig");
    mkdirSync(join(work, "config"), { recursive: true });
    writeFileSync(join(work, "config", "development.toml"), '[collector]\nhttp_port = "ninety"\n');
    const result = await sparky(["digest", ...repoArgs()], { cwd: work });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^sparky: config collector\.http_port in .*development\.toml = "ninety": .*number/);
    const fromEnv = await sparky(["digest", ...repoArgs()], { cwd: root, env: { SPARKY_ORCHESTRATOR_MAX_ATTEMPTS: "many" } });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toMatch(/orchestrator\.max_attempts \(from SPARKY_ORCHESTRATOR_MAX_ATTEMPTS\) = "many"/);
    // `status` reads only data_dir (it answers at node's start-up speed, issue 14), and names that key when it is wrong.
    const status = await sparky(["status"], { cwd: root, env: { SPARKY_DATA_DIR: "" } });
    expect(status.code).toBe(2);
    expect(status.stderr).toMatch(/config data_dir \(from SPARKY_DATA_DIR\) = "": expected a non-empty path/);
  });

  it("prints complete help", async () => {
    const help = await sparky(["--help"], { cwd: root });
    for (const command of ["digest", "resume", "serve", "status", "tasks", "events"]) expect(help.stdout).toContain(command);
    const digestHelp = await sparky(["digest", "--help"], { cwd: root });
    for (const flag of ["--repo", "--period", "--date", "--data-dir", "--output-dir", "--docs-repo", "--json"]) expect(digestHelp.stdout).toContain(flag);
  });
});
