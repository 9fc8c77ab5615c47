// Quiet days end to end: `sparky digest` over a day without activity, and the catch-up of a
// served Sparky over recent quiet days, with the real services, git and the docs repository.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "@sparky/messages";
import type { RunRecord } from "@sparky/messages";
import { buildWeekFixture } from "./support/git-fixture.js";
import { freePort, killAll, runSparky, sparky, waitFor, waitReady } from "./support/processes.js";
import type { Proc } from "./support/processes.js";

let root: string;
let fixture: ReturnType<typeof buildWeekFixture>;
const running: Proc[] = [];
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "sparky-quiet-"));
  fixture = buildWeekFixture(join(root, "repos"));
});
afterEach(() => killAll(running));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const QUIET = "2026-11-22"; // a Sunday: neither fixture repository has a commit that day
const repoArgs = () => fixture.repos.flatMap((r) => ["--repo", r]);
const docsLog = (dir: string) => execFileSync("git", ["-C", dir, "log", "--format=%s"], { encoding: "utf8" }).trim().split("\n");
const generateResult = (record: RunRecord) => record.stages.find((s) => s.stage === "generate")?.result as { skipped?: string } | null;

function workDir(name: string, config = ""): string {
  const work = join(root, name);
  mkdirSync(join(work, "config"), { recursive: true });
  writeFileSync(join(work, "config", "development.toml"), config);
  return work;
}

describe("a quiet day", () => {
  it("gets no digest by default: the run succeeds saying why, the index lists the day and is committed once", async () => {
    const work = workDir("skip");
    const result = await sparky(["digest", ...repoArgs(), "--period", "daily", "--date", QUIET, "--allow-empty", "--json"], { cwd: work });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ state: "succeeded", commits: 0, skipped: "quiet day", digestPath: null });
    expect(summary.published.reason).toBe("quiet day, no digest: committed the index");

    const output = join(work, "output");
    expect(existsSync(join(output, "daily", `${QUIET}.md`))).toBe(false);
    expect(readFileSync(join(output, "index.md"), "utf8")).toContain(`| ${QUIET} (quiet day, no digest) |`);
    expect(JSON.parse(readFileSync(join(output, "quiet-days.json"), "utf8")).days).toEqual([{ key: QUIET, runId: `daily-${QUIET}`, repositories: 2 }]);
    expect(docsLog(output)).toEqual([`sparky: quiet day ${QUIET}`]);
    const record = JSON.parse(readFileSync(join(work, "data", "state", "runs", `daily-${QUIET}.json`), "utf8")) as RunRecord;
    expect(generateResult(record)?.skipped).toBe("quiet day");

    // The same day again, read by a person: said plainly, nothing new committed.
    const again = await sparky(["digest", ...repoArgs(), "--period", "daily", "--date", QUIET, "--allow-empty"], { cwd: work });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('No digest: quiet day, no activity in 2 repositories ([generator] empty_days = "skip"; the index lists the day)');
    expect(again.stdout).toMatch(/Published: .*quiet day, no digest: index unchanged since [0-9a-f]{7}/);
    expect(docsLog(output)).toHaveLength(1);
    const status = await sparky(["status"], { cwd: work });
    expect(status.stdout).toContain(`daily-${QUIET}: quiet day: no activity, no digest written`);
  });

  it('gets a one-paragraph note with empty_days = "note", and the full digest with "digest"', async () => {
    const note = workDir("note", '[generator]\nempty_days = "note"\n');
    const result = await sparky(["digest", ...repoArgs(), "--period", "daily", "--date", QUIET, "--allow-empty", "--json"], { cwd: note });
    expect(result.code, result.stderr).toBe(0);
    const text = readFileSync(join(note, "output", "daily", `${QUIET}.md`), "utf8");
    expect(text).toContain(`\n# Daily digest: ${QUIET}\n\nNo activity on ${QUIET} in 2 repositories.\n`);
    expect(docsLog(join(note, "output"))).toEqual([`sparky: daily digest ${QUIET}`]);

    const full = workDir("full");
    const all = await sparky(["digest", ...repoArgs(), "--period", "daily", "--date", QUIET, "--allow-empty", "--json"], {
      cwd: full,
      env: { SPARKY_GENERATOR_EMPTY_DAYS: "digest" },
    });
    expect(all.code, all.stderr).toBe(0);
    expect(readFileSync(join(full, "output", "daily", `${QUIET}.md`), "utf8")).toContain("## Figures");
  });
});

describe("catch-up over quiet days (sparky serve all)", () => {
  // The fixture's commits are all before 2026-11-26, so the last days before today are quiet.
  const today = new Date().toISOString().slice(0, 10);
  const days = [addDays(today, -2), addDays(today, -1)];

  it.skipIf(days[0]! < "2026-11-26")("runs each missed day once, commits no digest, and counts them as succeeded dailies for the alert", async () => {
    const never = "0 0 29 2 1"; // weekly and monthly schedules that never come due in the look-back
    const work = workDir("catch-up");
    const port = await freePort();
    const proc = runSparky(["serve", "all"], {
      cwd: work,
      env: {
        SPARKY_LOG_LEVEL: "info",
        SPARKY_ORCHESTRATOR_HTTP_PORT: String(port),
        SPARKY_ORCHESTRATOR_CATCH_UP_DAYS: "2",
        // Midnight: yesterday is due whatever the hour the test runs.
        SPARKY_ORCHESTRATOR_SCHEDULE_DAILY: "0 0 * * *",
        SPARKY_ORCHESTRATOR_SCHEDULE_WEEKLY: never,
        SPARKY_ORCHESTRATOR_SCHEDULE_MONTHLY: never,
        SPARKY_COLLECTOR_REPOS: JSON.stringify(fixture.repos),
      },
    });
    running.push(proc);
    await waitReady(port).catch((error) => {
      throw new Error(`serve all did not become ready: ${error.message}\n${proc.output()}`);
    });
    const api = `http://127.0.0.1:${port}`;
    const records = await waitFor(
      "the caught-up days",
      async () => {
        const found = await Promise.all(days.map(async (day) => {
          const response = await fetch(`${api}/runs/daily-${day}`);
          return response.ok ? ((await response.json()) as RunRecord) : null;
        }));
        return found.every((r) => r && (r.state === "succeeded" || r.state === "failed")) ? (found as RunRecord[]) : undefined;
      },
      120_000,
    );
    for (const record of records) {
      expect(record.reason, `${record.runId} failed: ${record.reason}\n${proc.output()}`).toBeNull();
      expect(record).toMatchObject({ state: "succeeded", trigger: "catch-up" });
      expect(generateResult(record)?.skipped).toBe("quiet day");
    }
    const output = join(work, "output");
    expect(existsSync(join(output, "daily")) ? readdirSync(join(output, "daily")) : []).toEqual([]);
    // One commit per day for the index that lists it, none of them a digest.
    expect(docsLog(output).sort()).toEqual(days.map((d) => `sparky: quiet day ${d}`).sort());
    // The "digest missing" alert reads this: a quiet day is a daily success.
    const metrics = await (await fetch(`${api}/metrics`)).text();
    expect(metrics).toMatch(/^sparky_last_success_timestamp_seconds\{period="daily"[^}]*\} \d+/m);
    expect(metrics).toMatch(/^sparky_runs_total\{period="daily",outcome="succeeded"[^}]*\} 2$/m);

    proc.child.kill("SIGTERM");
    expect(await proc.exited, proc.output()).toBe(0);
  }, 180_000);
});
