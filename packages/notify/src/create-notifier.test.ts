import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigSchema, createLogger } from "@sparky/harness";
import type { NotifyTargetConfig, SparkyConfig } from "@sparky/harness";
import type { RunRecord } from "@sparky/messages";
import { createNotifier } from "./create-notifier.js";
import type { Notification } from "./notification.js";
import { verifySignature } from "./sign.js";
import { startReceiver } from "./test-receiver.js";
import type { Behaviour } from "./test-receiver.js";

const SECRET = "hmac-key-never-shown";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const DIGEST = `---
title: "Daily digest: 2026-11-26"
period: "daily"
---

# Daily digest: 2026-11-26

3 contributors made 12 commits & 1 merge across 2 repositories <b>today</b>.

_Summary built from the figures below._
`;

function record(state: "succeeded" | "failed", finishedAt = "2026-11-27T06:00:05.000Z"): RunRecord {
  const stage = (name: string, result: Record<string, unknown> | null) => ({ stage: name, state: result ? "succeeded" : "failed", startedAt: null, finishedAt: null, attempts: [], result });
  const llm = { calls: 0, cached: 0, promptTokens: 0, warning: null };
  return {
    schema: "sparky.run/1",
    runId: "daily-2026-11-26",
    period: "daily",
    key: "2026-11-26",
    window: { start: "2026-11-26T00:00:00.000Z", end: "2026-11-27T00:00:00.000Z" },
    timezone: "UTC",
    state,
    trigger: "schedule",
    repos: ["/repos/a"],
    org: null,
    refresh: false,
    collection: null,
    allowEmpty: true,
    createdAt: "2026-11-27T06:00:00.000Z",
    updatedAt: finishedAt,
    finishedAt,
    reason: state === "failed" ? "publish failed after 3 attempts: the docs repository is read-only" : null,
    stages: [
      stage("collect", { manifest: "m", repositories: 2, commits: 12, merges: 1 }),
      stage("analyze", { analysis: "a", commits: 12, merges: 1, contributors: 3, repositories: 2, themes: 2, themesSource: "deterministic", themesReason: null, llm }),
      stage("generate", { digest: "/x", relativePath: "daily/2026-11-26.md", sha256: "s", index: "i", narrativeSource: "template", narrativeReason: null, llm }),
      stage("publish", state === "succeeded" ? { commit: "abc123", created: true, pushed: true, reason: "pushed" } : null),
    ],
  } as RunRecord;
}

async function setup(targets: Partial<NotifyTargetConfig>[], behaviour?: Behaviour, notify: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "sparky-notify-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const receiver = await startReceiver(behaviour);
  cleanups.push(receiver.close);
  const config: SparkyConfig = ConfigSchema.parse({
    data_dir: join(dir, "data"),
    generator: { output_dir: join(dir, "output") },
    publisher: { docs_web_url: "https://docs.example/blob/main/{path}" },
    notify: { backoff_ms: 10, timeout_ms: 500, retries: 2, ...notify, targets },
  });
  mkdirSync(join(dir, "output", "daily"), { recursive: true });
  writeFileSync(join(dir, "output", "daily", "2026-11-26.md"), DIGEST);
  const lines: string[] = [];
  const log = createLogger({ service: "orchestrator", level: "debug", destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) });
  const env = { HOOK_URL: receiver.url, HOOK_SECRET: SECRET };
  const writeRun = (r: RunRecord) => {
    mkdirSync(join(dir, "data", "state", "runs"), { recursive: true });
    writeFileSync(join(dir, "data", "state", "runs", `${r.runId}.json`), JSON.stringify(r));
  };
  const make = () => createNotifier({ config, log, env });
  const records = () => {
    const folder = join(dir, "data", "state", "notifications", "daily-2026-11-26");
    return readdirSync(folder).map((f) => JSON.parse(readFileSync(join(folder, f), "utf8")));
  };
  return { dir, receiver, lines, writeRun, make, records };
}

const webhook = { name: "ops", kind: "webhook", url_env: "HOOK_URL", secret_env: "HOOK_SECRET" } as const;
const slack = { name: "team-slack", kind: "slack", url_env: "HOOK_URL" } as const;

