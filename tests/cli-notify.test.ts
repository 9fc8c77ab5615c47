// `sparky digest` announces its digest to the [notify] targets: a signed JSON webhook and a
// Slack-compatible one, both real HTTP servers here; once, however often it is run again.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySignature } from "@sparky/notify";
import { startReceiver } from "../packages/notify/src/test-receiver.js";
import { buildWeekFixture } from "./support/git-fixture.js";
import { sparky } from "./support/processes.js";

const SECRET = "cli-notify-signing-key";
let root: string;
let fixture: ReturnType<typeof buildWeekFixture>;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "sparky-cli-notify-"));
  fixture = buildWeekFixture(join(root, "repos"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function workDir(name: string, notify: string) {
  const work = join(root, name);
  mkdirSync(join(work, "config"), { recursive: true });
  writeFileSync(
    join(work, "config", "development.toml"),
    `[publisher]\ndocs_web_url = "https://github.com/acme/digests/blob/main/{path}"\n\n[notify]\nbackoff_ms = 20\nretries = 1\n${notify}`,
  );
  return work;
}

const digestArgs = () => [...fixture.repos.flatMap((r) => ["--repo", r]), "--period", "weekly", "--date", fixture.date, "--quiet"];

describe("sparky digest with [notify]", () => {
  it("announces the digest once to each target, signed, with its figures and link", async () => {
    const hook = await startReceiver();
    const slack = await startReceiver();
    try {
      const work = workDir(
        "announce",
        `[[notify.targets]]\nname = "ops"\nkind = "webhook"\nurl_env = "OPS_HOOK"\nsecret_env = "OPS_KEY"\n\n` +
          `[[notify.targets]]\nname = "team"\nkind = "slack"\nurl_env = "TEAM_HOOK"\non = ["succeeded"]\n`,
      );
      const env = { OPS_HOOK: hook.url, OPS_KEY: SECRET, TEAM_HOOK: slack.url };
      const first = await sparky(["digest", ...digestArgs()], { cwd: work, env });
      expect(first.code, first.stderr).toBe(0);
      expect(hook.received).toHaveLength(1);
      const { headers, body } = hook.received[0]!;
      expect(verifySignature(SECRET, String(headers["x-sparky-timestamp"]), body, String(headers["x-sparky-signature"]))).toBe(true);
      expect(JSON.parse(body)).toMatchObject({
        event: "run.succeeded",
        runId: fixture.runId,
        figures: { commits: 6, merges: 1, contributors: 3, repositories: 2 },
        digest: { path: "weekly/2026-W47.md", url: "https://github.com/acme/digests/blob/main/weekly/2026-W47.md" },
      });
      expect(JSON.parse(slack.received[0]!.body).text).toMatch(/^\*<https:\/\/github\.com\/acme\/digests\/blob\/main\/weekly\/2026-W47\.md\|Weekly digest: 2026-W47 .*>\*\n/);

      const again = await sparky(["digest", ...digestArgs()], { cwd: work, env });
      expect(again.code).toBe(0);
      expect(hook.received).toHaveLength(1);
      expect(slack.received).toHaveLength(1);
      expect(`${first.stderr}${first.stdout}${again.stderr}`).not.toContain(SECRET);
    } finally {
      await hook.close();
      await slack.close();
    }
  });

  it("still writes and publishes the digest when the receiver fails, and says so", async () => {
    const hook = await startReceiver(() => ({ status: 503 }));
    try {
      const work = workDir("failing", `[[notify.targets]]\nname = "ops"\nkind = "webhook"\nurl_env = "OPS_HOOK"\nsecret_env = "OPS_KEY"\n`);
      const result = await sparky(["digest", ...digestArgs()], { cwd: work, env: { OPS_HOOK: hook.url, OPS_KEY: SECRET } });
      expect(result.code, result.stderr).toBe(0);
      expect(hook.received).toHaveLength(2); // the first try and one retry
      expect(result.stderr).toMatch(/could not announce weekly-2026-W47 to ops: the receiver answered 503/);
      expect(result.stderr).not.toContain(hook.url);
    } finally {
      await hook.close();
    }
  });

  it("refuses to start, naming the variable, when a target's secret is missing", async () => {
    const work = workDir("missing", `[[notify.targets]]\nname = "ops"\nkind = "webhook"\nurl_env = "OPS_HOOK"\nsecret_env = "OPS_KEY"\n`);
    const result = await sparky(["digest", ...digestArgs()], { cwd: work, env: { OPS_HOOK: "https://hooks.example/x" } });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('sparky: notify target "ops": the environment variable OPS_KEY (its signing key) is not set: set it, or remove the target from [notify]');
  });
});
