// `sparky serve all`: the five services in one process over inproc://, long-running, with the
// runs API, notifications and the probes on the orchestrator's port; SIGTERM stops it with 0.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunRecord } from "@sparky/messages";
import { verifySignature } from "@sparky/notify";
import { startReceiver } from "../packages/notify/src/test-receiver.js";
import { buildWeekFixture } from "./support/git-fixture.js";
import { freePort, killAll, runSparky, sparky, waitFor, waitReady } from "./support/processes.js";
import type { Proc } from "./support/processes.js";

const TOKEN = "serve-all-token-value";
const SECRET = "serve-all-signing-key";

let root: string;
let fixture: ReturnType<typeof buildWeekFixture>;
const running: Proc[] = [];
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "sparky-serve-all-"));
  fixture = buildWeekFixture(join(root, "repos"));
});
afterEach(() => killAll(running));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("sparky serve all", () => {
  it("says what it does in --help", async () => {
    const help = await sparky(["serve", "--help"], { cwd: root });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/<orchestrator\|collector\|analyzer\|generator\|publisher\|all>/);
    expect(help.stdout).toMatch(/sparky serve all.*five services in one process/s);
  });

  it("runs a digest posted to its API, announces it, serves the probes and stops on SIGTERM with 0", async () => {
    const hook = await startReceiver();
    try {
      const work = join(root, "work");
      mkdirSync(join(work, "config"), { recursive: true });
      writeFileSync(
        join(work, "config", "development.toml"),
        `[notify]\nbackoff_ms = 20\nretries = 1\n\n[[notify.targets]]\nname = "ops"\nkind = "webhook"\nurl_env = "OPS_HOOK"\nsecret_env = "OPS_KEY"\n`,
      );
      const port = await freePort();
      const proc = runSparky(["serve", "all"], {
        cwd: work,
        env: {
          SPARKY_LOG_LEVEL: "info",
          SPARKY_API_TOKEN: TOKEN,
          SPARKY_ORCHESTRATOR_HTTP_PORT: String(port),
          SPARKY_ORCHESTRATOR_SCHEDULES_ENABLED: "false",
          SPARKY_COLLECTOR_REPOS: JSON.stringify(fixture.repos),
          OPS_HOOK: hook.url,
          OPS_KEY: SECRET,
        },
      });
      running.push(proc);
      await waitReady(port).catch((error) => {
        throw new Error(`serve all did not become ready: ${error.message}\n${proc.output()}`);
      });
      const api = `http://127.0.0.1:${port}`;
      expect(await (await fetch(`${api}/health`)).json()).toMatchObject({ status: "ok", service: "orchestrator" });

      const refused = await fetch(`${api}/runs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ period: "weekly", date: fixture.date }) });
      expect(refused.status).toBe(401);
      const accepted = await fetch(`${api}/runs`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ period: "weekly", date: fixture.date }),
      });
      expect(accepted.status).toBe(202);
      expect(await accepted.json()).toMatchObject({ runId: fixture.runId, joined: false });
      const record = await waitFor(
        `run ${fixture.runId}`,
        async () => {
          const response = await fetch(`${api}/runs/${fixture.runId}`);
          const r = response.ok ? ((await response.json()) as RunRecord) : null;
          return r && (r.state === "succeeded" || r.state === "failed") ? r : undefined;
        },
        60_000,
      );
      expect(record.reason, `run failed: ${record.reason}\n${proc.output()}`).toBeNull();
      expect(record).toMatchObject({ state: "succeeded", trigger: "api" });

      // The digest is written and committed to the docs repository (the output folder).
      const digest = readFileSync(join(work, "output", "weekly", "2026-W47.md"), "utf8");
      expect(digest).toMatch(/^commits: 6$/m);
      const log = execFileSync("git", ["-C", join(work, "output"), "log", "--format=%s"], { encoding: "utf8" });
      expect(log).toMatch(/2026-W47/);

      // Announced once, signed.
      await waitFor("the webhook delivery", async () => (hook.received.length ? true : undefined));
      const { headers, body } = hook.received[0]!;
      expect(verifySignature(SECRET, String(headers["x-sparky-timestamp"]), body, String(headers["x-sparky-signature"]))).toBe(true);
      expect(JSON.parse(body)).toMatchObject({ event: "run.succeeded", runId: fixture.runId, figures: { commits: 6 } });

      // One /metrics with every service's series, each family once.
      const metrics = await (await fetch(`${api}/metrics`)).text();
      for (const service of ["orchestrator", "collector", "analyzer", "generator", "publisher"]) {
        expect(metrics, service).toMatch(new RegExp(`^sparky_messages_invalid_total\\{[^}]*service="${service}"`, "m"));
      }
      expect(metrics).toMatch(/^sparky_runs_total\{period="weekly",outcome="succeeded",service="orchestrator"\} 1$/m);
      expect(metrics).toMatch(/^sparky_jobs_total\{stage="publish",outcome="succeeded",service="publisher"\} 1$/m);
      expect(metrics.match(/^# TYPE sparky_jobs_total /gm)).toHaveLength(1);
      expect(metrics).toMatch(/^process_cpu_seconds_total/m);

      // The run log: one line per transition.
      const events = proc.output().split("\n").filter((l) => l.includes('"event":"run.')).map((l) => JSON.parse(l).event as string);
      expect(events[0]).toBe("run.started");
      expect(events.at(-1)).toBe("run.succeeded");

      proc.child.kill("SIGTERM");
      expect(await proc.exited, proc.output()).toBe(0);
      expect(proc.output()).toMatch(/"msg":"stopped"/);
    } finally {
      await hook.close();
    }
  });
});