describe("notifier", () => {
  it("posts a signed JSON body a receiver can verify, with the digest's summary, figures and link", async () => {
    const t = await setup([webhook]);
    t.writeRun(record("succeeded"));
    const notifier = t.make();
    notifier.announce("daily-2026-11-26");
    await notifier.stop();
    expect(t.receiver.received).toHaveLength(1);
    const { headers, body } = t.receiver.received[0]!;
    expect(verifySignature(SECRET, String(headers["x-sparky-timestamp"]), body, String(headers["x-sparky-signature"]))).toBe(true);
    expect(verifySignature("another key", String(headers["x-sparky-timestamp"]), body, String(headers["x-sparky-signature"]))).toBe(false);
    expect(headers["x-sparky-event"]).toBe("run.succeeded");
    const n = JSON.parse(body) as Notification;
    expect(n).toMatchObject({
      schema: "sparky.notification/1",
      event: "run.succeeded",
      runId: "daily-2026-11-26",
      reason: null,
      digest: { title: "Daily digest: 2026-11-26", path: "daily/2026-11-26.md", url: "https://docs.example/blob/main/daily/2026-11-26.md", commit: "abc123", pushed: true },
      figures: { commits: 12, merges: 1, contributors: 3, repositories: 2 },
    });
    expect(n.digest!.summary).toBe("3 contributors made 12 commits & 1 merge across 2 repositories <b>today</b>.");
    expect(t.records()).toMatchObject([{ state: "delivered", attempts: 1, status: 200, target: "ops" }]);
  });

  it("gives Slack-compatible receivers text with the link, escaped for mrkdwn", async () => {
    const t = await setup([slack]);
    t.writeRun(record("succeeded"));
    const notifier = t.make();
    notifier.announce("daily-2026-11-26");
    await notifier.stop();
    const body = JSON.parse(t.receiver.received[0]!.body) as { text: string };
    expect(body.text).toBe(
      "*<https://docs.example/blob/main/daily/2026-11-26.md|Daily digest: 2026-11-26>*\n" +
        "3 contributors made 12 commits &amp; 1 merge across 2 repositories &lt;b&gt;today&lt;/b&gt;.\n" +
        "12 commits · 1 merge · 3 contributors · 2 repositories",
    );
  });

  it("announces a digest once, however often the run is repeated or resumed, also after a restart", async () => {
    const t = await setup([webhook, slack]);
    t.writeRun(record("succeeded"));
    const first = t.make();
    first.announce("daily-2026-11-26");
    first.announce("daily-2026-11-26");
    await first.stop();
    const second = t.make();
    second.onEvent({ type: "run.completed", payload: { runId: "daily-2026-11-26", stage: null, message: "" } } as never);
    await second.stop();
    expect(t.receiver.received).toHaveLength(2); // one per target
  });

  it("announces each failure of a run, only to targets that asked for failures, with the reason", async () => {
    const t = await setup([{ ...webhook, on: ["failed"] }, { ...slack, on: ["succeeded"] }]);
    t.writeRun(record("failed"));
    const notifier = t.make();
    notifier.announce("daily-2026-11-26");
    await notifier.stop();
    expect(t.receiver.received).toHaveLength(1);
    expect(JSON.parse(t.receiver.received[0]!.body)).toMatchObject({ event: "run.failed", reason: "publish failed after 3 attempts: the docs repository is read-only", digest: { commit: null } });
  });

  it("leaves backfill runs unannounced unless announce_backfill is on", async () => {
    const quiet = await setup([webhook]);
    quiet.writeRun({ ...record("succeeded"), trigger: "backfill" } as RunRecord);
    const first = quiet.make();
    first.announce("daily-2026-11-26");
    await first.stop();
    expect(quiet.receiver.received).toHaveLength(0);

    const loud = await setup([webhook], undefined, { announce_backfill: true });
    loud.writeRun({ ...record("succeeded"), trigger: "backfill" } as RunRecord);
    const second = loud.make();
    second.announce("daily-2026-11-26");
    await second.stop();
    expect(loud.receiver.received).toHaveLength(1);
  });

  it("retries a receiver that answers 500, and records the attempts", async () => {
    const t = await setup([webhook], (n) => ({ status: n < 3 ? 500 : 200 }));
    t.writeRun(record("succeeded"));
    const notifier = t.make();
    notifier.announce("daily-2026-11-26");
    await notifier.stop();
    expect(t.receiver.received).toHaveLength(3);
    // The same delivery, re-sent: one id, a fresh signature each time.
    expect(new Set(t.receiver.received.map((r) => r.headers["x-sparky-delivery"])).size).toBe(1);
    expect(t.records()).toMatchObject([{ state: "delivered", attempts: 3 }]);
  });

  it("gives up on a slow receiver after its retries, records it failed, and tries again on the next event", async () => {
    const t = await setup([webhook], () => ({ status: 200, delayMs: 2000 }), { timeout_ms: 100, retries: 1 });
    t.writeRun(record("succeeded"));
    const notifier = t.make();
    notifier.announce("daily-2026-11-26");
    await notifier.stop();
    expect(t.records()).toMatchObject([{ state: "failed", attempts: 2, status: null, error: "no answer in time" }]);
    expect(t.lines.join("")).toMatch(/could not announce daily-2026-11-26 to ops: no answer in time/);
  });

  it("does not retry a receiver that refuses the body (4xx), and never logs or records the address or key", async () => {
    const t = await setup([webhook], () => ({ status: 404 }));
    t.writeRun(record("succeeded"));
    const notifier = t.make();
    notifier.announce("daily-2026-11-26");
    await notifier.stop();
    expect(t.receiver.received).toHaveLength(1);
    expect(t.records()).toMatchObject([{ state: "failed", status: 404, error: "the receiver answered 404" }]);
    const everything = t.lines.join("") + JSON.stringify(t.records());
    expect(everything).not.toContain("SECRET-PATH-TOKEN");
    expect(everything).not.toContain(SECRET);
  });

  it("returns at once while a receiver refuses connections, and stop() ends the retries", async () => {
    const t = await setup([webhook], undefined, { retries: 10, backoff_ms: 60_000 });
    await t.receiver.close();
    t.writeRun(record("succeeded"));
    const notifier = t.make();
    // announce() only schedules (it returns nothing to wait on): the run it follows goes on.
    expect(notifier.announce("daily-2026-11-26")).toBeUndefined();
    expect(() => t.records()).toThrow(/ENOENT|no such file/); // nothing recorded yet: still trying
    await notifier.stop(200);
    expect(t.records()).toMatchObject([{ state: "failed", status: null }]);
    expect(t.records()[0].error).toMatch(/^(connection failed \(ECONNREFUSED\)|stopped before it was delivered)$/);
  });

  it("stops start-up when a target's secret is missing, naming the variable and not a value", () => {
    const config = ConfigSchema.parse({ notify: { targets: [webhook] } });
    expect(() => createNotifier({ config, log: createLogger({ service: "t", level: "silent" }), env: { HOOK_URL: "https://hooks.example/x" } })).toThrow(
      /notify target "ops": the environment variable HOOK_SECRET \(its signing key\) is not set/,
    );
    expect(() => ConfigSchema.parse({ notify: { targets: [{ name: "x", kind: "webhook", url_env: "U" }] } })).toThrow(/secret_env and secret_file/);
  });
});
