import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWeekFixture } from "./support/git-fixture.js";
import { runSparky, sparky, waitFor } from "./support/processes.js";

let root: string;
let fixture: ReturnType<typeof buildWeekFixture>;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "sparky-backfill-"));
  fixture = buildWeekFixture(join(root, "repos"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const repoArgs = () => fixture.repos.flatMap((r) => ["--repo", r]);
const week = ["16", "17", "18", "19", "20", "21", "22"].map((d) => `daily-2026-11-${d}`);
// Sunday 2026-11-22 has no activity: by default ([generator] empty_days = "skip") it gets no
// digest, only a commit of the index that lists it as quiet.
const subjects = week.map((id) => (id === "daily-2026-11-22" ? "sparky: quiet day 2026-11-22" : `sparky: daily digest ${id.slice(6)}`));

describe("sparky backfill (embedded)", () => {
  it("documents itself", async () => {
    const result = await sparky(["backfill", "--help"], { cwd: root });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: sparky backfill --from DATE/);
    expect(result.stdout).toContain("--period P");
    expect(result.stdout).toContain("Exit status");
    expect((await sparky(["help", "backfill"], { cwd: root })).stdout).toBe(result.stdout);
    expect((await sparky(["--help"], { cwd: root })).stdout).toMatch(/^ {2}backfill /m);
  });

  it("refuses bad arguments with exit 2 and what to type", async () => {
    const missing = await sparky(["backfill", "--period", "daily"], { cwd: root });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--from DATE is required/);
    const reversed = await sparky(["backfill", "--from", "2026-11-20", "--to", "2026-11-10", ...repoArgs()], { cwd: root });
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toMatch(/first date is after the last; swap them/);
    const period = await sparky(["backfill", "--period", "hourly", "--from", "2026-11-20"], { cwd: root });
    expect(period.code).toBe(2);
  });

  it("makes every day's digest once, shows progress, and skips them all when asked again", async () => {
    const work = join(root, "week");
    mkdirSync(work);
    const args = ["backfill", "--period", "daily", "--from", "2026-11-16", "--to", "2026-11-22", ...repoArgs()];
    const result = await sparky(args, { cwd: work });
    expect(result.code).toBe(0);
    // Not a terminal: one plain line as each period starts, with done/total, failures, current period, ETA.
    const lines = result.stderr.split("\n").filter((l) => l.startsWith("sparky backfill: "));
    expect(lines).toHaveLength(7);
    expect(lines[0]).toBe("sparky backfill: 0/7 done, 0 failed, now daily-2026-11-16, ETA estimating");
    expect(lines[6]).toMatch(/^sparky backfill: 6\/7 done, 0 failed, now daily-2026-11-22, ETA \d+s$/);
    expect(result.stderr).not.toContain("\x1b[");
    expect(result.stdout).toMatch(/^Backfill daily 2026-11-16 to 2026-11-22: 7 periods, 7 succeeded, 0 already succeeded before, 0 failed$/m);
    const log = execFileSync("git", ["-C", join(work, "output"), "log", "--reverse", "--format=%s"], { encoding: "utf8" }).trim().split("\n");
    expect(log).toEqual(subjects);
    expect(readdirSync(join(work, "output", "daily")).sort()).toEqual(week.filter((id) => id !== "daily-2026-11-22").map((id) => `${id.slice(6)}.md`));
    const run = JSON.parse(readFileSync(join(work, "data", "state", "runs", "daily-2026-11-18.json"), "utf8"));
    expect(run).toMatchObject({ state: "succeeded", trigger: "backfill" });

    const again = await sparky([...args, "--json"], { cwd: work });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ id: "daily-2026-11-16--2026-11-22", state: "finished", succeeded: 0, skipped: 7, failed: [] });
    expect(execFileSync("git", ["-C", join(work, "output"), "rev-list", "--count", "HEAD"], { encoding: "utf8" }).trim()).toBe("7");
  });

  it("goes on past failed periods, lists them and prints the command that retries them", async () => {
    const work = join(root, "failing");
    mkdirSync(work);
    const result = await sparky(["backfill", "--from", "2026-11-17", "--to", "2026-11-18", "--repo", join(root, "no such repo")], { cwd: work });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/2 periods, 0 succeeded, 0 already succeeded before, 2 failed/);
    expect(result.stdout).toMatch(/^ {2}daily-2026-11-17: collect failed/m);
    expect(result.stdout).toMatch(/^ {2}daily-2026-11-18: collect failed/m);
    expect(result.stdout).toContain(`Retry the failures (periods that succeeded are skipped): sparky backfill --from 2026-11-17 --to 2026-11-18 --repo '${join(root, "no such repo")}'`);
    expect(result.stdout).toContain("sparky resume daily-2026-11-17; sparky resume daily-2026-11-18");
  });

  it("stops on Ctrl-C saying how to carry on, and the same command finishes what is left", async () => {
    const work = join(root, "interrupted");
    mkdirSync(work);
    const args = ["backfill", "--from", "2026-11-16", "--to", "2026-11-22", ...repoArgs()];
    const proc = runSparky(args, { cwd: work });
    await waitFor("two periods done", async () => (/2\/7 done/.test(proc.output()) ? true : undefined), 60_000);
    proc.child.kill("SIGINT");
    expect(await proc.exited).toBe(130);
    expect(proc.output()).toMatch(/backfill interrupted by SIGINT during daily-2026-11-1\d; carry on with: sparky backfill --from 2026-11-16/);

    const rest = await sparky([...args, "--json", "--quiet"], { cwd: work });
    expect(rest.code).toBe(0);
    const record = JSON.parse(rest.stdout);
    expect(record.skipped).toBeGreaterThanOrEqual(2);
    expect(record).toMatchObject({ state: "finished", failed: [] });
    expect(record.skipped + record.succeeded).toBe(7);
    // Every day committed exactly once across the two invocations.
    const log = execFileSync("git", ["-C", join(work, "output"), "log", "--reverse", "--format=%s"], { encoding: "utf8" }).trim().split("\n");
    expect([...log].sort()).toEqual(subjects.slice().sort());
  });
});
